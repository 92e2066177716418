// The entry point for Lambda handlers (`require('cdk-async-lambda/lib/records')`): the record's
// types, constants and unwrapping, without aws-cdk-lib or constructs.
export * from './invocation-record';
export * from './invocation-condition';
export * from './invocation-result-event';
export * from './unwrap-records';
