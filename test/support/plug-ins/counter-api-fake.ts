import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small counter API, the kind a tip jar or an affiliate programme offers: `GET /api/counter` with the key in
 * `x-counter-key` answers the lifetime total earned as decimal text, `{"total": "112.50", "currency": "USD"}`.
 * A wrong key is a 401. The test sets the total before each night's sync, with the day it is the total of; the
 * fake counts the requests. `clockUrl` answers that day as the sandbox's clock does (`{"date": "2026-10-01"}`): a
 * counter tells only the present, so a configuration's `sandboxClock` names its day, and a sync closes it.
 */
export interface CounterApiFake {
  url: string;
  clockUrl: string;
  setTotal(total: string, day?: string): void;
  /** The next answer is this body instead (a reply that does not read), then the fake answers normally again. */
  answerOnceWith(body: string): void;
  requests(): number;
  close(): Promise<void>;
}

export async function startCounterApiFake(key: string): Promise<CounterApiFake> {
  let total = '0.00';
  let day = '2026-10-01';
  let once: string | undefined;
  let requests = 0;
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/__day') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ date: day }));
      return;
    }
    requests += 1;
    if (request.method !== 'GET' || request.url !== '/api/counter') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (request.headers['x-counter-key'] !== key) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
      return;
    }
    const body = once ?? JSON.stringify({ total, currency: 'USD' });
    once = undefined;
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    clockUrl: `http://127.0.0.1:${port}/__day`,
    setTotal: (next, onDay = day) => {
      total = next;
      day = onDay;
    },
    answerOnceWith: (body) => {
      once = body;
    },
    requests: () => requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
