/**
 * A pass-through HTTP proxy in front of the emulator, for one process's CLEVERTAP_API_URL: every
 * request goes on to the emulator unchanged. Armed with a callback, the next send (`/1/send/...`)
 * is forwarded, and once the emulator answered (it took the send) the callback runs (e.g. kill -9
 * of the process) and the answer is never passed back: the send is in flight at the kill, the case
 * `unknown` is for. Only the HTTP edge is faked; the emulator stays the CleverTap of record.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SendTap {
  url: string;
  /** Runs `cut` when the emulator has answered the next send, instead of passing the answer on. */
  armOnce(cut: () => void): void;
  close(): Promise<void>;
}

export async function startSendTap(upstream: string): Promise<SendTap> {
  const target = new URL(upstream);
  let armed: (() => void) | null = null;
  const server: Server = createServer((req, res) => {
    const cut = req.url?.startsWith('/1/send/') ? armed : null;
    if (cut) armed = null;
    const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      if (cut) {
        answer.resume();
        answer.on('end', () => {
          cut();
          res.destroy();
        });
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    armOnce: (cut) => (armed = cut),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
