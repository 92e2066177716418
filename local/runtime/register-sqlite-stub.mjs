// Loaded with `node --import` before fauxqs: see sqlite-stub-hooks.mjs.
import { register } from 'node:module';

let hasSqlite = true;
try {
  await import('node:sqlite');
} catch {
  hasSqlite = false;
}
if (!hasSqlite) register('./sqlite-stub-hooks.mjs', import.meta.url);
