import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startPanelProxy,
  type AddOutcome,
  type AddRequest,
  type KeptAt,
  type PanelProxy,
  type ProxyLogFields,
} from '../../../../src/kinds/panel/proxy/panel-proxy.js';

const KEY = 'panel-key-7d1e9a';
const REQUESTED_AT = new Date('2026-03-02T10:15:00Z');

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

interface Harness {
  proxy: PanelProxy;
  /** What the fake panel received, in order. */
  received: Received[];
  /** Each add request kept, with how many requests the panel had received when it was. */
  requests: { request: AddRequest; panelHadReceived: number }[];
  outcomes: { request: AddRequest; outcome: AddOutcome }[];
  /** Answers the requests the fake panel has held so far (those `answer` left unanswered). */
  answerHeld(answer: Answer): void;
  logs: { level: string; message: string; fields: ProxyLogFields | undefined }[];
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

/** A fake panel on 127.0.0.1:0 that keeps every request and answers with `answer`; one it leaves unanswered is held. */
async function fakePanel(
  answer: (request: Received) => Answer | undefined,
): Promise<{ url: string; received: Received[]; answerHeld(answer: Answer): void }> {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const reply = (response: ServerResponse, answer: Answer) => {
    response.writeHead(answer.status, answer.headers ?? { 'content-type': 'application/json' });
    response.end(answer.body);
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const got = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      received.push(got);
      const answered = answer(got);
      if (answered === undefined) held.push(response);
      else reply(response, answered);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`,
    received,
    answerHeld: (answer) => held.splice(0).forEach((response) => reply(response, answer)),
  };
}

/** Where the fake ledger keeps things: `spool` says the ledger was busy, `nowhere` that the spool failed too. */
type FakeKeeping = 'ledger' | 'spool' | 'nowhere';

async function startHarness(
  answer: (request: Received) => Answer | undefined,
  options: {
    requestsKept?: FakeKeeping;
    outcomesKept?: FakeKeeping;
    upstreamTimeoutMs?: number;
    maxBodyBytes?: number;
    panelUrl?: string;
  } = {},
): Promise<Harness> {
  const panel = await fakePanel(answer);
  const requests: Harness['requests'] = [];
  const outcomes: Harness['outcomes'] = [];
  const logs: Harness['logs'] = [];
  const log = (level: string) => (message: string, fields?: ProxyLogFields) =>
    void logs.push({ level, message, fields });
  const keep = (where: FakeKeeping = 'ledger'): KeptAt => {
    if (where === 'nowhere') throw new Error('ENOSPC: no space left on device, write');
    return where === 'ledger'
      ? { at: 'ledger' }
      : { at: 'spool', path: '/data/smm-panel.proxy-spool.jsonl', ledgerError: 'database is locked' };
  };
  const proxy = await startPanelProxy({
    sourceId: 'smm-panel',
    url: options.panelUrl ?? panel.url,
    apiKey: KEY,
    ledger: {
      async keepAddRequest(request) {
        const kept = keep(options.requestsKept);
        requests.push({ request, panelHadReceived: panel.received.length });
        return kept;
      },
      async keepAddOutcome(request, outcome) {
        const kept = keep(options.outcomesKept);
        outcomes.push({ request, outcome });
        return kept;
      },
    },
    host: '127.0.0.1',
    port: 0,
    requestTime: () => Promise.resolve(REQUESTED_AT),
    clock: () => new Date('2026-03-02T10:15:01Z'),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    ...(options.upstreamTimeoutMs === undefined ? {} : { upstreamTimeoutMs: options.upstreamTimeoutMs }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  open.push(() => proxy.close());
  return { proxy, received: panel.received, requests, outcomes, answerHeld: panel.answerHeld, logs };
}

/** The order ids the outcomes kept say the panel placed. */
function placedOrders(harness: Harness): string[] {
  return harness.outcomes.flatMap(({ outcome }) =>
    outcome.kind === 'answered' && outcome.reading.kind === 'placed' ? [outcome.reading.orderId] : [],
  );
}

const urlencoded = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

const BOUNDARY = '----ledgerline7f3a';
/** A multipart body written out by hand, so the test knows every byte the panel must receive. */
function multipart(fields: Record<string, string>): Buffer {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`);
}

describe('the panel proxy forwards requests unchanged', () => {
  it('a multipart add reaches the panel byte for byte, and the order is recorded from its fields', async () => {
    const harness = await startHarness(() => ({ status: 200, body: '{"order": 23501}' }));
    const body = multipart({
      key: KEY,
      action: 'add',
      service: '5',
      link: 'https://t.me/poll/9',
      quantity: '300',
      answer_number: '2',
    });
    const reply = await fetch(`${harness.proxy.url}/api/v2`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
    });

    expect([reply.status, reply.headers.get('content-type'), await reply.text()]).toEqual([
      200,
      'application/json',
      '{"order": 23501}',
    ]);
    expect(harness.received).toHaveLength(1);
    const [sent] = harness.received;
    expect([sent!.method, sent!.url, sent!.headers['content-type'], sent!.body.equals(body)]).toEqual([
      'POST',
      '/api/v2',
      `multipart/form-data; boundary=${BOUNDARY}`,
      true,
    ]);
    const request = {
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      service: '5',
      quantity: 300n,
      requestedAt: REQUESTED_AT,
      receivedAt: new Date('2026-03-02T10:15:01Z'),
    };
    // Kept before the panel had the request.
    expect(harness.requests).toEqual([{ request, panelHadReceived: 0 }]);
    expect(harness.outcomes).toEqual([
      {
        request,
        outcome: {
          kind: 'answered',
          reply: {
            sourceId: 'smm-panel',
            action: 'add',
            request: { method: 'POST', path: '/api/v2', params: { action: 'add', service: '5', quantity: '300' } },
            httpStatus: 200,
            bodyText: '{"order": 23501}',
            fetchedAt: '2026-03-02T10:15:01.000Z',
          },
          reading: { kind: 'placed', orderId: '23501' },
        },
      },
    ]);
    expect(harness.outcomes[0]!.request.requestId).toBe(harness.requests[0]!.request.requestId);
  });

  it("a GET keeps its query, and the panel's status, content type, Retry-After and body come back as sent", async () => {
    const harness = await startHarness(() => ({
      status: 429,
      headers: { 'content-type': 'text/html; charset=iso-8859-1', 'retry-after': '7' },
      body: Buffer.from([0x3c, 0x62, 0x3e, 0xe9, 0x3c]),
    }));
    const query = new URLSearchParams({ key: KEY, action: 'balance' }).toString();
    const reply = await fetch(`${harness.proxy.url}/anything/at/all?${query}`);

    expect([reply.status, reply.headers.get('content-type'), reply.headers.get('retry-after')]).toEqual([
      429,
      'text/html; charset=iso-8859-1',
      '7',
    ]);
    expect(Buffer.from(await reply.arrayBuffer())).toEqual(Buffer.from([0x3c, 0x62, 0x3e, 0xe9, 0x3c]));
    expect(harness.received.map((request) => [request.method, request.url])).toEqual([['GET', `/api/v2?${query}`]]);
    expect([harness.requests, harness.outcomes]).toEqual([[], []]);
  });

  it('an add that placed nothing is kept with its raw reply as not placed, and answered as the panel answered', async () => {
    const harness = await startHarness(() => ({ status: 402, body: '{"error":"Not enough funds on balance"}' }));
    const reply = await fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    expect([reply.status, await reply.text()]).toEqual([402, '{"error":"Not enough funds on balance"}']);
    expect(
      harness.outcomes.map(({ outcome }) =>
        outcome.kind === 'answered' ? [outcome.reply.bodyText, outcome.reading] : outcome,
      ),
    ).toEqual([['{"error":"Not enough funds on balance"}', { kind: 'not-placed' }]]);
  });
});

describe('the panel proxy stops cleanly', () => {
  it('an add in flight when it is asked to stop is still answered and recorded', async () => {
    let arrived: () => void = () => undefined;
    const atPanel = new Promise<void>((resolve) => (arrived = resolve));
    const harness = await startHarness(() => {
      arrived();
      return undefined;
    });
    const reply = fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    await atPanel;
    const stopped = harness.proxy.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    harness.answerHeld({ status: 200, body: '{"order": 9}' });
    expect([(await reply).status, await (await reply).text()]).toEqual([200, '{"order": 9}']);
    await stopped;
    expect(placedOrders(harness)).toEqual(['9']);
  });
});

describe('the panel proxy refuses, without reaching the panel', () => {
  it('a key that is not the source key (or none) with 401; a body it cannot read with 415; a body above the limit with 413', async () => {
    const harness = await startHarness(() => ({ status: 200, body: '{"order": 1}' }), { maxBodyBytes: 2048 });
    const add = { action: 'add', service: '1', link: 'https://x', quantity: '1000' };
    const answers = [
      await fetch(`${harness.proxy.url}/api/v2`, urlencoded({ key: 'someone-else', ...add })),
      await fetch(`${harness.proxy.url}/api/v2`, urlencoded(add)),
      await fetch(`${harness.proxy.url}/api/v2`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: KEY, ...add }),
      }),
      await fetch(`${harness.proxy.url}/api/v2`, urlencoded({ key: KEY, ...add, comments: 'x'.repeat(4096) })),
    ];
    const bodies = await Promise.all(
      answers.map(async (answer) => [answer.status, ((await answer.json()) as { error: string }).error]),
    );
    expect(bodies.map(([status]) => status)).toEqual([401, 401, 415, 413]);
    expect(bodies.every(([, error]) => String(error).endsWith('nothing was sent to the panel'))).toBe(true);
    expect(harness.received).toEqual([]);
    expect(JSON.stringify(harness.logs)).not.toContain(KEY);
  });
});

describe('the panel proxy when the panel or the ledger fails', () => {
  it('a panel that does not answer in time is a 502 naming the source; for an add it says the order may have been placed, and keeps the outcome as unknown', async () => {
    const harness = await startHarness(() => undefined, { upstreamTimeoutMs: 200 });
    const balance = await fetch(`${harness.proxy.url}/api/v2`, urlencoded({ key: KEY, action: 'balance' }));
    const add = await fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    const [balanceError, addError] = [
      ((await balance.json()) as { error: string }).error,
      ((await add.json()) as { error: string }).error,
    ];
    expect([balance.status, add.status]).toEqual([502, 502]);
    expect(balanceError).toMatch(
      /^panel smm-panel \(127\.0\.0\.1:\d+\) did not answer \(timed out waiting for the answer, UND_ERR_HEADERS_TIMEOUT\)$/,
    );
    expect(addError).toContain('the order may have been placed');
    expect(harness.outcomes.map(({ outcome }) => outcome)).toEqual([
      {
        kind: 'no-answer',
        mayHavePlaced: true,
        failure: 'timed out waiting for the answer, UND_ERR_HEADERS_TIMEOUT',
        at: new Date('2026-03-02T10:15:01Z'),
      },
    ]);
    expect(harness.logs.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      'panel proxy: the panel did not answer an add; an order may have been placed',
    ]);
  });

  it('a panel that refuses the connection is a 502; an add was certainly not placed, so it says nothing of an order', async () => {
    const harness = await startHarness(() => undefined, { panelUrl: 'http://127.0.0.1:1/api/v2' });
    const add = await fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    expect([add.status, await add.json()]).toEqual([
      502,
      { error: 'panel smm-panel (127.0.0.1:1) did not answer (connection refused, ECONNREFUSED)' },
    ]);
    expect(harness.outcomes.map(({ outcome }) => outcome.kind === 'no-answer' && outcome.mayHavePlaced)).toEqual([
      false,
    ]);
  });

  it('an add the ledger cannot take at once is kept in the spool, and the caller gets the panel\'s reply unchanged, never an {"error"}', async () => {
    const harness = await startHarness(() => ({ status: 200, body: '{"order":"ord_01HG"}' }), {
      requestsKept: 'spool',
      outcomesKept: 'spool',
    });
    const reply = await fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    expect([reply.status, await reply.text()]).toEqual([200, '{"order":"ord_01HG"}']);
    expect(placedOrders(harness)).toEqual(['ord_01HG']);
    const requestId = harness.requests[0]!.request.requestId;
    expect(harness.logs.filter((line) => line.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'panel proxy: the ledger could not take an add request at once; kept in the spool for the next sync',
        fields: {
          source: 'smm-panel',
          request: requestId,
          service: '1',
          quantity: 1000n,
          spool: '/data/smm-panel.proxy-spool.jsonl',
          error: 'database is locked',
        },
      },
      {
        level: 'warn',
        message:
          'panel proxy: the ledger could not take what came of an add at once; kept in the spool for the next sync',
        fields: {
          source: 'smm-panel',
          request: requestId,
          service: '1',
          quantity: 1000n,
          order: 'ord_01HG',
          spool: '/data/smm-panel.proxy-spool.jsonl',
          error: 'database is locked',
        },
      },
    ]);
  });

  it("an outcome that can be kept nowhere is logged as an error with the order's id; the caller still gets the panel's reply", async () => {
    const harness = await startHarness(() => ({ status: 200, body: '{"order":"ord_01HG"}' }), {
      outcomesKept: 'nowhere',
    });
    const reply = await fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    expect([reply.status, await reply.text()]).toEqual([200, '{"order":"ord_01HG"}']);
    expect(harness.logs.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        message:
          'ORDER NOT RECORDED: what came of an add could be kept neither in the ledger nor in the spool; add the order to an orders file for the next sync',
        fields: {
          source: 'smm-panel',
          request: harness.requests[0]!.request.requestId,
          service: '1',
          quantity: 1000n,
          order: 'ord_01HG',
          error: 'ENOSPC: no space left on device, write',
        },
      },
    ]);
  });

  it('an add whose request can be kept nowhere is refused with 503 and never sent: no order can be placed unrecorded', async () => {
    const harness = await startHarness(() => ({ status: 200, body: '{"order": 1}' }), { requestsKept: 'nowhere' });
    const reply = await fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    expect([reply.status, await reply.json()]).toEqual([
      503,
      {
        error:
          'the proxy cannot keep a record of the order (ENOSPC: no space left on device, write); nothing was sent to the panel',
      },
    ]);
    expect(harness.received).toEqual([]);
  });

  it('an add answered with an order id it cannot read is answered as the panel answered, kept as unknown, and logged as an error', async () => {
    const harness = await startHarness(() => ({ status: 200, body: '{"order": {"id": 5}}' }));
    const reply = await fetch(
      `${harness.proxy.url}/api/v2`,
      urlencoded({ key: KEY, action: 'add', service: '1', link: 'https://x', quantity: '1000' }),
    );
    expect([reply.status, await reply.text()]).toEqual([200, '{"order": {"id": 5}}']);
    expect(harness.outcomes.map(({ outcome }) => outcome.kind === 'answered' && outcome.reading.kind)).toEqual([
      'unreadable',
    ]);
    expect(harness.logs.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      'panel proxy: the panel answered an add with an order id that cannot be read; it may have placed an order the ledger does not know (`ledgerline reconcile` lists it)',
    ]);
  });
});
