import { ResourceProvider } from './resource-provider';

/**
 * `AWS::ECR::Repository` (the CDK bootstrap's container asset repository): accepted, with its
 * name, ARN and URI, but it holds no images (no ECR API; container image functions do not run here).
 */
export const ecrRepository: ResourceProvider = {
  create(ctx, p) {
    const name = p.RepositoryName === undefined ? ctx.generatedName(256, true) : String(p.RepositoryName);
    if (!/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name) || name.length < 2 || name.length > 256) {
      throw ctx.fail(`Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*'' (got ${name})`);
    }
    return {
      ref: name,
      attributes: {
        Arn: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`,
        RepositoryUri: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
      },
    };
  },
  update: (_ctx, p, old) => (String(p.RepositoryName ?? '') === String(old.properties.RepositoryName ?? '') ? old.resolved : 'replace'),
};
