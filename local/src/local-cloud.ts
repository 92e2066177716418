import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { CloudAssembly, readCloudAssembly } from './assembly/cloud-assembly';
import { Deployer } from './assembly/deployer';
import { IamStore } from './iam/iam-store';
import { send } from './protocol';
import { FrontServer, serviceOf } from './server/front-server';
import { FauxqsBackend, fauxqsQueueUrl } from './services/backend/fauxqs';
import { CloudFormationApi } from './services/cloudformation/api';
import { CFN_RESPONSE_PATH, CustomResourceResponses } from './services/cloudformation/custom-resources';
import { DeployedStack } from './services/cloudformation/model';
import { CloudFormationService } from './services/cloudformation/service';
import { CloudWatchApi } from './services/cloudwatch/api';
import { MetricStore } from './services/cloudwatch/service';
import { EventsApi } from './services/events/api';
import { EventBridgeService } from './services/events/service';
import { IamApi } from './services/iam/api';
import { LambdaApi } from './services/lambda/api';
import { TopicPublisher } from './services/lambda/destinations';
import { EventSourceMappings } from './services/lambda/event-source-mapping';
import { DeliveryReport, InvocationReport } from './services/lambda/model';
import { LambdaService } from './services/lambda/service';
import { LogsApi } from './services/logs/api';
import { LogsService } from './services/logs/service';
import { BucketSubresources } from './services/s3/api';
import { SnsApi } from './services/sns/api';
import { SnsLambdaSubscriptions } from './services/sns/service';
import { SqsApi } from './services/sqs/api';
import { SqsLongPoll } from './services/sqs/long-poll';
import { SsmApi } from './services/ssm/api';
import { SsmService } from './services/ssm/service';
import { LambdaInvokeResult, lambdaTaskResult, StepFunctionsApi, StepFunctionsService } from './services/stepfunctions';
import { StsApi } from './services/sts/api';
import { TemplateStacks } from './stacks/template-stacks';
import { RecentList } from './util/recent-list';

/** No stacks: the cloud `serve` starts without an assembly. */
const EMPTY_ASSEMBLY: CloudAssembly = { directory: process.cwd(), stacks: [] };

/** Options of {@link LocalCloud.start}. */
export interface LocalCloudOptions {
  /**
   * A cloud assembly directory (`cdk.out`), or one already read, whose stacks are deployed at start.
   * @default - none: an empty cloud, for `cdk deploy` and the SDK to fill
   */
  readonly assembly?: string | CloudAssembly;
  /** Port on 127.0.0.1. @default 4566; 0 picks a free port */
  readonly port?: number;
  /**
   * Multiplier for AWS's queueing waits (the 60 s / 120 s retry delays, event age, Step Functions
   * Retry intervals and Wait states, SQS long polls: `WaitTimeSeconds` and the queue's
   * `ReceiveMessageWaitTimeSeconds`). 0.001 runs the whole retry ladder in about 180 ms of wall
   * time and a 20 s long poll in 20 ms; function timeouts stay real time.
   * @default 1
   */
  readonly timeScale?: number;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Handler processes per function (AWS would scale out further). @default 2 */
  readonly maxWorkersPerFunction?: number;
  /** Where handler console output goes. @default 'inherit' */
  readonly handlerOutput?: 'inherit' | 'ignore';
  /** Log lines of the local cloud (deploys, warnings, failed deliveries). @default console.error */
  readonly log?: (line: string) => void;
  /**
   * How long a custom resource provider may take to answer a deploy-time request (real time, not
   * scaled), before the deployment fails. @default 300
   */
  readonly customResourceTimeoutSeconds?: number;
  /** Told of every Lambda invocation attempt once it ended, with its log lines (also during deployment). */
  readonly onInvocation?: (r: InvocationReport) => void;
  /**
   * How many delivery reports the introspection lists keep ({@link LocalCloud.deliveries},
   * `cloud.events.deliveries`, `/_local/deliveries`); the oldest go first, the totals count all.
   * @default 1000
   */
  readonly deliveriesKept?: number;
}

/**
 * A synthesized CDK app running on this machine with AWS Lambda's asynchronous invocation
 * semantics, reachable by the AWS SDK v3 at {@link LocalCloud.endpoint}.
 *
 * ```ts
 * const cloud = await LocalCloud.start({ assembly: 'cdk.out', port: 0, timeScale: 0.001 });
 * // new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: … })
 * await cloud.stop();
 * ```
 */
export class LocalCloud {
  public static async start(options: LocalCloudOptions): Promise<LocalCloud> {
    const assembly = typeof options.assembly === 'string' ? readCloudAssembly(options.assembly) : options.assembly ?? EMPTY_ASSEMBLY;
    const timeScale = options.timeScale ?? 1;
    if (!(timeScale > 0)) throw new Error(`timeScale must be a number greater than 0, got ${options.timeScale}`);
    const log = options.log ?? ((line: string) => console.error(`[local-cloud] ${line}`));
    const cloud = new LocalCloud(options, assembly, timeScale, log);
    try {
      await cloud.boot(options.port ?? 4566);
    } catch (e) {
      await cloud.stop();
      throw e;
    }
    return cloud;
  }

  /** `http://127.0.0.1:<port>`: the endpoint of every service. */
  public endpoint = '';
  public port = 0;
  public readonly accountId: string;
  public readonly region: string;
  public readonly metrics = new MetricStore();
  /** CloudWatch Logs: every function's output, by log group and stream */
  public readonly logs = new LogsService();
  /** SSM Parameter Store (the CDK bootstrap version parameter, `AWS::SSM::Parameter`) */
  public readonly ssm = new SsmService();
  public readonly iam: IamStore;
  private readonly deliveryLog: RecentList<DeliveryReport>;
  public stacks: DeployedStack[] = [];
  private backend?: FauxqsBackend;
  private lambdaService?: LambdaService;
  private eventBridge?: EventBridgeService;
  private front?: FrontServer;
  private stepFunctionsService?: StepFunctionsService;
  private deployer?: Deployer;
  private templateStacks?: TemplateStacks;
  private eventSourceMappings?: EventSourceMappings;
  /** stack operations started through the API (DeleteStack), until they end */
  private readonly operations = new Set<Promise<void>>();
  private readonly customResources = new CustomResourceResponses();
  private readonly workDir: string;
  private stopped = false;

  private constructor(private readonly options: LocalCloudOptions, private readonly assembly: CloudAssembly,
    private readonly timeScale: number, private readonly log: (line: string) => void) {
    this.accountId = options.accountId ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
    this.iam = new IamStore(this.accountId);
    this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-async-local-'));
    this.deliveryLog = new RecentList(options.deliveriesKept ?? 1000);
  }

  /**
   * The latest destination and dead-letter delivery attempts (delivered or not, with the reason),
   * oldest first: at most `deliveriesKept` (default 1000); {@link deliveriesTotal} counts them all.
   */
  public get deliveries(): readonly DeliveryReport[] {
    return this.deliveryLog.items;
  }

  /** How many delivery attempts were reported since start (kept in {@link deliveries} or not). */
  public get deliveriesTotal(): number {
    return this.deliveryLog.total;
  }

  /** The Lambda service (functions, async queue). */
  public get lambda(): LambdaService {
    return this.lambdaService!;
  }

  /** The Step Functions service (state machines, executions). */
  public get stepFunctions(): StepFunctionsService {
    return this.stepFunctionsService!;
  }

  /** EventBridge (buses, rules, target deliveries). */
  public get events(): EventBridgeService {
    return this.eventBridge!;
  }

  /** Physical id of a resource by stack name and logical id. */
  public physicalId(stackName: string, logicalId: string): string {
    const stack = this.stacks.find((s) => s.name === stackName);
    const r = stack?.resources.find((x) => x.logicalId === logicalId);
    if (!r) throw new Error(`no resource ${logicalId} in stack ${stackName}`);
    return r.physicalId;
  }

  /** Resolves once no asynchronous event is in flight (all attempts done, records delivered, DeleteStack calls finished). */
  public async idle(): Promise<void> {
    while (this.operations.size > 0) await Promise.all([...this.operations].map((p) => p.catch(() => undefined)));
    await this.stepFunctionsService?.idle();
    await this.lambda.idle();
  }

  /** Process ids of the running handler processes. */
  public handlerPids(): number[] {
    return this.lambdaService?.pids() ?? [];
  }

  /**
   * Deploys an assembly again, as `cdk deploy --all` does after a change: stacks already here are
   * updated (custom resources get Update events; removed and replaced resources are deleted),
   * new stacks are created. Stacks missing from the assembly are left alone.
   */
  public async update(assembly: string | CloudAssembly): Promise<DeployedStack[]> {
    const read = typeof assembly === 'string' ? readCloudAssembly(assembly) : assembly;
    this.templateStacks?.remember(read);
    return this.deployer!.deploy(read);
  }

  /**
   * Tears the stacks down, as `cdk destroy` does: dependents first, each stack's resources in
   * reverse creation order, custom resources with Delete events (so `autoDeleteObjects` empties
   * its bucket), `DeletionPolicy: Retain` resources kept. Rejects with the DELETE_FAILED resource,
   * e.g. a bucket that still holds objects. The cloud keeps running; {@link stop} ends it.
   * @param stackNames @default every stack
   */
  public async destroy(stackNames?: string[]): Promise<void> {
    await this.deployer!.destroy(stackNames);
  }

  private track(operation: Promise<void>): Promise<void> {
    this.operations.add(operation);
    void operation.catch(() => undefined).finally(() => this.operations.delete(operation));
    return operation;
  }

  /** Stops the server, every handler process and the backend. Safe to call twice. */
  public async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.customResources.dispose();
    this.deployer?.dispose();
    this.stepFunctionsService?.dispose();
    // pollers end before the functions they invoke and the queues they read
    await this.eventSourceMappings?.stop();
    await this.front?.close();
    await this.lambdaService?.stop();
    await this.backend?.stop();
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  private async boot(port: number): Promise<void> {
    // SQS delays and visibility timeouts follow the time scale too
    this.backend = await FauxqsBackend.start(this.region, this.timeScale);
    // every publish to a topic goes through here, so lambda subscribers get it too (built below: it needs the Lambda service)
    let snsLambda: SnsLambdaSubscriptions | undefined;
    const publishToTopic: TopicPublisher = (topicArn, message, attributes, hops) => snsLambda!.publish(topicArn, message, attributes, hops);
    this.lambdaService = new LambdaService({
      accountId: this.accountId,
      region: this.region,
      timeScale: this.timeScale,
      backend: this.backend,
      iam: this.iam,
      metrics: this.metrics,
      log: this.log,
      onDelivery: (r) => this.deliveryLog.push(r),
      onInvocation: this.options.onInvocation,
      publishToTopic,
      writeLogs: (group, stream, events) => this.logs.put(group, stream, events),
    });
    const lambdaService = this.lambdaService;
    this.stepFunctionsService = new StepFunctionsService({
      timeScale: this.timeScale,
      invokeLambda: async (arn, payload): Promise<LambdaInvokeResult> => {
        const { fn, qualifier } = lambdaService.lookup(arn);
        if (!fn) return { error: 'Lambda.ResourceNotFoundException', cause: `Function not found: ${arn}` };
        const out = await lambdaService.invokeSync(fn, qualifier, JSON.stringify(payload));
        return lambdaTaskResult(out.ok ? { ok: true, payload: out.payload } : { ok: false, error: { ...out.error } });
      },
    });
    const statesApi = new StepFunctionsApi(this.stepFunctionsService);
    this.eventSourceMappings = new EventSourceMappings({
      lambda: this.lambdaService,
      sqs: this.backend.sqs,
      queueUrl: fauxqsQueueUrl,
      timeScale: this.timeScale,
      log: this.log,
    });
    const lambdaApi = new LambdaApi(this.lambdaService, this.region, this.accountId, this.eventSourceMappings);
    snsLambda = new SnsLambdaSubscriptions({
      accountId: this.accountId, region: this.region, backend: this.backend, lambda: this.lambdaService, log: this.log,
    });
    const eventBridge = new EventBridgeService({
      accountId: this.accountId,
      region: this.region,
      backend: this.backend,
      lambda: this.lambdaService,
      log: this.log,
      publishToTopic,
      deliveriesKept: this.options.deliveriesKept,
    });
    this.eventBridge = eventBridge;
    this.lambdaService.registerDestination('events', (d) => eventBridge.deliverLambdaRecord(d));
    const eventsApi = new EventsApi(eventBridge);
    // stacks deployed through the CloudFormation API (the CDK CLI) run on the same deployer, once it exists
    let templateStacks: TemplateStacks | undefined;
    const engineStacks = () => templateStacks?.stacks() ?? [];
    const cfnService = new CloudFormationService({
      engine: {
        stacks: engineStacks,
        deploy: (d) => templateStacks!.deploy(d),
        delete: (name, onEvent) => templateStacks!.delete(name, onEvent),
        events: (name) => templateStacks?.events(name) ?? [],
      },
      region: this.region,
      accountId: this.accountId,
      readObject: async (bucket, key) => {
        const out = await this.backend!.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await out.Body!.transformToByteArray());
      },
      ssmParameter: (name) => (this.ssm.has(name) ? this.ssm.get(name).value : undefined),
      track: (operation) => void this.track(operation),
      log: this.log,
    });
    const cfn = new CloudFormationApi(cfnService, engineStacks);
    const ssmApi = new SsmApi(this.ssm, this.region, this.accountId);
    const stsApi = new StsApi(this.accountId);
    const cw = new CloudWatchApi(this.metrics);
    const logsApi = new LogsApi(this.logs, this.region, this.accountId);
    const iamApi = new IamApi(this.iam);
    const bucketSubresources = new BucketSubresources(this.iam, this.backend.s3);
    // SQS long polls wait `timeScale` times as long as they ask
    const backend = new SqsLongPoll(this.backend, this.timeScale);
    const sqsApi = new SqsApi(backend);
    const snsApi = new SnsApi(this.backend, snsLambda);
    this.front = new FrontServer({
      lambda: (req, res) => lambdaApi.handle(req, res),
      cloudformation: (req, res) => cfn.handle(req, res),
      ssm: (req, res) => ssmApi.handle(req, res),
      sts: (req, res) => stsApi.handle(req, res),
      monitoring: (req, res) => cw.handle(req, res),
      iam: (req, res) => iamApi.handle(req, res),
      events: (req, res) => eventsApi.handle(req, res),
      backend: async (req, body, res) => {
        const service = serviceOf(req);
        if (service === 's3' && await bucketSubresources.handle(req, body, res)) return;
        if (service === 'sqs') return sqsApi.handle(req, body, res);
        return backend.handle(req, body, res);
      },
      sns: (req, body, res) => snsApi.handle(req, body, res),
      logs: (req, res) => logsApi.handle(req, res),
      states: (req, res) => statesApi.handle(req, res),
      local: (req, res) => req.url.pathname.startsWith(CFN_RESPONSE_PATH)
        ? this.customResources.handle(req, res)
        : this.localEndpoint(req.url, res),
    });
    this.port = await this.front.listen(port);
    this.endpoint = `http://127.0.0.1:${this.port}`;
    const deployer = new Deployer({
      accountId: this.accountId,
      region: this.region,
      endpoint: this.endpoint,
      services: {
        iam: this.iam,
        lambda: this.lambdaService,
        events: eventBridge,
        snsLambda,
        stepFunctions: this.stepFunctionsService,
        bucketSubresources,
        eventSourceMappings: this.eventSourceMappings,
        logs: this.logs,
        ssm: this.ssm,
      },
      customResources: { responses: this.customResources, timeoutMs: (this.options.customResourceTimeoutSeconds ?? 300) * 1000 },
      functions: {
        workDir: this.workDir,
        maxWorkersPerFunction: this.options.maxWorkersPerFunction ?? 2,
        handlerOutput: this.options.handlerOutput ?? 'inherit',
      },
      log: this.log,
    });
    this.deployer = deployer;
    this.stacks = deployer.stacks;
    templateStacks = new TemplateStacks({
      engine: deployer.engine, s3: this.backend.s3, accountId: this.accountId, region: this.region, workDir: path.join(this.workDir, 'cloudformation'),
    });
    this.templateStacks = templateStacks;
    templateStacks.remember(this.assembly);
    await deployer.deploy(this.assembly);
  }

  /** `/_local/health`, `/_local/metrics?FunctionName=…`, `/_local/deliveries` */
  private localEndpoint(url: URL, res: import('node:http').ServerResponse): void {
    const json = (v: unknown) => send(res, 200, JSON.stringify(v), { 'Content-Type': 'application/json' });
    switch (url.pathname) {
      case '/_local/health': {
        // ?gc=1: a full garbage collection first, when node runs with --expose-gc (the memory benchmark)
        const gc = (globalThis as { gc?: () => void }).gc;
        if (url.searchParams.get('gc') === '1' && gc) gc();
        const { rss, heapUsed } = process.memoryUsage();
        return json({ status: 'ready', stacks: this.stacks.map((s) => s.name), memory: { rss, heapUsed }, handlerProcesses: this.handlerPids().length });
      }
      case '/_local/metrics': {
        const fn = url.searchParams.get('FunctionName') ?? '';
        const names = ['AsyncEventsReceived', 'AsyncEventAge', 'AsyncEventsDropped', 'DestinationDeliveryFailures', 'DeadLetterErrors', 'RecursiveInvocationsDropped'];
        return json(Object.fromEntries(names.map((n) => [n, n === 'AsyncEventAge'
          ? { SampleCount: this.metrics.lambda(n, fn, 'SampleCount'), Maximum: this.metrics.lambda(n, fn, 'Maximum') }
          : this.metrics.lambda(n, fn, 'Sum')])));
      }
      case '/_local/deliveries': {
        // the latest reports, newest last; ?limit=n for fewer
        const kept = this.deliveries;
        const asked = url.searchParams.get('limit');
        const limit = asked === null ? kept.length : Math.min(kept.length, Math.max(0, Math.floor(Number(asked)) || 0));
        return json({
          total: this.deliveriesTotal,
          dropped: this.deliveriesTotal - kept.length,
          items: kept.slice(kept.length - limit),
          events: { total: this.events.deliveriesTotal, items: this.events.deliveries },
        });
      }
      default: return send(res, 404, 'not found', { 'Content-Type': 'text/plain' });
    }
  }
}
