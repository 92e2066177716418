import { lambdaArn, waiterDefinition } from './support';
import { InvalidDefinitionError, parseDefinition, validateDefinition } from '../../src/services/stepfunctions';

const FN = lambdaArn('Fn');

/** The problems reported for a definition (fails the test if it is unexpectedly valid). */
function problems(def: unknown): string {
  try {
    parseDefinition(typeof def === 'string' ? def : JSON.stringify(def));
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidDefinitionError);
    return (e as InvalidDefinitionError).problems.join('\n');
  }
  throw new Error('expected the definition to be rejected');
}

describe('definition validation', () => {
  test('the integ-tests-alpha waiter is valid', () => {
    expect(validateDefinition(JSON.parse(waiterDefinition(FN, lambdaArn('T'))))).toEqual([]);
  });

  test.each<[string, unknown, RegExp]>([
    ['not JSON', '{"StartAt":', /not valid JSON/],
    ['missing StartAt', { States: { A: { Type: 'Succeed' } } }, /StartAt/],
    ['StartAt to nowhere', { StartAt: 'X', States: { A: { Type: 'Succeed' } } }, /StartAt 'X' does not reference a state/],
    ['Next to nowhere', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }, /Next 'B' does not reference a state/],
    ['neither Next nor End', { StartAt: 'A', States: { A: { Type: 'Pass' } } }, /must have 'Next' or 'End: true'/],
    ['both Next and End', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B', End: true }, B: { Type: 'Succeed' } } }, /both 'Next' and 'End'/],
    ['unreachable state', { StartAt: 'A', States: { A: { Type: 'Succeed' }, B: { Type: 'Succeed' } } }, /'B' is not reachable/],
    ['unknown type', { StartAt: 'A', States: { A: { Type: 'Teleport', End: true } } }, /unknown state type "Teleport"/],
    ['unsupported Parallel', { StartAt: 'A', States: { A: { Type: 'Parallel', Branches: [], End: true } } }, /'Parallel' is not supported/],
    ['unsupported Task resource', { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }, /not supported/],
    ['lambda:invoke without FunctionName', { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: {}, End: true } } }, /FunctionName/],
    ['States.ALL not alone', { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true, Retry: [{ ErrorEquals: ['States.ALL', 'X'] }] } } }, /States\.ALL/],
    ['States.ALL not last', { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true, Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }] } } }, /last retrier/],
    ['BackoffRate < 1', { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true, Retry: [{ ErrorEquals: ['X'], BackoffRate: 0.5 }] } } }, /BackoffRate/],
    ['negative MaxAttempts', { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true, Retry: [{ ErrorEquals: ['X'], MaxAttempts: -1 }] } } }, /MaxAttempts/],
    ['Catch to nowhere', { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true, Catch: [{ ErrorEquals: ['X'], Next: 'Z' }] } } }, /Next 'Z'/],
    ['empty ErrorEquals', { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true, Catch: [{ ErrorEquals: [], Next: 'A' }] } } }, /ErrorEquals/],
    ['bad JSONPath', { StartAt: 'A', States: { A: { Type: 'Pass', InputPath: '$..x', End: true } } }, /recursive descent/],
    ['bad Parameters path', { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'a.$': 'nope' }, End: true } } }, /must start with '\$'/],
    ['intrinsic function', { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'a.$': "States.Format('{}', $.x)" }, End: true } } }, /intrinsic/],
    ['Choice rule without Next', { StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x' }], Default: 'B' }, B: { Type: 'Succeed' } } }, /needs 'Next'/],
    ['Choice rule with a wrong operand type', { StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: '1', Next: 'B' }] }, B: { Type: 'Succeed' } } }, /expected a number/],
    ['Choice rule with an unknown operator', { StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.a', StringIs: 'x', Next: 'B' }] }, B: { Type: 'Succeed' } } }, /unknown: StringIs/],
    ['Wait without duration', { StartAt: 'A', States: { A: { Type: 'Wait', End: true } } }, /exactly one of Seconds/],
    ['Fail with Next', { StartAt: 'A', States: { A: { Type: 'Fail', Next: 'A' } } }, /cannot have 'Next'/],
    ['JSONata', { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Succeed' } } }, /QueryLanguage "JSONata"/],
    ['unknown field', { StartAt: 'A', States: { A: { Type: 'Pass', Rezult: 1, End: true } } }, /'Rezult' is not supported/],
  ])('%s is rejected', (_name, def, expected) => {
    expect(problems(def)).toMatch(expected);
  });

  test('all problems are reported at once', () => {
    const p = problems({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'X' }, B: { Type: 'Wait', End: true } } });
    expect(p.split('\n').length).toBeGreaterThanOrEqual(2);
    expect(p).toMatch(/Next 'X'/);
    expect(p).toMatch(/exactly one of Seconds/);
  });
});
