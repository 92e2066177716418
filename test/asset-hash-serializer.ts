/**
 * Jest snapshot serializer that replaces asset hashes (64 hex characters, optionally with a file
 * extension) with a fixed marker, so snapshots do not churn when handler code or the CDK version changes.
 */
const ASSET_HASH = /[0-9a-f]{64}(\.zip|\.json)?/g;

function containsHash(val: unknown): val is string {
  return typeof val === 'string' && new RegExp(ASSET_HASH.source).test(val);
}

module.exports = {
  test: containsHash,
  serialize: (val: string) => JSON.stringify(val.replace(ASSET_HASH, (_m, ext) => `[ASSET HASH]${ext ?? ''}`)),
};
