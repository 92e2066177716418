// fauxqs imports node:sqlite (Node >= 22.5) only for its optional persistence, which the local cloud
// never enables (state lives in memory for one run). On Node 20 that import fails at load time, so
// this resolve hook substitutes a stub whose DatabaseSync throws if anything ever tries to use it.
const STUB = 'export class DatabaseSync { constructor() { throw new Error("fauxqs persistence needs node:sqlite (Node >= 22.5); the local cloud keeps state in memory"); } }';

export async function resolve(specifier, context, next) {
  if (specifier === 'node:sqlite') {
    return { url: 'data:text/javascript,' + encodeURIComponent(STUB), shortCircuit: true, format: 'module' };
  }
  return next(specifier, context);
}
