import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsentTimeoutError } from '../../errors.js';
import { listenOn } from '../../http/index.js';

/** The path the loopback redirect URI ends in: http://localhost:PORT/callback. */
export const CALLBACK_PATH = '/callback';

interface LoopbackListener {
  /** http://localhost:PORT/callback: what the vendor must have registered. */
  redirectUri: string;
  /** The full URL of the one callback received; the listener is closed when it settles, by a callback, the timeout or the signal. */
  callback(timeoutMs: number, signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

const RECEIVED_PAGE =
  '<!doctype html><meta charset="utf-8"><title>ledgerline</title>' +
  '<p>ledgerline received the answer. Return to the terminal to see whether the connection was made; this tab can be closed.</p>';

/**
 * A listener on 127.0.0.1 that takes exactly one request to /callback and
 * stops (RFC 8252 §7.3). The redirect URI names `localhost`, which Xero and
 * Intuit accept for development apps; the listener binds the IPv4 loopback
 * only, so nothing off this machine can reach it. Other paths (a favicon) get a
 * 404 and do not count.
 */
export async function openLoopbackListener(port: number): Promise<LoopbackListener> {
  let received: ((url: string) => void) | undefined;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' || path !== CALLBACK_PATH || received === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const deliver = received;
    received = undefined;
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' })
      .end(RECEIVED_PAGE);
    deliver(`http://localhost:${(server.address() as AddressInfo).port}${request.url ?? ''}`);
  });
  await listenOn(server, port, '127.0.0.1', 'connect (the consent callback)');
  const bound = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    redirectUri: `http://localhost:${bound}${CALLBACK_PATH}`,
    close,
    callback: (timeoutMs, signal) =>
      new Promise<string>((resolve, reject) => {
        const finish = (outcome: () => void) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          void close().then(outcome);
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new ConsentTimeoutError(
                  `the consent was not completed within ${Math.round(timeoutMs / 1000)} s; nothing was stored ` +
                    `and port ${bound} is free again. Run connect again (--timeout SECONDS waits longer)`,
                ),
              ),
            ),
          timeoutMs,
        );
        const onAbort = () =>
          finish(() =>
            reject(
              new ConsentTimeoutError(
                `connect was stopped before the consent came back; nothing was stored and port ${bound} is free again`,
              ),
            ),
          );
        signal.addEventListener('abort', onAbort, { once: true });
        received = (url) => finish(() => resolve(url));
      }),
  };
}
