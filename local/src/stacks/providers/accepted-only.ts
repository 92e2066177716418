import { placeholderResource, ResourceProvider, suffix } from './resource-provider';

/**
 * Types accepted as they are (`AWS::CDK::Metadata`, `AWS::KMS::Alias`): they have no behaviour the
 * local cloud models, so there is nothing to create or delete. Listed as supported.
 */
export const acceptedOnly: ResourceProvider = {
  create: (ctx) => placeholderResource(ctx.logicalId, `${ctx.logicalId}-${suffix()}`),
};

/**
 * Any type without a provider: deployed as a placeholder (its attributes read as
 * `local-unsupported-<id>.<name>`) and named in the not-emulated warning.
 */
export const unsupported: ResourceProvider = {
  emulated: false,
  create: (ctx) => placeholderResource(ctx.logicalId),
};
