'use strict';
// The Node.js "runtime" of the local cloud: one warm process per function instance. It loads the
// handler module once (init), then runs one invocation at a time on request from the parent over
// IPC, and reports the result or the error payload AWS's Node runtime would produce.
//
// Messages in:  { type: 'env', env } first: the function's environment, which is not in the launch
//               environment so that no other process can read it from /proc/<pid>/environ
//               { type: 'invoke', id, requestId, event (JSON text), deadlineMs, invokedFunctionArn }
// Messages out: { type: 'result', id, ok: true, payload (JSON text) }
//               { type: 'result', id, ok: false, error: { errorType, errorMessage, trace } }

const path = require('node:path');
const { pathToFileURL } = require('node:url');
const util = require('node:util');

// CloudFormation custom resource responses: the local cloud hands providers a ResponseURL on this
// reserved host (`.invalid` never resolves). `https` requests to exactly this host are sent over plain
// HTTP to the local cloud's endpoint, same path; requests to every other host are untouched (TLS as usual).
const CFN_RESPONSE_HOST = 'cloudformation-custom-resource-response.local-cloud.invalid';
function routeCustomResourceResponses() {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) return;
  const http = require('node:http');
  const https = require('node:https');
  const local = new URL(endpoint);
  // (url[, options][, callback]) or (options[, callback]) → [options, callback] for http.request, or undefined
  function redirect(args, method) {
    let url;
    let options;
    let callback;
    if (typeof args[0] === 'string' || args[0] instanceof URL) {
      url = new URL(String(args[0]));
      if (typeof args[1] === 'function') callback = args[1];
      else [options, callback] = [args[1], args[2]];
    } else {
      [options, callback] = [args[0], args[1]];
    }
    options = options || {};
    const host = url ? url.hostname : String(options.hostname || options.host || '').replace(/:\d+$/, '');
    if (host.toLowerCase() !== CFN_RESPONSE_HOST) return undefined;
    const headers = { ...(options.headers || {}) };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'host') delete headers[k];
    return [{
      protocol: 'http:', hostname: local.hostname, port: local.port, method: options.method || method,
      path: url ? url.pathname + url.search : (options.path || '/'), headers, timeout: options.timeout,
    }, callback];
  }
  const request = https.request;
  const get = https.get;
  https.request = function (...args) {
    const r = redirect(args, 'GET');
    return r ? http.request(r[0], r[1]) : request.apply(this, args);
  };
  https.get = function (...args) {
    const r = redirect(args, 'GET');
    if (!r) return get.apply(this, args);
    const req = http.request(r[0], r[1]);
    req.end();
    return req;
  };
}

let taskRoot;
let handlerSpec;

/** The function's environment arrived: set it, then what depends on it. */
function applyEnvironment(env) {
  Object.assign(process.env, env);
  taskRoot = process.env.LAMBDA_TASK_ROOT;
  handlerSpec = process.env._HANDLER;
  routeCustomResourceResponses();
}
let handlerFn; // loaded lazily at the first invocation, as AWS does at cold start
let initError;

function hex(n) {
  return require('node:crypto').randomBytes(n).toString('hex');
}

function traceHeader(invocations) {
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${hex(12)}`;
  return `Root=${root};Parent=${hex(8)};Sampled=0;Lineage=${hex(4)}:${invocations}`;
}

/**
 * An AWS SDK v3 client the handler requires but nobody installed: say which package to install
 * (Lambda's Node.js runtimes ship every client; here they come from the project's node_modules).
 */
function explainMissingSdk(error) {
  const missing = error && error.code === 'MODULE_NOT_FOUND' && /^Cannot find module '(@aws-sdk\/[^'/]+)[^']*'/.exec(String(error.message));
  if (missing && !String(error.message).includes('npm install')) {
    error.message = `${error.message}\nThe local cloud offers handlers the AWS SDK v3 clients installed in your project ` +
      `(Lambda's Node.js runtimes include all of them): npm install --save-dev ${missing[1]}`;
  }
  return error;
}

function toErrorPayload(error) {
  try {
    if (util.types.isNativeError(error) || (error && typeof error === 'object' && typeof error.stack === 'string' && 'message' in error)) {
      return {
        errorType: error.name,
        errorMessage: error.message,
        trace: String(error.stack).split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' };
  }
}

function initFailure(errorType, cause) {
  const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return {
    errorType,
    errorMessage: message,
    trace: [`${errorType}: ${message}`, ...(cause && cause.stack ? String(cause.stack).split('\n').slice(1) : [])],
  };
}

async function loadHandler() {
  const dot = handlerSpec.lastIndexOf('.');
  const moduleName = handlerSpec.slice(0, dot);
  const fnPath = handlerSpec.slice(dot + 1);
  const base = path.resolve(taskRoot, moduleName);
  const fs = require('node:fs');
  if (path.relative(taskRoot, base).split(path.sep)[0] === '..' || path.isAbsolute(path.relative(taskRoot, base))) {
    // the deployer rejects such handlers; never load a module from outside the code directory
    throw { kind: 'Runtime.ImportModuleError', cause: new Error(`Cannot find module '${moduleName}': outside the function's code directory`) };
  }
  const candidates = ['.js', '.mjs', '.cjs'].map((ext) => base + ext);
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw { kind: 'Runtime.ImportModuleError', cause: new Error(`Cannot find module '${moduleName}'\nRequire stack:\n- ${__filename}`) };
  }
  let mod;
  try {
    if (file.endsWith('.mjs')) {
      mod = await import(pathToFileURL(file).href);
    } else {
      try {
        mod = require(file);
      } catch (e) {
        if (e && e.code === 'ERR_REQUIRE_ESM') mod = await import(pathToFileURL(file).href);
        else throw e;
      }
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw { kind: 'Runtime.UserCodeSyntaxError', cause: e };
    throw { kind: 'Runtime.ImportModuleError', cause: explainMissingSdk(e) };
  }
  let fn = mod;
  for (const part of fnPath.split('.')) fn = fn == null ? undefined : fn[part];
  if (fn === undefined && mod && mod.default) {
    fn = mod.default;
    for (const part of fnPath.split('.')) fn = fn == null ? undefined : fn[part];
  }
  if (typeof fn !== 'function') {
    throw { kind: 'Runtime.HandlerNotFound', cause: new Error(`${handlerSpec} is undefined or not exported`), plain: true };
  }
  return fn;
}

function runHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err);
      else resolve(result);
    };
    context.done = callback;
    context.succeed = (r) => callback(null, r);
    context.fail = (e) => callback(e ?? 'handled');
    try {
      const ret = fn(event, context, callback);
      if (ret && typeof ret.then === 'function') {
        ret.then((r) => callback(null, r), (e) => callback(e === undefined || e === null ? new Error(String(e)) : e));
      } else if (fn.length < 3) {
        callback(null, ret);
      }
    } catch (e) {
      callback(e);
    }
  });
}

// console as AWS's Node runtime formats it: `<time>\t<request id>\t<LEVEL>\t<message>`, on stdout; the
// lines of the invocation in progress are also kept for `X-Amz-Log-Type: Tail`
let currentRequestId;
let logBuffer = null;
function logLine(level, text) {
  const line = `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${text}\n`;
  if (logBuffer !== null && logBuffer.length < 64 * 1024) logBuffer += line;
  process.stdout.write(line);
}
for (const [method, level] of Object.entries({ log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' })) {
  console[method] = (...args) => logLine(level, util.format(...args));
}
function takeLog() {
  const log = logBuffer ?? '';
  logBuffer = null;
  return log;
}

process.on('message', async (msg) => {
  if (msg && msg.type === 'env') return applyEnvironment(msg.env);
  if (!msg || msg.type !== 'invoke') return;
  const { id, requestId, event, deadlineMs, invokedFunctionArn, hops } = msg;
  currentRequestId = requestId;
  // the X-Ray trace header of the invocation: SDK clients send it on (X-Amzn-Trace-Id), and its
  // Lineage counter tells Lambda how many invocations the chain had (recursive loop detection)
  process.env._X_AMZN_TRACE_ID = traceHeader((hops || 0) + 1);
  logBuffer = '';
  if (!handlerFn && !initError) {
    try {
      handlerFn = await loadHandler();
    } catch (e) {
      initError = e && e.kind
        ? (e.plain ? { errorType: e.kind, errorMessage: e.cause.message, trace: [] } : initFailure(e.kind, e.cause))
        : initFailure('Runtime.ImportModuleError', e);
    }
  }
  if (initError) {
    logLine('ERROR', `Uncaught Exception \t${JSON.stringify(initError)}`);
    process.send({ type: 'result', id, ok: false, error: initError, initFailed: true, log: takeLog() });
    return;
  }
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  try {
    const result = await runHandler(handlerFn, JSON.parse(event), context);
    const payload = result === undefined ? 'null' : JSON.stringify(result);
    process.send({ type: 'result', id, ok: true, payload, log: takeLog() });
  } catch (e) {
    const error = toErrorPayload(explainMissingSdk(e));
    logLine('ERROR', `Invoke Error \t${JSON.stringify(error)}`);
    process.send({ type: 'result', id, ok: false, error, log: takeLog() });
  }
});

// the local cloud went away: never outlive it, nor leave behind what the handler started (this
// process leads its own process group)
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(0);
  }
});
// AWS's runtime treats an uncaught exception or unhandled rejection as fatal for the invocation in
// progress: report it, then exit once the message is flushed (the parent starts a fresh process)
function fatal(error, code) {
  const exit = () => process.exit(code);
  try {
    process.send({ type: 'fatal', error }, exit);
  } catch {
    exit();
  }
  setTimeout(exit, 1000).unref();
}
process.on('uncaughtException', (e) => fatal(toErrorPayload(e), 129));
process.on('unhandledRejection', (reason) => fatal(initFailure('Runtime.UnhandledPromiseRejection', reason), 128));
process.send({ type: 'ready' });
