import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxMount } from '../mount.js';
import { jsonReply, sendReply, type RequestLog } from './exchange.js';
import type { FaultOptions, FaultQueue } from './faults.js';
import type { TokenBook } from './tokens.js';

export function fakeControls<F>(tokens: TokenBook, faults: FaultQueue<F>, log: RequestLog) {
  return {
    issueAccessToken: () => tokens.issueAccess('issued'),
    expireAccessTokens: () => tokens.expireAccessTokens(),
    revokeTokens: () => {
      tokens.revokeAccessTokens();
      tokens.revokeRefreshTokens();
    },
    injectFault: (fault: F, options?: FaultOptions) => faults.add(fault, options),
    clearFaults: () => faults.clear(),
    requestLog: () => log.entries(),
  };
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface LoopbackServer {
  /** "http://127.0.0.1:PORT" */
  origin: string;
  close(): Promise<void>;
}

/** Serves one mount alone on 127.0.0.1 and an ephemeral port: what the tests and `start…Fake` use. */
export async function serveMountOnLoopback(mount: SandboxMount): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        sendReply(response, jsonReply(413, { error: 'request body too large' }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      if (path !== mount.prefix && !path.startsWith(`${mount.prefix}/`)) {
        sendReply(response, jsonReply(404, { error: `no such path: ${path}` }));
        return;
      }
      const subPath = path.slice(mount.prefix.length) || '/';
      Promise.resolve()
        .then(() => mount.handle(request, response, subPath, Buffer.concat(chunks)))
        .catch((error: unknown) => {
          if (!response.headersSent) sendReply(response, jsonReply(500, { error: `fake failed: ${String(error)}` }));
          else response.destroy();
        });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface RunningFake<M extends SandboxMount> {
  /** The fake's state, controls and inspection. */
  fake: M;
  origin: string;
  close(): Promise<void>;
}

/** Serves a fake alone on 127.0.0.1 (an ephemeral port), with its URLs on that origin. */
export async function serveFake<M extends SandboxMount, U>(
  fake: M,
  urlsOn: (origin: string) => U,
): Promise<RunningFake<M> & U> {
  const server = await serveMountOnLoopback(fake);
  return { fake, origin: server.origin, ...urlsOn(server.origin), close: server.close };
}
