/**
 * One statement of a function's resource-based policy, as `AWS::Lambda::Permission` (AddPermission)
 * creates it.
 */
export interface LambdaPermission {
  /** the function's name (unqualified) */
  readonly functionName: string;
  /** the version or alias the statement is attached to; undefined for the unqualified function */
  readonly qualifier?: string;
  /** e.g. `lambda:InvokeFunction`, `lambda:*` */
  readonly action: string;
  /** a service principal (`sns.amazonaws.com`), an account, an ARN or `*` */
  readonly principal: string;
  /** condition `ArnLike AWS:SourceArn` (wildcards `*` and `?`) */
  readonly sourceArn?: string;
  /** condition `StringEquals AWS:SourceAccount` */
  readonly sourceAccount?: string;
  /** the statement id (RemovePermission takes it) */
  readonly statementId?: string;
}

/** Who asks to invoke: a service principal on behalf of a resource. */
export interface ServiceInvoker {
  readonly principal: string;
  readonly sourceArn: string;
  readonly sourceAccount: string;
}

/** `*` and `?` wildcards, as IAM's `ArnLike` and action matching use them. */
function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(value);
}

/** `$LATEST` and no qualifier name the same policy. */
function normalQualifier(q: string | undefined): string | undefined {
  return q === undefined || q === '' || q === '$LATEST' ? undefined : q;
}

/**
 * Resource-based policies of the deployed functions, kept minimal: the statements that let a service
 * (e.g. SNS) invoke a function. A statement applies to the qualifier it was added on only, as on AWS.
 */
export class LambdaPermissions {
  private readonly statements: LambdaPermission[] = [];

  public add(permission: LambdaPermission): void {
    this.statements.push({ ...permission, qualifier: normalQualifier(permission.qualifier) });
  }

  /** RemovePermission. */
  public remove(statementId: string): void {
    const at = this.statements.findIndex((s) => s.statementId === statementId);
    if (at >= 0) this.statements.splice(at, 1);
  }

  /** Drops every statement of a deleted function. */
  public removeFunction(functionName: string): void {
    for (let i = this.statements.length - 1; i >= 0; i--) {
      if (this.statements[i].functionName === functionName) this.statements.splice(i, 1);
    }
  }

  /** Whether the function (at `qualifier`) lets the service principal invoke it for the source. */
  public allowsInvoke(functionName: string, qualifier: string | undefined, invoker: ServiceInvoker): boolean {
    const q = normalQualifier(qualifier);
    return this.statements.some((s) => s.functionName === functionName && s.qualifier === q
      && globMatches(s.action, 'lambda:InvokeFunction', true)
      && (s.principal === '*' || s.principal === invoker.principal)
      && (s.sourceArn === undefined || globMatches(s.sourceArn, invoker.sourceArn))
      && (s.sourceAccount === undefined || s.sourceAccount === invoker.sourceAccount));
  }
}
