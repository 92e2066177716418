import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The pinned CDK CLI (aws-cdk 2.x, a dev dependency of this package). */
export const CDK = require.resolve('aws-cdk/bin/cdk');
/** The pinned integ-runner. */
export const INTEG_RUNNER = require.resolve('@aws-cdk/integ-runner/bin/integ-runner');

/**
 * The environment of a CDK CLI process that reaches only the local cloud: its endpoint and dummy
 * credentials, no AWS config files, no version check, telemetry or instance metadata, and any
 * HTTPS request that still tried the internet sent to a closed local port.
 */
export function localCloudEnv(endpoint: string, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

/** What a CLI run printed (stdout and stderr together) and its exit code. */
export interface CliRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a Node CLI script to its end. */
export function runNode(script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
