import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/** An IAM role deployed from the assembly, with the policies attached to it. */
export interface Role {
  readonly name: string;
  readonly arn: string;
  /** inline policies by name (AWS::IAM::Role Policies and AWS::IAM::Policy) */
  readonly inlinePolicies: Map<string, any>;
  /** ARNs of attached managed policies */
  readonly managedPolicyArns: Set<string>;
}

/** Result of one permission check. */
export interface Decision {
  readonly allowed: boolean;
  /** 'Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied' or a validation error text */
  readonly result: string;
}

/**
 * The local cloud's IAM: roles, inline and managed policies, resource policies; permission checks
 * run by a real policy evaluator (@cloud-copilot/iam-simulate).
 */
export class IamStore {
  private readonly roles = new Map<string, Role>();
  private readonly managedPolicies = new Map<string, any>();
  private readonly resourcePolicies = new Map<string, any>();
  /** decisions by request, valid until any policy changes */
  private readonly decisions = new Map<string, Promise<Decision>>();
  private version = 0;

  constructor(public readonly accountId: string) {}

  /** Call after changing any policy: cached decisions are dropped. */
  public changed(): void {
    this.version++;
    this.decisions.clear();
  }

  public putRole(name: string, arn: string): Role {
    this.changed();
    const role: Role = { name, arn, inlinePolicies: new Map(), managedPolicyArns: new Set() };
    this.roles.set(name, role);
    return role;
  }

  public role(nameOrArn: string): Role | undefined {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop()! : nameOrArn;
    return this.roles.get(name);
  }

  public putManagedPolicy(arn: string, document: any): void {
    this.changed();
    this.managedPolicies.set(arn, document);
  }

  /** A resource policy (queue, topic or bucket policy) on the resource ARN. */
  public putResourcePolicy(resourceArn: string, document: any): void {
    this.changed();
    this.resourcePolicies.set(resourceArn, document);
  }

  /** The resource policy on the resource ARN, if any. */
  public resourcePolicy(resourceArn: string): any {
    return this.resourcePolicies.get(resourceArn);
  }

  public deleteResourcePolicy(resourceArn: string): void {
    this.changed();
    this.resourcePolicies.delete(resourceArn);
  }

  public deleteRole(name: string): void {
    this.changed();
    this.roles.delete(name);
  }

  /** Deletes a managed policy and detaches it from every role. */
  public deleteManagedPolicy(arn: string): void {
    this.changed();
    this.managedPolicies.delete(arn);
    for (const role of this.roles.values()) role.managedPolicyArns.delete(arn);
  }

  /**
   * May the role (as a function's execution role, i.e. an assumed-role session) perform `action`
   * on `resource`? Identity policies of the role and the resource's policy are both evaluated.
   */
  public check(roleArn: string, sessionName: string, action: string, resource: string, policyResource = resource): Promise<Decision> {
    const key = JSON.stringify([this.version, roleArn, sessionName, action, resource, policyResource]);
    let d = this.decisions.get(key);
    if (!d) {
      d = this.evaluate(roleArn, sessionName, action, resource, policyResource);
      this.decisions.set(key, d);
    }
    return d;
  }

  private async evaluate(roleArn: string, sessionName: string, action: string, resource: string, policyResource: string): Promise<Decision> {
    const role = this.role(roleArn);
    if (!role) return { allowed: false, result: `role ${roleArn} does not exist` };
    const identityPolicies: { name: string; policy: any }[] = [];
    for (const [name, policy] of role.inlinePolicies) identityPolicies.push({ name, policy });
    for (const arn of role.managedPolicyArns) {
      const doc = this.managedPolicies.get(arn);
      if (doc) identityPolicies.push({ name: arn.split('/').pop()!, policy: doc });
    }
    const simulation: Simulation = {
      request: {
        principal: `arn:aws:sts::${this.accountId}:assumed-role/${role.name}/${sessionName}`,
        action,
        resource: { resource, accountId: this.accountId },
        // Lambda delivers records over TLS, from the function's account
        contextVariables: {
          'aws:SecureTransport': 'true',
          'aws:PrincipalAccount': this.accountId,
          'aws:ResourceAccount': this.accountId,
          // S3 sets s3:ResourceAccount on every request: AWS recommends conditioning record writes on it
          ...(action.startsWith('s3:') ? { 's3:ResourceAccount': this.accountId } : {}),
        },
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.resourcePolicies.get(policyResource),
    } as Simulation;
    const response: any = await runSimulation(simulation, {});
    if (response.resultType === 'error') {
      return { allowed: false, result: `policy evaluation error: ${JSON.stringify(response.errors)}` };
    }
    return { allowed: response.overallResult === 'Allowed', result: response.overallResult };
  }
}
