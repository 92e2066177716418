import { DestinationKind } from './destination';
import { executedVersion, LambdaFunction } from '../model';

/** How the lambda destination finds and invokes its target (the Lambda service itself). */
export interface LambdaTarget {
  lookup(nameOrArn: string): { fn?: LambdaFunction; qualifier?: string };
  invokeAsync(fn: LambdaFunction, qualifier: string | undefined, payload: string, onDropped: undefined, hops: number): string;
}

/** Another function: the record is its event, invoked asynchronously one hop further down the chain. */
export function lambdaDestination(lambda: LambdaTarget): DestinationKind {
  return {
    service: 'lambda',
    requiredPermissions: (destination) => [{ action: 'lambda:InvokeFunction', resource: destination, policyResource: destination }],
    send: async (out) => {
      const target = lambda.lookup(out.arn.resource.replace(/^function:/, ''));
      if (!target.fn || !executedVersion(target.fn, target.qualifier ?? '$LATEST')) throw new Error(`destination function ${out.destination} does not exist`);
      lambda.invokeAsync(target.fn, target.qualifier, out.body, undefined, out.hops + 1);
    },
  };
}
