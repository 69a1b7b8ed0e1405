import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, InvalidReplyError, RequestRejectedError, rawObservationOf } from '../../src/errors.js';
import type { HttpClient } from '../../src/http/http-client.js';
import type { PanelBatchMode } from '../../src/kinds/panel/panel-batch-mode.js';
import { createPanelOrderDesk } from '../../sandbox/panel-order-desk.js';
import { createPanelClient } from '../../src/kinds/panel/panel-client.js';
import { parseOrdersFile } from '../support/orders-file-text.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/sandbox-server.js';
import { createRawLog, createTestHttp, caught } from './source-harness.js';

let sandbox: RunningSandbox | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await sandbox?.close();
  sandbox = undefined;
  http = undefined;
});

async function setup(options: SandboxOptions & { key?: string; batchMode?: PanelBatchMode; days?: number } = {}) {
  const { key, batchMode, days = 0, ...sandboxOptions } = options;
  sandbox = await startSandbox({ seed: 42, ...sandboxOptions });
  if (days > 0) sandbox.advanceDays(days);
  const test = createTestHttp('smm-panel');
  http = test.http;
  const raw = createRawLog();
  const client = createPanelClient({
    sourceId: 'smm-panel',
    url: sandbox.panelUrl,
    apiKey: key ?? sandbox.keys.panel,
    http,
    clock: test.clock,
    onRawReply: raw.onRawReply,
    batchMode,
  });
  const desk = createPanelOrderDesk({
    sourceId: 'smm-panel',
    url: sandbox.panelUrl,
    apiKey: key ?? sandbox.keys.panel,
    http,
    clock: test.clock,
    onRawReply: raw.onRawReply,
  });
  const panelRequests = () =>
    sandbox!
      .requestLog('panel')
      .map((entry) => `${entry.action} ${entry.status}${entry.fault ? ` ${entry.fault}` : ''}`);
  return { sandbox, client, desk, raw, clock: test.clock, panelRequests };
}

describe('panel client against the sandbox', () => {
  it('reads the balance the world holds, exactly', async () => {
    const { sandbox, client } = await setup({ days: 5 });
    const balance = await client.balance();
    expect(balance.balance).toBe(sandbox.stateOn().panel.balance);
    expect(balance.currency).toBe(sandbox.stateOn().panel.currency);
  });

  it('reads the service catalogue', async () => {
    const { sandbox, desk } = await setup();
    const { services } = await desk.services();
    expect(services.map((service) => [service.serviceId, service.type, service.rate])).toEqual(
      sandbox.world.source.panel.services.map((service) => [service.id, service.type, service.rate]),
    );
  });

  it('polls every order of the world in one batch and reads what the panel shows', async () => {
    const { sandbox, client, panelRequests } = await setup({ days: 10 });
    const orders = sandbox.stateOn().panel.orders;
    expect(orders.length).toBeGreaterThan(5);
    const report = await client.statusBatch(orders.map((order) => order.id));
    expect(report.unknown).toEqual([]);
    expect(report.invalid).toEqual([]);
    expect(orders.map((order) => report.orders.get(order.id))).toEqual(
      orders.map((order) =>
        expect.objectContaining({
          orderId: order.id,
          statusRaw: order.status,
          charge: order.reportedCharge,
          remainsRaw: order.remains,
          startCount: String(order.startCount),
          currency: 'USD',
        }),
      ),
    );
    expect(panelRequests()).toEqual(['multiStatus 200']);
  });

  for (const shape of ['errorObject', 'bareString', 'missing'] as const) {
    it(`reports an unknown id as unknown when the panel shows it as ${shape}, without failing the batch`, async () => {
      const { sandbox, client } = await setup({ days: 3, panel: { unknownOrderInBatch: shape } });
      const [known] = sandbox.stateOn().panel.orders;
      const report = await client.statusBatch([known!.id, '999999']);
      expect([...report.orders.keys()]).toEqual([known!.id]);
      expect(report.unknown).toEqual([
        {
          orderId: '999999',
          reason: shape === 'missing' ? 'missing from the reply' : 'Incorrect order ID',
          rawObservationId: 1,
        },
      ]);
    });
  }

  it('splits 250 ids into 3 requests of at most 100', async () => {
    const { sandbox, client, panelRequests } = await setup({ days: 4 });
    const known = sandbox.stateOn().panel.orders.map((order) => order.id);
    const ids = [...known, ...Array.from({ length: 250 - known.length }, (_, index) => String(900_000 + index))];
    const report = await client.statusBatch(ids);
    expect(panelRequests()).toEqual(['multiStatus 200', 'multiStatus 200', 'multiStatus 200']);
    expect(report.orders.size).toBe(known.length);
    expect(report.unknown).toHaveLength(250 - known.length);
  });

  for (const errorStyle of ['httpStatus', 'inside200'] as const) {
    it(`falls back to status&orders when multiStatus is refused (${errorStyle}) and keeps using it`, async () => {
      const { sandbox, client, panelRequests } = await setup({ days: 3, panel: { errorStyle } });
      sandbox.injectFaults({ service: 'panel', rejectMultiStatus: true });
      const ids = sandbox.stateOn().panel.orders.map((order) => order.id);
      const first = await client.statusBatch(ids);
      expect(first.orders.size).toBe(ids.length);
      expect(first.batchMode).toBe('status-orders');
      await client.statusBatch(ids);
      expect(panelRequests()).toEqual([
        `multiStatus ${errorStyle === 'httpStatus' ? 400 : 200}`,
        'status 200',
        'status 200',
      ]);
    });
  }

  it('goes straight to status&orders when told the mode that worked before', async () => {
    const { sandbox, client, panelRequests } = await setup({ days: 2, batchMode: 'status-orders' });
    await client.statusBatch(sandbox.stateOn().panel.orders.map((order) => order.id));
    expect(panelRequests()).toEqual(['status 200']);
  });

  for (const unknownSingleStatus of ['http404', 'errorInside200'] as const) {
    it(`reads a single status of an unknown id as unknown (${unknownSingleStatus})`, async () => {
      const { client } = await setup({ panel: { unknownSingleStatus } });
      expect(await client.status('424242')).toEqual({
        kind: 'unknown',
        orderId: '424242',
        reason: 'Incorrect order ID',
        rawObservationId: 1,
      });
    });
  }

  for (const errorStyle of ['httpStatus', 'inside200'] as const) {
    it(`refuses a wrong key with an AuthError that names the source and not the key (${errorStyle})`, async () => {
      const { client } = await setup({ key: 'not-the-key-7f3a', panel: { errorStyle } });
      const error = await caught(client.balance());
      expect(error).toBeInstanceOf(AuthError);
      expect(error.message).toMatch(/^smm-panel: authentication failed/);
      expect(error.message).not.toContain('not-the-key-7f3a');
    });
  }

  it('waits out an injected 429 as Retry-After says and retries a 502', async () => {
    const { sandbox, client, clock, panelRequests } = await setup();
    sandbox.injectFaults({ service: 'panel', rateLimit: { count: 1, retryAfterSeconds: 7 }, upstreamErrors: 1 });
    const balance = await client.balance();
    expect(balance.balance).toBe(sandbox.stateOn().panel.balance);
    expect(clock.sleeps).toEqual([7_000, 200]);
    expect(panelRequests()).toEqual(['balance 429 rateLimit', 'balance 502 upstreamError', 'balance 200']);
  });

  it('quarantines a malformed batch reply as InvalidReplyError linked to the landed body', async () => {
    const { sandbox, client, raw } = await setup({ days: 2 });
    sandbox.injectFaults({ service: 'panel', malformed: { count: 1, shape: 'truncatedJson' } });
    const error = await caught(client.statusBatch(sandbox.stateOn().panel.orders.map((order) => order.id)));
    expect(error).toBeInstanceOf(InvalidReplyError);
    expect(rawObservationOf(error)).toBe(1);
    expect(raw.replies[0]!.httpStatus).toBe(200);
  });

  it('treats an error inside a 200 as an error, not data', async () => {
    const { sandbox, client } = await setup({ days: 2 });
    sandbox.injectFaults({ service: 'panel', errorInside200: 1 });
    const error = await caught(client.statusBatch(sandbox.stateOn().panel.orders.map((order) => order.id)));
    expect(error).toEqual(
      expect.objectContaining({
        name: 'RequestRejectedError',
        status: 200,
        serviceMessage: 'Temporary error, please try again later',
      }),
    );
  });

  it('adds an order, sees it in a status, and cancels it', async () => {
    const { sandbox, client, desk } = await setup();
    const service = sandbox.world.source.panel.services.find((candidate) => candidate.type === 'Default')!;
    const { orderId } = await desk.add({
      service: service.id,
      link: 'https://example.com/post',
      quantity: String(service.min),
    });
    const reading = await client.status(orderId);
    expect(reading).toMatchObject({ kind: 'found', status: { orderId, statusRaw: 'Pending' } });
    const { results } = await desk.cancel([orderId, '999999']);
    expect(results).toEqual([
      { orderId, accepted: true },
      { orderId: '999999', accepted: false, reason: 'Incorrect order ID' },
    ]);
  });

  it('maps the panel refusing an add to RequestRejectedError', async () => {
    const { desk } = await setup();
    const error = await caught(desk.add({ service: 'no-such-service', link: 'https://example.com', quantity: '10' }));
    expect(error).toBeInstanceOf(RequestRejectedError);
  });

  it('reads the sandbox orders file without a problem', async () => {
    const { sandbox } = await setup({ days: 3 });
    const response = await fetch(`${sandbox.adminUrl}/orders.csv`);
    const reading = parseOrdersFile(await response.text(), 'orders.csv');
    expect(reading.problems).toEqual([]);
    expect(reading.orders.map((order) => [order.orderId, order.quantity])).toEqual(
      sandbox.world.ordersThrough(sandbox.today()).map((order) => [order.id, BigInt(order.quantity)]),
    );
  });
});
