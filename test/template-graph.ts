import { App } from 'aws-cdk-lib';

/**
 * The dependency graph CloudFormation builds from a template: resource → the resources it
 * references through `Ref`, `Fn::GetAtt`, `Fn::Sub` (both forms, `${X}` and `${X.Attr}`) and
 * `DependsOn`. Parameters, pseudo parameters and `${!Literal}` are not resources and are skipped.
 */
export function dependencyGraph(template: any): Map<string, Set<string>> {
  const resources: Record<string, any> = template.Resources ?? {};
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const targets = new Set<string>();
    const add = (target: string) => {
      if (target in resources) {
        targets.add(target);
      }
    };
    const walk = (node: any): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
        return;
      }
      if (!node || typeof node !== 'object') {
        return;
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string') {
          add(value);
        } else if (key === 'Fn::GetAtt') {
          add(Array.isArray(value) ? String(value[0]) : String(value).split('.')[0]);
        } else if (key === 'Fn::Sub') {
          const [text, variables] = Array.isArray(value) ? value : [value, {}];
          for (const match of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const name = match[1].split('.')[0];
            if (!(variables && name in variables)) {
              add(name);
            }
          }
          walk(variables);
        } else {
          walk(value);
        }
      }
    };
    walk(resource.Properties);
    walk(resource.Metadata?.['AWS::CloudFormation::Init']);
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    dependsOn.forEach((d: string) => add(d));
    graph.set(id, targets);
  }
  return graph;
}

/** A cycle of the graph as a list of nodes (first repeated at the end), or undefined. */
export function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const next of [...graph.get(node) ?? []].sort()) {
      if (state.get(next) === 'open') {
        return [...path.slice(path.indexOf(next)), next];
      }
      if (!state.has(next)) {
        const found = visit(next);
        if (found) {
          return found;
        }
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

/**
 * The graph between the stacks of a synthesized app: a stack depends on the stacks whose exports
 * it imports (`Fn::ImportValue`) and on the stacks the assembly says it depends on.
 */
export function stackGraph(app: App): Map<string, Set<string>> {
  const assembly = app.synth();
  const exporters = new Map<string, string>();
  for (const stack of assembly.stacks) {
    for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
      const name = output.Export?.Name;
      if (typeof name === 'string') {
        exporters.set(name, stack.stackName);
      }
    }
  }
  const graph = new Map<string, Set<string>>();
  for (const stack of assembly.stacks) {
    const targets = new Set<string>(stack.dependencies.map(d => d.id).filter(id => assembly.stacks.some(s => s.stackName === id)));
    const walk = (node: any): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
      } else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Fn::ImportValue' && typeof value === 'string') {
            const exporter = exporters.get(value);
            if (exporter === undefined) {
              throw new Error(`${stack.stackName} imports ${value}, which no stack exports`);
            }
            targets.add(exporter);
          } else {
            walk(value);
          }
        }
      }
    };
    walk(stack.template.Resources);
    graph.set(stack.stackName, targets);
  }
  return graph;
}

/** Throws with the cycle when a stack's template or the stacks of the app depend on themselves. */
export function expectNoDependencyCycle(app: App): void {
  const assembly = app.synth();
  for (const stack of assembly.stacks) {
    const cycle = findCycle(dependencyGraph(stack.template));
    if (cycle) {
      throw new Error(`dependency cycle in ${stack.stackName}: ${cycle.join(' -> ')}`);
    }
  }
  const cycle = findCycle(stackGraph(app));
  if (cycle) {
    throw new Error(`stacks depend on each other: ${cycle.join(' -> ')}`);
  }
}
