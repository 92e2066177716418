import { placeholderResource, REPLACE, ResourceProvider } from './resource-provider';
import { sendCustomResourceRequest } from '../custom-resource-requests';

/** True for `AWS::CloudFormation::CustomResource` and `Custom::*`. */
export function isCustomResourceType(type: string): boolean {
  return type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::');
}

/**
 * Custom resources (`AWS::CloudFormation::CustomResource`, `Custom::*`) backed by a Lambda
 * function: the Create, Update and Delete events of the custom resource protocol. Without the
 * protocol's response endpoint they are placeholders.
 */
export const customResource: ResourceProvider = {
  async create(ctx, p) {
    const protocol = ctx.services.customResources;
    if (!protocol) return placeholderResource(ctx.logicalId);
    return sendCustomResourceRequest(protocol, { requestType: 'Create', stackId: ctx.stackId, logicalId: ctx.logicalId, type: ctx.type, properties: p }, (r) => ctx.fail(r));
  },
  async update(ctx, p, old) {
    const protocol = ctx.services.customResources;
    if (!protocol) return REPLACE;
    return sendCustomResourceRequest(protocol, { requestType: 'Update', stackId: ctx.stackId, logicalId: ctx.logicalId, type: ctx.type, properties: p, old }, (r) => ctx.fail(r));
  },
  async delete(ctx, r) {
    const protocol = ctx.services.customResources;
    if (!protocol) return;
    await sendCustomResourceRequest(protocol, { requestType: 'Delete', stackId: ctx.stackId, logicalId: r.logicalId, type: r.type, properties: r.properties, old: r }, (reason) => ctx.fail(reason));
  },
};
