import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `ledgerline transit --json` on a ledger whose payouts' source has no bank words and whose ids hold colons: the
 * narrowed reach (LineReach.exactMicros), the path issue 72 item 5 would read as a stream. Four small worlds, each
 * in a month of its own (windows of 10 days never meet), written straight into a migrated ledger as the bench does.
 */
const PAYOUTS: [id: string, day: string, micros: bigint][] = [
  // March: A's exact-amount line names B, 10.00 over B's amount.
  ['payelancer:pub:payout:a', '2026-03-02', 100_000_000n],
  ['payelancer:pub:payout:b', '2026-03-02', 90_000_000n],
  // May: one line for two items of one day; as bytes "B2" < "b1", as people sort them "b1" first.
  ['payelancer:pub:payout:B2', '2026-05-04', 50_000_000n],
  ['payelancer:pub:payout:b1', '2026-05-04', 50_000_000n],
  // July: no line of C's amount; one naming it 2.50 short, a nearer one naming nothing, one naming it too far off.
  ['payelancer:pub:payout:c', '2026-07-01', 120_000_000n],
  // September: a line of D's amount naming D, booked the day before D (E's day, E's amount).
  ['payelancer:pub:payout:e', '2026-09-09', 70_000_000n],
  ['payelancer:pub:payout:d', '2026-09-10', 70_000_000n],
];
const LINES: [id: string, day: string, micros: bigint, reference: string][] = [
  ['L1', '2026-03-03', 100_000_000n, 'payout payelancer:pub:payout:b'],
  ['L2', '2026-05-06', 50_000_000n, 'SEPA CREDIT'],
  ['L3', '2026-07-02', 119_000_000n, 'SEPA CREDIT'],
  ['L4', '2026-07-03', 117_500_000n, 'payout payelancer:pub:payout:c'],
  ['L5', '2026-07-03', 90_000_000n, 'payout payelancer:pub:payout:c too far'],
  ['L6', '2026-09-09', 70_000_000n, 'payout payelancer:pub:payout:d'],
];

const tempDir = useTempDir();
let report: { items: { id: string; state: string; match: { amount: string; bankLine: string } | null }[] };

beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    'ledger: ledger.sqlite\ntimezone: UTC\ncurrency: EUR\nsources:\n  - { id: bank, kind: bank-statement }\n',
  );
  expect((await runLedgerline(['migrate'], { cwd: dir })).code).toBe(0);
  const db = new Database(join(dir, 'ledger.sqlite'));
  try {
    const event = db.prepare(
      "INSERT INTO source_events (id, source_id, kind, date, currency, amount_micros, ref, detail, run_id, created_at) VALUES (?, 'payelancer', 'payout_wire', ?, 'EUR', ?, ?, '{}', NULL, '2026-12-31T00:00:00.000Z')",
    );
    const line = db.prepare(
      "INSERT INTO bank_lines (account, line_id, booked_on, amount_micros, currency, reference, description, statement_sha256) VALUES ('bank', ?, ?, ?, 'EUR', ?, 'TRANSFER', 'pins')",
    );
    db.prepare(
      "INSERT INTO bank_statements (account, sha256, file, format, lines_read, imported_at) VALUES ('bank', 'pins', 'pins.xml', 'camt.053', ?, '2026-12-31T00:00:00.000Z')",
    ).run(LINES.length);
    for (const [id, day, micros] of PAYOUTS) event.run(id, day, micros, `wire ${id}`);
    for (const [id, day, micros, reference] of LINES) line.run(id, day, micros, reference);
  } finally {
    db.close();
  }
  const run = await runLedgerline(['transit', '--as-of', '2026-12-31', '--json'], { cwd: dir });
  expect(run.stderr).toBe('');
  report = JSON.parse(run.stdout) as typeof report;
}, 60_000);

const standingOf = (id: string) => {
  const item = report.items.find((each) => each.id === `payelancer:pub:payout:${id}`)!;
  return [item.state, item.match === null ? null : `${item.match.bankLine} ${item.match.amount}`];
};

describe('transit on a narrowed reach (no bank words, ids with colons)', () => {
  it('never gives an item a line of its exact amount that names another item: the other takes it', () => {
    expect([standingOf('a'), standingOf('b')]).toEqual([
      ['late', null],
      ['differs', 'bank:L1 100.00'],
    ]);
  });

  it('gives one line two items of one day contend for to the first in locale order of id', () => {
    expect(report.items.map((item) => item.id).filter((id) => id.includes(':b') || id.includes(':B'))).toEqual([
      'payelancer:pub:payout:b',
      'payelancer:pub:payout:b1',
      'payelancer:pub:payout:B2',
    ]);
    expect([standingOf('b1'), standingOf('B2')]).toEqual([
      ['matched', 'bank:L2 50.00'],
      ['late', null],
    ]);
  });

  it('gives an item with no line of its amount the line naming it within the tolerance', () => {
    expect(standingOf('c')).toEqual(['differs', 'bank:L4 117.50']);
  });

  it('never gives an item a line booked before its day', () => {
    expect([standingOf('e'), standingOf('d')]).toEqual([
      ['late', null],
      ['late', null],
    ]);
  });
});
