import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { lockLedger } from '../support/ledger-lock.js';
import { soakOr } from '../support/soak.js';
import {
  PANEL_SOURCE,
  createWorkspace,
  proxyListeningUrl,
  setSandboxDay,
  spawnLedgerline,
  startScenarioSandbox,
  type Workspace,
} from './scenario-harness.js';

/** The longest the panel holds an add before placing it, in the randomized trials. */
const SLOWEST_ADD_MS = 600;

/**
 * The proxy never loses an order: killed (SIGKILL) while the panel holds an
 * `add`, the request it kept before forwarding is listed by `reconcile` and
 * linked to the fall the order's charge makes at the next close.
 *
 * Panel: opening balance 100.00 on 03-01, no orders but those sent here. On
 * 03-02 one add of service 1 (Default, 0.90 per 1000) × 500 goes through the
 * proxy, which the panel holds 1.5 s (slow fault); the proxy is killed while it
 * waits. The panel places it anyway: charge 0.45000, balance 99.55000. The
 * ledger never learns its id, so the close of 03-02 books a fall of 0.45 to
 * suspense; reconcile lists the request and links it to that fall.
 */
const PANEL_KEY = 'sandbox-panel-key';

describe('panel-proxy killed while the panel holds an add', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox({ start: '2026-03-01', panel: { openingBalance: '100.00' } });
    workspace = await createWorkspace(sandbox, 'proxy-kill');
    await setSandboxDay(sandbox, '2026-03-01');
    expect((await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-01'])).code).toBe(0);
    await setSandboxDay(sandbox, '2026-03-02');
  }, 60_000);

  afterAll(async () => {
    await sandbox.close();
    workspace.remove();
  });

  it('the request is listed by reconcile ("an order may have been placed at … for service 1 × 500") and linked to the fall of 0.45', async () => {
    const proxy = await startProxy(workspace);
    await slowPanel(sandbox, 1, 1_500);
    const add = fetch(
      `${proxy.url}/api/v2`,
      form({ key: PANEL_KEY, action: 'add', service: '1', link: 'https://instagram.com/p/k', quantity: '500' }),
    ).catch((error: unknown) => error);
    await waitFor('the add request kept in the ledger', () => addRequests(workspace.ledgerPath).length === 1);
    // Kept first, then forwarded: the kill waits until the panel has the add (its one slow reply taken) and holds it.
    await waitFor('the panel holding the add', async () => (await panelSlowRepliesLeft(sandbox)) === 0);
    proxy.child.kill('SIGKILL');
    expect(await add).toBeInstanceOf(Error);
    await waitFor(
      'the panel placing the held order',
      async () => (await panelOrders(sandbox, '2026-03-02')).length === 1,
    );

    const sync = await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-02', '--json']);
    // 1: the close has a finding for a person (the fall).
    expect(sync.code, sync.stderr).toBe(1);
    const reconcile = await workspace.run(['reconcile', '--as-of', '2026-03-02', '--json']);
    const items = (
      JSON.parse(reconcile.stdout) as {
        items: { id: string; kind: string; amount: string | null; message: string; mayExplain?: string }[];
      }
    ).items;
    const fall = items.find((item) => item.kind === 'balance_fall');
    expect(fall).toMatchObject({ id: `finding:${PANEL_SOURCE}:balance_fall:2026-03-02:2026-03-02`, amount: '0.45' });
    const [request] = addRequests(workspace.ledgerPath);
    const time = request!.requested_at.slice(11, 19);
    expect(items.filter((item) => item.kind === 'add_without_outcome')).toEqual([
      expect.objectContaining({
        id: `add_without_outcome:${PANEL_SOURCE}:${request!.id}`,
        mayExplain: fall!.id,
        message: expect.stringContaining(
          `an order may have been placed at ${time} for service 1 × 500 (the proxy kept the request but stopped before the panel answered, or could not keep the answer (a full disk: its log then says ORDER NOT RECORDED with request ${request!.id} and the order id)); it may explain the balance_fall of 2026-03-02 (0.45 USD)`,
        ) as string,
      }),
    ]);
  });
});

/** Seeded moments: the same kills on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Proxies killed at seeded moments, up to four at a time, every other one with the ledger locked: 2 in npm test (one
 * batch: one kill with the ledger free, one with it locked, each kind once), 20 in the soak. npm test's 4 killed each
 * kind twice, and before that a second batch of 4 repeated the same two kinds (13.6 CPU-s for the file with it, 11.7
 * without).
 */
const TRIALS = soakOr(2, 20);

describe(`crash trials: ${TRIALS} kill -9 of the proxy at seeded moments during adds`, { timeout: 240_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox({ start: '2026-03-01', panel: { openingBalance: '1000.00' } });
    workspace = await createWorkspace(sandbox, 'proxy-trials');
    await setSandboxDay(sandbox, '2026-03-01');
    expect((await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-01'])).code).toBe(0);
    await setSandboxDay(sandbox, '2026-03-02');
  }, 60_000);

  afterAll(async () => {
    await sandbox.close();
    workspace.remove();
  });

  it('after the next sync every order the panel placed is known to the ledger or listed as a request without outcome', async () => {
    const random = seededRandom(24);
    let spooledTrials = 0;
    // The ledger as a proxy leaves it (WAL): a proxy starting while another process holds the lock reads on.
    readLedger(workspace.ledgerPath, () => undefined);
    const wal = new Database(workspace.ledgerPath);
    wal.pragma('journal_mode = WAL');
    wal.close();
    const panelAddsSeen = () => sandbox.requestLog('panel').filter((request) => request.action === 'add').length;
    let addsBefore = 0;
    /** One trial: a proxy, three adds, a kill -9 at a seeded moment; every other one with the ledger locked by another process. */
    const trial = async (number: number, killAfterMs: number): Promise<void> => {
      const lock = number % 2 === 1 ? await lockLedger(workspace.ledgerPath) : undefined;
      const proxy = await startProxy(workspace);
      const adds = [0, 1, 2].map((n) =>
        fetch(
          `${proxy.url}/api/v2`,
          form({
            key: PANEL_KEY,
            action: 'add',
            service: '1',
            link: 'https://instagram.com/p/t',
            quantity: String(100 + number * 10 + n),
          }),
        ).catch(() => undefined),
      );
      // The seeded moment counts from the panel's first add of the batch, not from the proxy listening: on a loaded
      // machine a proxy killed 1.5 s after it listened had often forwarded nothing, and the trial tested no add.
      await waitFor('an add of the batch at the panel', () => panelAddsSeen() > addsBefore);
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      proxy.child.kill('SIGKILL');
      await Promise.all(adds);
      await proxy.ended;
      if (lock !== undefined) {
        await lock.release();
        spooledTrials += 1;
      }
    };
    // Up to four trials at a time (a proxy takes seconds to start on a loaded machine); the panel holds some adds up to 600 ms; each proxy is killed within 1.5 s of listening.
    let slowestDrawn = 0;
    for (let batch = 0; batch < TRIALS; batch += 4) {
      const delayMs = Math.floor(random() * SLOWEST_ADD_MS);
      slowestDrawn = Math.max(slowestDrawn, delayMs);
      await slowPanel(sandbox, 6, delayMs);
      addsBefore = panelAddsSeen();
      const proxies = Array.from({ length: Math.min(4, TRIALS - batch) }, (_, n) => n);
      await Promise.all(proxies.map((n) => trial(batch + n, Math.floor(random() * 1_500))));
    }
    // Every add a proxy forwarded reached the panel before the proxy died; the panel (a timer in this process)
    // places each after its delay. A timer set now for longer than the longest delay drawn fires after all of them,
    // however slow the machine: timers of one process fire in the order they fall due.
    await new Promise((resolve) => setTimeout(resolve, slowestDrawn + 200));

    const sync = await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-02', '--json']);
    expect([0, 1], sync.stderr).toContain(sync.code);
    const placed = await panelOrders(sandbox, '2026-03-02');
    const known = new Set(ledgerOrderIds(workspace.ledgerPath));
    const reconcile = JSON.parse((await workspace.run(['reconcile', '--as-of', '2026-03-02', '--json'])).stdout) as {
      items: { kind: string; message: string; refsFile?: string }[];
    };
    const unanswered = reconcile.items
      .filter((item) => item.kind === 'add_without_outcome')
      .flatMap((item) => unansweredQuantities(item, workspace.ledgerPath));
    const lost = placed.filter((order) => !known.has(order.id) && !unanswered.includes(order.quantity));
    console.info(
      `crash trials: ${TRIALS} kills (${spooledTrials} with the ledger locked), ${placed.length} orders placed, ${placed.filter((order) => known.has(order.id)).length} known, ` +
        `${unanswered.length} requests without outcome listed, ${lost.length} lost`,
    );
    expect(placed.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  });
});

interface RunningProxy {
  child: ChildProcess;
  url: string;
  /** Settles once the process has ended (watched from its start, so an end is never missed). */
  ended: Promise<unknown>;
}

async function startProxy(workspace: Workspace): Promise<RunningProxy> {
  const child = spawnLedgerline(workspace.dir, ['panel-proxy', '--source', PANEL_SOURCE, '--port', '0'], workspace.env);
  const ended = new Promise((resolve) => child.on('close', resolve));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    return { child, url: await proxyListeningUrl(child), ended };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

async function slowPanel(sandbox: RunningSandbox, count: number, delayMs: number): Promise<void> {
  const reply = await fetch(`${sandbox.baseUrl}/__admin/faults`, {
    method: 'POST',
    body: JSON.stringify({ service: 'panel', clear: true, slow: { count, delayMs } }),
  });
  expect(reply.status).toBe(200);
}

/** How many slow replies the panel has still to give (admin GET /faults): 0 once it took the add it holds. */
async function panelSlowRepliesLeft(sandbox: RunningSandbox): Promise<number> {
  const faults = (await (await fetch(`${sandbox.baseUrl}/__admin/faults`)).json()) as {
    panel: { slow: { count: number } };
  };
  return faults.panel.slow.count;
}

/** The orders the sandbox panel holds, placed through its API by `date`. */
async function panelOrders(sandbox: RunningSandbox, date: string): Promise<{ id: string; quantity: string }[]> {
  const csv = await (await fetch(`${sandbox.baseUrl}/__admin/orders.csv?date=${date}`)).text();
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const [id, , quantity] = line.split(',');
      return { id: id!, quantity: quantity! };
    });
}

function readLedger<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function addRequests(path: string): { id: string; requested_at: string }[] {
  return readLedger(
    path,
    (db) =>
      db.prepare('SELECT id, requested_at FROM add_requests ORDER BY received_at').all() as {
        id: string;
        requested_at: string;
      }[],
  );
}

/**
 * The quantities of the `add` requests a reconcile item lists: one in its message, or, when more than ten of a
 * day are listed once, every request its refs file names ("add request <id>", a line each), read from the ledger.
 */
function unansweredQuantities(
  item: { message: string; refsFile?: string },
  ledgerPath: string,
): (string | undefined)[] {
  if (item.refsFile === undefined) return [/for service 1 × (\d+)/.exec(item.message)?.[1]];
  const ids = readFileSync(item.refsFile, 'utf8')
    .trim()
    .split('\n')
    .map((ref) => ref.replace(/^add request /, ''));
  return readLedger(ledgerPath, (db) =>
    ids.map((id) =>
      (
        db.prepare('SELECT quantity FROM add_requests WHERE id = ?').get(id) as { quantity: number } | undefined
      )?.quantity.toString(),
    ),
  );
}

function ledgerOrderIds(path: string): string[] {
  return readLedger(path, (db) => db.prepare('SELECT order_id FROM orders').pluck().all() as string[]);
}

/** Waits (bounded: 15 s, every 50 ms) until `ready` holds. */
async function waitFor(what: string, ready: () => boolean | Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
