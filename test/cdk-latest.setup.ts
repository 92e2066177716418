// Loaded by jest.cdk-latest.json (the second jest job) before every test file: proves that the
// suite runs against the aliased aws-cdk-lib, not the pinned one, from our sources and from the
// packages in node_modules that import aws-cdk-lib themselves.
import * as path from 'node:path';

declare const CDK_LATEST_VERSION: string;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('aws-cdk-lib/package.json').version;
if (version !== CDK_LATEST_VERSION) {
  throw new Error(`the cdk-latest job must run with aws-cdk-lib ${CDK_LATEST_VERSION}, got ${version}`);
}
for (const from of [__dirname, path.dirname(require.resolve('cdk-nag')), path.dirname(require.resolve('@aws-cdk/integ-tests-alpha'))]) {
  const resolved = require.resolve('aws-cdk-lib', { paths: [from] });
  if (!resolved.includes(`${path.sep}node_modules${path.sep}aws-cdk-lib-latest${path.sep}`)) {
    throw new Error(`aws-cdk-lib required from ${from} resolves to ${resolved}, not aws-cdk-lib-latest`);
  }
}
