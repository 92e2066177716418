import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { validationError } from './private/errors';
import { functionTarget } from './private/function-target';
import { grantKeyToFunction, grantToFunction } from './private/grants';
import { checkFunction, checkProps, describeValue } from './private/input-checks';
import { acknowledgeNagFindings } from './private/nag';

/** Properties for {@link FailureRedrive}. */
export interface FailureRedriveProps {
  /**
   * The function, version or alias whose failed events are replayed: only records that name it
   * (`requestContext.functionArn`) are replayed, to it, asynchronously.
   */
  readonly function: lambda.IFunction;

  /**
   * The queue that holds the failure records (the on-failure destination, or a queue subscribed
   * to the on-failure topic). Give `queue` or `bucket`.
   *
   * @default - none; then `bucket` is required
   */
  readonly queue?: sqs.IQueue;

  /**
   * The bucket of an S3 on-failure destination: the records under
   * `aws/lambda/async/<function-name>/` are replayed. Give `queue` or `bucket`.
   *
   * @default - none; then `queue` is required
   */
  readonly bucket?: s3.IBucket;

  /**
   * How many events one run replays at most, unless the run's request says otherwise.
   *
   * A whole number from 1 to 10,000.
   *
   * @default 10
   */
  readonly maxCount?: number;

  /**
   * How many events one run replays per second at most, unless the run's request says otherwise.
   *
   * A whole number from 1 to 1,000.
   *
   * @default 10
   */
  readonly ratePerSecond?: number;
}

/** The compiled runtime side of this package: records, redrive and the redrive handler. */
const RUNTIME_DIR = path.join(__dirname, '..', 'lib', 'records');

/**
 * A function that replays failed asynchronous invocations: it reads the failure records of a
 * function from its failure queue (or S3 failure bucket), invokes the function asynchronously
 * with each record's `requestPayload`, and deletes a record only once Lambda accepted its replay
 * (202). Records that are not invocation records, records of another function and success
 * records are left where they are and reported.
 *
 * Run it with a request `{"dryRun": true}` to list what would be replayed, or
 * `{"maxCount": 50, "ratePerSecond": 5}`; it answers a report of what it replayed, skipped and
 * failed to replay.
 */
export class FailureRedrive extends Construct {
  /** The redrive function: invoke it (RequestResponse) to run a redrive. */
  public readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: FailureRedriveProps) {
    super(scope, id);
    checkProps(this, props);
    checkFunction(this, 'function', props.function);
    if ((props.queue === undefined) === (props.bucket === undefined)) {
      throw validationError(this, `give exactly one of queue and bucket (where the failure records are), got ${props.queue ? 'both' : 'neither'}`);
    }
    const maxCount = validateWhole(this, 'maxCount', props.maxCount, 1, 10_000) ?? 10;
    const ratePerSecond = validateWhole(this, 'ratePerSecond', props.ratePerSecond, 1, 1_000) ?? 10;
    if (!fs.existsSync(path.join(RUNTIME_DIR, 'redrive-handler.js'))) {
      throw validationError(this, `the redrive handler is not built: run \`npx projen compile\` first, got no ${RUNTIME_DIR}/redrive-handler.js`);
    }

    const target = functionTarget(props.function);
    const targetArn = target.qualifier === '$LATEST' ? target.function.functionArn : props.function.functionArn;
    const recordPrefix = `aws/lambda/async/${target.function.functionName}/`;
    const redriveFunction = new lambda.Function(this, 'Function', {
      description: `Replays failed asynchronous invocations of ${props.function.node.path} from their failure records`,
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'redrive-handler.handler',
      code: lambda.Code.fromAsset(RUNTIME_DIR, { exclude: ['*.d.ts'] }),
      // the longest Lambda allows; a queue's records stay invisible to others for as long
      timeout: Duration.minutes(15),
      memorySize: 256,
      environment: {
        TARGET_FUNCTION_ARN: targetArn,
        MAX_COUNT: String(maxCount),
        RATE_PER_SECOND: String(ratePerSecond),
        ...(props.queue ? { QUEUE_URL: props.queue.queueUrl } : { BUCKET_NAME: props.bucket!.bucketName, RECORD_PREFIX: recordPrefix }),
      },
    });
    acknowledgeNagFindings(redriveFunction, [{
      id: 'Serverless-LambdaDLQ',
      reason: 'The redrive function is invoked synchronously by an operator, who reads its report; a dead-letter queue would never receive anything.',
    }, {
      id: 'Serverless-LambdaTracing',
      reason: 'An operator-run maintenance function whose answer is its full report; active tracing would add X-Ray permissions on Resource * for nothing.',
    }]);
    acknowledgeNagFindings(redriveFunction.role!, [{
      id: 'AwsSolutions-IAM4',
      reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs, which the redrive summary goes to.',
      appliesToRegex: '/^Policy::arn:<AWS::Partition>:iam::aws:policy\\/service-role\\/AWSLambdaBasicExecutionRole$/',
    }]);
    this.function = redriveFunction;

    grantToFunction(this, redriveFunction, ['lambda:InvokeFunction'], targetArn);
    if (props.queue) {
      grantToFunction(this, redriveFunction, ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], props.queue.queueArn);
      grantKeyToFunction(this, 'queue', redriveFunction, props.queue.encryptionMasterKey, ['kms:Decrypt'], 'sqs', props.queue);
    } else {
      const bucket = props.bucket!;
      grantToFunction(this, redriveFunction, ['s3:ListBucket'], bucket.bucketArn, { StringLike: { 's3:prefix': `${recordPrefix}*` } });
      grantToFunction(this, redriveFunction, ['s3:GetObject', 's3:DeleteObject'], bucket.arnForObjects(`${recordPrefix}*`));
      grantKeyToFunction(this, 'bucket', redriveFunction, bucket.encryptionKey, ['kms:Decrypt'], 's3', bucket);
      acknowledgeNagFindings(redriveFunction.role!.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'The redrive reads and deletes only the failure records of one function: the objects under its aws/lambda/async/<function-name>/ prefix.',
        appliesToRegex: '/^Resource::.*\\/aws\\/lambda\\/async\\/.*\\/\\*$/',
      }]);
    }
  }
}

function validateWhole(scope: IConstruct, name: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined || Token.isUnresolved(value)) {
    return value;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validationError(scope, `${name} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, got ${describeValue(value)}`);
  }
  return value;
}
