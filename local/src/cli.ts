import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssemblyWatcher } from './assembly/assembly-watcher';
import { AssemblyError } from './assembly/cloud-assembly';
import { runIntegApps } from './integ/runner';
import { LocalCloud } from './local-cloud';
import { DeploymentError } from './stacks/deployment-error';

const USAGE = `usage: cdk-async-local serve [--assembly cdk.out] [--port 4566] [--time-scale 1]
                             [--account 000000000000] [--region us-east-1]
                             [--workers-per-function 2] [--quiet-handlers]
                             [--custom-resource-timeout 300] [--watch]

Runs every stack of a synthesized CDK cloud assembly on this machine with AWS Lambda's
asynchronous invocation semantics (default ./cdk.out; with none there, an empty cloud that
"cdk bootstrap" and "cdk deploy" fill: see the README). Prints "ready http://127.0.0.1:<port>" on stdout when every
stack is up (handler output and logs go to stderr); SIGINT or SIGTERM stops it. With --watch, each
new "cdk synth" into the assembly directory is deployed as a stack update (as "cdk deploy" would),
then "updated <stack>…" (or "update failed: <reason>", the stacks rolled back) is printed on stdout.
Point AWS SDK v3 clients at it with
  AWS_ENDPOINT_URL=http://127.0.0.1:<port> AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x

       cdk-async-local integ [integ/integ.<name>.ts…] [--dir .] [--time-scale 0.001] [--parallel 2]
                             [--custom-resource-timeout 60] [--verbose]

Synthesizes each integ-tests-alpha app (default: every integ/integ.*.ts under --dir) as integ-runner
does, deploys its test and assertion stacks to a fresh local cloud, prints PASS/FAIL per app with
expected vs actual for each failed assertion, then "N passed, N failed"; exits 1 on any failure.`;

/** Parses `--name value` / `--name=value` / `--flag` options. */
export function parseArgs(argv: string[], multi = false, flags: string[] = []):
{ command?: string; args: string[]; options: Record<string, string | true> } {
  const options: Record<string, string | true> = {};
  const args: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      if (inline !== undefined) options[name] = inline;
      else if (flags.includes(name)) options[name] = true;
      else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) options[name] = argv[++i];
      else options[name] = true;
    } else if (!command) {
      command = a;
    } else if (multi) {
      args.push(a);
    } else {
      throw new Error(`unexpected argument ${a}`);
    }
  }
  return { command, args, options };
}

function num(options: Record<string, string | true>, name: string, fallback: number): number {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    const isInteg = argv.find((a) => !a.startsWith('--')) === 'integ';
    parsed = parseArgs(argv, isInteg, isInteg ? ['verbose', 'help'] : ['watch', 'quiet-handlers', 'help']);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { command, args, options } = parsed;
  if (options.help || command === 'help' || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === 'integ') return integ(args, options);
  if (command !== 'serve') {
    process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
    return 2;
  }
  const known = ['assembly', 'port', 'time-scale', 'account', 'region', 'workers-per-function', 'quiet-handlers', 'custom-resource-timeout', 'watch'];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) {
    process.stderr.write(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `--${u}`).join(', ')}\n${USAGE}\n`);
    return 2;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (options.assembly === true) {
    process.stderr.write(`--assembly needs a directory\n${USAGE}\n`);
    return 2;
  }
  // no --assembly: ./cdk.out when there is one, else an empty cloud for `cdk deploy` to fill
  const assembly = typeof options.assembly === 'string' ? options.assembly
    : fs.existsSync(path.join('cdk.out', 'manifest.json')) ? 'cdk.out' : undefined;
  if (options.watch && !assembly) {
    process.stderr.write(`--watch needs an assembly: run \`npx cdk synth\` first or pass --assembly <dir>\n${USAGE}\n`);
    return 2;
  }
  let cloud: LocalCloud;
  try {
    cloud = await LocalCloud.start({
      assembly,
      port: num(options, 'port', 4566),
      timeScale: num(options, 'time-scale', 1),
      accountId: typeof options.account === 'string' ? options.account : undefined,
      region: typeof options.region === 'string' ? options.region : undefined,
      maxWorkersPerFunction: num(options, 'workers-per-function', 2),
      handlerOutput: options['quiet-handlers'] ? 'ignore' : 'inherit',
      customResourceTimeoutSeconds: num(options, 'custom-resource-timeout', 300),
    });
  } catch (e) {
    const err = e as Error;
    const known2 = err instanceof AssemblyError || err instanceof DeploymentError || /EADDRINUSE/.test(err.message);
    process.stderr.write(`cdk-async-local: ${known2 ? err.message : err.stack}\n`);
    return 1;
  }
  process.stdout.write(`ready ${cloud.endpoint}\n`);
  const watcher = options.watch && assembly ? new AssemblyWatcher(assembly, async () => {
    try {
      const stacks = await cloud.update(assembly);
      process.stdout.write(`updated ${stacks.map((s) => s.name).join(' ')}\n`);
    } catch (e) {
      process.stdout.write(`update failed: ${(e as Error).message.split('\n')[0]}\n`);
    }
  }) : undefined;
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      watcher?.stop();
      (watcher?.settled() ?? Promise.resolve()).then(() => cloud.stop()).then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

async function integ(files: string[], options: Record<string, string | true>): Promise<number> {
  const known = ['dir', 'time-scale', 'parallel', 'verbose', 'custom-resource-timeout'];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) {
    process.stderr.write(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `--${u}`).join(', ')}\n${USAGE}\n`);
    return 2;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let result;
  try {
    result = await runIntegApps({
      dir: typeof options.dir === 'string' ? options.dir : process.cwd(),
      files,
      timeScale: num(options, 'time-scale', 0.001),
      parallel: num(options, 'parallel', 2),
      customResourceTimeoutSeconds: num(options, 'custom-resource-timeout', 60),
      verbose: options.verbose === true,
    });
  } catch (e) {
    process.stderr.write(`cdk-async-local: ${(e as Error).message}\n`);
    return 2;
  }
  if (!result.apps.length) {
    process.stderr.write('cdk-async-local: no integ apps (integ/integ.*.ts) found\n');
    return 1;
  }
  return result.failed || result.errors ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    process.stderr.write(`cdk-async-local: ${e?.stack ?? e}\n`);
    process.exit(1);
  });
}
