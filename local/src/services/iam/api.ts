import * as http from 'node:http';
import { invalidAction, malformedPolicyDocument, noSuchEntity } from './errors';
import { IamStore } from '../../iam/iam-store';
import { policyDocumentProblem } from '../../iam/policy-document';
import { el, queryResponse, Request, sendQueryError } from '../../protocol';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** IAM (awsQuery), role inline policies only: GetRole, ListRolePolicies, GetRolePolicy, PutRolePolicy, DeleteRolePolicy. */
export class IamApi {
  constructor(private readonly iam: IamStore) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = params.get('Action') ?? '';
    const roleName = params.get('RoleName') ?? '';
    const role = this.iam.role(roleName);
    const noRole = () => sendQueryError(res, noSuchEntity(`The role with name ${roleName} cannot be found.`), XMLNS);
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
        if (!doc) return sendQueryError(res, noSuchEntity(`The role policy with name ${name} cannot be found.`), XMLNS);
        return queryResponse(res, action, XMLNS, el('RoleName', role.name) + el('PolicyName', name) + el('PolicyDocument', encodeURIComponent(JSON.stringify(doc))));
      }
      case 'PutRolePolicy': {
        if (!role) return noRole();
        let doc: unknown;
        try {
          doc = JSON.parse(params.get('PolicyDocument') ?? '');
        } catch {
          return sendQueryError(res, malformedPolicyDocument('Syntax errors in policy.'), XMLNS);
        }
        const problem = policyDocumentProblem(doc);
        if (problem) return sendQueryError(res, malformedPolicyDocument(problem), XMLNS);
        role.inlinePolicies.set(params.get('PolicyName') ?? '', doc);
        this.iam.changed();
        return queryResponse(res, action, XMLNS, '');
      }
      case 'DeleteRolePolicy': {
        if (!role) return noRole();
        const name = params.get('PolicyName') ?? '';
        if (!role.inlinePolicies.delete(name)) {
          return sendQueryError(res, noSuchEntity(`The role policy with name ${name} cannot be found.`), XMLNS);
        }
        this.iam.changed();
        return queryResponse(res, action, XMLNS, '');
      }
      default:
        return sendQueryError(res, invalidAction(action), XMLNS);
    }
  }
}
