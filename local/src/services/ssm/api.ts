import * as http from 'node:http';
import { SsmError, validation } from './errors';
import { Parameter } from './model';
import { SsmService } from './service';
import { ApiError, jsonError, Request, send, sendJsonError, serializationProblem } from '../../protocol';

/** `X-Amz-Target` prefix of the SSM API (awsJson1_1). */
export const SSM_TARGET_PREFIX = 'AmazonSSM.';

const MEMBERS = {
  Name: 'string',
  Names: 'array',
  Value: 'string',
  Type: 'string',
  Description: 'string',
  DataType: 'string',
  Path: 'string',
  NextToken: 'string',
  MaxResults: 'number',
} as const;

/** Most names GetParameters and DeleteParameters take, as on AWS. */
const MAX_NAMES = 10;

/**
 * SSM Parameter Store (awsJson1_1, `X-Amz-Target: AmazonSSM.<Action>`): GetParameter,
 * GetParameters, GetParametersByPath, PutParameter, DeleteParameter, DeleteParameters,
 * DescribeParameters; any other action is an `UnknownOperationException` naming it.
 */
export class SsmApi {
  constructor(private readonly ssm: SsmService, private readonly region: string, private readonly accountId: string) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(SSM_TARGET_PREFIX) ? target.slice(SSM_TARGET_PREFIX.length) : target;
    let input: any;
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return jsonError(res, 400, 'SerializationException', 'request body is not JSON');
    }
    const problem = serializationProblem(input, MEMBERS);
    if (problem) return jsonError(res, 400, 'SerializationException', problem);
    try {
      send(res, 200, JSON.stringify(this.run(action, input)), { 'Content-Type': 'application/x-amz-json-1.1' });
    } catch (e) {
      if (e instanceof ApiError) return sendJsonError(res, e, { 'Content-Type': 'application/x-amz-json-1.1' });
      throw e;
    }
  }

  private run(action: string, input: any): object {
    switch (action) {
      case 'GetParameter':
        return { Parameter: this.wire(this.ssm.get(required(input.Name, 'name'))) };
      case 'GetParameters': {
        const names = names10(input.Names);
        const found = names.filter((n) => safeGet(this.ssm, n));
        return { Parameters: found.map((n) => this.wire(this.ssm.get(n))), InvalidParameters: names.filter((n) => !found.includes(n)) };
      }
      case 'GetParametersByPath':
        return { Parameters: this.ssm.byPath(required(input.Path, 'path'), input.Recursive === true).map((p) => this.wire(p)) };
      case 'PutParameter': {
        const p = this.ssm.put({
          name: input.Name,
          value: input.Value,
          type: input.Type,
          overwrite: input.Overwrite === true,
          description: input.Description,
          dataType: input.DataType,
        });
        return { Version: p.version, Tier: 'Standard' };
      }
      case 'DeleteParameter':
        this.ssm.delete(required(input.Name, 'name'));
        return {};
      case 'DeleteParameters': {
        const names = names10(input.Names);
        const deleted = names.filter((n) => this.ssm.has(n));
        for (const n of deleted) this.ssm.delete(n);
        return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) };
      }
      case 'DescribeParameters':
        return {
          Parameters: this.ssm.list().map((p) => ({
            Name: p.name,
            Type: p.type,
            Version: p.version,
            LastModifiedDate: p.lastModifiedDate.getTime() / 1000,
            Description: p.description,
            DataType: p.dataType,
            Tier: 'Standard',
          })),
        };
      default:
        throw new SsmError('UnknownOperationException', `the local cloud does not implement SSM ${action || '(no X-Amz-Target)'}`);
    }
  }

  private wire(p: Parameter): object {
    return {
      Name: p.name,
      Type: p.type,
      Value: p.value,
      Version: p.version,
      LastModifiedDate: p.lastModifiedDate.getTime() / 1000,
      ARN: `arn:aws:ssm:${this.region}:${this.accountId}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`,
      DataType: p.dataType,
    };
  }
}

function required(v: unknown, member: string): string {
  if (typeof v !== 'string' || v.length === 0) {
    throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

function names10(v: unknown): string[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_NAMES || !v.every((n) => typeof n === 'string')) {
    throw validation(`1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and ${MAX_NAMES}`);
  }
  return v;
}

function safeGet(ssm: SsmService, name: string): boolean {
  try {
    ssm.get(name);
    return true;
  } catch {
    return false;
  }
}
