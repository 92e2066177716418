import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { invalidAction, validationError } from './errors';
import { el, queryResponse, Request, sendQueryError } from '../../protocol';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** A role session lasts an hour unless asked otherwise (900 to 43200 s). */
const DEFAULT_DURATION_SECONDS = 3600;

/**
 * STS (awsQuery): GetCallerIdentity (the local account's root) and AssumeRole /
 * GetSessionToken with dummy credentials, so tools that assume roles (the CDK CLI's deploy and
 * file-publishing roles) go on with the same local cloud. The local cloud does not check
 * credentials: an assumed role grants nothing more. Any other action is an `InvalidAction` naming it.
 */
export class StsApi {
  constructor(private readonly accountId: string) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const params = new URLSearchParams(req.body.toString('utf8') || req.url.search.slice(1));
    const action = params.get('Action') ?? '';
    switch (action) {
      case 'GetCallerIdentity':
        return queryResponse(res, action, XMLNS, el('Arn', `arn:aws:iam::${this.accountId}:root`)
          + el('UserId', this.accountId) + el('Account', this.accountId));
      case 'AssumeRole': {
        const roleArn = params.get('RoleArn') ?? '';
        const session = params.get('RoleSessionName') ?? '';
        const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(roleArn);
        if (!role) return sendQueryError(res, validationError(`${roleArn || '(no RoleArn)'} is invalid: RoleArn must be an IAM role ARN`), XMLNS);
        if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
          return sendQueryError(res, validationError(`1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and match [\\w+=,.@-]*`), XMLNS);
        }
        const duration = this.duration(params.get('DurationSeconds'));
        if (duration === undefined) {
          return sendQueryError(res, validationError(`1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`), XMLNS);
        }
        const roleId = `AROA${hex(8).toUpperCase()}`;
        return queryResponse(res, action, XMLNS, this.credentials(duration)
          + `<AssumedRoleUser>${el('AssumedRoleId', `${roleId}:${session}`)}${el('Arn', `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/${session}`)}</AssumedRoleUser>`);
      }
      case 'GetSessionToken': {
        const duration = this.duration(params.get('DurationSeconds'));
        if (duration === undefined) return sendQueryError(res, validationError('DurationSeconds must be between 900 and 43200'), XMLNS);
        return queryResponse(res, action, XMLNS, this.credentials(duration));
      }
      default:
        return sendQueryError(res, invalidAction(action), XMLNS);
    }
  }

  private duration(v: string | null): number | undefined {
    if (v === null) return DEFAULT_DURATION_SECONDS;
    const n = Number(v);
    return Number.isInteger(n) && n >= 900 && n <= 43200 ? n : undefined;
  }

  private credentials(durationSeconds: number): string {
    return '<Credentials>' + el('AccessKeyId', `ASIA${hex(8).toUpperCase()}`) + el('SecretAccessKey', hex(20))
      + el('SessionToken', randomBytes(48).toString('base64')) + el('Expiration', new Date(Date.now() + durationSeconds * 1000).toISOString())
      + '</Credentials>';
  }
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
