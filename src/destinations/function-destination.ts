import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IDependable } from 'constructs';
import { DestinationBindOptions, DestinationConfig } from './destination';
import { defaultEventBus } from './event-bus-destination';
import { FunctionDestinationOptions } from './function-options';
import { OutcomeDestination } from './outcome-destination';
import { registryOf } from '../private/app-registry';
import { bindingNotes } from '../private/binding-notes';
import { warnAboutEnvironment } from '../private/environment-checks';
import { validationError } from '../private/errors';
import { functionRef, functionTarget, isBrokenVersion } from '../private/function-target';
import { grantThroughOwnPolicy, grantToFunction } from '../private/grants';
import { acknowledgeNagFindings } from '../private/nag';
import { Outcome } from '../private/outcome';
import { display } from '../private/resolve';
import { InvocationResultEvent } from '../records/invocation-result-event';

/** Invokes another function asynchronously with each record (or only its response payload). */
export class FunctionDestination extends OutcomeDestination {
  constructor(private readonly fn: lambda.IFunction, private readonly options: FunctionDestinationOptions = {}) {
    super();
  }

  protected bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig {
    const label = `on${outcome}`;
    if (isBrokenVersion(this.fn)) {
      throw validationError(scope, `${label}: the version number could not be read from the ARN (Version.fromVersionArn needs ` +
        `a qualified ARN, …:function:<name>:<version>), got ${display(this.fn, this.fn.functionArn)}`);
    }
    const source = functionRef(options.source);
    const destination = functionRef(this.fn);
    if (source.key === destination.key) {
      throw validationError(scope, `${label}: a function cannot be its own destination, got ${this.fn.node.path} (function ${destination.display})`);
    }
    if (this.options.eventBus && !this.options.responseOnly) {
      throw validationError(scope, `${label}: eventBus is only used with responseOnly: true, got eventBus ${this.options.eventBus.node.path} without it`);
    }
    warnAboutEnvironment(scope, label, options.source, {
      construct: this.fn,
      arn: this.fn.functionArn,
      env: this.fn.env,
      resourcePolicy: 'the function\'s resource-based policy (lambda:InvokeFunction for the role)',
    });
    const registry = registryOf(scope);
    if (!this.options.responseOnly) {
      return { destinationArn: this.fn.functionArn, grants: this.grantInvoke(scope, options.source, outcome, source.key, destination.key) };
    }

    bindingNotes(scope).indirectDestinations.push({ outcome, destination: this.fn });
    const bus = this.options.eventBus ?? defaultEventBus(scope, outcome);
    const qualifiedArn = functionTarget(options.source).qualifiedArn;
    const rule = new events.Rule(scope, `${outcome}ResponseRule`, {
      description: `Forwards the response payload of ${outcome.toLowerCase()} records to the destination function`,
      eventBus: bus,
      eventPattern: {
        source: [InvocationResultEvent.SOURCE],
        detailType: [outcome === 'Success' ? InvocationResultEvent.SUCCESS_DETAIL_TYPE : InvocationResultEvent.FAILURE_DETAIL_TYPE],
        resources: [qualifiedArn],
      },
      targets: [new targets.LambdaFunction(this.fn, { event: events.RuleTargetInput.fromEventPath('$.detail.responsePayload') })],
    });
    acknowledgeNagFindings(rule, [{
      id: 'Serverless-EventBusDLQ',
      reason: 'EventBridge hands the payload to Lambda\'s asynchronous queue of the destination function; failures after that are covered by that function\'s own asynchronous invocation config.',
    }]);
    registry.addStackReferences(scope, rule, [qualifiedArn, this.fn.functionArn, bus.eventBusArn], `${rule.node.path} (the responseOnly rule)`);
    return { destinationArn: bus.eventBusArn, grants: [grantToFunction(scope, options.source, ['events:PutEvents'], bus.eventBusArn)] };
  }

  /**
   * `lambda:InvokeFunction` on the destination, in the role's default policy unless that would
   * close a cycle: A's default policy naming B while B's names A makes each function wait for the
   * other (the function resource depends on its role's default policy). Such a grant goes to a
   * policy of its own, which no function depends on.
   */
  private grantInvoke(scope: Construct, source: lambda.IFunction, outcome: Outcome, from: string, to: string): IDependable[] {
    const registry = registryOf(scope);
    if (registry.wouldCloseGrantCycle(from, to)) {
      bindingNotes(scope).ownPolicyOutcomes.add(outcome);
      const statement = new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] });
      return grantThroughOwnPolicy(scope, `${outcome}FunctionPolicy`, source, [statement]);
    }
    const grant = grantToFunction(scope, source, ['lambda:InvokeFunction'], this.fn.functionArn);
    if (grant.success) {
      registry.addGrantEdge(from, to);
    }
    return [grant];
  }
}
