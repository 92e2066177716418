import * as fs from 'node:fs';
import * as path from 'node:path';

const START = '## Local cloud\n';
const END = '## cdk-nag\n';
const NOTE = '<!-- copied from local/README.md (the cdk-async-local package page) by `npx projen`: edit it there -->';

/**
 * The top-level README's "Local cloud" section: local/README.md (the cdk-async-local package page)
 * one heading level down. Written on every `npx projen`, so CI's `check:generated` fails when the
 * two drift apart.
 *
 * Its TypeScript blocks are fenced as `js` here: they use cdk-async-local, a Node-only package
 * outside the jsii assembly, so jsii-rosetta (which compiles every `ts` block of this README and
 * Construct Hub, which translates them to Python, Java, .NET and Go) must leave them alone. They
 * are plain JavaScript too (no type annotations).
 */
export function copyLocalReadme(root: string): void {
  const readmeFile = path.join(root, 'README.md');
  const readme = fs.readFileSync(readmeFile, 'utf8');
  const local = fs.readFileSync(path.join(root, 'local', 'README.md'), 'utf8').split('\n');
  if (!local[0].startsWith('# Local cloud')) throw new Error('local/README.md must start with "# Local cloud"');
  let inCode = false;
  const body = local.slice(1).map((line) => {
    if (line.startsWith('```')) {
      inCode = !inCode;
      return /^```(ts|typescript)\b/.test(line) ? '```js' : line;
    }
    return !inCode && line.startsWith('#') ? `#${line}` : line;
  }).join('\n').trim();
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs a "${START.trim()}" section followed by "${END.trim()}"`);
  const section = `${START}\n${NOTE}\n\n${body}\n\n`;
  const next = readme.slice(0, start) + section + readme.slice(end);
  if (next !== readme) fs.writeFileSync(readmeFile, next);
}
