import * as fs from 'node:fs';
import * as path from 'node:path';

/** The files every emulated service's folder has (see CONTRIBUTING.md, "How to add a service"). */
const VOCABULARY = ['model.ts', 'service.ts', 'api.ts', 'errors.ts'] as const;

/**
 * Folders under `services/` that lack some of the vocabulary, each with the files it lacks and
 * why. A folder not listed here must have all four; a listed one must have the rest.
 */
const EXCEPTIONS: Readonly<Record<string, { readonly lacks: readonly string[]; readonly reason: string }>> = {
  backend: { lacks: VOCABULARY, reason: 'not a service: the fauxqs process behind SQS, SNS and S3; it has no API of its own' },
  iam: { lacks: ['model.ts', 'service.ts'], reason: 'the roles and policies live in src/iam/ (foundation): every service checks its grants there' },
  s3: { lacks: ['service.ts'], reason: 'buckets and objects are the backend\'s (fauxqs); api.ts answers only the sub-resources it lacks' },
  sqs: { lacks: ['service.ts'], reason: 'queues and messages are the backend\'s (fauxqs); api.ts refuses bad queue names (model.ts) and long-poll.ts scales long polls' },
  sts: { lacks: ['model.ts', 'service.ts'], reason: 'stateless: GetCallerIdentity answers the account, AssumeRole makes dummy credentials; nothing is kept' },
};

/** Old per-service file names the vocabulary replaces (`sns-api.ts` is `api.ts`). */
const OLD_NAME = /^[a-z0-9-]+-(api|service|model|errors)\.ts$/;

/** What is wrong with one service folder, given the files in it. */
export function vocabularyProblems(folder: string, files: readonly string[]): string[] {
  const exception = EXCEPTIONS[folder];
  const lacks = exception?.lacks ?? [];
  const problems: string[] = [];
  for (const name of VOCABULARY) {
    if (!lacks.includes(name) && !files.includes(name)) problems.push(`services/${folder} has no ${name}`);
  }
  for (const name of files.filter((f) => OLD_NAME.test(f))) {
    problems.push(`services/${folder}/${name}: name it ${name.replace(/^.*-(api|service|model|errors)\.ts$/, '$1.ts')} (one vocabulary in every service)`);
  }
  return problems;
}

const SERVICES = path.join(__dirname, '..', '..', 'src', 'services');

function serviceFolders(): string[] {
  return fs.readdirSync(SERVICES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

describe('the file vocabulary of services/', () => {
  test('every service folder has model.ts, service.ts, api.ts and errors.ts, or is a listed exception', () => {
    // GIVEN every folder under services/
    const folders = serviceFolders();
    expect(folders).toEqual(expect.arrayContaining(['lambda', 'logs', 'sns', 'events', 'cloudwatch', 'iam', 's3']));
    // WHEN its files are checked against the vocabulary
    const problems = folders.flatMap((folder) => vocabularyProblems(folder, fs.readdirSync(path.join(SERVICES, folder))));
    // THEN nothing is missing or named the old way
    expect(problems).toEqual([]);
  });

  test('an exception lists only files the folder really lacks (aligned folders leave the list)', () => {
    // a listed file that exists means the folder was aligned: take it off the list
    const stale = serviceFolders().filter((folder) => EXCEPTIONS[folder])
      .flatMap((folder) => EXCEPTIONS[folder].lacks.filter((f) => fs.existsSync(path.join(SERVICES, folder, f))).map((f) => `${folder}/${f}`));
    expect(stale).toEqual([]);
  });

  test.each([
    ['a new folder without errors.ts', 'queues', ['model.ts', 'service.ts', 'api.ts'], ['services/queues has no errors.ts']],
    ['a folder with nothing', 'kinesis', ['stream.ts'], ['model.ts', 'service.ts', 'api.ts', 'errors.ts'].map((f) => `services/kinesis has no ${f}`)],
    ['an old api file name', 'sns', ['model.ts', 'service.ts', 'errors.ts', 'sns-api.ts'],
      ['services/sns has no api.ts', 'services/sns/sns-api.ts: name it api.ts (one vocabulary in every service)']],
    ['an exception missing a file it must have', 's3', ['model.ts', 'errors.ts'], ['services/s3 has no api.ts']],
  ])('rejects %s', (_case, folder, files, expected) => {
    expect(vocabularyProblems(folder, files)).toEqual(expected);
  });

  test.each([
    ['lambda', ['model.ts', 'service.ts', 'api.ts', 'errors.ts', 'async-queue.ts']],
    ['backend', ['fauxqs.ts']],
    ['iam', ['api.ts', 'errors.ts']],
  ])('accepts %s with %p', (folder, files) => {
    expect(vocabularyProblems(folder, files)).toEqual([]);
  });
});
