#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (lib/), or the TypeScript sources through ts-node when lib/ was not built
// (a repository checkout after `npm ci`).
const fs = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'lib', 'cli.js');
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.dev.json') });
  cli = require(path.join(__dirname, '..', 'src', 'cli.ts'));
}
cli.main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`cdk-async-local: ${(e && e.stack) || e}\n`);
  process.exit(1);
});
