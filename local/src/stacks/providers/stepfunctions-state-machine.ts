import { ResourceProvider } from './resource-provider';
import { InvalidDefinitionError } from '../../services/stepfunctions';

/**
 * `AWS::StepFunctions::StateMachine` (STANDARD): `DefinitionString` or `Definition`, with
 * `DefinitionSubstitutions`. `Ref` is the ARN.
 */
export const stepFunctionsStateMachine: ResourceProvider = {
  create(ctx, p) {
    const { stepFunctions } = ctx.services;
    if (!stepFunctions) throw ctx.fail('Step Functions is not available in this local cloud');
    if ((p.StateMachineType ?? 'STANDARD') !== 'STANDARD') throw ctx.fail(`StateMachineType ${p.StateMachineType}: only STANDARD state machines run here`);
    const name: string = p.StateMachineName ?? ctx.generatedName(80);
    const arn = `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
    let definition: string | undefined = typeof p.DefinitionString === 'string' ? p.DefinitionString
      : p.Definition !== undefined ? JSON.stringify(p.Definition) : undefined;
    if (definition === undefined) throw ctx.fail('DefinitionString or Definition is required (DefinitionS3Location is not supported here)');
    for (const [k, v] of Object.entries<unknown>(p.DefinitionSubstitutions ?? {})) {
      definition = definition.split('${' + k + '}').join(String(v));
    }
    try {
      stepFunctions.createStateMachine(arn, name, definition, String(p.RoleArn ?? ''));
    } catch (e) {
      if (e instanceof InvalidDefinitionError) throw ctx.fail(`InvalidDefinition: ${e.message}`);
      throw e;
    }
    return { ref: arn, attributes: { Arn: arn, Name: name, StateMachineRevisionId: 'INITIAL' } };
  },
  delete(ctx, r) {
    ctx.services.stepFunctions?.deleteStateMachine(r.resolved.ref);
  },
};
