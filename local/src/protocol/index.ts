export * from './api-error';
export * from './error-responses';
export * from './http';
