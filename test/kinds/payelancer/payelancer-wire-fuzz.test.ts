import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidReplyError, LedgerlineError } from '../../../src/errors.js';
import type { HttpClient } from '../../../src/http/http-client.js';
import { createPayelancerClient, type PayelancerClient } from '../../../src/kinds/payelancer/payelancer-client.js';
import { reply, startLocalServer, type LocalServer } from '../../http/local-server.js';
import { mutatedBodies } from '../../sources/mutated-bodies.js';
import { createRawLog, createTestHttp } from '../../sources/source-harness.js';

const PUBLISHER = { success: true, role: 'publisher', stats: { impressions: 1402, clicks: 52, earnings: 4.15 } };
const ADVERTISER = { success: true, role: 'advertiser', stats: { impressions: '9', clicks: '1', spent: '12.50' } };

let server: LocalServer;
let http: HttpClient;
let client: PayelancerClient;
let nextBody = '';
const raw = createRawLog();

beforeAll(async () => {
  server = await startLocalServer((_, res) => reply(res, 200, nextBody));
  const test = createTestHttp('ads');
  http = test.http;
  client = createPayelancerClient({
    sourceId: 'ads',
    baseUrl: server.url,
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

describe('Payelancer wire parsers under mutated replies', () => {
  it('either read a reply or refuse it with a ledgerline error, for 600 mutated bodies', async () => {
    const bodies = mutatedBodies([PUBLISHER, ADVERTISER], 600, 4150);
    const tally = new Map<string, number>();
    for (const body of bodies) {
      nextBody = body;
      let result = 'read';
      try {
        await client.stats();
      } catch (error) {
        if (!(error instanceof LedgerlineError)) throw error;
        if (error instanceof InvalidReplyError) expect(error.reason.length).toBeGreaterThan(0);
        result = error.name;
      }
      tally.set(result, (tally.get(result) ?? 0) + 1);
    }
    expect(raw.replies).toHaveLength(600);
    expect(tally.get('read')).toBeGreaterThan(10);
    expect(tally.get('InvalidReplyError')).toBeGreaterThan(150);
  });
});
