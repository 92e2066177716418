import { AssemblyError } from './cloud-assembly';

/** What a deployed resource answers to `Ref` and `Fn::GetAtt`. */
export interface ResolvedResource {
  readonly ref: string;
  readonly attributes: Record<string, unknown>;
}

/** Everything the resolver needs to know about one stack being deployed. */
export interface ResolveScope {
  readonly stackName: string;
  readonly stackId: string;
  readonly accountId: string;
  readonly region: string;
  readonly parameters: Record<string, unknown>;
  readonly conditions: Record<string, unknown>;
  readonly resources: Map<string, ResolvedResource>;
  /** values exported by stacks deployed earlier (Fn::ImportValue) */
  readonly exports: Map<string, unknown>;
}

/** Marks `AWS::NoValue`: properties resolving to it are removed. */
export const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves CloudFormation intrinsic functions: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::Split, Fn::If (+ Conditions: Fn::Equals/And/Or/Not, Condition), Fn::ImportValue,
 * Fn::GetAZs, Fn::Base64, pseudo parameters and parameter defaults.
 */
export class Resolver {
  private readonly conditionCache = new Map<string, boolean>();

  constructor(private readonly scope: ResolveScope) {}

  public resolve(value: unknown, where = ''): any {
    const v = this.resolveInner(value, where);
    return v === NO_VALUE ? undefined : v;
  }

  public condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    if (!(name in this.scope.conditions)) {
      throw new AssemblyError(`stack ${this.scope.stackName}: unknown condition ${name}`);
    }
    const result = Boolean(this.resolve(this.scope.conditions[name], `Conditions.${name}`));
    this.conditionCache.set(name, result);
    return result;
  }

  private pseudo(name: string): unknown {
    switch (name) {
      case 'AWS::AccountId': return this.scope.accountId;
      case 'AWS::Region': return this.scope.region;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.scope.stackName;
      case 'AWS::StackId': return this.scope.stackId;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
      default: return undefined;
    }
  }

  private ref(name: string, where: string): unknown {
    const p = this.pseudo(name);
    if (p !== undefined) return p;
    if (name in this.scope.parameters) return this.scope.parameters[name];
    const r = this.scope.resources.get(name);
    if (r) return r.ref;
    throw new AssemblyError(`stack ${this.scope.stackName}: ${where}: Ref to ${name}, which is not a parameter or a deployed resource`);
  }

  private getAtt(target: string, attribute: string, where: string): unknown {
    const r = this.scope.resources.get(target);
    if (!r) throw new AssemblyError(`stack ${this.scope.stackName}: ${where}: Fn::GetAtt on ${target}, which is not a deployed resource`);
    if (!(attribute in r.attributes)) {
      throw new AssemblyError(`stack ${this.scope.stackName}: ${where}: resource ${target} has no attribute ${attribute}`);
    }
    return r.attributes[attribute];
  }

  private resolveInner(value: unknown, where: string): any {
    if (Array.isArray(value)) {
      return value.map((v, i) => this.resolveInner(v, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
    }
    if (!value || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const obj = value as Record<string, any>;
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref': return this.ref(arg, where);
        case 'Fn::GetAtt': {
          const [target, ...rest] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(target, this.resolve(rest.join('.'), where), where);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg;
          return (this.resolve(parts, where) as unknown[]).map((p) => this.str(p, where)).join(sep);
        }
        case 'Fn::Sub': return this.sub(arg, where);
        case 'Fn::Select': {
          const index = Number(this.resolve(arg[0], where));
          const list = this.resolve(arg[1], where) as unknown[];
          if (!Array.isArray(list) || index < 0 || index >= list.length) {
            throw new AssemblyError(`stack ${this.scope.stackName}: ${where}: Fn::Select index ${index} out of range`);
          }
          return list[index];
        }
        case 'Fn::Split': return String(this.resolve(arg[1], where)).split(arg[0]);
        case 'Fn::If': {
          const [cond, a, b] = arg;
          return this.resolveInner(this.condition(cond) ? a : b, where);
        }
        case 'Fn::Equals': return JSON.stringify(this.resolve(arg[0], where)) === JSON.stringify(this.resolve(arg[1], where));
        case 'Fn::And': return (arg as unknown[]).every((c) => this.resolve(c, where));
        case 'Fn::Or': return (arg as unknown[]).some((c) => this.resolve(c, where));
        case 'Fn::Not': return !this.resolve(arg[0], where);
        case 'Condition': return typeof arg === 'string' ? this.condition(arg) : obj;
        case 'Fn::ImportValue': {
          const name = this.str(this.resolve(arg, where), where);
          if (!this.scope.exports.has(name)) {
            throw new AssemblyError(`stack ${this.scope.stackName}: ${where}: No export named ${name} found`);
          }
          return this.scope.exports.get(name);
        }
        case 'Fn::GetAZs': {
          const region = this.resolve(arg, where) || this.scope.region;
          return ['a', 'b', 'c'].map((z) => `${region}${z}`);
        }
        case 'Fn::Base64': return Buffer.from(this.str(this.resolve(arg, where), where)).toString('base64');
        default:
          if (k.startsWith('Fn::')) {
            throw new AssemblyError(`stack ${this.scope.stackName}: ${where}: intrinsic ${k} is not supported by the local cloud`);
          }
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = this.resolveInner(obj[k], where ? `${where}.${k}` : k);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  private str(v: unknown, where: string): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new AssemblyError(`stack ${this.scope.stackName}: ${where}: expected a string, got ${JSON.stringify(v)}`);
  }

  private sub(arg: unknown, where: string): string {
    const [text, vars] = Array.isArray(arg) ? [arg[0] as string, this.resolve(arg[1] ?? {}, where)] : [arg as string, {}];
    return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return '${' + name.slice(1) + '}';
      if (name in vars) return this.str(vars[name], where);
      if (name.includes('.')) {
        const [target, ...attr] = name.split('.');
        return this.str(this.getAtt(target, attr.join('.'), where), where);
      }
      const v = this.ref(name, where);
      if (v === undefined) return whole;
      return this.str(v, where);
    });
  }
}
