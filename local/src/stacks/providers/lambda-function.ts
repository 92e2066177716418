import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, ProviderContext, REPLACE, ResourceProvider } from './resource-provider';
import { LambdaFunction } from '../../services/lambda/model';
import { checkHandler, functionNameOf } from '../../services/lambda/names';
import { WorkerPool } from '../../services/lambda/worker-pool';
import { checkLogGroupName } from '../../services/logs/model';

const NODE_RUNTIME = /^nodejs(\d+)\.x$/;

/**
 * NODE_PATH of handler processes: the `node_modules` folders of the project (every ancestor of the
 * assembly directory and of the working directory, nearest first, as Node resolves), then the
 * folder of the AWS SDK v3 clients the local cloud itself depends on. So a handler can require any
 * `@aws-sdk/client-*` installed in the project, as Lambda's Node.js runtimes offer every client.
 */
export function handlerNodePath(assemblyDir: string, cwd = process.cwd()): string {
  const dirs: string[] = [];
  for (const start of [path.resolve(assemblyDir), path.resolve(cwd)]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules');
      if (!dirs.includes(candidate) && fs.existsSync(candidate)) dirs.push(candidate);
      if (path.dirname(dir) === dir) break;
    }
  }
  const entry = require.resolve('@aws-sdk/client-sqs');
  const own = entry.slice(0, entry.lastIndexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length);
  if (!dirs.includes(own)) dirs.push(own);
  return dirs.join(path.delimiter);
}

/** Where the function's code is, or why it cannot run here. */
function codeDir(ctx: ProviderContext, name: string, code: Record<string, any>): { dir?: string; problem?: string } {
  if (code.ZipFile !== undefined) {
    const dir = path.join(ctx.functions.workDir, 'functions', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), String(code.ZipFile));
    return { dir };
  }
  if (code.S3Key) {
    const key = String(code.S3Key);
    const asset = ctx.assets.path(key, code.S3Bucket === undefined ? undefined : String(code.S3Bucket));
    if (!asset) return { problem: `code asset ${key} is not in the assembly's asset manifest` };
    if (!fs.existsSync(asset)) return { problem: `code asset directory ${asset} does not exist` };
    if (!fs.statSync(asset).isDirectory()) return { problem: `code asset ${asset} is a file; only directory assets run here` };
    return { dir: asset };
  }
  return { problem: 'no inline code or asset directory (container images do not run here)' };
}

/**
 * Code that fails at init with the reason the real code cannot run, so a stack whose other
 * functions run is still deployed (custom resource providers, say, whose assets were not kept).
 */
function stubCode(workDir: string, name: string, handler: string, problem: string): string {
  const dir = path.join(workDir, 'unrunnable', name);
  fs.mkdirSync(dir, { recursive: true });
  const moduleName = handler.slice(0, handler.lastIndexOf('.')) || 'index';
  fs.mkdirSync(path.dirname(path.join(dir, moduleName)), { recursive: true });
  fs.writeFileSync(path.join(dir, `${moduleName}.js`), `throw new Error(${JSON.stringify(`the local cloud cannot run function ${name}: ${problem}`)});\n`);
  return dir;
}

/**
 * `AWS::Lambda::Function` (Node.js runtimes): a function of the Lambda service with its handler
 * processes. `Ref` is the name. A change keeps the name and ARN (new handler processes; versions,
 * aliases and invoke configs stay); a new `FunctionName` replaces it.
 */
export const lambdaFunction: ResourceProvider = {
  create(ctx, p) {
    const { accountId: account, region } = ctx;
    const runtime = String(p.Runtime ?? '');
    const handler = String(p.Handler ?? 'index.handler');
    let name: string;
    try {
      // both name directories and module paths on this machine: AWS's rules first
      name = functionNameOf(p.FunctionName === undefined ? ctx.generatedName(64) : String(p.FunctionName));
      checkHandler(handler);
      if (p.LoggingConfig?.LogGroup !== undefined) checkLogGroupName(p.LoggingConfig.LogGroup, 'LoggingConfig.LogGroup');
    } catch (e) {
      throw ctx.fail(describe(e));
    }
    if (!p.Role) throw ctx.fail('Role is required');
    const logFormat = p.LoggingConfig?.LogFormat ?? 'Text';
    if (logFormat !== 'Text' && logFormat !== 'JSON') {
      throw ctx.fail(`ValidationException: 1 validation error detected: Value '${logFormat}' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [Text, JSON]`);
    }
    const logGroup: string = p.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
    if (p.RecursiveLoop !== undefined && p.RecursiveLoop !== 'Allow' && p.RecursiveLoop !== 'Terminate') {
      throw ctx.fail(`ValidationException: 1 validation error detected: Value '${p.RecursiveLoop}' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Allow, Terminate]`);
    }
    const recursiveLoop: 'Allow' | 'Terminate' = p.RecursiveLoop ?? 'Terminate';
    const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
    const settings = ctx.functions;
    let { dir: code, problem } = NODE_RUNTIME.test(runtime)
      ? codeDir(ctx, name, p.Code ?? {})
      : { dir: undefined, problem: `runtime ${runtime || '(none)'}: only Node.js runtimes run here` };
    if (problem) {
      settings.unrunnable(name, ctx.logicalId, problem);
      code = stubCode(settings.workDir, name, handler, problem);
    }
    const timeoutSeconds = Number(p.Timeout ?? 3);
    const memorySize = Number(p.MemorySize ?? 128);
    // what a Lambda environment has: the runtime's variables and the function's own, nothing of the host's
    const env: Record<string, string> = {
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ENDPOINT_URL: ctx.endpoint,
      AWS_ACCESS_KEY_ID: 'ASIALOCALCLOUD',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...Object.fromEntries(Object.entries(p.Environment?.Variables ?? {}).map(([k, v]) => [k, String(v)])),
    };
    const fn: LambdaFunction = {
      name,
      arn,
      roleArn: String(p.Role),
      runtime,
      handler,
      timeoutSeconds,
      memorySize,
      deadLetterTargetArn: p.DeadLetterConfig?.TargetArn,
      recursiveLoop,
      logGroup,
      logFormat,
      reservedConcurrency: p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions),
      eventInvokeConfigs: new Map(),
      versions: new Set(),
      aliases: new Map(),
      pool: new WorkerPool({
        functionName: name,
        codeDir: code!,
        handler,
        timeoutSeconds,
        memorySize,
        env,
        sandboxDir: path.join(settings.workDir, 'sandbox', name),
        nodePath: handlerNodePath(ctx.assets.projectDir),
        maxWorkers: Math.max(1, Math.min(settings.maxWorkersPerFunction, p.ReservedConcurrentExecutions ?? Infinity)),
        output: settings.handlerOutput,
        logGroup,
      }),
    };
    ctx.services.lambda.add(fn);
    return { ref: name, attributes: { Arn: arn } };
  },
  /** UpdateFunctionCode/Configuration: same name and ARN, new handler processes; versions, aliases and configs stay. */
  async update(ctx, p, old) {
    if (p.FunctionName !== undefined && p.FunctionName !== old.properties.FunctionName) return REPLACE;
    const { lambda } = ctx.services;
    const before = lambda.lookup(old.resolved.ref).fn;
    const resolved = await lambdaFunction.create(ctx, { ...p, FunctionName: old.resolved.ref });
    const fn = lambda.lookup(old.resolved.ref).fn!;
    if (before) {
      for (const [k, v] of before.eventInvokeConfigs) fn.eventInvokeConfigs.set(k, v);
      for (const v of before.versions) fn.versions.add(v);
      for (const [k, v] of before.aliases) fn.aliases.set(k, v);
      await before.pool.stop();
    }
    return resolved;
  },
  async delete(ctx, r) {
    await ctx.services.lambda.remove(r.resolved.ref);
  },
};
