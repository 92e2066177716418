import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExecutionIdentity, LambdaInvokeResult, lambdaFailure } from '../../src/services/stepfunctions';

export const ACCOUNT = '123456789012';
export const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
export const SM_ARN = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:Waiter`;

export function identity(name = 'exec-1'): ExecutionIdentity {
  return {
    executionArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:Waiter:${name}`,
    name,
    stateMachineArn: SM_ARN,
    stateMachineName: 'Waiter',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/WaiterRole`,
  };
}

/** The waiter definition integ-tests-alpha's WaiterStateMachine synthesizes. */
export function waiterDefinition(isComplete: string, onTimeout: string, interval = 30, maxAttempts = 20, backoff = 1): string {
  return JSON.stringify({
    StartAt: 'framework-isComplete-task',
    States: {
      'framework-isComplete-task': {
        End: true,
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: interval, MaxAttempts: maxAttempts, BackoffRate: backoff }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'framework-onTimeout-task' }],
        Type: 'Task',
        Resource: isComplete,
      },
      'framework-onTimeout-task': { End: true, Type: 'Task', Resource: onTimeout },
    },
  });
}

export interface Call {
  readonly arn: string;
  readonly payload: unknown;
  /** Date.now() when invoked (fake under jest fake timers) */
  readonly at: number;
}

/**
 * Fake Lambda functions keyed by ARN. A handler's return value is the function result; a thrown Error becomes
 * a function error the way the Lambda Node.js runtime reports it ({ errorType, errorMessage, trace }).
 */
export function fakeLambdas(handlers: Record<string, (payload: any, callNumber: number) => unknown>) {
  const calls: Call[] = [];
  const invokeLambda = async (arn: string, payload: unknown): Promise<LambdaInvokeResult> => {
    calls.push({ arn, payload, at: Date.now() });
    const h = handlers[arn];
    if (!h) return { error: 'Lambda.ResourceNotFoundException', cause: `Function not found: ${arn}` };
    const n = calls.filter((c) => c.arn === arn).length;
    try {
      const result = await h(payload, n);
      // a Lambda payload goes through JSON: undefined becomes null
      return { payload: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (e: any) {
      return lambdaFailure({ errorType: e.name ?? 'Error', errorMessage: e.message, trace: String(e.stack ?? '').split('\n') });
    }
  };
  return { invokeLambda, calls, callsTo: (arn: string) => calls.filter((c) => c.arn === arn) };
}

/** Every AWS::StepFunctions::StateMachine DefinitionString in the committed integ snapshots, with GetAtt resolved. */
export function snapshotDefinitions(): { file: string; definition: string }[] {
  const integ = path.resolve(__dirname, '../../../integ');
  const out: { file: string; definition: string }[] = [];
  if (!fs.existsSync(integ)) return out;
  for (const dir of fs.readdirSync(integ).filter((d) => d.endsWith('.snapshot'))) {
    for (const f of fs.readdirSync(path.join(integ, dir)).filter((x) => x.endsWith('.template.json'))) {
      const t = JSON.parse(fs.readFileSync(path.join(integ, dir, f), 'utf8'));
      for (const r of Object.values<any>(t.Resources ?? {})) {
        if (r.Type !== 'AWS::StepFunctions::StateMachine') continue;
        out.push({ file: `${dir}/${f}`, definition: resolve(r.Properties.DefinitionString) });
      }
    }
  }
  return out;
}

function resolve(v: any): string {
  if (typeof v === 'string') return v;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(resolve).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) return lambdaArn(v['Fn::GetAtt'][0].slice(0, 60));
  if (v.Ref) return v.Ref;
  throw new Error(`cannot resolve ${JSON.stringify(v)}`);
}
