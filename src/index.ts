export * from './async-invocation';
export * from './destinations/destination';
export * from './destinations/success-destination';
export * from './destinations/failure-destination';
export * from './destinations/queue-options';
export * from './destinations/function-options';
export * from './async-function';
export * from './async-function-props';
