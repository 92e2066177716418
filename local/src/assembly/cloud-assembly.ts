import * as fs from 'node:fs';
import * as path from 'node:path';

/** A CloudFormation template as synthesized by the CDK (only the parts the local cloud reads). */
export interface Template {
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; Condition?: string; Description?: string }>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
  /** `Delete` (default), `Retain`, `RetainExceptOnCreate` or `Snapshot` */
  readonly DeletionPolicy?: string;
  /** what happens to the old resource when an update replaces it; values as DeletionPolicy */
  readonly UpdateReplacePolicy?: string;
}

/** One file asset of a stack: where its content is in the assembly directory. */
export interface FileAsset {
  readonly hash: string;
  /** absolute path of the asset directory or file */
  readonly path: string;
  readonly packaging: 'zip' | 'file';
}

export interface StackArtifact {
  readonly artifactId: string;
  readonly stackName: string;
  readonly template: Template;
  readonly templateFile: string;
  readonly region?: string;
  readonly account?: string;
  /** artifact ids of the stacks this one depends on */
  readonly dependencies: string[];
  /** file assets by S3 object key (`<hash>.zip`) and by hash */
  readonly assets: Map<string, FileAsset>;
}

export interface CloudAssembly {
  readonly directory: string;
  /** stacks in deployment order (dependencies first) */
  readonly stacks: StackArtifact[];
}

/** A cloud assembly that cannot be read: the message says what and where. */
export class AssemblyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyError';
  }
}

function readJson(file: string, what: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AssemblyError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AssemblyError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads a cloud assembly directory (`cdk.out`): manifest.json, every stack's template and asset
 * manifest, nested assemblies (stages) included. Stacks come back in dependency order.
 */
export function readCloudAssembly(directory: string): CloudAssembly {
  const dir = path.resolve(directory);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new AssemblyError(`${dir} is not a cloud assembly: manifest.json not found (run \`npx cdk synth\` first)`);
  }
  const stacks: StackArtifact[] = [];
  collectStacks(dir, dir, stacks);
  if (stacks.length === 0) {
    throw new AssemblyError(`cloud assembly ${dir} has no CloudFormation stacks`);
  }
  return { directory: dir, stacks: orderStacks(stacks) };
}

/** A path named by the assembly, which must stay inside the assembly directory `root`. */
function inside(root: string, dir: string, relative: unknown, what: string): string {
  if (typeof relative !== 'string' || relative === '') throw new AssemblyError(`${what}: the path must be a non-empty string, got ${JSON.stringify(relative)}`);
  const full = path.resolve(dir, relative);
  const rel = path.relative(root, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new AssemblyError(`${what}: ${relative} is outside the cloud assembly ${root}`);
  return full;
}

/** CloudFormation's rule for stack names (they also name generated resources and directories here). */
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/**
 * A template CloudFormation would refuse, as it says it: an object with `Resources` an object of
 * objects that each have a `Type`.
 */
function checkTemplate(stackName: string, template: unknown, file: string): Template {
  const problem = (text: string) => new AssemblyError(`stack ${stackName}: Template format error: ${text} (${file})`);
  if (!template || typeof template !== 'object' || Array.isArray(template)) throw problem('the template must be a JSON object');
  const t = template as Record<string, unknown>;
  if ('Resources' in t) {
    const resources = t.Resources;
    if (!resources || typeof resources !== 'object' || Array.isArray(resources)) throw problem('Resources must be an object of resources');
    for (const [id, r] of Object.entries(resources)) {
      if (!r || typeof r !== 'object' || Array.isArray(r)) throw problem(`[/Resources/${id}] the resource must be an object`);
      const res = r as Record<string, unknown>;
      if (typeof res.Type !== 'string' || !res.Type) throw problem(`[/Resources/${id}] Every Resources object must contain a Type member.`);
      if (res.Properties !== undefined && (!res.Properties || typeof res.Properties !== 'object' || Array.isArray(res.Properties))) {
        throw problem(`[/Resources/${id}/Properties] Properties must be an object`);
      }
      const dependsOn = res.DependsOn === undefined ? [] : [res.DependsOn].flat();
      if (dependsOn.some((d) => typeof d !== 'string')) throw problem(`[/Resources/${id}/DependsOn] DependsOn must be a logical id or a list of them`);
    }
  }
  for (const section of ['Parameters', 'Conditions', 'Outputs']) {
    const v = t[section];
    if (v !== undefined && (!v || typeof v !== 'object' || Array.isArray(v))) throw problem(`${section} must be an object`);
  }
  return template as Template;
}

function collectStacks(root: string, dir: string, into: StackArtifact[]): void {
  const manifest = readJson(path.join(dir, 'manifest.json'), 'cloud assembly manifest');
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) throw new AssemblyError(`cloud assembly manifest ${path.join(dir, 'manifest.json')} is not a JSON object`);
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!artifact || typeof artifact !== 'object') continue;
    if (artifact.type === 'cdk:cloud-assembly') {
      collectStacks(root, inside(root, dir, artifact.properties?.directoryName, `nested assembly ${id}`), into);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const props = artifact.properties ?? {};
    const stackName = props.stackName ?? id;
    if (typeof stackName !== 'string' || !STACK_NAME.test(stackName)) {
      throw new AssemblyError(`stack ${id}: 1 validation error detected: Value '${stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* (at most 128 characters)`);
    }
    if (props.templateFile === undefined) throw new AssemblyError(`stack ${stackName}: the manifest gives no properties.templateFile for artifact ${id}`);
    const templateFile = inside(root, dir, props.templateFile, `stack ${stackName}: templateFile`);
    const template = checkTemplate(stackName, readJson(templateFile, `template of stack ${id}`), templateFile);
    const assets = new Map<string, FileAsset>();
    for (const depId of artifact.dependencies ?? []) {
      const dep = artifacts[depId];
      if (dep?.type === 'cdk:asset-manifest') {
        const am = readJson(inside(root, dir, dep.properties?.file, `asset manifest of stack ${stackName}`), `asset manifest of stack ${id}`);
        for (const [hash, file] of Object.entries<any>(am?.files ?? {})) {
          if (file?.source?.path === undefined) continue; // built by an executable: nothing to run here
          const asset: FileAsset = {
            hash,
            path: inside(root, dir, file?.source?.path, `stack ${stackName}: asset ${hash}`),
            packaging: file.source.packaging === 'zip' ? 'zip' : 'file',
          };
          assets.set(hash, asset);
          for (const dest of Object.values<any>(file.destinations ?? {})) {
            if (dest?.objectKey) assets.set(dest.objectKey, asset);
          }
        }
      }
    }
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(typeof artifact.environment === 'string' ? artifact.environment : '');
    into.push({
      artifactId: id,
      stackName,
      template,
      templateFile,
      account: env && !env[1].startsWith('unknown') ? env[1] : undefined,
      region: env && !env[2].startsWith('unknown') ? env[2] : undefined,
      dependencies: [artifact.dependencies ?? []].flat().filter((d: string) => artifacts[d]?.type === 'aws:cloudformation:stack'),
      assets,
    });
  }
}

function orderStacks(stacks: StackArtifact[]): StackArtifact[] {
  const byId = new Map(stacks.map((s) => [s.artifactId, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: StackArtifact[] = [];
  const visit = (s: StackArtifact) => {
    if (done.has(s.artifactId)) return;
    if (visiting.has(s.artifactId)) throw new AssemblyError(`stack dependency cycle through ${s.artifactId}`);
    visiting.add(s.artifactId);
    for (const d of s.dependencies) {
      const dep = byId.get(d);
      if (dep) visit(dep);
    }
    visiting.delete(s.artifactId);
    done.add(s.artifactId);
    out.push(s);
  };
  stacks.forEach(visit);
  return out;
}

/** Logical ids referenced by a template fragment (Ref, Fn::GetAtt, ${X} in Fn::Sub). */
export function referencedLogicalIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedLogicalIds(v, into));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') {
        into.add(v);
      } else if (k === 'Fn::GetAtt') {
        const target = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof target === 'string') into.add(target);
      } else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) into.add(m[1].split('.')[0]);
        }
        if (Array.isArray(v)) referencedLogicalIds(v[1], into);
      } else {
        referencedLogicalIds(v, into);
      }
    }
  }
  return into;
}

/** Resource logical ids of one template in creation order (Ref, GetAtt, Sub and DependsOn edges). */
export function resourceOrder(stackName: string, template: Template): string[] {
  const resources = template.Resources ?? {};
  const ids = Object.keys(resources);
  const deps = new Map<string, string[]>();
  for (const id of ids) {
    const r = resources[id];
    const refs = referencedLogicalIds(r.Properties ?? {});
    for (const d of [r.DependsOn ?? []].flat()) refs.add(d);
    // a resource that refers to itself is a cycle too (CloudFormation: Circular dependency between resources)
    deps.set(id, [...refs].filter((x) => Object.prototype.hasOwnProperty.call(resources, x)));
  }
  const out: string[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) {
      throw new AssemblyError(`stack ${stackName}: circular dependency between resources ${[...trail, id].join(' -> ')}`);
    }
    state.set(id, 1);
    for (const d of deps.get(id)!) visit(d, [...trail, id]);
    state.set(id, 2);
    out.push(id);
  };
  ids.forEach((id) => visit(id, []));
  return out;
}
