import * as http from 'node:http';
import { HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { S3Error } from './errors';
import { BucketTag } from './model';
import { IamStore } from '../../iam/iam-store';
import { policyDocumentProblem } from '../../iam/policy-document';
import { send, sendRestXmlError, xmlEscape } from '../../protocol';

function xmlUnescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** Largest page of ListObjectVersions, as on AWS. */
const MAX_KEYS = 1000;

/**
 * The bucket sub-resources the backend (fauxqs) lacks and CDK's handlers call: tagging
 * (`?tagging`), bucket policy (`?policy`, kept in the IAM store so it is enforced) and
 * ListObjectVersions (`?versions`; buckets here are unversioned, so every object is its one `null`
 * version). aws-cdk-lib's S3 auto-delete-objects handler uses all three on stack teardown.
 */
export class BucketSubresources {
  private readonly tags = new Map<string, BucketTag[]>();

  constructor(private readonly iam: IamStore, private readonly s3: S3Client) {}

  /** PutBucketTagging (the bucket's `Tags` at deploy). */
  public putTags(bucket: string, tags: BucketTag[]): void {
    this.tags.set(bucket, tags.map((t) => ({ Key: String(t.Key), Value: String(t.Value) })));
  }

  /** Forgets what belongs to a deleted bucket. */
  public deleteBucket(bucket: string): void {
    this.tags.delete(bucket);
    this.iam.deleteResourcePolicy(`arn:aws:s3:::${bucket}`);
  }

  /**
   * Answers a path-style request for a sub-resource handled here; false for anything else (the
   * caller proxies it to the backend).
   */
  public async handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length !== 1) return false;
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    const op = q.has('tagging') ? 'tagging' : q.has('policy') ? 'policy' : q.has('versions') && method === 'GET' ? 'versions' : undefined;
    if (!op) return false;
    let bucket: string;
    try {
      bucket = decodeURIComponent(parts[0]);
    } catch {
      return this.error(res, 400, 'InvalidURI', 'Couldn\'t parse the specified URI.', parts[0]);
    }
    try {
      return await this.subresource(method, op, bucket, q, body, res);
    } catch (e) {
      // the backend's own answer (the bucket went meanwhile, say), as S3 gives it
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status && status < 500) return this.error(res, status, (e as Error).name, (e as Error).message, bucket);
      throw e;
    }
  }

  private async subresource(method: string, op: string, bucket: string, q: URLSearchParams, body: Buffer,
    res: http.ServerResponse): Promise<boolean> {
    if (!(await this.exists(bucket))) {
      this.error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucket);
      return true;
    }
    const arn = `arn:aws:s3:::${bucket}`;
    switch (`${method} ${op}`) {
      case 'GET tagging': {
        const tags = this.tags.get(bucket);
        if (!tags?.length) return this.error(res, 404, 'NoSuchTagSet', 'The TagSet does not exist', bucket);
        const xml = tags.map((t) => `<Tag><Key>${xmlEscape(t.Key)}</Key><Value>${xmlEscape(t.Value)}</Value></Tag>`).join('');
        send(res, 200, `${XML_HEAD}<Tagging xmlns="${XMLNS}"><TagSet>${xml}</TagSet></Tagging>`, { 'Content-Type': 'application/xml' });
        return true;
      }
      case 'PUT tagging': {
        const text = body.toString('utf8');
        const tags = [...text.matchAll(/<Tag>\s*<Key>([\s\S]*?)<\/Key>\s*<Value>([\s\S]*?)<\/Value>\s*<\/Tag>/g)]
          .map((m) => ({ Key: xmlUnescape(m[1]), Value: xmlUnescape(m[2]) }));
        this.putTags(bucket, tags);
        send(res, 204, '', {});
        return true;
      }
      case 'DELETE tagging':
        this.tags.delete(bucket);
        send(res, 204, '', {});
        return true;
      case 'GET policy': {
        const policy = this.iam.resourcePolicy(arn);
        if (!policy) return this.error(res, 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', bucket);
        send(res, 200, JSON.stringify(policy), { 'Content-Type': 'application/json' });
        return true;
      }
      case 'PUT policy': {
        let doc: unknown;
        try {
          doc = JSON.parse(body.toString('utf8'));
        } catch {
          return this.error(res, 400, 'MalformedPolicy', 'Policies must be valid JSON', bucket);
        }
        const problem = policyDocumentProblem(doc);
        if (problem) return this.error(res, 400, 'MalformedPolicy', problem, bucket);
        this.iam.putResourcePolicy(arn, doc);
        send(res, 204, '', {});
        return true;
      }
      case 'DELETE policy':
        this.iam.deleteResourcePolicy(arn);
        send(res, 204, '', {});
        return true;
      case 'GET versions':
        await this.listVersions(bucket, q, res);
        return true;
      default:
        return this.error(res, 405, 'MethodNotAllowed', `The specified method is not allowed against this resource: ${method} ?${op}`, bucket);
    }
  }

  private async exists(bucket: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch {
      return false;
    }
  }

  private async listVersions(bucket: string, q: URLSearchParams, res: http.ServerResponse): Promise<void> {
    const prefix = q.get('prefix') ?? undefined;
    const keyMarker = q.get('key-marker') ?? undefined;
    const maxKeys = Math.min(MAX_KEYS, Math.max(0, Number(q.get('max-keys') ?? MAX_KEYS)));
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: keyMarker, MaxKeys: maxKeys }));
    const objects = out.Contents ?? [];
    const truncated = Boolean(out.IsTruncated);
    const versions = objects.map((o) => `<Version><Key>${xmlEscape(o.Key ?? '')}</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>`
      + `<LastModified>${(o.LastModified ?? new Date()).toISOString()}</LastModified><ETag>${xmlEscape(o.ETag ?? '')}</ETag>`
      + `<Size>${o.Size ?? 0}</Size><StorageClass>STANDARD</StorageClass></Version>`).join('');
    const next = truncated && objects.length ? `<NextKeyMarker>${xmlEscape(objects[objects.length - 1].Key ?? '')}</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker>` : '';
    send(res, 200, `${XML_HEAD}<ListVersionsResult xmlns="${XMLNS}"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix ?? '')}</Prefix>`
      + `<KeyMarker>${xmlEscape(keyMarker ?? '')}</KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>${maxKeys}</MaxKeys>`
      + `<IsTruncated>${truncated}</IsTruncated>${next}${versions}</ListVersionsResult>`, { 'Content-Type': 'application/xml' });
  }

  private error(res: http.ServerResponse, status: number, code: string, message: string, bucket: string): true {
    const e = new S3Error(code, message, status, bucket);
    sendRestXmlError(res, e, { BucketName: e.bucketName });
    return true;
  }
}
