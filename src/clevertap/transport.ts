/**
 * One POST over node:http(s) with a keep-alive agent. node:http rather than fetch because it tells
 * us whether the request was fully written before a failure (`finish`), which is exactly the line
 * between "nothing happened" (safe to retry any call) and "it may have landed" (ambiguous).
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  /**
   * The body as it arrived, chunk by chunk: digested as it is (./client.ts answerDigest), never
   * joined or decoded when nothing reads it. Two ~600 KB list answers joined, decoded and encoded
   * again for their digest touched ~1.8 MB of fresh memory each on the no-change plan's path.
   */
  readonly body: readonly Buffer[];
  /** The body decoded as UTF-8, when first read. */
  readonly text: string;
}

/** A failure before a complete answer arrived. `sent`: the whole request had reached the socket. */
export class TransportFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    readonly sent: boolean,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export type Agent = http.Agent;

/**
 * Idle pooled connections are closed after this long: a server or load balancer that silently
 * dropped an idle connection would otherwise make our next write fail after sending, which reads
 * as ambiguous although nothing happened. (Servers that announce `Keep-Alive: timeout=N` are
 * honoured by Node already.) Only idle sockets are affected; a slow answer is not cut short.
 */
const IDLE_SOCKET_MS = 4_000;

export function createAgent(baseUrl: string): Agent {
  const opts = { keepAlive: true, keepAliveMsecs: 1000, timeout: IDLE_SOCKET_MS };
  return baseUrl.startsWith('https:') ? new https.Agent(opts) : new http.Agent(opts);
}

export function postJson(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise<HttpAnswer>((resolve, reject) => {
    let sent = false;
    let settled = false;
    const fail = (err: unknown, sentNow: boolean) => {
      if (settled) return;
      settled = true;
      const kind = signal.aborted ? 'timeout' : 'network';
      const detail = kind === 'timeout' ? `no answer within ${timeoutMs} ms` : systemErrorText(err);
      reject(new TransportFailure(kind, sentNow, detail));
    };
    const req = request(url, {
      method: 'POST',
      agent: agent as http.Agent,
      signal,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
    });
    req.on('finish', () => {
      sent = true;
    });
    req.on('error', (err) => fail(err, sent));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => fail(err, true));
      res.on('close', () => {
        if (!res.complete) fail(new Error('connection closed in the middle of the answer'), true);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        let text: string | undefined;
        resolve({
          status: res.statusCode ?? 0,
          body: chunks,
          get text() {
            return (text ??= Buffer.concat(chunks).toString('utf8'));
          },
        });
      });
    });
    req.end(body);
  });
}

/** Only the error code and syscall-level text; never anything that could echo request headers. */
function systemErrorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    const message = (err as { message?: unknown }).message;
    if (typeof code === 'string' && typeof message === 'string') return `${code}: ${message}`;
    if (typeof message === 'string') return message;
  }
  return 'network error';
}
