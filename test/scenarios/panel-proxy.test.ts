import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import {
  PANEL_SOURCE,
  createWorkspace,
  finished,
  proxyListeningUrl,
  setSandboxDay,
  spawnLedgerline,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';
import { readBooks } from '../support/ledger-engines.js';
import { lockLedger } from '../support/ledger-lock.js';

/**
 * Orders placed through `ledgerline panel-proxy` (the built CLI, in front of
 * the sandbox's panel) are booked by the next sync with no orders file.
 *
 * Panel: opening balance 100.00 on 03-01, no orders; on 03-02, through the proxy
 * (rate × quantity / 1000 at 5 decimals; each order is still Pending that day):
 *   service 1 (Default, 0.90) × 1000, a urlencoded POST     0.90000
 *   service 9 (Default, 0.0123) × 3700, a GET with a query   0.04551
 *   service 2 (Custom Comments, 8) × 12 comment lines        0.09600
 *   charges 1.04151, balance 98.95849
 * On 03-03 a sqlite3 shell holds the ledger's write lock while three adds and
 * a balance go through: the proxy keeps them in its spool, answers each as the
 * panel did, and the sync of 03-03 imports and books them.
 */
const SCRIPT: WorldScript = { start: '2026-03-01', panel: { openingBalance: '100.00' } };
const PANEL_KEY = 'sandbox-panel-key';

describe('panel-proxy: order discovery without an orders file', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let proxy: ChildProcess;
  let proxyUrl: string;
  let proxyExit: Promise<CliResult>;
  const placed: string[] = [];

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(SCRIPT);
    workspace = await createWorkspace(sandbox, 'panel-proxy');
    await setSandboxDay(sandbox, '2026-03-01');
    expect((await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-01'])).code).toBe(0);
    proxy = spawnLedgerline(workspace.dir, ['panel-proxy', '--source', PANEL_SOURCE, '--port', '0'], workspace.env);
    proxyExit = finished(proxy, 100_000);
    proxyUrl = await proxyListeningUrl(proxy);
    await setSandboxDay(sandbox, '2026-03-02');
  }, 60_000);

  afterAll(async () => {
    if (proxy.exitCode === null) proxy.kill('SIGKILL');
    await sandbox.close();
    workspace.remove();
  });

  const panelUrl = () => `${sandbox.baseUrl}/panel/api/v2`;
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  it('says what each flag means, and refuses with exit 2 a port in use or a source that is not a panel', async () => {
    const help = await workspace.run(['panel-proxy', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--source ID\s+the panel source to stand in front of/);
    expect(help.stdout).toContain('Examples:\n  ledgerline panel-proxy --source smm-panel');
    const port = new URL(sandbox.baseUrl).port;
    const taken = await workspace.run(['panel-proxy', '--source', PANEL_SOURCE, '--port', port]);
    expect([taken.code, taken.stderr.trim().split('\n').at(-1)]).toEqual([
      2,
      `error: panel proxy: port ${port} on 127.0.0.1:${port} is already in use; stop what holds it or choose another port with --port`,
    ]);
    const notPanel = await workspace.run(['panel-proxy', '--source', 'ads-publisher']);
    expect([notPanel.code, notPanel.stderr.trim()]).toEqual([
      2,
      'error: source ads-publisher is not a panel; panel sources: smm-panel',
    ]);
  });

  it('forwards other actions unchanged: the balance and a status answer as the panel answers them directly', async () => {
    const direct = await fetch(panelUrl(), form({ key: PANEL_KEY, action: 'balance' }));
    const through = await fetch(`${proxyUrl}/api/v2`, form({ key: PANEL_KEY, action: 'balance' }));
    expect([through.status, through.headers.get('content-type'), await through.text()]).toEqual([
      direct.status,
      direct.headers.get('content-type'),
      await direct.text(),
    ]);
    expect(await (await fetch(`${proxyUrl}/api/v2`, form({ key: PANEL_KEY, action: 'balance' }))).json()).toEqual({
      balance: '100.00000',
      currency: 'USD',
    });

    const unknown = { key: PANEL_KEY, action: 'status', order: '424242' };
    const directStatus = await fetch(panelUrl(), form(unknown));
    const proxiedStatus = await fetch(`${proxyUrl}/api/v2`, form(unknown));
    expect([proxiedStatus.status, await proxiedStatus.text()]).toEqual([
      directStatus.status,
      await directStatus.text(),
    ]);
  });

  it('records every order placed through it, and the next sync books them with no orders file', async () => {
    const orders = [
      await fetch(
        `${proxyUrl}/api/v2`,
        form({
          key: PANEL_KEY,
          action: 'add',
          service: '1',
          link: 'https://instagram.com/p/secret-post',
          quantity: '1000',
        }),
      ),
      await fetch(
        `${proxyUrl}/api/v2/?${new URLSearchParams({ key: PANEL_KEY, action: 'add', service: '9', link: 'https://x.com/v/1', quantity: '3700' })}`,
      ),
      await fetch(
        `${proxyUrl}/api/v2`,
        form({
          key: PANEL_KEY,
          action: 'add',
          service: '2',
          link: 'https://instagram.com/p/2',
          comments: Array.from({ length: 12 }, (_, n) => `comment ${n + 1}`).join('\n'),
        }),
      ),
    ];
    for (const order of orders) {
      expect(order.status).toBe(200);
      placed.push(String(((await order.json()) as { order: number | string }).order));
    }
    // A status through the proxy of an order it placed: the panel's own answer.
    const status = await (
      await fetch(`${proxyUrl}/api/v2`, form({ key: PANEL_KEY, action: 'status', order: placed[0]! }))
    ).json();
    expect(status).toMatchObject({ status: 'Pending', charge: '0.90000' });

    expect(
      await readBooks(workspace.ledgerPath, async (ledger) =>
        (await ledger.rows('orders', 'order_id')).map((row) => {
          const { order_id, service, quantity, created_at, discovered_via, first_seen_date } = row as Record<
            string,
            unknown
          >;
          return {
            order_id,
            service,
            quantity,
            date: String(created_at).slice(0, 10),
            discovered_via,
            first_seen_date,
          };
        }),
      ),
    ).toEqual(
      [
        {
          order_id: placed[0],
          service: '1',
          quantity: 1000n,
          date: '2026-03-02',
          discovered_via: 'proxy',
          first_seen_date: '2026-03-02',
        },
        {
          order_id: placed[1],
          service: '9',
          quantity: 3700n,
          date: '2026-03-02',
          discovered_via: 'proxy',
          first_seen_date: '2026-03-02',
        },
        {
          order_id: placed[2],
          service: '2',
          quantity: 12n,
          date: '2026-03-02',
          discovered_via: 'proxy',
          first_seen_date: '2026-03-02',
        },
      ].sort((a, b) => String(a.order_id).localeCompare(String(b.order_id))),
    );

    const sync = await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-02', '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      sources: [{ sourceId: PANEL_SOURCE, outcome: 'booked', polled: 3, findings: 0 }],
      findings: [],
    });
    expect(await readBooks(workspace.ledgerPath, (ledger) => ledger.balances())).toEqual({
      opening_balance_equity: '-100.00',
      // 100.00 − 0.90 − 0.04551 − 0.096
      panel_prepaid: '98.95849',
      // 0.90 + 0.04551 + 0.096
      smm_services_expense: '1.04151',
    });
  });

  it('keeps the raw reply of each add, without the key or the link', async () => {
    const raw = await readBooks(workspace.ledgerPath, async (ledger) =>
      (await ledger.rows('raw_observations', 'id'))
        .filter((row) => (row as { action: string }).action === 'add')
        .map((row) => {
          const { request, as_of, body, run_id } = row as Record<string, unknown>;
          return { request: JSON.parse(String(request)) as unknown, as_of, body, run_id };
        }),
    );
    expect(raw).toEqual([
      {
        request: { method: 'POST', path: '/panel/api/v2', params: { action: 'add', service: '1', quantity: '1000' } },
        as_of: '2026-03-02',
        body: `{"order":${placed[0]}}`,
        run_id: null,
      },
      {
        request: { method: 'GET', path: '/panel/api/v2', params: { action: 'add', service: '9', quantity: '3700' } },
        as_of: '2026-03-02',
        body: `{"order":${placed[1]}}`,
        run_id: null,
      },
      {
        request: { method: 'POST', path: '/panel/api/v2', params: { action: 'add', service: '2', quantity: '12' } },
        as_of: '2026-03-02',
        body: `{"order":${placed[2]}}`,
        run_id: null,
      },
    ]);
    for (const file of [workspace.ledgerPath, `${workspace.ledgerPath}-wal`].filter(existsSync)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(PANEL_KEY), `${file} holds the key`).toBe(false);
      expect(bytes.includes('secret-post'), `${file} holds a link`).toBe(false);
    }
  });

  it(
    "with the ledger locked by another process, every add gets the panel's reply and a balance is answered at once; the next sync books the orders",
    { timeout: 60_000 },
    async () => {
      await setSandboxDay(sandbox, '2026-03-03');
      const lock = await lockLedger(workspace.ledgerPath);
      let replies: { status: number; body: string }[];
      let balanceWhileLocked: { status: number; body: string; ms: number };
      try {
        const adds = ['1000', '2000', '500'].map(async (quantity) => {
          const reply = await fetch(
            `${proxyUrl}/api/v2`,
            form({ key: PANEL_KEY, action: 'add', service: '1', link: 'https://instagram.com/p/locked', quantity }),
          );
          return { status: reply.status, body: await reply.text() };
        });
        const started = performance.now();
        const balance = await fetch(`${proxyUrl}/api/v2`, form({ key: PANEL_KEY, action: 'balance' }));
        balanceWhileLocked = { status: balance.status, body: await balance.text(), ms: performance.now() - started };
        replies = await Promise.all(adds);
        // Still locked: nothing above waited for the lock to go.
        expect(lock.holding()).toBe(true);
      } finally {
        await lock.release();
      }
      console.info(`balance through the proxy while the ledger was locked: ${balanceWhileLocked.ms.toFixed(1)} ms`);
      expect(balanceWhileLocked.status).toBe(200);
      expect(JSON.parse(balanceWhileLocked.body)).toMatchObject({ currency: 'USD' });
      // The panel's reply, unchanged: {"order": N}, never an {"error"}.
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
      const ids = replies.map((reply) => String((JSON.parse(reply.body) as { order: number }).order));
      for (const reply of replies) expect(reply.body).toMatch(/^\{"order":\d+\}$/);
      const orderIds = () =>
        readBooks(workspace.ledgerPath, async (ledger) =>
          (await ledger.rows('orders', 'order_id')).map((row) => (row as { order_id: string }).order_id),
        );
      expect((await orderIds()).filter((id) => ids.includes(id))).toEqual([]);
      expect(readFileSync(join(workspace.dir, 'data', `${PANEL_SOURCE}.proxy-spool.jsonl`), 'utf8')).not.toContain(
        PANEL_KEY,
      );

      proxy.kill('SIGTERM');
      const stopped = await proxyExit;
      expect(stopped.code).toBe(0);
      expect(stopped.stderr).not.toContain('ORDER NOT RECORDED');
      expect(stopped.stderr.split('\n').filter((line) => line.includes('kept in the spool')).length).toBe(6);
      expect(`${stopped.stdout}${stopped.stderr}`).not.toContain(PANEL_KEY);

      const sync = await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-03', '--json']);
      expect(sync.code, sync.stderr).toBe(0);
      expect(JSON.parse(sync.stdout)).toMatchObject({
        sources: [{ sourceId: PANEL_SOURCE, outcome: 'booked', findings: 0 }],
        findings: [],
      });
      expect((await orderIds()).filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
      const panelBalance = (
        (await (await fetch(panelUrl(), form({ key: PANEL_KEY, action: 'balance' }))).json()) as { balance: string }
      ).balance;
      const books = await readBooks(workspace.ledgerPath, (ledger) => ledger.balances());
      expect(Number(books.panel_prepaid).toFixed(5)).toBe(panelBalance);
      const reconcile = JSON.parse((await workspace.run(['reconcile', '--as-of', '2026-03-03', '--json'])).stdout) as {
        items: { kind: string }[];
      };
      expect(reconcile.items.filter((item) => item.kind === 'add_without_outcome')).toEqual([]);
    },
  );
});
