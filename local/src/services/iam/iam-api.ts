import * as http from 'node:http';
import { IamStore } from '../../iam/iam-store';
import { policyDocumentProblem } from '../../iam/policy-document';
import { el, queryError, queryResponse, Request } from '../../server/http';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** IAM (awsQuery), role inline policies only: GetRole, ListRolePolicies, GetRolePolicy, PutRolePolicy, DeleteRolePolicy. */
export class IamApi {
  constructor(private readonly iam: IamStore) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = params.get('Action') ?? '';
    const roleName = params.get('RoleName') ?? '';
    const role = this.iam.role(roleName);
    const noRole = () => queryError(res, 404, 'NoSuchEntity', `The role with name ${roleName} cannot be found.`, XMLNS);
    switch (action) {
      case 'GetRole':
        if (!role) return noRole();
        return queryResponse(res, action, XMLNS, `<Role>${el('RoleName', role.name)}${el('Arn', role.arn)}${el('Path', '/')}</Role>`);
      case 'ListRolePolicies':
        if (!role) return noRole();
        return queryResponse(res, action, XMLNS, `<PolicyNames>${[...role.inlinePolicies.keys()].map((n) => el('member', n)).join('')}</PolicyNames><IsTruncated>false</IsTruncated>`);
      case 'GetRolePolicy': {
        if (!role) return noRole();
        const name = params.get('PolicyName') ?? '';
        const doc = role.inlinePolicies.get(name);
        if (!doc) return queryError(res, 404, 'NoSuchEntity', `The role policy with name ${name} cannot be found.`, XMLNS);
        return queryResponse(res, action, XMLNS, el('RoleName', role.name) + el('PolicyName', name) + el('PolicyDocument', encodeURIComponent(JSON.stringify(doc))));
      }
      case 'PutRolePolicy': {
        if (!role) return noRole();
        let doc: unknown;
        try {
          doc = JSON.parse(params.get('PolicyDocument') ?? '');
        } catch {
          return queryError(res, 400, 'MalformedPolicyDocument', 'Syntax errors in policy.', XMLNS);
        }
        const problem = policyDocumentProblem(doc);
        if (problem) return queryError(res, 400, 'MalformedPolicyDocument', problem, XMLNS);
        role.inlinePolicies.set(params.get('PolicyName') ?? '', doc);
        this.iam.changed();
        return queryResponse(res, action, XMLNS, '');
      }
      case 'DeleteRolePolicy': {
        if (!role) return noRole();
        const name = params.get('PolicyName') ?? '';
        if (!role.inlinePolicies.delete(name)) {
          return queryError(res, 404, 'NoSuchEntity', `The role policy with name ${name} cannot be found.`, XMLNS);
        }
        this.iam.changed();
        return queryResponse(res, action, XMLNS, '');
      }
      default:
        return queryError(res, 400, 'InvalidAction', `the local cloud does not implement IAM ${action}`, XMLNS);
    }
  }
}
