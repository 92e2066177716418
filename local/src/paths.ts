import * as path from 'node:path';

/** `local/runtime/`: plain JavaScript run in child processes (same place from src/ and lib/). */
export function runtimeDir(): string {
  return path.resolve(__dirname, '..', 'runtime');
}
