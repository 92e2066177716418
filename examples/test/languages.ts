import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The jsii languages whose packages `npm test` builds and whose example apps it synthesizes, their
 * toolchains, and the local opt-out. Used by the package tasks (as a CLI) and by languages.test.ts.
 */

export type Language = 'python' | 'java' | 'go';
export const LANGUAGES: Language[] = ['python', 'java', 'go'];
/** Languages whose package task needs a toolchain: those of the examples, and .NET (release workflow only). */
export type Toolchain = Language | 'dotnet';
const TOOLCHAIN_NAMES: Toolchain[] = [...LANGUAGES, 'dotnet'];

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
export const DIST = path.join(ROOT, 'dist');
/** Everything the language steps write (virtualenv, Maven repository, binaries, cloud assemblies). */
export const BUILD = path.join(ROOT, 'build', 'languages');

/** Comma-separated languages a contributor skips locally; ignored when CI=true. */
export const SKIP_VARIABLE = 'CDK_ASYNC_SKIP_LANGUAGES';

interface Tool {
  readonly command: string;
  readonly args: string[];
  /** What is missing, for the one-line error. */
  readonly what: string;
}

const TOOLCHAINS: Record<Toolchain, Tool[]> = {
  python: [{ command: 'python3', args: ['-c', 'import venv, ensurepip'], what: 'python3 with the venv and ensurepip modules (Python 3.9 or later)' }],
  java: [
    { command: 'javac', args: ['-version'], what: 'javac (a JDK 17 or later)' },
    { command: 'mvn', args: ['--version'], what: 'mvn (Maven 3.6 or later)' },
  ],
  go: [{ command: 'go', args: ['version'], what: 'go (Go 1.26 or later)' }],
  dotnet: [{ command: 'dotnet', args: ['--version'], what: 'dotnet (the .NET SDK 6 or later)' }],
};

/** Whether the contributor asked to skip `language` (never on CI). */
export function isSkipped(language: Toolchain, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CI === 'true') return false;
  return (env[SKIP_VARIABLE] ?? '').split(',').map(s => s.trim().toLowerCase()).includes(language);
}

/** The one-line reason `language` cannot run here, or undefined when its toolchain is present. */
export function missingToolchain(language: Toolchain): string | undefined {
  for (const tool of TOOLCHAINS[language]) {
    const result = spawnSync(tool.command, tool.args, { stdio: 'ignore' });
    if (result.error !== undefined || result.status !== 0) {
      return `${language}: ${tool.what} not found on PATH; install it, or skip the ${language} steps on your machine with ${SKIP_VARIABLE}=${language} (CI never skips)`;
    }
  }
  return undefined;
}

/** The result of a command: exit status and everything it printed. */
export interface RunResult {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command to completion, output captured; never throws. */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): RunResult {
  const started = Date.now();
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', ...options.env },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { status: result.status, output, seconds: (Date.now() - started) / 1000 };
}

/** Runs a command that must succeed; throws with its output otherwise. */
export function runOrThrow(command: string, args: string[], options: SpawnSyncOptions = {}): RunResult {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.output}`);
  }
  return result;
}

/** The one file in `dir` whose name matches, or an error telling which package task makes it. */
export function builtPackage(dir: string, pattern: RegExp, task: string): string {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => pattern.test(f)) : [];
  if (files.length !== 1) {
    throw new Error(`expected one ${pattern} in ${path.relative(ROOT, dir)}, found ${files.length}: run \`npx projen ${task}\` first`);
  }
  return path.join(dir, files[0]);
}

/**
 * CLI for the package tasks:
 * - `languages.ts enabled <language>`: exit 0 unless the contributor skips it (the task's condition);
 * - `languages.ts require <language>`: exit 1 with one line when its toolchain is missing.
 */
function main(argv: string[]): number {
  const [verb, language] = argv;
  if (!TOOLCHAIN_NAMES.includes(language as Toolchain) || (verb !== 'enabled' && verb !== 'require')) {
    console.error(`usage: languages.ts enabled|require ${TOOLCHAIN_NAMES.join('|')}`);
    return 2;
  }
  if (verb === 'enabled') {
    if (!isSkipped(language as Toolchain)) return 0;
    console.error(`${language}: skipped (${SKIP_VARIABLE})`);
    return 1;
  }
  const missing = missingToolchain(language as Toolchain);
  if (missing === undefined) return 0;
  console.error(missing);
  return 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
