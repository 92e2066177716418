import { Annotations, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { functionRef } from './function-target';
import { Outcome } from './outcome';
import { display, functionRefOf, FunctionRef, l2Path, qualifierOf, referencesIn } from './resolve';

/** One asynchronous invocation config made by this library. */
export interface ConfigRecord {
  /** The AsyncInvocation construct: errors and warnings are reported on it. */
  readonly invocation: IConstruct;
  /** Its EventInvokeConfig. */
  readonly resource: lambda.CfnEventInvokeConfig;
  /** The function, version or alias the user passed, for messages. */
  readonly functionPath: string;
  /** The qualifier, for messages. */
  readonly qualifier: string;
  /** Function destinations that do not appear in the config (responseOnly goes through a bus). */
  readonly indirectDestinations: Array<{ readonly outcome: Outcome; readonly destination: lambda.IFunction }>;
  /** Outcomes whose function grant went to a policy of its own (to keep the template free of cycles). */
  readonly ownPolicyOutcomes: Set<Outcome>;
}

/** A warning found at synth, with the id users acknowledge it by. */
export interface Finding {
  readonly errors: string[];
  readonly warnings: Array<{ readonly id: string; readonly message: string }>;
}

interface Edge {
  readonly from: FunctionRef;
  readonly to: FunctionRef;
  readonly outcome: Outcome;
  /** Where the grant that lets `from` deliver to `to` lives: its role's default policy, a policy of its own, or none needed. */
  readonly placement: 'default' | 'own' | 'none';
  readonly record?: ConfigRecord;
}

interface StackEdge {
  readonly from: Stack;
  readonly to: Stack;
  readonly why: string;
}

/** What this library knows about one app: its configs, function-grant references and cross-stack references. */
class AppRegistry {
  public readonly records: ConfigRecord[] = [];
  private readonly byResource = new Map<lambda.CfnEventInvokeConfig, ConfigRecord>();
  /** `from` key → `to` keys: the default policy of `from`'s role names `to`. */
  private readonly policyEdges = new Map<string, Set<string>>();
  private readonly stackEdges: StackEdge[] = [];
  private cache?: { readonly size: number; readonly findings: Map<ConfigRecord, Finding> };

  constructor(private readonly root: IConstruct) {}

  public register(record: ConfigRecord): void {
    this.records.push(record);
    this.byResource.set(record.resource, record);
  }

  /**
   * Rejects a second configuration of this library on the same function and qualifier at once
   * (configurations made other ways are found at synth, when every construct exists).
   */
  public claimQualifier(record: ConfigRecord): void {
    const key = configKey(record.resource);
    const existing = key && this.records.find(r => r !== record && configKey(r.resource) === key);
    if (existing) {
      throw validationError(record.invocation, `qualifier ${record.qualifier} of ${record.functionPath} already has an asynchronous invocation config: ${existing.invocation.node.path}`);
    }
  }

  /**
   * Whether a grant in `from`'s default policy naming `to` would close a cycle of such grants:
   * ours, and those aws-cdk-lib's LambdaDestination already put in default policies.
   */
  public wouldCloseGrantCycle(from: string, to: string): boolean {
    const native = this.nativeGrantEdges();
    const seen = new Set<string>();
    const stack = [to];
    while (stack.length > 0) {
      const key = stack.pop()!;
      if (key === from) {
        return true;
      }
      if (!seen.has(key)) {
        seen.add(key);
        stack.push(...this.policyEdges.get(key) ?? [], ...native.get(key) ?? []);
      }
    }
    return false;
  }

  /** Function destinations of configs made with aws-cdk-lib so far: their grants are in the default policy. */
  private nativeGrantEdges(): Map<string, Set<string>> {
    const edges = new Map<string, Set<string>>();
    for (const cfn of this.root.node.findAll()) {
      if (!(cfn instanceof lambda.CfnEventInvokeConfig) || this.byResource.has(cfn)) {
        continue;
      }
      const from = functionRefOf(cfn, cfn.functionName);
      for (const outcome of ['Success', 'Failure'] as Outcome[]) {
        const target = (cfn.destinationConfig as any)?.[`on${outcome}`]?.destination;
        const to = from && target && functionRefOf(cfn, target);
        if (to) {
          edges.set(from.key, new Set([...edges.get(from.key) ?? [], to.key]));
        }
      }
    }
    return edges;
  }

  public addGrantEdge(from: string, to: string): void {
    const targets = this.policyEdges.get(from) ?? new Set<string>();
    targets.add(to);
    this.policyEdges.set(from, targets);
  }

  /**
   * Records that `consumer`'s template references what `values` reference, and rejects, with
   * our message, a reference that would make two stacks depend on each other (CDK would fail
   * later with a message that names neither config).
   */
  public addStackReferences(reporter: IConstruct, consumer: IConstruct, values: unknown[], why: string): void {
    const from = Stack.of(consumer);
    const targets = new Set<Stack>();
    for (const value of values) {
      for (const ref of referencesIn(consumer, value)) {
        const to = Stack.isStack(ref.target) ? ref.target : Stack.of(ref.target);
        targets.add(to);
      }
    }
    for (const to of targets) {
      this.addStackDependency(reporter, from, to, why);
    }
  }

  /** Records that stack `from` depends on stack `to` (see addStackReferences). */
  public addStackDependency(reporter: IConstruct, from: Stack, to: Stack, why: string): void {
    if (from === to || from.nested || to.nested) {
      return;
    }
    const back = this.stackPath(to, from);
    if (back) {
      throw validationError(reporter, `${why} makes stack ${from.node.path} depend on stack ${to.node.path}, which already depends on it ` +
        `(${back.join('; ')}); two stacks cannot reference each other. Put these functions and destinations in one stack, or give ` +
        `the functions literal names and import them with Function.fromFunctionName in the other stack, got ${from.node.path} ⇄ ${to.node.path}`);
    }
    this.stackEdges.push({ from, to, why });
  }

  /** The reasons along a chain of stack dependencies from `from` to `to`, if any. */
  private stackPath(from: Stack, to: Stack): string[] | undefined {
    const seen = new Set<Stack>();
    const search = (stack: Stack): string[] | undefined => {
      if (stack === to) {
        return [];
      }
      if (seen.has(stack)) {
        return undefined;
      }
      seen.add(stack);
      const next: Array<{ to: Stack; why: string }> = [
        ...this.stackEdges.filter(e => e.from === stack),
        ...stack.dependencies.map(d => ({ to: d, why: `${stack.node.path}.addDependency(${d.node.path})` })),
      ];
      for (const edge of next) {
        const rest = search(edge.to);
        if (rest) {
          return [edge.why, ...rest];
        }
      }
      return undefined;
    };
    return search(from);
  }

  /** The errors and warnings of one config, from an analysis of every EventInvokeConfig in the app. */
  public findings(record: ConfigRecord): Finding {
    const size = this.root.node.findAll().length;
    if (!this.cache || this.cache.size !== size) {
      this.cache = { size, findings: this.analyze() };
    }
    return this.cache.findings.get(record) ?? { errors: [], warnings: [] };
  }

  private analyze(): Map<ConfigRecord, Finding> {
    const findings = new Map<ConfigRecord, Finding>();
    const findingOf = (record: ConfigRecord) => {
      const finding = findings.get(record) ?? { errors: [], warnings: [] };
      findings.set(record, finding);
      return finding;
    };
    const configs = this.root.node.findAll().filter((c): c is lambda.CfnEventInvokeConfig => c instanceof lambda.CfnEventInvokeConfig);

    // Class 3: one configuration per function and qualifier, however it was made.
    const byKey = new Map<string, lambda.CfnEventInvokeConfig[]>();
    for (const cfn of configs) {
      const key = configKey(cfn);
      if (key) {
        byKey.set(key, [...byKey.get(key) ?? [], cfn]);
      }
    }
    for (const group of byKey.values()) {
      for (const cfn of group) {
        const record = this.byResource.get(cfn);
        const others = group.filter(o => o !== cfn && !this.byResource.has(o));
        if (!record || others.length === 0) {
          continue;
        }
        const fn = functionRefOf(cfn, cfn.functionName)!;
        findingOf(record).errors.push(`qualifier ${display(cfn, record.qualifier)} of ${record.functionPath} is also configured by ` +
          `${others.map(l2Path).join(', ')} (configureAsyncInvoke, the function's onSuccess/onFailure/retryAttempts/maxEventAge, ` +
          `EventInvokeConfig or CfnEventInvokeConfig): both resolve to function ${fn.display}, qualifier ${display(cfn, cfn.qualifier)}, ` +
          'and Lambda keeps one configuration per qualifier (ResourceConflictException at deploy); keep one');
      }
    }

    // Class 1: loops of function destinations, across the app.
    const edges: Edge[] = [];
    for (const cfn of configs) {
      const from = functionRefOf(cfn, cfn.functionName);
      if (!from) {
        continue;
      }
      const record = this.byResource.get(cfn);
      const destinationConfig = cfn.destinationConfig as lambda.CfnEventInvokeConfig.DestinationConfigProperty | undefined;
      for (const outcome of ['Success', 'Failure'] as Outcome[]) {
        const target = (destinationConfig as any)?.[`on${outcome}`]?.destination;
        const to = target && functionRefOf(cfn, target);
        if (to) {
          edges.push({ from, to, outcome, record, placement: record?.ownPolicyOutcomes.has(outcome) ? 'own' : 'default' });
        }
      }
      for (const indirect of record?.indirectDestinations ?? []) {
        edges.push({ from, to: functionRef(indirect.destination), outcome: indirect.outcome, record, placement: 'none' });
      }
    }
    const ours = (cycle: Edge[]) => cycle.map(e => e.record).filter((r): r is ConfigRecord => r !== undefined)
      .sort((a, b) => a.invocation.node.path.localeCompare(b.invocation.node.path))[0];
    // the cycle as the reported config sees it: starting with its own function
    const describeCycle = (cycle: Edge[], record: ConfigRecord) => {
      const start = Math.max(0, cycle.findIndex(e => e.record === record));
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      return [rotated[0].from.display, ...rotated.map(e => `(on${e.outcome}) ${e.to.display}`)].join(' → ');
    };

    for (const cycle of cycles(edges.filter(e => e.outcome === 'Success'))) {
      const record = ours(cycle);
      if (record) {
        findingOf(record).errors.push('onSuccess destinations form a loop: every successful event is passed on around it until ' +
          `Lambda's recursive loop detection stops it (after about 16 calls); break the loop, got ${describeCycle(cycle, record)}`);
      }
    }
    for (const cycle of cycles(edges, e => e.outcome === 'Failure')) {
      const record = ours(cycle);
      if (record) {
        findingOf(record).warnings.push({
          id: 'cdk-async-lambda:destinationLoop',
          message: 'destinations form a loop through onFailure: records go around it for as long as the functions keep failing. ' +
            `Make sure this is intended, got ${describeCycle(cycle, record)}`,
        });
      }
    }
    for (const cycle of cycles(edges.filter(e => e.placement === 'default'))) {
      const record = ours(cycle);
      if (record) {
        findingOf(record).errors.push('the execution roles\' default policies would name each other\'s functions, a CloudFormation ' +
          'dependency cycle: configure the other functions of this loop with AsyncInvocation too (it keeps its grants out of such ' +
          `cycles), got ${describeCycle(cycle, record)}`);
      }
    }
    return findings;
  }
}

/** `<function key>|<qualifier key>` of an EventInvokeConfig, or undefined when the function cannot be told. */
function configKey(cfn: lambda.CfnEventInvokeConfig): string | undefined {
  const fn = functionRefOf(cfn, cfn.functionName);
  return fn && `${fn.key}|${qualifierOf(cfn, cfn.qualifier)}`;
}

/**
 * One cycle per strongly connected component of the graph (Tarjan), as a list of edges; with
 * `through`, only cycles that contain an edge matching it, one per component.
 */
function cycles(edges: Edge[], through?: (e: Edge) => boolean): Edge[][] {
  const out = new Map<string, Edge[]>();
  for (const e of edges) {
    out.set(e.from.key, [...out.get(e.from.key) ?? [], e]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const e of out.get(v) ?? []) {
      const w = e.to.key;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const key of [...out.keys()].sort()) {
    if (!index.has(key)) {
      connect(key);
    }
  }

  const result: Edge[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const inside = edges.filter(e => members.has(e.from.key) && members.has(e.to.key));
    const start = inside.find(e => (through ? through(e) : true));
    if (!start) {
      continue;
    }
    // the shortest path back from start.to to start.from, inside the component
    const path = shortestPath(inside, start.to.key, start.from.key);
    if (path) {
      result.push([start, ...path]);
    }
  }
  return result;
}

function shortestPath(edges: Edge[], from: string, to: string): Edge[] | undefined {
  if (from === to) {
    return [];
  }
  const previous = new Map<string, Edge>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const e of edges.filter(x => x.from.key === v)) {
      if (seen.has(e.to.key)) {
        continue;
      }
      seen.add(e.to.key);
      previous.set(e.to.key, e);
      if (e.to.key === to) {
        const path: Edge[] = [];
        let key = to;
        while (key !== from) {
          const edge = previous.get(key)!;
          path.unshift(edge);
          key = edge.from.key;
        }
        return path;
      }
      queue.push(e.to.key);
    }
  }
  return undefined;
}

const registries = new WeakMap<IConstruct, AppRegistry>();

/** The registry of the app `scope` belongs to. */
export function registryOf(scope: IConstruct): AppRegistry {
  const root = scope.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new AppRegistry(root);
    registries.set(root, registry);
  }
  return registry;
}

/** Adds the synth-time checks of one config: errors fail synth, warnings are added then. */
export function addSynthChecks(record: ConfigRecord): void {
  const registry = registryOf(record.invocation);
  record.invocation.node.addValidation({
    validate: () => {
      const finding = registry.findings(record);
      for (const warning of finding.warnings) {
        // On the config's resource, not on the AsyncInvocation itself: aws-cdk-lib 2.245 checks an
        // acknowledgement made before the warning only on the ancestors of the construct it is added
        // to (Acknowledgements.searchPaths leaves out the construct's own path), so users who call
        // Annotations.of(asyncInvocation).acknowledgeWarning(id) before synth would still see it.
        Annotations.of(record.resource).addWarningV2(warning.id, warning.message);
      }
      return finding.errors;
    },
  });
}
