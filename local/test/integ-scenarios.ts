import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's root, where `integ/` is. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The source of `integ/integ.success-to-queue.ts` plus one assertion that is wrong on purpose: it
 * expects an Event invoke to answer 200 (Lambda answers 202), so a runner must report it failed.
 */
export function brokenSuccessToQueue(): string {
  return [
    fs.readFileSync(path.join(REPO_ROOT, 'integ', 'integ.success-to-queue.ts'), 'utf8'),
    "import { ExpectedResult as BrokenExpected, InvocationType as BrokenType } from '@aws-cdk/integ-tests-alpha';",
    "integ.assertions.invokeFunction({ functionName: fn.function.functionName, invocationType: BrokenType.EVENT, payload: '{}' })",
    '  .expect(BrokenExpected.objectLike({ StatusCode: 200 }));',
    '',
  ].join('\n');
}
