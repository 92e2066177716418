import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The layers of `local/src`, lowest first: a file may import from its own layer or any layer
 * below, never from one above. `protocol/` holds the wire-format helpers and the shared API error
 * type (`ApiError` and its awsJson, restJson, awsQuery and restXml responses) every service API
 * writes with, so it sits at the bottom with the other helpers; `server/` (the front server that
 * routes to the services) is at the top.
 */
const LAYERS = ['foundation', 'services', 'stacks', 'entry'] as const;
type Layer = typeof LAYERS[number];

/** Path (relative to src, `/`-separated) prefixes and their layer: the first match wins. */
const LAYER_OF_PATH: ReadonlyArray<readonly [string, Layer]> = [
  ['protocol/', 'foundation'],
  ['util/', 'foundation'],
  ['iam/', 'foundation'],
  ['paths.ts', 'foundation'],
  ['services/', 'services'],
  ['stacks/', 'stacks'],
  ['assembly/', 'stacks'],
  ['server/', 'entry'],
  ['integ/', 'entry'],
  ['cli.ts', 'entry'],
  ['local-cloud.ts', 'entry'],
  ['index.ts', 'entry'],
];

const SRC = path.join(__dirname, '..', '..', 'src');

function layerOf(file: string): Layer {
  const match = LAYER_OF_PATH.find(([prefix]) => file === prefix || (prefix.endsWith('/') && file.startsWith(prefix)));
  if (!match) throw new Error(`${file} is in no layer: add it to LAYER_OF_PATH`);
  return match[1];
}

/** The relative module specifiers a source file imports (static, dynamic, type-only, require). */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;
  for (let m = pattern.exec(source); m; m = pattern.exec(source)) specifiers.push(m[1]);
  return specifiers;
}

/** The src-relative file a specifier of `from` names (`x` → `x.ts` or `x/index.ts`). */
function resolveImport(from: string, specifier: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    if (fs.existsSync(path.join(SRC, candidate)) && fs.statSync(path.join(SRC, candidate)).isFile()) return candidate;
  }
  return `${base}.ts`;
}

/** The upward imports of one file: `from -> to (layer -> layer)`. */
export function upwardImports(from: string, source: string): string[] {
  const own = LAYERS.indexOf(layerOf(from));
  return importsOf(source)
    .map((specifier) => resolveImport(from, specifier))
    .filter((to) => LAYERS.indexOf(layerOf(to)) > own)
    .map((to) => `${from} -> ${to} (${layerOf(from)} -> ${layerOf(to)})`);
}

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

describe('import layers of local/src', () => {
  test('no file imports from a layer above its own', () => {
    // GIVEN every source file
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(50);
    // WHEN its relative imports are resolved to layers
    const violations = files.flatMap((f) => upwardImports(f, fs.readFileSync(path.join(SRC, f), 'utf8')));
    // THEN none goes up
    expect(violations).toEqual([]);
  });

  test('every source file is in a layer', () => {
    expect(sourceFiles().filter((f) => !LAYER_OF_PATH.some(([p]) => f === p || (p.endsWith('/') && f.startsWith(p))))).toEqual([]);
  });

  test.each([
    ['services/cloudformation/api.ts', "import { DeployedStack } from '../../assembly/deployer';", 'services -> stacks'],
    ['services/lambda/api.ts', "import { FrontServer } from '../../server/front-server';", 'services -> entry'],
    ['services/sns/api.ts', "import { send } from '../../server/http';", 'services -> entry'],
    ['protocol/api-error.ts', "import { LambdaApiError } from '../services/lambda/errors';", 'foundation -> services'],
    ['util/recent-list.ts', "import type { LambdaService } from '../services/lambda/service';", 'foundation -> services'],
    ['stacks/stack-engine.ts', "const { LocalCloud } = require('../local-cloud');", 'stacks -> entry'],
    ['services/sns/api.ts', "const api = await import('../../stacks/providers');", 'services -> stacks'],
  ])('rejects the upward import in %s: %s', (from, source, layers) => {
    expect(upwardImports(from, source)).toEqual([expect.stringContaining(`(${layers})`)]);
  });

  test.each([
    ['stacks/stack-engine.ts', "import { DeployedStack } from '../services/cloudformation/model';"],
    ['services/sns/api.ts', "import { el } from '../../protocol';"],
    ['local-cloud.ts', "import { Deployer } from './assembly/deployer';"],
    ['services/lambda/api.ts', "import * as http from 'node:http';"],
  ])('accepts the import in %s: %s', (from, source) => {
    expect(upwardImports(from, source)).toEqual([]);
  });
});
