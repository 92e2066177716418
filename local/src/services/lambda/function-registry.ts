import { EventInvokeConfig, LambdaFunction } from './model';
import { LambdaPermissions } from './permissions';

/** The functions deployed, found by name or ARN, with their resource-based policies. */
export class FunctionRegistry {
  public readonly functions = new Map<string, LambdaFunction>();
  /** resource-based policies (`AWS::Lambda::Permission`) */
  public readonly permissions = new LambdaPermissions();

  public add(fn: LambdaFunction): void {
    this.functions.set(fn.name, fn);
  }

  /** DeleteFunction: the function is gone at once; its handler processes are stopped. */
  public async remove(name: string): Promise<void> {
    const fn = this.functions.get(name);
    if (!fn) return;
    this.functions.delete(name);
    this.permissions.removeFunction(name);
    await fn.pool.stop();
  }

  /** Finds a function by name, ARN or partial ARN, with an optional qualifier suffix. */
  public lookup(nameOrArn: string): { fn?: LambdaFunction; qualifier?: string } {
    let name = nameOrArn;
    let qualifier: string | undefined;
    const m = /^(?:arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:|\d{12}:function:)?([^:]+)(?::(.+))?$/.exec(nameOrArn);
    if (m) {
      name = m[1];
      qualifier = m[2];
    }
    return { fn: this.functions.get(name), qualifier };
  }

  public qualifiedArn(fn: LambdaFunction, qualifier: string): string {
    return `${fn.arn}:${qualifier}`;
  }

  /** The ARN an invoker used: a qualified one names its version or alias, an unqualified one runs `$LATEST`. */
  public invokedArn(fn: LambdaFunction, qualifier: string | undefined): string {
    return qualifier === undefined ? fn.arn : this.qualifiedArn(fn, qualifier);
  }

  public config(fn: LambdaFunction, qualifier: string): EventInvokeConfig | undefined {
    return fn.eventInvokeConfigs.get(qualifier);
  }

  /** Live handler process ids, across all functions. */
  public pids(): number[] {
    return [...this.functions.values()].flatMap((fn) => fn.pool.pids());
  }

  /** Stops the handler processes of every function. */
  public async stopAll(): Promise<void> {
    await Promise.all([...this.functions.values()].map((fn) => fn.pool.stop()));
  }
}
