import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credit, debit } from '../../src/rules/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';
import { openBooks } from '../support/books.js';
import { openLedgerTables } from '../support/ledger-tables.js';
import type { PanelTables } from '../../src/kinds/panel/books/panel-tables.js';

const tempDir = useTempDir();
const DAY_MS = 86_400_000;

async function prepareLedger(dir: string): Promise<void> {
  const books = await openBooks(join(dir, 'data', 'ledger.sqlite'));
  const tables = await openLedgerTables(books);
  const ledger = books.ledger;
  const db = tables.db.withTables<PanelTables>();
  const now = new Date('2026-03-03T02:30:00Z');
  for (const [id, date, micros] of [
    ['je:smm-panel:2026-03-01', '2026-03-01', 900_000n],
    ['je:smm-panel:2026-03-02', '2026-03-02', 1_800_000n],
    ['je:smm-panel:2026-03-03', '2026-03-03', 2_000n],
  ] as const) {
    await ledger.appendEntry(
      {
        id,
        date,
        sourceId: 'smm-panel',
        description: 'SMM panel order charges',
        eventIds: [],
        lines: [debit('smm_services_expense', 'USD', micros), credit('panel_prepaid', 'USD', micros)],
      },
      { now },
    );
  }
  await tables.run(
    db.insertInto('deliveries').values({
      entry_id: 'je:smm-panel:2026-03-01',
      destination: 'xero',
      state: 'posted',
      remote_id: 'mj-1',
      request_key: 'k1',
      last_error: null,
      updated_at: now.toISOString(),
    }),
  );
  await tables.run(
    db.insertInto('deliveries').values({
      entry_id: 'je:smm-panel:2026-03-02',
      destination: 'xero',
      state: 'refused',
      remote_id: null,
      request_key: 'k2',
      last_error: 'locked',
      updated_at: now.toISOString(),
    }),
  );
  await tables.run(
    db.insertInto('runs').values({
      id: 'run:1',
      command: 'sync',
      started_at: '2026-03-03T02:30:00.000Z',
      finished_at: '2026-03-03T02:30:09.000Z',
      outcome: 'attention',
      as_of: '2026-03-02',
      summary: null,
      error: null,
    }),
  );
  await tables.run(
    db.insertInto('runs').values({
      id: 'run:2',
      command: 'post',
      started_at: '2026-03-03T02:31:00.000Z',
      finished_at: '2026-03-03T02:31:02.000Z',
      outcome: 'failed',
      as_of: null,
      summary: null,
      error: 'AuthError: xero: authentication failed',
    }),
  );
  for (const [orderId, terminal, unknownSince] of [
    ['23501', 1, null],
    ['23502', 0, null],
    ['23503', 0, null],
    ['23504', 0, '2026-03-02'],
  ] as const) {
    await tables.run(
      db.insertInto('orders').values({
        source_id: 'smm-panel',
        order_id: orderId,
        service: '1',
        quantity: 1000n,
        created_at: null,
        discovered_via: 'orders-file',
        first_seen_date: '2026-03-01',
        state: null,
        terminal,
        unknown_since: unknownSince,
        last_observed_date: '2026-03-02',
        updated_at: now.toISOString(),
      }),
    );
  }
  await tables.run(
    db.insertInto('discrepancies').values({
      id: 'f1',
      kind: 'balance_rise',
      source_id: 'smm-panel',
      date: '2026-03-02',
      amount_micros: 50_000_000n,
      currency: 'USD',
      ref: 'balance',
      message: 'top-up',
      created_at: now.toISOString(),
      resolved_at: null,
    }),
  );
  await tables.run(
    db.insertInto('discrepancies').values({
      id: 'f2',
      kind: 'balance_rise',
      source_id: 'smm-panel',
      date: '2026-03-03',
      amount_micros: 1_000_000n,
      currency: 'USD',
      ref: 'balance',
      message: 'top-up',
      created_at: now.toISOString(),
      resolved_at: null,
    }),
  );
  await tables.run(
    db.insertInto('discrepancies').values({
      id: 'f3',
      kind: 'clawback',
      source_id: 'ads-publisher',
      date: '2026-03-02',
      amount_micros: 1_530_000n,
      currency: 'USD',
      ref: 'x',
      message: 'clawback',
      created_at: now.toISOString(),
      resolved_at: '2026-03-03T00:00:00Z',
    }),
  );
  await tables.run(
    db.insertInto('quarantine').values({
      source_id: 'smm-panel',
      raw_observation_id: null,
      webhook_id: null,
      item_ref: 'order 23509',
      reason: 'charge: not an amount',
      as_of: '2026-03-02',
      created_at: now.toISOString(),
      resolved_at: null,
    }),
  );
  await tables.run(
    db.insertInto('source_closes').values({
      source_id: 'smm-panel',
      date: '2026-03-02',
      metric: 'balance',
      value_micros: 97_300_000n,
      currency: 'USD',
      raw_observation_id: null,
      taken_at: now.toISOString(),
    }),
  );
  await tables.close();
  await books.close();
}

describe('ledgerline status --json', () => {
  it('reports runs, closes, orders, deliveries, discrepancies, quarantine, schedule and token health of a prepared ledger', async () => {
    const dir = tempDir();
    await runLedgerline(['init'], { cwd: dir });
    await prepareLedger(dir);
    const refreshExpiry = new Date(Date.now() + 10 * DAY_MS + 3_600_000);
    writeFileSync(
      join(dir, 'data', '.ledgerline-tokens.json'),
      JSON.stringify({
        version: 1,
        destinations: {
          quickbooks: {
            accessToken: 'at-secret-123456',
            accessTokenExpiresAt: new Date().toISOString(),
            refreshToken: 'rt-secret-123456',
            refreshTokenExpiresAt: refreshExpiry.toISOString(),
          },
        },
      }),
      { mode: 0o600 },
    );
    const run = await runLedgerline(['status', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('secret-123456');
    const report = JSON.parse(run.stdout);
    expect(report).toEqual({
      ledger: join(dir, 'data', 'ledger.sqlite'),
      entries: 3,
      lastEntryDate: '2026-03-03',
      runs: [
        {
          id: 'run:2',
          command: 'post',
          startedAt: '2026-03-03T02:31:00.000Z',
          finishedAt: '2026-03-03T02:31:02.000Z',
          outcome: 'failed',
          asOf: null,
          error: 'AuthError: xero: authentication failed',
        },
        {
          id: 'run:1',
          command: 'sync',
          startedAt: '2026-03-03T02:30:00.000Z',
          finishedAt: '2026-03-03T02:30:09.000Z',
          outcome: 'attention',
          asOf: '2026-03-02',
          error: null,
        },
      ],
      openOrders: [{ sourceId: 'smm-panel', open: 2, unknown: 1, terminal: 1 }],
      unposted: [
        { destination: 'xero', entries: 2, refused: 1 },
        { destination: 'quickbooks', entries: 3, refused: 0 },
      ],
      // What reconcile lists open, by kind: f3 is resolved; the quarantined reply and the refused entry are open items too.
      discrepancies: [
        { kind: 'balance_mismatch', open: 1 },
        { kind: 'balance_rise', open: 2 },
        { kind: 'quarantined_reply', open: 1 },
        { kind: 'refused_entry', open: 1 },
      ],
      // The same items by source: the fleet view's and the metrics' open items.
      openBySource: [
        { source: 'smm-panel', kind: 'balance_mismatch', open: 1 },
        { source: 'smm-panel', kind: 'balance_rise', open: 2 },
        { source: 'smm-panel', kind: 'quarantined_reply', open: 1 },
        { source: 'smm-panel', kind: 'refused_entry', open: 1 },
      ],
      forTheRecord: [],
      quarantined: 1,
      lastCloses: [{ sourceId: 'smm-panel', date: '2026-03-02' }],
      // The prepared ledger logs no close (close_log), so no source has a quiet stretch to judge.
      quiet: [],
      closesAfterToday: [],
      integrity: 'ok',
      // A run recorded without money (as before runs kept it) is shown, its sources as not recorded.
      lastSync: {
        runId: 'run:1',
        command: 'sync',
        asOf: '2026-03-02',
        startedAt: '2026-03-03T02:30:00.000Z',
        finishedAt: '2026-03-03T02:30:09.000Z',
        outcome: 'attention',
        error: null,
        sources: null,
      },
      schedule: { cron: '30 2 * * *', timezone: 'UTC', nextRunAt: expect.stringMatching(/T02:30:00\.000Z$/) },
      connections: [],
      tokens: [{ destination: 'quickbooks', refreshTokenExpiresAt: refreshExpiry.toISOString(), expiresInDays: 10 }],
    });
    expect(Date.parse(report.schedule.nextRunAt)).toBeGreaterThan(Date.now());
  });
});

describe('ledgerline status and a destination removed from the configuration', () => {
  it("lists only configured destinations' tokens, and says once that the removed one's are kept and how to remove them", async () => {
    const dir = tempDir();
    await runLedgerline(['init'], { cwd: dir });
    const expires = new Date(Date.now() + 10 * DAY_MS).toISOString();
    const held = {
      accessToken: 'at-secret-123456',
      accessTokenExpiresAt: new Date().toISOString(),
      refreshToken: 'rt-secret-123456',
      refreshTokenExpiresAt: expires,
    };
    writeFileSync(
      join(dir, 'data', '.ledgerline-tokens.json'),
      JSON.stringify({ version: 1, destinations: { quickbooks: held } }),
      { mode: 0o600 },
    );
    const config = parseDocument(readFileSync(join(dir, 'ledgerline.yaml'), 'utf8'));
    config.deleteIn(['destinations', 'quickbooks']);
    writeFileSync(join(dir, 'ledgerline.yaml'), config.toString());
    const run = await runLedgerline(['status'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('tokens: quickbooks refresh token');
    expect(run.stdout).toContain(
      `tokens: quickbooks kept in ${join(dir, 'data', '.ledgerline-tokens.json')}, though ${join(dir, 'ledgerline.yaml')} no longer configures it: unused; ` +
        'to remove them, put destinations.quickbooks back and run ledgerline disconnect quickbooks (it revokes them at the vendor)\n',
    );
    expect(run.stdout).not.toContain('secret-123456');
  });
});
