import { S3Client } from '@aws-sdk/client-s3';
import { IamStore } from '../../../src/iam/iam-store';
import { FauxqsBackend } from '../../../src/services/backend/fauxqs';
import {
  DestinationKind, eventBridgeDestination, lambdaDestination, parseArn, s3Destination, snsDestination, sqsDestination,
} from '../../../src/services/lambda/destinations';
import { ExecutionRole } from '../../../src/services/lambda/execution-role';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:t';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
const BUCKET = 'arn:aws:s3:::b';
const KEY = 'arn:aws:kms:us-east-1:000000000000:key/k';

/** The five kinds, none of which sends here (only their permissions are read). */
function kinds(): Map<string, DestinationKind> {
  const never = () => {
    throw new Error('not sent in this test');
  };
  const list = [
    sqsDestination({} as FauxqsBackend),
    snsDestination(never),
    s3Destination({} as S3Client),
    lambdaDestination({ lookup: never, invokeAsync: never }),
    eventBridgeDestination({ region: 'us-east-1', accountId: '000000000000' }, () => undefined),
  ];
  return new Map(list.map((k) => [k.service, k]));
}

function role(): ExecutionRole {
  const byService = kinds();
  const r = new ExecutionRole(new IamStore('000000000000'), (service) => byService.get(service));
  for (const encrypted of [QUEUE, TOPIC, BUCKET]) r.destinationKeys.set(encrypted, KEY);
  return r;
}

const actions = (list: { action: string; resource: string }[]) => list.map((p) => `${p.action} ${p.resource}`);

describe('the IAM actions of each destination kind', () => {
  test.each([
    [QUEUE, [`sqs:SendMessage ${QUEUE}`]],
    [TOPIC, [`sns:Publish ${TOPIC}`]],
    [FUNCTION, [`lambda:InvokeFunction ${FUNCTION}`]],
    [BUS, [`events:PutEvents ${BUS}`]],
    [BUCKET, [`s3:PutObject ${BUCKET}/*`, `s3:ListBucket ${BUCKET}`]],
    ['arn:aws:kinesis:us-east-1:000000000000:stream/s', []],
  ])('when the config is made, %s needs only its own action(s)', (destination, expected) => {
    expect(actions(role().requiredPermissions(destination, false))).toEqual(expected);
  });

  test.each([
    [QUEUE, [`sqs:SendMessage ${QUEUE}`, `kms:GenerateDataKey ${KEY}`, `kms:Decrypt ${KEY}`]],
    [TOPIC, [`sns:Publish ${TOPIC}`, `kms:GenerateDataKey ${KEY}`, `kms:Decrypt ${KEY}`]],
    [BUCKET, [`s3:PutObject ${BUCKET}/aws/lambda/async/f/x`, `s3:ListBucket ${BUCKET}`, `kms:GenerateDataKey ${KEY}`]],
  ])('at delivery, %s encrypted with a customer managed key also needs the KMS actions', (destination, expected) => {
    expect(actions(role().requiredPermissions(destination, true, 'aws/lambda/async/f/x'))).toEqual(expected);
  });

  test('the resource policy that applies is the destination\'s own, the key\'s for KMS', () => {
    expect(role().requiredPermissions(BUCKET, true).map((p) => p.policyResource)).toEqual([BUCKET, BUCKET, KEY]);
  });

  test('parseArn reads the service, region, account and the whole resource', () => {
    expect(parseArn(`${FUNCTION}:live`)).toEqual({ service: 'lambda', region: 'us-east-1', account: '000000000000', resource: 'function:f:live' });
  });

  test('an EventBridge destination without a registered handler is not supported', async () => {
    const kind = kinds().get('events')!;
    const fn = { arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' } as never;
    await expect(kind.send({ destination: BUS, arn: parseArn(BUS), body: '{}', kind: 'OnFailure', fn, qualifier: '$LATEST', hops: 0 }))
      .rejects.toThrow(`destination ${BUS}: events destinations are not supported by the local cloud`);
  });
});
