import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import AdmZip from 'adm-zip';
import { CloudAssembly, FileAsset, StackArtifact, Template } from './cloud-assembly';
import { Deployer } from './deployer';
import { EngineStack, ResourceEvent, StackDeployment, StackEngine, TemplateDocument } from '../services/cloudformation/model';
import { SsmService } from '../services/ssm/service';

/** The largest zip asset read from S3 and the most it may unpack to (a zip bomb fails the deployment). */
const MAX_ASSET_ZIP = 250 * 1024 * 1024;
const MAX_ASSET_UNZIPPED = 512 * 1024 * 1024;

export interface TemplateStacksOptions {
  readonly deployer: Deployer;
  /** the local S3 (function code the CLI uploaded) */
  readonly s3: S3Client;
  readonly accountId: string;
  readonly region: string;
  /** the Parameter Store (`AWS::SSM::Parameter`) */
  readonly ssm: SsmService;
  /** warnings */
  readonly log: (line: string) => void;
  /** scratch directory: code assets unpacked from S3 */
  readonly workDir: string;
}

/**
 * The {@link StackEngine} the CloudFormation API drives, over the assembly deployer: a template
 * (with its parameter values) deployed as a one-stack assembly whose `Code.S3Key` function code is
 * read from the local S3 and unpacked.
 */
export class TemplateStacks implements StackEngine {
  private readonly templates = new Map<string, TemplateDocument>();
  /** the SSM parameters each stack made */
  private readonly parameterNames = new Map<string, Set<string>>();

  constructor(private readonly o: TemplateStacksOptions) {}

  /** Remembers the templates of stacks deployed from an assembly (GetTemplate, change sets against them). */
  public remember(assembly: CloudAssembly): void {
    for (const s of assembly.stacks) this.templates.set(s.stackName, s.template as TemplateDocument);
  }

  public stacks(): EngineStack[] {
    return this.o.deployer.stacks.map((s) => ({ ...s, template: this.templates.get(s.name) ?? { Resources: {} } }));
  }

  public async deploy(d: StackDeployment): Promise<EngineStack> {
    const before = this.o.deployer.stacks.find((s) => s.name === d.stackName);
    const template = withParameterValues(d.template, d.parameters);
    const artifact: StackArtifact = {
      artifactId: d.stackName,
      stackName: d.stackName,
      template: template as Template,
      templateFile: `${d.stackName}.template.json`,
      dependencies: [],
      assets: await this.codeAssets(d.stackName, template, d.parameters),
    };
    const oldResources = new Map((before?.resources ?? []).map((r) => [r.logicalId, r]));
    const resources: Record<string, any> = template.Resources ?? {};
    const oldTemplate = this.templates.get(d.stackName);
    const changed = (id: string) => !before || !oldResources.has(id)
      || JSON.stringify(oldTemplate?.Resources?.[id]) !== JSON.stringify(resources[id]);
    try {
      await this.o.deployer.deploy({ directory: this.o.workDir, stacks: [artifact] });
    } catch (e) {
      const failed = /^stack \S+ failed to \w+: (\S+) \((\S+)\) (\w+_FAILED): ([\s\S]*)$/.exec((e as Error).message);
      if (failed) d.onResourceEvent({ logicalId: failed[1], type: failed[2], status: failed[3], reason: failed[4] });
      throw e;
    }
    this.templates.set(d.stackName, d.template);
    this.putParameters(d.stackName, template, d.parameters);
    const after = this.o.deployer.stacks.find((s) => s.name === d.stackName)!;
    // the deployer reports no progress: each resource's events, once it is done
    for (const r of after.resources) {
      const old = oldResources.get(r.logicalId);
      if (old && !changed(r.logicalId) && old.physicalId === r.physicalId) continue;
      const status = old ? 'UPDATE' : 'CREATE';
      const event = (s: string): ResourceEvent => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, status: `${status}_${s}` });
      d.onResourceEvent(event('IN_PROGRESS'));
      d.onResourceEvent(event('COMPLETE'));
    }
    for (const r of oldResources.values()) {
      if (after.resources.some((x) => x.logicalId === r.logicalId)) continue;
      d.onResourceEvent({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, status: 'DELETE_IN_PROGRESS' });
      d.onResourceEvent({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, status: 'DELETE_COMPLETE' });
    }
    return { ...after, template: d.template };
  }

  public async delete(stackName: string, onResourceEvent: (e: ResourceEvent) => void): Promise<void> {
    const before = this.o.deployer.stacks.find((s) => s.name === stackName);
    try {
      await this.o.deployer.destroy([stackName]);
    } catch (e) {
      const failed = /^stack \S+ failed to delete: (\S+) \((\S+)\) DELETE_FAILED: ([\s\S]*)$/.exec((e as Error).message);
      if (failed) onResourceEvent({ logicalId: failed[1], type: failed[2], status: 'DELETE_FAILED', reason: failed[3] });
      throw e;
    }
    for (const r of [...(before?.resources ?? [])].reverse()) {
      onResourceEvent({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, status: 'DELETE_COMPLETE' });
    }
    this.deleteParameters(stackName);
    this.templates.delete(stackName);
  }

  /**
   * `AWS::SSM::Parameter` resources (the CDK bootstrap version): their values in the local
   * Parameter Store, those the stack no longer has deleted.
   */
  private putParameters(stackName: string, template: TemplateDocument, parameters: Readonly<Record<string, string>>): void {
    const names = new Set<string>();
    for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r?.Type !== 'AWS::SSM::Parameter') continue;
      const name = this.literal(r.Properties?.Name, parameters);
      const value = this.literal(r.Properties?.Value, parameters);
      if (!name || value === undefined) {
        this.o.log(`warning: stack ${stackName}: ${id} (AWS::SSM::Parameter): Name and Value must be strings, parameters or Fn::Sub of them here; not stored`);
        continue;
      }
      this.o.ssm.put({ name, value, type: r.Properties?.Type ?? 'String', overwrite: true, description: r.Properties?.Description });
      names.add(name);
    }
    for (const old of this.parameterNames.get(stackName) ?? []) if (!names.has(old) && this.o.ssm.has(old)) this.o.ssm.delete(old);
    this.parameterNames.set(stackName, names);
  }

  private deleteParameters(stackName: string): void {
    for (const name of this.parameterNames.get(stackName) ?? []) if (this.o.ssm.has(name)) this.o.ssm.delete(name);
    this.parameterNames.delete(stackName);
  }

  /**
   * The function code of the template that is in the local S3 (`Code.S3Bucket` / `Code.S3Key`, as
   * `cdk deploy` publishes file assets), unpacked, by S3 key.
   */
  private async codeAssets(stackName: string, template: TemplateDocument,
    parameters: Readonly<Record<string, string>>): Promise<Map<string, FileAsset>> {
    const assets = new Map<string, FileAsset>();
    for (const r of Object.values<any>(template.Resources ?? {})) {
      if (r?.Type !== 'AWS::Lambda::Function') continue;
      const code = r.Properties?.Code;
      const bucket = this.literal(code?.S3Bucket, parameters);
      const key = this.literal(code?.S3Key, parameters);
      if (!bucket || !key || assets.has(key)) continue;
      const dir = path.join(this.o.workDir, 's3-assets', safeSegment(bucket), safeSegment(key));
      if (!fs.existsSync(dir)) {
        const zip = await this.readObject(bucket, key);
        if (!zip) continue; // the deployer then names the code that is not there
        unzipTo(zip, dir, `${stackName}: s3://${bucket}/${key}`);
      }
      assets.set(key, { hash: key.replace(/\.zip$/, ''), path: dir, packaging: 'zip' });
    }
    return assets;
  }

  private async readObject(bucket: string, key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.o.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if ((out.ContentLength ?? 0) > MAX_ASSET_ZIP) throw new Error(`code asset s3://${bucket}/${key} is larger than ${MAX_ASSET_ZIP} bytes`);
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (e) {
      if ((e as Error).name === 'NoSuchKey' || (e as Error).name === 'NoSuchBucket') return undefined;
      throw e;
    }
  }

  /** A string, a parameter `Ref` or an `Fn::Sub` of pseudo parameters and parameters; else undefined. */
  private literal(v: unknown, parameters: Readonly<Record<string, string>>): string | undefined {
    if (typeof v === 'string') return v;
    const vars: Record<string, string> = {
      ...parameters, 'AWS::AccountId': this.o.accountId, 'AWS::Region': this.o.region, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com',
    };
    const ref = (v as any)?.Ref;
    if (typeof ref === 'string') return vars[ref];
    const sub = (v as any)?.['Fn::Sub'];
    if (typeof sub === 'string') {
      let ok = true;
      const out = sub.replace(/\$\{([^}]+)\}/g, (_m, name: string) => vars[name] ?? ((ok = false), ''));
      return ok ? out : undefined;
    }
    return undefined;
  }
}

/** The template with each parameter's value as its default (SSM parameter types already resolved: plain strings). */
function withParameterValues(template: TemplateDocument, values: Readonly<Record<string, string>>): TemplateDocument {
  const parameters: Record<string, any> = {};
  for (const [k, p] of Object.entries<any>(template.Parameters ?? {})) {
    const type = /^AWS::SSM::Parameter::Value<List<|^AWS::SSM::Parameter::Value<CommaDelimitedList>/.test(String(p?.Type)) ? 'CommaDelimitedList'
      : String(p?.Type).startsWith('AWS::SSM::Parameter::Value<') ? 'String' : p?.Type;
    parameters[k] = { ...p, Type: type, Default: values[k] ?? p?.Default };
  }
  return { ...template, Parameters: parameters };
}

/** A path segment from an S3 bucket or key: only `[A-Za-z0-9._-]`, never `..`. */
function safeSegment(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

/** Unpacks a zip under `dir`; an entry that would land outside it, or too much data, fails with the reason. */
function unzipTo(zip: Buffer, dir: string, what: string): void {
  let archive: AdmZip;
  try {
    archive = new AdmZip(zip);
  } catch (e) {
    throw new Error(`code asset ${what} is not a zip file: ${(e as Error).message}`);
  }
  const root = path.resolve(dir);
  let total = 0;
  const tmp = `${root}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const entry of archive.getEntries()) {
    const target = path.resolve(tmp, entry.entryName);
    if (!target.startsWith(`${path.resolve(tmp)}${path.sep}`)) throw new Error(`code asset ${what}: entry ${entry.entryName} is outside the archive`);
    if (entry.isDirectory) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    total += entry.header.size;
    if (total > MAX_ASSET_UNZIPPED) throw new Error(`code asset ${what} unpacks to more than ${MAX_ASSET_UNZIPPED} bytes`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.getData());
  }
  fs.mkdirSync(tmp, { recursive: true });
  fs.renameSync(tmp, root);
}
