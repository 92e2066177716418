import { reattach, ResourceProvider } from './resource-provider';
import { LambdaApiError } from '../../services/lambda/errors';

/**
 * `AWS::Lambda::EventInvokeConfig` (on `$LATEST`, a version or an alias): retries, event age and
 * destinations of asynchronous invocations, validated as Lambda's PutFunctionEventInvokeConfig does.
 */
export const lambdaEventInvokeConfig: ResourceProvider = {
  async create(ctx, p) {
    const { lambda } = ctx.services;
    const { fn } = lambda.lookup(String(p.FunctionName));
    if (!fn) throw ctx.fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
    const qualifier = String(p.Qualifier ?? '$LATEST');
    try {
      await lambda.putEventInvokeConfig(fn, qualifier, {
        MaximumRetryAttempts: p.MaximumRetryAttempts, MaximumEventAgeInSeconds: p.MaximumEventAgeInSeconds, DestinationConfig: p.DestinationConfig,
      }, 'create');
    } catch (e) {
      if (e instanceof LambdaApiError) throw ctx.fail(`${e.name}: ${e.message}`);
      throw e;
    }
    return { ref: `${fn.name}|${qualifier}`, attributes: {} };
  },
  update: (ctx, p, old) => reattach(lambdaEventInvokeConfig, ctx, p, old),
  delete(ctx, r) {
    ctx.services.lambda.lookup(String(r.properties.FunctionName)).fn?.eventInvokeConfigs.delete(String(r.properties.Qualifier ?? '$LATEST'));
  },
};
