import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidReplyError, LedgerlineError } from '../../../src/errors.js';
import type { HttpClient } from '../../../src/http/http-client.js';
import { createPanelClient, type PanelClient } from '../../../src/kinds/panel/panel-client.js';
import { reply, startLocalServer, type LocalServer } from '../../http/local-server.js';
import { mutatedBodies } from '../../sources/mutated-bodies.js';
import { createRawLog, createTestHttp } from '../../sources/source-harness.js';

const STATUS = { charge: '0.27819', start_count: '3572', status: 'Partial', remains: '157', currency: 'USD' };
const BATCH = {
  '1': STATUS,
  '2': { error: 'Incorrect order ID' },
  '3': { charge: 1.44219, start_count: 234, status: 'In progress', remains: 10, currency: 'USD' },
};
const BALANCE = { balance: '100.84292', currency: 'USD' };
const DRIP = { status: 'In progress', runs: '2', orders: [1, 2] };

let server: LocalServer;
let http: HttpClient;
let client: PanelClient;
let nextBody = '';
const raw = createRawLog();

beforeAll(async () => {
  server = await startLocalServer((_, res) => reply(res, 200, nextBody));
  const test = createTestHttp('smm-panel');
  http = test.http;
  client = createPanelClient({
    sourceId: 'smm-panel',
    url: `${server.url}/api/v2`,
    apiKey: 'k',
    http,
    clock: test.clock,
    onRawReply: raw.onRawReply,
  });
});
afterAll(async () => {
  await http.close();
  await server.close();
});

/** Resolves to 'read', or to the error's class name when it is one of ours; anything else fails the test. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'read';
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    if (error instanceof InvalidReplyError) expect(error.reason.length).toBeGreaterThan(0);
    return error.name;
  }
}

describe('panel wire parsers under mutated replies', () => {
  it('either read a reply or refuse it with a ledgerline error, for 800 mutated bodies', async () => {
    const bodies = mutatedBodies([STATUS, BATCH, BALANCE, DRIP], 800, 20260302);
    const tally = new Map<string, number>();
    let calls = 0;
    for (const [index, body] of bodies.entries()) {
      nextBody = body;
      const landedBefore = raw.replies.length;
      const call = [() => client.statusBatch(['1', '2', '3']), () => client.status('1'), () => client.balance()][
        index % 3
      ]!;
      const result = await outcome(call);
      calls += 1;
      expect(raw.replies.length).toBeGreaterThan(landedBefore);
      tally.set(result, (tally.get(result) ?? 0) + 1);
    }
    expect(calls).toBe(800);
    expect(tally.get('read')).toBeGreaterThan(100);
    expect(tally.get('InvalidReplyError')).toBeGreaterThan(100);
  });

  it('never throws for a damaged entry: the order lands in found, unknown or invalid', async () => {
    let tried = 0;
    for (const entry of mutatedBodies([STATUS, DRIP], 200, 7)) {
      const body = `{"1": ${entry}}`;
      if (!isJson(body)) continue;
      tried += 1;
      nextBody = body;
      const report = await client.statusBatch(['1']);
      expect(report.orders.size + report.unknown.length + report.invalid.length).toBe(1);
    }
    expect(tried).toBeGreaterThan(100);
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
