// Hosts fauxqs (an ESM-only package) in its own Node process, bound to 127.0.0.1 on a free port.
// The parent talks to it over HTTP (proxied AWS requests) and learns the port over IPC.
// Kept as a separate process because fauxqs is ESM-only and the local cloud must also load inside
// jest's CommonJS runtime, which cannot import ESM without --experimental-vm-modules.
import { buildApp } from 'fauxqs';

// Queue URLs: fauxqs names them http://sqs.<region>.localhost:<port>/… by default, a host that does
// not resolve here, and SDK clients configured through AWS_ENDPOINT_URL send requests to the queue
// URL's host. With no host set, fauxqs uses the request's Host header: the local cloud's endpoint.
// (SqsStore is not in the package's exports map, so it is imported by file URL.)
const { SqsStore } = await import(new URL('./sqs/sqsStore.js', import.meta.resolve('fauxqs')).href);
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

const app = buildApp({ logger: false, defaultRegion: process.env.LOCAL_CLOUD_REGION || 'us-east-1', stores: { sqsStore } });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.send({ type: 'ready', port: Number(new URL(address).port) });

function shutdown() {
  app.close().finally(() => process.exit(0));
}
process.on('disconnect', shutdown); // the parent went away: never outlive it
process.on('SIGTERM', shutdown);
process.on('message', (m) => { if (m && m.type === 'stop') shutdown(); });
