import * as http from 'node:http';

/** What a response was given: status, headers and body. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A ServerResponse that records what it was given, for API handlers tested without a server. */
export function recorder(): { res: http.ServerResponse; sent: () => RecordedResponse } {
  let status = 0;
  let headers: Record<string, string> = {};
  let body = '';
  const res = {
    writeHead(s: number, h: Record<string, string>) {
      status = s;
      headers = h;
      return res;
    },
    end(b: string | Buffer) {
      body = String(b);
      return res;
    },
  } as unknown as http.ServerResponse;
  return { res, sent: () => ({ status, headers, body }) };
}
