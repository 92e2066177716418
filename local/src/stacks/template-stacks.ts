import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import AdmZip from 'adm-zip';
import { StackEngine } from './stack-engine';
import { CloudAssembly, Template } from '../assembly/cloud-assembly';
import {
  EngineStack, ResourceEvent, STACK_RESOURCE_TYPE, StackDeployment, StackEvent, StackEngine as CloudFormationStackEngine, TemplateDocument,
} from '../services/cloudformation/model';

/** The largest zip asset read from S3 and the most it may unpack to (a zip bomb fails the deployment). */
const MAX_ASSET_ZIP = 250 * 1024 * 1024;
const MAX_ASSET_UNZIPPED = 512 * 1024 * 1024;

export interface TemplateStacksOptions {
  readonly engine: StackEngine;
  /** the local S3 (function code the CLI uploaded) */
  readonly s3: S3Client;
  readonly accountId: string;
  readonly region: string;
  /** scratch directory: code assets unpacked from S3 */
  readonly workDir: string;
}

/**
 * The engine the CloudFormation API drives ({@link CloudFormationStackEngine}), over the stack
 * engine: a template deployed with the parameter values the change set resolved, its function
 * code (`Code.S3Bucket` / `Code.S3Key`, as `cdk deploy` publishes file assets) read from the
 * local S3 and unpacked; the engine's resource events passed on.
 */
export class TemplateStacks implements CloudFormationStackEngine {
  private readonly templates = new Map<string, TemplateDocument>();

  constructor(private readonly o: TemplateStacksOptions) {}

  /** Remembers the templates of stacks deployed from an assembly (GetTemplate, change sets against them). */
  public remember(assembly: CloudAssembly): void {
    for (const s of assembly.stacks) this.templates.set(s.stackName, s.template as TemplateDocument);
  }

  public stacks(): EngineStack[] {
    return this.o.engine.stacks.map((s) => ({ ...s, template: this.templates.get(s.name) ?? { Resources: {} } }));
  }

  public async deploy(d: StackDeployment): Promise<EngineStack> {
    const seen = this.eventIds(d.stackName);
    const assets = await this.codeAssets(d.stackName, d.template, d.parameters);
    try {
      await this.o.engine.deployStack({
        stackName: d.stackName,
        stackId: d.stackId,
        template: d.template as Template,
        parameters: d.parameters,
        // any code unpacked before too: a rollback puts the previous code back
        assets: { projectDir: this.o.workDir, path: (key, bucket) => assets.get(`${bucket ?? ''}/${key}`) ?? assets.get(`/${key}`) ?? this.unpacked(key, bucket) },
      });
    } finally {
      this.passEvents(d.stackName, seen, d.onResourceEvent);
    }
    this.templates.set(d.stackName, d.template);
    return this.stacks().find((s) => s.name === d.stackName)!;
  }

  public async delete(stackName: string, onResourceEvent: (e: ResourceEvent) => void): Promise<void> {
    const seen = this.eventIds(stackName);
    const id = this.o.engine.stacks.find((s) => s.name === stackName)?.id;
    try {
      await this.o.engine.deleteStack(stackName);
    } finally {
      this.passEvents(stackName, seen, onResourceEvent, id);
    }
    this.templates.delete(stackName);
  }

  public events(nameOrId: string): StackEvent[] {
    return this.o.engine.stackEvents(nameOrId) ?? [];
  }

  /** The directory a zip in the local S3 was unpacked to before, if it was. */
  private unpacked(key: string, bucket?: string): string | undefined {
    if (!bucket) return undefined;
    const dir = this.assetDir(bucket, key);
    return fs.existsSync(dir) ? dir : undefined;
  }

  private assetDir(bucket: string, key: string): string {
    // a digest: any bucket and key, one directory each, nothing outside the work directory
    return path.join(this.o.workDir, 's3-assets', createHash('sha256').update(`${bucket}\0${key}`).digest('hex'));
  }

  /** The ids of the events the engine holds for the stack now. */
  private eventIds(stackName: string): Set<string> {
    return new Set((this.o.engine.stackEvents(stackName) ?? []).map((e) => e.eventId));
  }

  /** The engine's resource events not `seen` before, oldest first (the API reports the stack's own). */
  private passEvents(stackName: string, seen: Set<string>, to: (e: ResourceEvent) => void, id?: string): void {
    const events = this.o.engine.stackEvents(id ?? stackName) ?? this.o.engine.stackEvents(stackName) ?? [];
    const fresh = [...events].reverse().filter((e) => !seen.has(e.eventId));
    for (const e of fresh) {
      if (e.type === STACK_RESOURCE_TYPE && e.logicalId === stackName) continue;
      to({ logicalId: e.logicalId, type: e.type, status: e.status, physicalId: e.physicalId, reason: e.reason });
    }
  }

  /**
   * The function code of the template that is in the local S3, unpacked: directories by
   * `<bucket>/<key>` (and `/<key>` when the bucket cannot be read from the template).
   */
  private async codeAssets(stackName: string, template: TemplateDocument,
    parameters: Readonly<Record<string, string>>): Promise<Map<string, string>> {
    const assets = new Map<string, string>();
    for (const r of Object.values<any>(template.Resources ?? {})) {
      if (r?.Type !== 'AWS::Lambda::Function') continue;
      const code = r.Properties?.Code;
      const bucket = this.literal(code?.S3Bucket, parameters);
      const key = this.literal(code?.S3Key, parameters);
      if (!bucket || !key) continue;
      const dir = this.assetDir(bucket, key);
      if (!fs.existsSync(dir)) {
        const zip = await this.readObject(bucket, key);
        if (!zip) continue; // the function provider then names the code that is not there
        unzipTo(zip, dir, `${stackName}: s3://${bucket}/${key}`);
      }
      assets.set(`${bucket}/${key}`, dir);
      assets.set(`/${key}`, dir);
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
