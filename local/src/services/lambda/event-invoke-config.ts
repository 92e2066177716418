import { LambdaApiError } from './errors';
import { EventInvokeConfig, executedVersion, LambdaFunction } from './model';

/** The settable fields of a FunctionEventInvokeConfig, as in the API and the template. */
export interface EventInvokeConfigInput {
  readonly MaximumRetryAttempts?: unknown;
  readonly MaximumEventAgeInSeconds?: unknown;
  readonly DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
}

/** What validating a config asks of the Lambda service: the functions, and the execution role's permissions. */
export interface ConfigChecks {
  lookup(nameOrArn: string): { fn?: LambdaFunction };
  permissionProblem(fn: LambdaFunction, destination: string, atDelivery: boolean): Promise<string | undefined>;
}

/**
 * Validates and stores an EventInvokeConfig as Lambda does on Put/Update (and CloudFormation on
 * create): value ranges, destination kinds, and the execution role's permission to deliver.
 * `create` fails if one exists; `update` merges into the existing one (which must exist).
 */
export async function putEventInvokeConfig(lambda: ConfigChecks, fn: LambdaFunction, qualifier: string, input: EventInvokeConfigInput,
  mode: 'create' | 'put' | 'update'): Promise<EventInvokeConfig> {
  if (!executedVersion(fn, qualifier)) throw new LambdaApiError('ResourceNotFoundException', `Function not found: ${fn.arn}:${qualifier}`, 404);
  const existing = fn.eventInvokeConfigs.get(qualifier);
  if (mode === 'create' && existing) {
    throw new LambdaApiError('ResourceConflictException', `An event invoke config for ${fn.arn}:${qualifier} already exists`, 409);
  }
  if (mode === 'update' && !existing) {
    throw new LambdaApiError('ResourceNotFoundException', `The function ${fn.arn}:${qualifier} doesn't have an EventInvokeConfig`, 404);
  }
  const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
  const retries = num(input.MaximumRetryAttempts) ?? (mode === 'update' ? existing?.maximumRetryAttempts : undefined);
  const age = num(input.MaximumEventAgeInSeconds) ?? (mode === 'update' ? existing?.maximumEventAgeInSeconds : undefined);
  const violations: string[] = [];
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= 2)) {
    violations.push(`Value '${retries}' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value ${retries < 0 ? 'greater than or equal to 0' : 'less than or equal to 2'}`);
  }
  if (age !== undefined && !(Number.isInteger(age) && age >= 60 && age <= 21600)) {
    violations.push(`Value '${age}' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value ${age < 60 ? 'greater than or equal to 60' : 'less than or equal to 21600'}`);
  }
  if (violations.length) {
    throw new LambdaApiError('ValidationException', `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`, 400);
  }
  const onSuccess = input.DestinationConfig?.OnSuccess?.Destination ?? (mode === 'update' ? existing?.onSuccess : undefined);
  const onFailure = input.DestinationConfig?.OnFailure?.Destination ?? (mode === 'update' ? existing?.onFailure : undefined);
  const invalid = (message: string) => new LambdaApiError('InvalidParameterValueException', message, 400);
  // AWS's wording for a destination it does not take: the whole config, rendered as its Java toString
  const invalidConfig = () => invalid('The provided destination config DestinationConfig(' +
    `onSuccess=${onSuccess ? `OnSuccess(destination=${onSuccess})` : 'null'}, ` +
    `onFailure=${onFailure ? `OnFailure(destination=${onFailure})` : 'null'}) is invalid.`);
  for (const [kind, dest] of [['OnSuccess', onSuccess], ['OnFailure', onFailure]] as const) {
    if (!dest) continue;
    const service = dest.split(':')[2];
    const supported = ['sqs', 'sns', 'lambda', 'events', ...(kind === 'OnFailure' ? ['s3'] : [])];
    // S3 only on failure; FIFO queues and topics never
    if (!supported.includes(service) || ((service === 'sqs' || service === 'sns') && dest.endsWith('.fifo'))) {
      throw invalidConfig();
    }
    if (service === 'lambda') {
      const target = lambda.lookup(dest.split(':').slice(6).join(':')).fn;
      // a function of another account or region is not this cloud's to know
      const local = dest.split(':').slice(3, 5).join(':') === fn.arn.split(':').slice(3, 5).join(':');
      if (!target && local) throw invalid(`The destination ARN ${dest} is invalid.`);
      if (target === fn) throw invalid("You can't specify the function as a destination for itself.");
    }
    const problem = await lambda.permissionProblem(fn, dest, false);
    if (problem) throw invalid(problem);
  }
  const config: EventInvokeConfig = {
    qualifier, maximumRetryAttempts: retries, maximumEventAgeInSeconds: age, onSuccess, onFailure, lastModified: new Date(),
  };
  fn.eventInvokeConfigs.set(qualifier, config);
  return config;
}
