/** What IAM (or S3, for a bucket policy) says of a parsed policy document it would refuse, or undefined: an object with statements, each with an Effect. */
export function policyDocumentProblem(doc: unknown): string | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'Syntax errors in policy.';
  const statement = (doc as Record<string, unknown>).Statement;
  if (statement === undefined) return 'Missing required field Statement';
  const statements = Array.isArray(statement) ? statement : [statement];
  if (statements.length === 0 || statements.some((s) => !s || typeof s !== 'object' || Array.isArray(s))) return 'Syntax errors in policy.';
  if (statements.some((s) => s.Effect !== 'Allow' && s.Effect !== 'Deny')) return 'Missing required field Effect';
  return undefined;
}
