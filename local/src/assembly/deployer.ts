import * as path from 'node:path';
import { CloudAssembly, StackArtifact } from './cloud-assembly';
import { DeployedStack } from '../services/cloudformation/model';
import { isSupportedType, providerOf } from '../stacks/providers';
import { StackAssets } from '../stacks/providers/resource-provider';
import { StackEngine, StackEngineOptions } from '../stacks/stack-engine';

/** The file assets of a stack artifact: by S3 object key (`<hash>.zip`) or hash, in the assembly directory. */
export function artifactAssets(stack: StackArtifact): StackAssets {
  return {
    path: (key) => (stack.assets.get(key) ?? stack.assets.get(key.replace(/\.zip$/, '')))?.path,
    projectDir: path.dirname(stack.templateFile),
  };
}

/**
 * Deploys every stack of a cloud assembly into the local cloud through the stack engine, in
 * dependency order, as `cdk deploy --all` does, and destroys them as `cdk destroy` does.
 */
export class Deployer {
  /** Resource types in the assembly the local cloud does not emulate (warned about once). */
  public static unsupportedTypes(assembly: CloudAssembly): string[] {
    const types = new Set<string>();
    for (const s of assembly.stacks) {
      const resources = s.template.Resources ?? {};
      for (const r of Object.values(resources)) {
        const placeholder = isSupportedType(r.Type) ? providerOf(r.Type).placeholder?.(r, resources) : r.Type;
        if (placeholder) types.add(placeholder);
      }
    }
    return [...types].sort();
  }

  public readonly engine: StackEngine;
  /** the deployed stacks (the engine's list, updated in place) */
  public readonly stacks: DeployedStack[];

  constructor(private readonly o: StackEngineOptions) {
    this.engine = new StackEngine(o);
    this.stacks = this.engine.stacks;
  }

  /**
   * Deploys every stack of the assembly in dependency order: a stack not deployed yet is created,
   * one already deployed is updated to the new template. Parameters take their defaults.
   */
  public async deploy(assembly: CloudAssembly): Promise<DeployedStack[]> {
    const unsupported = Deployer.unsupportedTypes(assembly);
    if (unsupported.length > 0) this.o.log(`warning: resource types not emulated (deployed as placeholders): ${unsupported.join(', ')}`);
    const before = this.engine.unrunnable.length;
    for (const stack of assembly.stacks) {
      await this.engine.deployStack({ stackName: stack.stackName, template: stack.template, assets: artifactAssets(stack) });
    }
    if (this.engine.unrunnable.length > before) {
      this.o.log(`warning: functions deployed whose code cannot run here (invoking them fails at init): ${this.engine.unrunnable.slice(before).join('; ')}`);
    }
    return this.stacks;
  }

  /**
   * Deletes stacks as `cdk destroy` does, dependents first (the reverse of deployment order). A
   * stack that fails to delete stops the rest: stacks it depends on are not deleted.
   * @param names stack names; @default every deployed stack
   */
  public async destroy(names?: string[]): Promise<void> {
    const order = [...this.stacks].reverse().filter((s) => !names || names.includes(s.name));
    for (const stack of order) await this.engine.deleteStack(stack.name);
  }

  /** Closes the deploy-time SDK clients. */
  public dispose(): void {
    this.engine.dispose();
  }
}
