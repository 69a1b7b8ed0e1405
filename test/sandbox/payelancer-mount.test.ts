import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { postJson, send } from './sandbox-http.js';

const script = {
  start: '2026-03-01',
  payelancer: {
    publisher: {
      earnings: { '2026-03-01': '4.15', '2026-03-02': '50.00' },
      impressions: { '2026-03-01': 1402 },
      clicks: { '2026-03-01': 52 },
    },
    advertiser: {
      spent: { '2026-03-01': '12.30' },
      impressions: { '2026-03-01': 9000 },
      clicks: { '2026-03-01': 140 },
    },
  },
};

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(): Promise<RunningSandbox> {
  sandbox = await startSandbox({ script, clock: () => new Date('2026-03-01T12:00:00Z') });
  return sandbox;
}

const api = (running: RunningSandbox, file: string) => `${running.payelancerBaseUrl}/backend/api/v1/${file}`;

describe('stats.php', () => {
  it('answers a publisher key with role publisher and earnings as a JSON number, exactly as the seed shows', async () => {
    const running = await start();
    const reply = await send(api(running, 'stats.php'), { headers: { 'X-API-KEY': running.keys.publisher } });
    expect([reply.status, reply.text]).toEqual([
      200,
      '{"success":true,"role":"publisher","stats":{"impressions":1402,"clicks":52,"earnings":4.15}}',
    ]);
    running.advanceDays(1);
    expect((await send(api(running, 'stats.php'), { headers: { 'X-API-KEY': running.keys.publisher } })).text).toBe(
      '{"success":true,"role":"publisher","stats":{"impressions":1402,"clicks":52,"earnings":50}}',
    );
  });

  it('answers an advertiser key with role advertiser and spent', async () => {
    const running = await start();
    const reply = await send(api(running, 'stats.php'), { headers: { 'X-API-KEY': running.keys.advertiser } });
    expect(reply.text).toBe(
      '{"success":true,"role":"advertiser","stats":{"impressions":9000,"clicks":140,"spent":12.3}}',
    );
  });

  it('refuses a missing key and a wrong key with the seed’s 401 messages', async () => {
    const running = await start();
    const missing = await send(api(running, 'stats.php'));
    const wrong = await send(api(running, 'stats.php'), { headers: { 'X-API-KEY': 'not-a-key' } });
    expect([missing.status, missing.text]).toEqual([401, '{"success":false,"error":"API key required"}']);
    expect([wrong.status, wrong.text]).toEqual([401, '{"success":false,"error":"Invalid API key"}']);
  });
});

describe('campaigns.php', () => {
  it('creates a campaign for an advertiser and answers with it', async () => {
    const running = await start();
    const reply = await postJson(
      api(running, 'campaigns.php'),
      { name: 'Summer Shoe Sale', budget: 500.0, target_url: 'https://example.com/sale' },
      { 'X-API-KEY': running.keys.advertiser },
    );
    expect([reply.status, reply.json]).toEqual([
      200,
      {
        success: true,
        campaign: {
          id: '700001C',
          name: 'Summer Shoe Sale',
          budget: 500,
          target_url: 'https://example.com/sale',
          status: 'active',
          created_at: '2026-03-01T12:00:00.000Z',
        },
      },
    ]);
    const raw = await send(api(running, 'campaigns.php'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-API-KEY': running.keys.advertiser },
      body: '{"name":"Cents","budget":25.10,"target_url":"http://example.com"}',
    });
    expect(raw.text).toContain('"id":"700002C","name":"Cents","budget":25.1,');
  });

  it('validates name, budget and target_url and names every problem', async () => {
    const running = await start();
    const post = (body: unknown) =>
      postJson(api(running, 'campaigns.php'), body, { 'X-API-KEY': running.keys.advertiser }).then((reply) => [
        reply.status,
        reply.json,
      ]);
    expect(await post({})).toEqual([
      400,
      { success: false, error: 'name is required; budget is required; target_url is required' },
    ]);
    expect(await post({ name: 'x', budget: '500', target_url: 'https://example.com' })).toEqual([
      400,
      { success: false, error: 'budget must be a number' },
    ]);
    expect(await post({ name: 'x', budget: -5, target_url: 'ftp://example.com' })).toEqual([
      400,
      {
        success: false,
        error: 'budget must be a positive amount with at most 2 decimals; target_url must be a valid http(s) URL',
      },
    ]);
    expect(await post({ name: 'x', budget: 1.234, target_url: 'https://example.com' })).toEqual([
      400,
      { success: false, error: 'budget must be a positive amount with at most 2 decimals' },
    ]);
    expect(await post([1])).toEqual([
      400,
      { success: false, error: 'The body must be a JSON object with name, budget and target_url' },
    ]);
    const broken = await send(api(running, 'campaigns.php'), {
      method: 'POST',
      headers: { 'X-API-KEY': running.keys.advertiser },
      body: '{"name":',
    });
    expect([broken.status, broken.json]).toEqual([400, { success: false, error: 'Invalid JSON body' }]);
  });

  it('refuses a publisher key, a missing key and the wrong method', async () => {
    const running = await start();
    const body = { name: 'x', budget: 50, target_url: 'https://example.com' };
    expect(
      await postJson(api(running, 'campaigns.php'), body, { 'X-API-KEY': running.keys.publisher }).then((reply) => [
        reply.status,
        reply.json,
      ]),
    ).toEqual([403, { success: false, error: 'Only advertiser accounts can create campaigns' }]);
    expect(await postJson(api(running, 'campaigns.php'), body).then((reply) => [reply.status, reply.json])).toEqual([
      401,
      { success: false, error: 'API key required' },
    ]);
    const get = await send(api(running, 'campaigns.php'), { headers: { 'X-API-KEY': running.keys.advertiser } });
    expect([get.status, get.headers.get('allow'), get.json]).toEqual([
      405,
      'POST',
      { success: false, error: 'Method not allowed' },
    ]);
  });
});

describe('ad-formats.php and unknown paths', () => {
  it('lists the ad formats, the seed’s two first, for either role', async () => {
    const running = await start();
    const reply = await send(api(running, 'ad-formats.php'), { headers: { 'X-API-KEY': running.keys.publisher } });
    const formats = (reply.json as { success: boolean; formats: unknown[] }).formats;
    expect((reply.json as { success: boolean }).success).toBe(true);
    expect(formats.slice(0, 2)).toEqual([
      { id: 'banner_300x250', name: 'Medium Rectangle', dimensions: '300x250' },
      { id: 'banner_728x90', name: 'Leaderboard', dimensions: '728x90' },
    ]);
    expect(
      (await send(api(running, 'ad-formats.php'), { headers: { 'X-API-KEY': running.keys.advertiser } })).status,
    ).toBe(200);
  });

  it('answers 404 in the ad network’s error shape for an unknown endpoint', async () => {
    const running = await start();
    const reply = await send(api(running, 'payouts.php'), { headers: { 'X-API-KEY': running.keys.publisher } });
    expect([reply.status, reply.json]).toEqual([404, { success: false, error: 'Endpoint not found' }]);
  });
});
