import * as fs from 'node:fs';
import * as path from 'node:path';

/** One quick start: a README section that is an example app, verbatim. */
interface QuickStart {
  /** The marker name: `<!-- quick-start:NAME -->` … `<!-- /quick-start:NAME -->`. */
  readonly name: string;
  /** The example file, relative to the repository root. */
  readonly file: string;
  /** The code fence's info string. */
  readonly fence: string;
}

/**
 * The example apps the README shows as quick starts. Each is built and synthesized by
 * `examples/test/languages.test.ts`, which asserts that all four templates are equal.
 *
 * The TypeScript one is a complete program, so rosetta compiles it without a fixture (`nofixture`).
 */
export const QUICK_STARTS: QuickStart[] = [
  { name: 'typescript', file: 'examples/typescript/app.ts', fence: 'ts nofixture' },
  { name: 'python', file: 'examples/python/app.py', fence: 'python' },
  { name: 'java', file: 'examples/java/src/main/java/io/github/cdkasynclambda/examples/AsyncLambdaExampleApp.java', fence: 'java' },
  { name: 'go', file: 'examples/go/main.go', fence: 'go' },
];

/**
 * Writes each example file between its markers in README.md, on every `npx projen`, so CI's
 * `check:generated` fails when an example and its quick start drift apart.
 */
export function writeQuickStarts(root: string): void {
  const readmeFile = path.join(root, 'README.md');
  let readme = fs.readFileSync(readmeFile, 'utf8');
  for (const quickStart of QUICK_STARTS) {
    const start = `<!-- quick-start:${quickStart.name} -->\n`;
    const end = `<!-- /quick-start:${quickStart.name} -->`;
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md needs the markers ${start.trim()} … ${end}`);
    const code = fs.readFileSync(path.join(root, quickStart.file), 'utf8').trimEnd();
    if (code.includes('```')) throw new Error(`${quickStart.file} contains a code fence`);
    const block = `${start}<!-- ${quickStart.file}, copied by \`npx projen\`: edit it there -->\n\n\`\`\`${quickStart.fence}\n${code}\n\`\`\`\n\n`;
    readme = readme.slice(0, from) + block + readme.slice(to);
  }
  if (readme !== fs.readFileSync(readmeFile, 'utf8')) fs.writeFileSync(readmeFile, readme);
}
