import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import type { SandboxMount } from '../../sandbox/mount.js';
import { MAX_BODY_BYTES, sandboxBanner, startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { postForm, send } from './sandbox-http.js';

const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

async function start(options: Parameters<typeof startSandbox>[0] = {}): Promise<RunningSandbox> {
  const sandbox = await startSandbox(options);
  running.push(sandbox);
  return sandbox;
}

describe('startSandbox', () => {
  it('listens on 127.0.0.1 and names each API’s URL and the fixed sandbox keys', async () => {
    const sandbox = await start({ seed: 42, startDate: '2026-01-01', today: '2026-01-10' });
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([sandbox.panelUrl, sandbox.payelancerBaseUrl, sandbox.adminUrl]).toEqual([
      `${sandbox.baseUrl}/panel/api/v2`,
      `${sandbox.baseUrl}/payelancer`,
      `${sandbox.baseUrl}/__admin`,
    ]);
    expect(sandbox.keys).toEqual({
      panel: 'sandbox-panel-key',
      publisher: 'sandbox-publisher-key',
      advertiser: 'sandbox-advertiser-key',
    });
    expect([sandbox.world.start, sandbox.today()]).toEqual(['2026-01-01', '2026-01-10']);
  });

  it('serves the same world from the same seed in two sandboxes', async () => {
    const [first, second] = [
      await start({ seed: 9, today: '2026-03-20' }),
      await start({ seed: 9, today: '2026-03-20' }),
    ];
    const [a, b] = [await send(`${first.adminUrl}/state`), await send(`${second.adminUrl}/state`)];
    expect(a.text).toBe(b.text);
    const ids = (a.json as { panel: { orders: { id: string }[] } }).panel.orders
      .map((order) => order.id)
      .slice(0, 10)
      .join(',');
    const [x, y] = [
      await postForm(first.panelUrl, { key: first.keys.panel, action: 'multiStatus', orders: ids }),
      await postForm(second.panelUrl, { key: second.keys.panel, action: 'multiStatus', orders: ids }),
    ];
    expect(x.text).toBe(y.text);
  });

  it('refuses contradictory or invalid options, and a bad script with every problem', async () => {
    await expect(startSandbox({ seed: 1, script: { start: '2026-03-01' } })).rejects.toBeInstanceOf(UsageError);
    await expect(startSandbox({ startDate: '2026-13-01' })).rejects.toThrow(/startDate: expected a calendar date/);
    await expect(startSandbox({ seed: 1, startDate: '2026-03-01', today: '2026-02-01' })).rejects.toThrow(
      "sandbox options: today: 2026-02-01 is before the world's first day 2026-03-01",
    );
    await expect(startSandbox({ webhooks: { panelUrl: 'ftp://127.0.0.1/hook' } })).rejects.toThrow(
      /webhooks\.panelUrl/,
    );
    await expect(
      startSandbox({
        script: { start: '2026-03-01', panel: { orders: [{ id: 1, service: '1', placedOn: '2026-03-01' }] } },
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('routing', () => {
  it('answers 404 for a path no mount serves', async () => {
    const sandbox = await start();
    expect(await send(`${sandbox.baseUrl}/nothing/here?x=1`).then((reply) => [reply.status, reply.json])).toEqual([
      404,
      { error: 'Not found: /nothing/here' },
    ]);
  });

  it('hands extra mounts their requests with the rest of the path and the body', async () => {
    const seen: string[] = [];
    const echo: SandboxMount = {
      prefix: '/xero',
      handle(request, response, subPath, body) {
        seen.push(`${request.method} ${subPath} ${body.toString('utf8')}`);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      },
    };
    const sandbox = await start({ extraMounts: [echo] });
    expect(
      (await send(`${sandbox.baseUrl}/xero/api.xro/2.0/Invoices?page=1`, { method: 'PUT', body: '{"a":1}' })).json,
    ).toEqual({ ok: true });
    await send(`${sandbox.baseUrl}/xero`);
    expect((await send(`${sandbox.baseUrl}/xerox`)).status).toBe(404);
    expect(seen).toEqual(['PUT /api.xro/2.0/Invoices {"a":1}', 'GET / ']);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const sandbox = await start();
    const reply = await send(sandbox.panelUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${sandbox.keys.panel}&action=balance&pad=${'x'.repeat(MAX_BODY_BYTES)}`,
    });
    expect([reply.status, reply.json]).toEqual([413, { error: 'Request body too large (limit 1048576 bytes)' }]);
  });
});

describe('the startup banner', () => {
  it('names the URLs and the keys each API accepts', async () => {
    const sandbox = await start({ seed: 5 });
    const banner = sandboxBanner(sandbox);
    expect(banner).toContain(
      `ledgerline sandbox listening on ${sandbox.baseUrl} (seed 5, first day 2026-03-01, today 2026-03-01)`,
    );
    expect(banner).toContain(`POST ${sandbox.panelUrl}`);
    expect(banner).toContain('key: sandbox-panel-key');
    expect(banner).toContain(`${sandbox.payelancerBaseUrl}/backend/api/v1/{stats,campaigns,ad-formats}.php`);
    expect(banner).toContain('X-API-KEY: sandbox-publisher-key (publisher), sandbox-advertiser-key (advertiser)');
    expect(banner).toContain(`${sandbox.adminUrl}/`);
    expect(banner).toContain(`Witness            ${sandbox.witnessUrl}/NAME`);
  });
});

describe('the witness (issue 73)', () => {
  it('keeps one append-only log per name: POST appends a JSON record, GET reads them in order, nothing else is allowed', async () => {
    const sandbox = await start({ seed: 5 });
    const at = `${sandbox.witnessUrl}/books?token=t0k3n`;
    for (const position of [96, 97])
      expect((await fetch(at, { method: 'POST', body: JSON.stringify({ kind: 'head', position }) })).status).toBe(201);
    expect((await fetch(at, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await fetch(at, { method: 'DELETE' })).status).toBe(405);
    expect(await (await fetch(at)).text()).toBe('{"kind":"head","position":96}\n{"kind":"head","position":97}\n');
    expect(await (await fetch(`${sandbox.witnessUrl}/other`)).text()).toBe('');
  });
});
