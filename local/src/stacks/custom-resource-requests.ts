import { randomUUID } from 'node:crypto';
import { ResolvedResource } from '../assembly/intrinsics';
import { ResourceState } from './providers/resource-provider';
import { CustomResourceResponses, stringifyScalars } from '../services/cloudformation/custom-resources';
import { executedVersion } from '../services/lambda/model';
import { LambdaService } from '../services/lambda/service';

/** What sending custom resource requests needs. */
export interface CustomResourceRequestOptions {
  readonly lambda: LambdaService;
  /** the response URLs handed out and the answers awaited on them */
  readonly responses: CustomResourceResponses;
  /** how long a provider may take to answer, in ms (real time) */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** true for a function deployed whose code cannot run here */
  readonly unrunnable: (functionName: string) => boolean;
}

/** One request of the protocol. */
export interface CustomResourceRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  readonly stackId: string;
  readonly logicalId: string;
  /** `Custom::*` or `AWS::CloudFormation::CustomResource` */
  readonly type: string;
  /** resolved properties (the new ones for an Update, the last deployed for a Delete) */
  readonly properties: Record<string, any>;
  /** the resource as deployed (Update, Delete) */
  readonly old?: ResourceState;
}

/**
 * The CloudFormation custom resource protocol: the ServiceToken function is invoked
 * asynchronously with a Create, Update or Delete event and CloudFormation waits for the response
 * PUT to the ResponseURL; its `PhysicalResourceId` is the Ref, its `Data` the attributes. An
 * Update carries the old properties and physical id; a new physical id in the answer makes it a
 * replacement, whose old resource the caller deletes in the cleanup phase. `fail` builds the
 * CREATE/UPDATE/DELETE_FAILED error.
 */
export async function sendCustomResourceRequest(o: CustomResourceRequestOptions, request: CustomResourceRequest,
  fail: (reason: string) => Error): Promise<ResolvedResource> {
  const { requestType, logicalId, type, properties: p, old } = request;
  const placeholder = (): ResolvedResource => ({
    ref: `local-unsupported-${logicalId}`,
    attributes: new Proxy({}, { get: (_t, k) => `local-unsupported-${logicalId}.${String(k)}`, has: () => true }),
  });
  // a resource that was never executed (a placeholder) has nothing to update or delete
  if (old?.resolved.ref.startsWith('local-unsupported-') && requestType === 'Delete') return old.resolved;
  const token = String(p.ServiceToken ?? '');
  if (!token) throw fail('ServiceToken is required');
  if (!/^arn:aws[a-z-]*:lambda:/.test(token)) throw fail(`ServiceToken ${token}: only Lambda function providers run here (not SNS topics)`);
  const { fn, qualifier } = o.lambda.lookup(token);
  if (!fn || !executedVersion(fn, qualifier ?? '$LATEST')) throw fail(`ResourceNotFoundException: Function not found: ${token}`);
  if (o.unrunnable(fn.name)) {
    // e.g. the providers of committed integ snapshots, whose asset folders are not kept
    o.log(`warning: custom resource ${logicalId} (${type}) not executed: its provider ${fn.name} cannot run here; deployed as a placeholder`);
    return old?.resolved ?? placeholder();
  }
  const timeoutMs = o.timeoutMs;
  const { url, response } = o.responses.expect(timeoutMs);
  const requestId = randomUUID();
  const event: Record<string, unknown> = {
    RequestType: requestType,
    ServiceToken: token,
    ResponseURL: url,
    StackId: request.stackId,
    RequestId: requestId,
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceProperties: stringifyScalars(p),
  };
  if (old) event.PhysicalResourceId = old.resolved.ref;
  if (requestType === 'Update' && old) event.OldResourceProperties = stringifyScalars(old.properties);
  // a provider that failed every attempt without answering fails the deployment at once (AWS waits
  // out the hour), after a moment for a response already on its way
  let dropped: string | undefined;
  let wake: () => void = () => undefined;
  const failed = new Promise<void>((resolve) => { wake = resolve; });
  o.lambda.invokeAsync(fn, qualifier, JSON.stringify(event), (reason) => {
    dropped = reason;
    setTimeout(wake, 1000).unref();
  });
  let r;
  try {
    r = await Promise.race([response, failed.then(() => undefined)]);
  } catch (e) {
    throw fail(`CloudFormation did not receive a response from your Custom Resource: ${(e as Error).message} (RequestId: ${requestId})`);
  } finally {
    wake();
  }
  if (!r) {
    o.responses.cancel(url);
    throw fail(`CloudFormation did not receive a response from your Custom Resource: the provider function ${fn.name} failed (${dropped}) (RequestId: ${requestId})`);
  }
  if (r.Status !== 'SUCCESS') {
    throw fail(`Received response status [FAILED] from custom resource. Message returned: ${r.Reason ?? '(none)'} (RequestId: ${requestId})`);
  }
  if (!r.PhysicalResourceId) throw fail(`Invalid PhysicalResourceId (RequestId: ${requestId})`);
  if (requestType === 'Delete') return old!.resolved;
  const data = r.Data && typeof r.Data === 'object' ? r.Data : {};
  return { ref: String(r.PhysicalResourceId), attributes: { ...data } };
}
