/**
 * Synth benchmark: N functions wired with cdk-async-lambda vs the same wiring with plain
 * aws-cdk-lib (`onSuccess`/`onFailure`/`retryAttempts`/`maxEventAge` + aws-lambda-destinations),
 * measured in the same run, interleaved, on this machine.
 *
 * Prints, per scenario: median and fastest synth time of each side and their ratios (the fastest
 * round is the least disturbed by other work on the machine), resources per function
 * and template bytes for both. Exits non-zero when this library creates a resource the plain
 * wiring does not (the user asked for none).
 *
 *   npm run bench               # N=300 (3 stacks), 7 rounds
 *   BENCH_FUNCTIONS=500 BENCH_ROUNDS=5 npm run bench
 */
import { performance } from 'node:perf_hooks';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
// the compiled library, as users run it (ts-node's source maps would tax only this side)
import { AsyncFunction, FailureDestination, SuccessDestination } from '../lib';

const N = Number(process.env.BENCH_FUNCTIONS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

interface Shared {
  readonly results: sqs.IQueue;
  readonly failures: sqs.IQueue;
  readonly topic: sns.ITopic;
  readonly bus: events.IEventBus;
  readonly next: lambda.IFunction;
}

const functionProps = (i: number) => ({
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline(`exports.handler = async () => ${i};`),
});

/** Which destinations function i uses, in both wirings. */
type Wiring = (i: number, s: Shared) => { success: 'queue' | 'topic' | 'bus' | 'function'; failure: 'queue' | 'topic' | 'bus' };
const scenarios: Record<string, Wiring> = {
  'queue → queue': () => ({ success: 'queue', failure: 'queue' }),
  'mixed (queue, topic, bus, function)': i => ({
    success: (['queue', 'topic', 'bus', 'function'] as const)[i % 4],
    failure: (['queue', 'topic', 'bus'] as const)[i % 3],
  }),
};

function sharedResources(stack: Stack): Shared {
  return {
    results: new sqs.Queue(stack, 'Results'),
    failures: new sqs.Queue(stack, 'Failures'),
    topic: new sns.Topic(stack, 'Topic'),
    bus: new events.EventBus(stack, 'Bus'),
    next: new lambda.Function(stack, 'Next', functionProps(-1)),
  };
}

/** Functions per stack: CloudFormation allows 500 resources in a stack. */
const PER_STACK = 100;

/** Builds an app of ceil(N / PER_STACK) stacks; `wire` adds function i to its stack. */
function buildApp(wire: (stack: Stack, s: Shared, i: number) => void): App {
  const app = new App();
  let stack: Stack | undefined;
  let shared: Shared | undefined;
  for (let i = 0; i < N; i++) {
    if (i % PER_STACK === 0) {
      stack = new Stack(app, `Bench${i / PER_STACK}`);
      shared = sharedResources(stack);
    }
    wire(stack!, shared!, i);
  }
  return app;
}

function withLibrary(wiring: Wiring): App {
  return buildApp((stack, s, i) => {
    const w = wiring(i, s);
    const onSuccess = {
      queue: () => SuccessDestination.queue(s.results),
      topic: () => SuccessDestination.topic(s.topic),
      bus: () => SuccessDestination.eventBus(s.bus),
      function: () => SuccessDestination.function(s.next),
    }[w.success]();
    const onFailure = {
      queue: () => FailureDestination.queue(s.failures),
      topic: () => FailureDestination.topic(s.topic),
      bus: () => FailureDestination.eventBus(s.bus),
    }[w.failure]();
    new AsyncFunction(stack, `Worker${i}`, { ...functionProps(i), retryAttempts: 1, maxEventAge: Duration.minutes(30), onSuccess, onFailure });
  });
}

function withAwsCdkLib(wiring: Wiring): App {
  return buildApp((stack, s, i) => {
    const w = wiring(i, s);
    const destination = (kind: string): lambda.IDestination => ({
      queue: () => new destinations.SqsDestination(kind === w.success ? s.results : s.failures),
      topic: () => new destinations.SnsDestination(s.topic),
      bus: () => new destinations.EventBridgeDestination(s.bus),
      function: () => new destinations.LambdaDestination(s.next),
    } as Record<string, () => lambda.IDestination>)[kind]();
    new lambda.Function(stack, `Worker${i}`, {
      ...functionProps(i),
      retryAttempts: 1,
      maxEventAge: Duration.minutes(30),
      onSuccess: destination(w.success),
      onFailure: w.failure === 'queue' ? new destinations.SqsDestination(s.failures) : destination(w.failure),
    });
  });
}

interface Measurement { readonly ms: number; readonly template: any }
function measure(build: () => App): Measurement {
  const start = performance.now();
  const assembly = build().synth();
  const ms = performance.now() - start;
  const template = { Resources: Object.assign({}, ...assembly.stacks.map(s => s.template.Resources)) };
  return { ms, template };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const countByType = (template: any) => Object.values<any>(template.Resources).reduce<Record<string, number>>((acc, r) => {
  acc[r.Type] = (acc[r.Type] ?? 0) + 1;
  return acc;
}, {});

let failed = false;
console.log(`synth benchmark: ${N} functions, ${ROUNDS} interleaved rounds per side (after 1 warm-up), node ${process.version}`);
for (const [name, wiring] of Object.entries(scenarios)) {
  measure(() => withAwsCdkLib(wiring));
  measure(() => withLibrary(wiring));
  const plain: Measurement[] = [];
  const ours: Measurement[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    plain.push(measure(() => withAwsCdkLib(wiring)));
    ours.push(measure(() => withLibrary(wiring)));
  }
  const [p, o] = [median(plain.map(m => m.ms)), median(ours.map(m => m.ms))];
  const [pm, om] = [Math.min(...plain.map(m => m.ms)), Math.min(...ours.map(m => m.ms))];
  const [pt, ot] = [plain[0].template, ours[0].template];
  const [pc, oc] = [countByType(pt), countByType(ot)];
  const extra = Object.entries(oc).filter(([type, n]) => n > (pc[type] ?? 0)).map(([type, n]) => `${type} +${n - (pc[type] ?? 0)}`);
  const [pr, or] = [Object.keys(pt.Resources).length, Object.keys(ot.Resources).length];
  console.log(`\n## ${name}`);
  console.log(`  synth median     aws-cdk-lib ${p.toFixed(0)} ms | cdk-async-lambda ${o.toFixed(0)} ms | ratio ${(o / p).toFixed(3)}`);
  console.log(`  synth fastest    aws-cdk-lib ${pm.toFixed(0)} ms | cdk-async-lambda ${om.toFixed(0)} ms | ratio ${(om / pm).toFixed(3)}`);
  console.log(`  resources        aws-cdk-lib ${pr} (${(pr / N).toFixed(2)}/function) | cdk-async-lambda ${or} (${(or / N).toFixed(2)}/function)`);
  console.log(`  template bytes   aws-cdk-lib ${JSON.stringify(pt).length} | cdk-async-lambda ${JSON.stringify(ot).length}`);
  console.log(`  extra resources  ${extra.length ? extra.join(', ') : 'none'}`);
  failed ||= extra.length > 0;
}
process.exitCode = failed ? 1 : 0;
