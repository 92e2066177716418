import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { factoryError, validationError } from './errors';

/**
 * Checks of what JavaScript and jsii users can pass where TypeScript would not compile: each
 * gives our message with the construct path (or factory name) and the value, never a TypeError.
 */

/** A short, readable rendering of any value for a message. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? value : JSON.stringify(value);
  }
  if (typeof value !== 'object') {
    return String(value);
  }
  const node = (value as Partial<IConstruct>).node;
  const name = className(value);
  if (node && typeof node.path === 'string') {
    return `${name ?? 'construct'} ${node.path}`;
  }
  if (name && name !== 'Object') {
    return `a ${name}`;
  }
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * The class of a value: its jsii name (`Function` for aws-cdk-lib's lambda.Function, whose
 * bundled JavaScript class is named `Function2`), else its JavaScript name.
 */
function className(value: object): string | undefined {
  const type = value.constructor as unknown as { readonly name?: string; readonly [rtti: symbol]: { fqn?: string } | undefined } | undefined;
  const fqn = type?.[Symbol.for('jsii.rtti')]?.fqn;
  return fqn ? fqn.split('.').pop() : type?.name;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Whether `value` looks like a construct with the string attributes named. */
function hasAttributes(value: unknown, ...attributes: string[]): boolean {
  return isObject(value) && isObject(value.node) && attributes.every(a => typeof value[a] === 'string');
}

/** The props object of a construct: an object. */
export function checkProps(scope: IConstruct, props: unknown): void {
  if (!isObject(props)) {
    throw validationError(scope, `props must be an object, got ${describeValue(props)}`);
  }
}

/** `function` of AsyncInvocation: a lambda.IFunction (a function, version or alias). */
export function checkFunction(scope: IConstruct, label: string, value: unknown): void {
  if (!hasAttributes(value, 'functionArn', 'functionName')) {
    throw validationError(scope, `${label} must be a lambda.IFunction (a function, version or alias), got ${describeValue(value)}`);
  }
}

/** `retryAttempts`: a number (range checked elsewhere). */
export function checkRetryAttemptsType(scope: IConstruct, value: unknown): void {
  if (value !== undefined && typeof value !== 'number') {
    throw validationError(scope, `retryAttempts must be an integer from 0 to 2, got ${describeValue(value)}`);
  }
}

/** `maxEventAge`: a Duration. */
export function checkMaxEventAgeType(scope: IConstruct, value: unknown): void {
  if (value !== undefined && !(value instanceof Duration)) {
    const hint = typeof value === 'number' ? ` (for example Duration.seconds(${value}))` : ' (for example Duration.hours(1))';
    throw validationError(scope, `maxEventAge must be a Duration${hint}, got ${describeValue(value)}`);
  }
}

/** `onSuccess` / `onFailure`: made with SuccessDestination / FailureDestination. */
export function checkDestination(scope: IConstruct, outcome: 'Success' | 'Failure', value: unknown): void {
  if (value === undefined) {
    return;
  }
  if (!isObject(value) || typeof value[`bindOn${outcome}`] !== 'function') {
    const factory = `${outcome}Destination`;
    const native = isObject(value) && typeof value.bind === 'function'
      ? `; aws-cdk-lib's lambda.IDestination classes (SqsDestination, LambdaDestination, …) are not accepted, use ${factory} instead`
      : '';
    const s3 = outcome === 'Success' && isObject(value) && typeof value.bindOnFailure === 'function'
      ? '; this destination takes failure records only (Lambda does not send success records to S3)'
      : '';
    throw validationError(scope, `on${outcome} must be made with ${factory} (for example ${factory}.queue())${native}${s3}, got ${describeValue(value)}`);
  }
}

/** An argument of a static factory (no construct yet): `kind` names the expected type. */
export function checkFactoryArgument(factory: string, name: string, value: unknown, kind: string, attributes: string[], optional: boolean): void {
  if (value === undefined && optional) {
    return;
  }
  if (!hasAttributes(value, ...attributes)) {
    throw factoryError(factory, `${name} must be ${kind}, got ${describeValue(value)}`);
  }
}

/** An options argument of a static factory: undefined or an object. */
function checkFactoryOptions(factory: string, options: unknown): options is Record<string, unknown> {
  if (options === undefined) {
    return false;
  }
  if (!isObject(options)) {
    throw factoryError(factory, `options must be an object, got ${describeValue(options)}`);
  }
  return true;
}

/** QueueDestinationOptions: `queueProps` an object. */
export function checkQueueOptions(factory: string, options: unknown): void {
  if (checkFactoryOptions(factory, options) && options.queueProps !== undefined && !isObject(options.queueProps)) {
    throw factoryError(factory, `queueProps must be an object (sqs.QueueProps), got ${describeValue(options.queueProps)}`);
  }
}

/** FunctionDestinationOptions: `responseOnly` a boolean, `eventBus` an events.IEventBus. */
export function checkFunctionOptions(factory: string, options: unknown): void {
  if (!checkFactoryOptions(factory, options)) {
    return;
  }
  if (options.responseOnly !== undefined && typeof options.responseOnly !== 'boolean') {
    throw factoryError(factory, `responseOnly must be true or false, got ${describeValue(options.responseOnly)}`);
  }
  checkFactoryArgument(factory, 'eventBus', options.eventBus, 'an events.IEventBus (or omitted)', ['eventBusArn'], true);
}
