import { InvocationOutcome } from './worker-pool';

/** One CloudWatch Logs event of an invocation. */
export interface InvocationLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** A console line as the runtime writes it: `<ISO time>\t<request id>\t<LEVEL>\t<message>`. */
const CONSOLE_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\t([^\t]*)\t([A-Z]+)\t/;

/**
 * The log events of one invocation as Lambda writes them to the function's stream: START, one
 * event per console call (a multi-line message stays one event), the timeout line, END and
 * REPORT. With `format` `JSON` (the function's `LoggingConfig.LogFormat`), console events are
 * `{timestamp, level, requestId, message}` objects and the platform lines `platform.*` records.
 */
export function invocationLogEvents(out: InvocationOutcome, requestId: string, version: string, memorySize: number,
  format: 'Text' | 'JSON' = 'Text'): InvocationLogEvent[] {
  const started = out.startedAt ?? Date.now();
  const ended = started + (out.durationMs ?? 0);
  const duration = (out.durationMs ?? 0).toFixed(2);
  const billed = Math.max(1, Math.ceil(out.durationMs ?? 0));
  const json = format === 'JSON';
  const events: InvocationLogEvent[] = [];
  events.push({
    timestamp: started,
    message: json
      ? JSON.stringify({ time: new Date(started).toISOString(), type: 'platform.start', record: { requestId, version } })
      : `START RequestId: ${requestId} Version: ${version}\n`,
  });
  for (const line of consoleEvents(out.log ?? '')) {
    const m = CONSOLE_LINE.exec(line);
    const timestamp = m ? Date.parse(m[1]) : started;
    if (json && m) {
      const text = line.slice(m[0].length).replace(/\n$/, '');
      events.push({ timestamp, message: JSON.stringify({ timestamp: m[1], level: m[3], requestId: m[2], message: text }) });
    } else {
      events.push({ timestamp, message: line });
    }
  }
  if (!out.ok && out.error.errorType === 'Sandbox.Timedout') {
    const after = out.error.errorMessage.split(' after ')[1];
    events.push({ timestamp: ended, message: `${new Date(ended).toISOString()} ${requestId} Task timed out after ${after}\n` });
  }
  if (json) {
    events.push({ timestamp: ended, message: JSON.stringify({ time: new Date(ended).toISOString(), type: 'platform.runtimeDone', record: { requestId, status: out.ok ? 'success' : 'failure' } }) });
    events.push({
      timestamp: ended,
      message: JSON.stringify({
        time: new Date(ended).toISOString(),
        type: 'platform.report',
        record: { requestId, metrics: { durationMs: Number(duration), billedDurationMs: billed, memorySizeMB: memorySize }, status: out.ok ? 'success' : 'failure' },
      }),
    });
  } else {
    events.push({ timestamp: ended, message: `END RequestId: ${requestId}\n` });
    events.push({ timestamp: ended, message: `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memorySize} MB\t\n` });
  }
  return events;
}

/** The console calls in an invocation's log text: a new one starts at each line with the runtime's prefix. */
function consoleEvents(log: string): string[] {
  const out: string[] = [];
  for (const line of log.split(/(?<=\n)/)) {
    if (line === '') continue;
    if (out.length === 0 || CONSOLE_LINE.test(line)) out.push(line);
    else out[out.length - 1] += line;
  }
  return out;
}
