import { InvocationRecord } from '../../src';

/** Records in the shapes AWS sends (see the README's "The invocation record"). */
export const SUCCESS_RECORD: InvocationRecord = {
  version: '1.0',
  timestamp: '2025-11-24T23:08:25.651Z',
  requestContext: {
    requestId: 'c2a6f2ae-7dbb-4d22-8782-d0485c9877e2',
    functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:my-fn:live',
    condition: 'Success',
    approximateInvokeCount: 1,
  },
  requestPayload: { orderId: 'o-1', note: 'emoji 🚀 outside the BMP' },
  responseContext: { statusCode: 200, executedVersion: '3' },
  responsePayload: { ok: true },
};

export const FAILURE_RECORD: InvocationRecord = {
  version: '1.0',
  timestamp: '2025-11-24T23:11:22.004Z',
  requestContext: {
    requestId: '0b6b7c5e-1f7e-4d0e-9a55-6a5c2f7f1d11',
    functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:my-fn:$LATEST',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: { Success: false },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at handler'] },
};

export const ZERO_CONCURRENCY_RECORD: InvocationRecord = {
  version: '1.0',
  timestamp: '2025-11-24T23:12:00.000Z',
  requestContext: {
    requestId: '4f1e0d2c-6b8a-4c3e-8f1a-2d3c4b5a6978',
    functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:my-fn:$LATEST',
    condition: 'ZeroReservedConcurrency',
    approximateInvokeCount: 0,
  },
  requestPayload: 'a string event',
};

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:111111111111:records';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:records';
const BUS_ARN = 'arn:aws:events:us-east-1:111111111111:event-bus/records';

/** An SNS notification as an SQS subscriber without raw delivery receives it (no Subject, no MessageAttributes). */
export function snsEnvelope(record: unknown): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: TOPIC_ARN,
    Message: JSON.stringify(record),
    Timestamp: '2025-11-24T23:08:25.700Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:0`,
  };
}

/** An event bus destination's event (and the body of an SQS target of a rule on it). */
export function resultEvent(record: InvocationRecord): Record<string, unknown> {
  const outcome = record.requestContext.condition === 'Success' ? 'Success' : 'Failure';
  return {
    'version': '0',
    'id': '2e0d6f3a-4c4e-6d5e-1b3a-0f6b2f4c5d6e',
    'detail-type': `Lambda Function Invocation Result - ${outcome}`,
    'source': 'lambda',
    'account': '111111111111',
    'time': '2025-11-24T23:08:25Z',
    'region': 'us-east-1',
    'resources': [BUS_ARN, record.requestContext.functionArn],
    'detail': record,
  };
}

/** `ReceiveMessage`'s `Messages[i]`. */
export function sqsMessage(body: string, id = 'a0e1f3b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b'): Record<string, unknown> {
  return { MessageId: id, ReceiptHandle: 'AQEB…', MD5OfBody: '0', Body: body };
}

/** A Lambda event from an SQS event source mapping. */
export function sqsEvent(...bodies: string[]): Record<string, unknown> {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `059f36b4-87a3-44ab-83d2-66197592838${i}`,
      receiptHandle: 'AQEB…',
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1732489705651', SenderId: 'AROA…', ApproximateFirstReceiveTimestamp: '1732489705652' },
      messageAttributes: {},
      md5OfBody: '0',
      eventSource: 'aws:sqs',
      eventSourceARN: QUEUE_ARN,
      awsRegion: 'us-east-1',
    })),
  };
}

/** A Lambda event from an SNS subscription. */
export function snsLambdaEvent(record: unknown): Record<string, unknown> {
  const envelope = snsEnvelope(record);
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC_ARN}:0`,
      Sns: { ...envelope, Subject: null, MessageAttributes: {}, SigningCertUrl: envelope.SigningCertURL, UnsubscribeUrl: envelope.UnsubscribeURL },
    }],
  };
}

/** A Lambda event from an S3 event notification: it names an object but carries no record. */
export function s3NotificationEvent(bucket: string, key: string): Record<string, unknown> {
  return {
    Records: [{
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key, size: 512 } },
    }],
  };
}
