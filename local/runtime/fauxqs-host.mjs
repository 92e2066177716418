// Hosts fauxqs (an ESM-only package) in its own Node process, bound to 127.0.0.1 on a free port.
// The parent talks to it over HTTP (proxied AWS requests) and learns the port over IPC.
// Kept as a separate process because fauxqs is ESM-only and the local cloud must also load inside
// jest's CommonJS runtime, which cannot import ESM without --experimental-vm-modules.
import { buildApp } from 'fauxqs';

// Queue URLs: fauxqs names them http://sqs.<region>.localhost:<port>/… by default, a host that does
// not resolve here, and SDK clients configured through AWS_ENDPOINT_URL send requests to the queue
// URL's host. With no host set, fauxqs uses the request's Host header: the local cloud's endpoint.
// (SqsStore and SqsQueue are not in the package's exports map, so they are imported by file URL.)
const { SqsStore, SqsQueue } = await import(new URL('./sqs/sqsStore.js', import.meta.resolve('fauxqs')).href);
const sqsStore = new SqsStore();
sqsStore.host = '';

// fauxqs 2.4.1 checks message bodies with /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/, without the `u` flag
// and without #x10000–#x10FFFF, so every character outside the Basic Multilingual Plane (an emoji:
// a surrogate pair) is rejected with InvalidMessageContents, where SQS accepts it. The one RegExp
// object its SendMessage, SendMessageBatch and sendMessage paths share gets SQS's own character set.
const sqsTypes = await import(new URL('./sqs/sqsTypes.js', import.meta.resolve('fauxqs')).href);
// eslint-disable-next-line no-control-regex
const SQS_INVALID_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
sqsTypes.INVALID_MESSAGE_BODY_CHAR.test = (text) => SQS_INVALID_CHAR.test(text);

// Time scale: SQS's delays and visibility timeouts last `timeScale` times as long as they say (30 s →
// 30 ms at 0.001), as the local cloud's retries and long polls do, so an app behaves the same at 0.001
// and at 1. fauxqs turns seconds into a deadline (`Date.now() + seconds * 1000`) in exactly three
// methods; each gets its seconds scaled on the way in. Requests are validated and attributes stored
// before that, so every AWS-visible value (errors, GetQueueAttributes) stays the one configured.
const timeScale = Number(process.env.LOCAL_CLOUD_TIME_SCALE ?? 1);
if (Number.isFinite(timeScale) && timeScale > 0 && timeScale !== 1) {
  for (const f of [SqsStore.createMessage, SqsQueue.prototype.dequeue, SqsQueue.prototype.changeVisibility]) {
    if (typeof f !== 'function') throw new Error(`fauxqs changed: cannot scale SQS delays and visibility timeouts (${f})`);
  }
  // SendMessage(Batch), per message or the queue's DelaySeconds; fauxqs passes undefined for no delay
  const createMessage = SqsStore.createMessage;
  SqsStore.createMessage = (body, attributes, delaySeconds, ...rest) =>
    createMessage.call(SqsStore, body, attributes, delaySeconds ? delaySeconds * timeScale : delaySeconds, ...rest);
  // ReceiveMessage: its VisibilityTimeout, else the queue's
  const dequeue = SqsQueue.prototype.dequeue;
  SqsQueue.prototype.dequeue = function (maxCount, visibilityTimeout, dlqResolver) {
    const seconds = visibilityTimeout ?? parseInt(this.attributes.VisibilityTimeout, 10);
    return dequeue.call(this, maxCount, seconds * timeScale, dlqResolver);
  };
  // ChangeMessageVisibility(Batch); 0 (visible at once) stays 0
  const changeVisibility = SqsQueue.prototype.changeVisibility;
  SqsQueue.prototype.changeVisibility = function (receiptHandle, seconds) {
    return changeVisibility.call(this, receiptHandle, seconds * timeScale);
  };
}

const app = buildApp({ logger: false, defaultRegion: process.env.LOCAL_CLOUD_REGION || 'us-east-1', stores: { sqsStore } });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.send({ type: 'ready', port: Number(new URL(address).port) });

function shutdown() {
  app.close().finally(() => process.exit(0));
}
process.on('disconnect', shutdown); // the parent went away: never outlive it
process.on('SIGTERM', shutdown);
process.on('message', (m) => { if (m && m.type === 'stop') shutdown(); });
