import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import {
  createWorkspaces,
  daysFrom,
  finished,
  injectFaults,
  setSandboxDay,
  spawnLedgerline,
  writeOrdersFile,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';
import { readBooks } from '../support/ledger-engines.js';
import { POLLING_CHUNK } from '../../src/kinds/panel/panel-close-orders.js';

const DAYS = daysFrom('2026-05-01', '2026-05-03');
/** More than one polled chunk (POLLING_CHUNK orders): the close books the first chunk before it asks about the rest. */
const ORDERS = 6_000;
const PANEL = 'smm-panel';

/** 6,000 orders placed on the second day; on the third a third of them complete, a third end Partial, a third stay pending. */
function largeWorld(): WorldScript {
  const orders = Array.from({ length: ORDERS }, (_, index) => {
    const quantity = 1000 + (index % 7) * 100;
    const timeline = [[{ on: DAYS[2]!, status: 'Completed' }], [{ on: DAYS[2]!, status: 'Partial', remains: 250 }], []][
      index % 3
    ]!;
    return { id: String(500_001 + index), service: '1', quantity, placedOn: DAYS[1]!, timeline };
  });
  return { start: DAYS[0]!, panel: { openingBalance: '100000.00', refundMode: 'lowerCharge', orders } };
}

/**
 * Requests a minute at the sandbox and the panel's client: no throttle. The 1,000 a minute of both left the
 * syncs of 6,000 orders (60 polls each) waiting ~6 s on the throttle; what is pinned is where the close stops.
 */
const UNTHROTTLED = 100_000;

function unthrottlePanel(workspace: Workspace): void {
  const path = join(workspace.dir, 'ledgerline.yaml');
  const document = parseDocument(readFileSync(path, 'utf8'));
  const sources = document.get('sources') as {
    items: { get(key: string): unknown; set(key: string, value: unknown): void }[];
  };
  sources.items.find((source) => source.get('id') === PANEL)!.set('rateLimitPerMinute', UNTHROTTLED);
  writeFileSync(path, document.toString());
}

/** The books in columns that do not depend on run ids or clock time. */
function stableBooks(ledgerPath: string) {
  return readBooks(ledgerPath, async (ledger) => ({
    entries: (await ledger.rows('journal_entries', 'seq')).map((row) =>
      pick(row, ['id', 'date', 'source_id', 'description', 'event_ids', 'content_hash']),
    ),
    lines: await ledger.rows('journal_lines', 'entry_id, line_no'),
    rendered: await ledger.rows('rendered_lines', 'entry_id, line_no'),
    events: (await ledger.rows('source_events', 'id')).map((row) =>
      pick(row, ['id', 'source_id', 'kind', 'date', 'currency', 'amount_micros', 'ref', 'detail']),
    ),
    links: await ledger.rows('entry_events', 'event_id'),
    findings: (await ledger.rows('discrepancies', 'id')).map((row) =>
      pick(row, ['id', 'kind', 'source_id', 'date', 'amount_micros', 'currency', 'ref', 'message']),
    ),
    orders: (await ledger.rows('orders', 'source_id, order_id')).map((row) =>
      pick(row, ['order_id', 'quantity', 'state', 'terminal', 'unknown_since', 'last_observed_date']),
    ),
    closes: (await ledger.rows('source_closes', 'source_id, date, metric')).map((row) =>
      pick(row, ['source_id', 'date', 'metric', 'value_micros', 'currency']),
    ),
  }));
}

function pick(row: unknown, columns: readonly string[]): Record<string, unknown> {
  const record = row as Record<string, unknown>;
  return Object.fromEntries(columns.map((column) => [column, record[column]]));
}

/**
 * The panel's events dated `day`, and how many of them no entry holds, read through a read-only connection: the
 * look while the sync runs must never take the ledger's write lock (opening the books checks their schema under
 * it), or a look every 10 ms can keep the sync waiting past its lock wait.
 */
function panelEvents(ledgerPath: string, day: string): Promise<{ all: number; unjournaled: number }> {
  const sqlite = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    const events = sqlite
      .prepare('SELECT id FROM source_events WHERE source_id = ? AND date = ?')
      .pluck()
      .all(PANEL, day) as string[];
    const linked = new Set(sqlite.prepare('SELECT event_id FROM entry_events').pluck().all() as string[]);
    return Promise.resolve({ all: events.length, unjournaled: events.filter((id) => !linked.has(id)).length });
  } finally {
    sqlite.close();
  }
}

/**
 * Syncs `day` and makes every panel request fail (HTTP 500, past the retries) as soon as the close
 * has booked its first chunk of orders: the close stops between two of its units of work.
 */
async function syncFailingAfterFirstChunk(
  sandbox: RunningSandbox,
  workspace: Workspace,
  day: string,
): Promise<{ result: CliResult; atFailure: { all: number; unjournaled: number } }> {
  await writeOrdersFile(sandbox, workspace.dir, day);
  // Slow replies leave time to see the first chunk committed before the last status request.
  await injectFaults(sandbox, { service: 'panel', clear: true, slow: { count: 100_000, delayMs: 40 } });
  const child = spawnLedgerline(workspace.dir, ['sync', '--as-of', day, '--orders-file', 'orders.csv'], workspace.env);
  const done = finished(child, 120_000);
  let atFailure = { all: 0, unjournaled: 0 };
  for (let attempt = 0; attempt < 3_000 && child.exitCode === null; attempt += 1) {
    atFailure = await panelEvents(workspace.ledgerPath, day);
    if (atFailure.all > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await injectFaults(sandbox, { service: 'panel', upstreamErrors: 100_000 });
  const result = await done;
  await injectFaults(sandbox, { service: 'panel', clear: true });
  return { result, atFailure };
}

describe('a panel close that stops after booking some of its orders', () => {
  let sandbox: RunningSandbox;
  let reference: Workspace;
  let interrupted: Workspace;
  let failed: { result: CliResult; atFailure: { all: number; unjournaled: number } };
  let afterFailure: { all: number; unjournaled: number };
  let backfill: CliResult;
  let afterBackfill: { all: number; unjournaled: number };
  let rerun: CliResult;

  beforeAll(async () => {
    sandbox = await startSandbox({ script: largeWorld(), rateLimitPerMinute: UNTHROTTLED });
    [reference, interrupted] = (await createWorkspaces(sandbox, ['interrupted-reference', 'interrupted-close'])) as [
      Workspace,
      Workspace,
    ];
    for (const workspace of [reference, interrupted]) unthrottlePanel(workspace);
    await setSandboxDay(sandbox, DAYS[0]!);
    for (const workspace of [reference, interrupted])
      expect((await workspace.syncDay(DAYS[0]!)).code).toBeLessThanOrEqual(1);

    await setSandboxDay(sandbox, DAYS[1]!);
    expect((await reference.syncDay(DAYS[1]!)).code).toBeLessThanOrEqual(1);
    failed = await syncFailingAfterFirstChunk(sandbox, interrupted, DAYS[1]!);
    afterFailure = await panelEvents(interrupted.ledgerPath, DAYS[1]!);
    backfill = await interrupted.run(['sync', '--from', DAYS[0]!, '--to', DAYS[0]!]);
    afterBackfill = await panelEvents(interrupted.ledgerPath, DAYS[1]!);
    rerun = await interrupted.syncDay(DAYS[1]!);

    await setSandboxDay(sandbox, DAYS[2]!);
    for (const workspace of [reference, interrupted])
      expect((await workspace.syncDay(DAYS[2]!)).code).toBeLessThanOrEqual(1);
  }, 300_000);

  afterAll(async () => {
    await sandbox?.close();
    reference?.remove();
    interrupted?.remove();
  });

  it('fails with exit 3, its first chunk of orders booked as events that no entry holds yet', () => {
    expect(failed.result.code, failed.result.stderr).toBe(3);
    expect(failed.atFailure.all).toBe(POLLING_CHUNK);
    expect(afterFailure.all % POLLING_CHUNK).toBe(0);
    expect(afterFailure.all).toBeLessThan(ORDERS);
    expect(afterFailure.unjournaled).toBe(afterFailure.all);
  });

  it('refuses a backfill until it is finished: a replay would put back the order states it started from', () => {
    expect(backfill.code, backfill.stderr).toBe(2);
    expect(backfill.stderr).toContain(
      `smm-panel: the close of ${DAYS[1]} stopped before it was finished; run a plain sync`,
    );
    expect(afterBackfill).toEqual(afterFailure);
  });

  it('is finished by the next sync: every order charged once, every event in an entry', async () => {
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await panelEvents(interrupted.ledgerPath, DAYS[1]!)).toEqual(
      await panelEvents(reference.ledgerPath, DAYS[1]!),
    );
    expect((await panelEvents(interrupted.ledgerPath, DAYS[1]!)).unjournaled).toBe(0);
  });

  it('ends with exactly the books of a close that never stopped, panel_prepaid equal to the panel balance', async () => {
    expect(await stableBooks(interrupted.ledgerPath)).toEqual(await stableBooks(reference.ledgerPath));
    expect(await readBooks(interrupted.ledgerPath, (ledger) => ledger.balanceMicros('panel_prepaid'))).toBe(
      sandbox.stateOn(DAYS[2]!).panel.balance,
    );
    expect(await readBooks(interrupted.ledgerPath, (ledger) => ledger.unbalancedEntries())).toEqual([]);
  });
});
