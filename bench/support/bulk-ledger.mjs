// A ledger of `lines` journal lines (two-line entries over a year, three sources),
// written straight into a migrated ledgerline database in one transaction: the
// schema's triggers (balance, sealing) still run on every row. Amounts are whole
// cents, so each line's cents (stored with it, migration 0015) are its exact amount
// and no rounding line is needed.
// Foreign keys are not checked during the load: each line's entry is written beside it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LedgerStore } from '../../dist/src/store/index.js';

const SOURCES = [
  { id: 'smm-panel', debit: 'smm_services_expense', credit: 'panel_prepaid', description: 'SMM panel order charges' },
  { id: 'ads-publisher', debit: 'payelancer_receivable', credit: 'ad_revenue', description: 'Ad network earnings' },
  {
    id: 'ads-advertiser',
    debit: 'advertising_expense',
    credit: 'payelancer_prepaid',
    description: 'Ad network advertising spend',
  },
];
const DAYS = 365;
const FIRST_DAY = Date.UTC(2025, 0, 1);

function dayText(index) {
  return new Date(FIRST_DAY + index * 86_400_000).toISOString().slice(0, 10);
}

/** Writes `dir`/ledger.sqlite holding `lines` journal lines and `dir`/ledgerline.yaml reading it; returns the last entry date. */
export async function writeBulkLedger(dir, lines) {
  const path = join(dir, 'ledger.sqlite');
  await (await LedgerStore.open(path)).close();
  writeFileSync(join(dir, 'ledgerline.yaml'), 'ledger: ./ledger.sqlite\ntimezone: UTC\ncurrency: USD\n');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  const insertLine = db.prepare(
    'INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros, description, cents) VALUES (?, ?, ?, ?, ?, NULL, ?)',
  );
  const insertEntry = db.prepare(
    "INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, run_id, created_at) VALUES (?, ?, ?, ?, '[]', ?, 'run:bench', '2026-01-01T00:00:00.000Z')",
  );
  const insertTotal = db.prepare(
    'INSERT INTO running_totals (source_id, account, currency, exact_micros, debit_micros, credit_micros, debit_cents, credit_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const entries = Math.floor(lines / 2);
  const perDay = Math.ceil(entries / DAYS);
  const totals = new Map();
  db.transaction(() => {
    for (let index = 0; index < entries; index += 1) {
      const source = SOURCES[index % SOURCES.length];
      const date = dayText(Math.floor(index / perDay));
      const cents = BigInt(1 + ((index * 7919) % 250_000));
      const id = `je:${source.id}:${date}:${index}`;
      insertLine.run(id, 1, source.debit, 'USD', cents * 10_000n, cents);
      insertLine.run(id, 2, source.credit, 'USD', -cents * 10_000n, -cents);
      insertEntry.run(id, date, source.id, `${source.id} ${date}: ${source.description} #${index}`, `bench-${index}`);
      for (const [account, signedCents] of [
        [source.debit, cents],
        [source.credit, -cents],
      ]) {
        const key = `${source.id}\u0000${account}`;
        totals.set(key, (totals.get(key) ?? 0n) + signedCents);
      }
    }
    // Each account is only debited or only credited here: its total is all debits or all credits.
    for (const [key, signedCents] of totals) {
      const [sourceId, account] = key.split('\u0000');
      const debitCents = signedCents > 0n ? signedCents : 0n;
      const creditCents = signedCents < 0n ? -signedCents : 0n;
      insertTotal.run(
        sourceId,
        account,
        'USD',
        signedCents * 10_000n,
        debitCents * 10_000n,
        creditCents * 10_000n,
        debitCents,
        creditCents,
      );
    }
    // The daily movements an append keeps (migration 0022), from the lines just written: every line's cents are with it.
    db.exec(`INSERT INTO daily_movements (date, source_id, account, currency, debit_micros, credit_micros, debit_cents, credit_cents)
      SELECT e.date, e.source_id, l.account, l.currency,
             SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END), SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END),
             SUM(CASE WHEN l.cents > 0 THEN l.cents ELSE 0 END), SUM(CASE WHEN l.cents < 0 THEN -l.cents ELSE 0 END)
        FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
       GROUP BY e.date, e.source_id, l.account, l.currency`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dayText(Math.floor((entries - 1) / perDay));
}

const made = new Map();

/**
 * One bulk ledger of `lines` per process, in a temporary folder: benches run one after the other share it, and
 * the folder goes when the process ends (a 1M-line ledger is ~230 MB; every run used to leave one behind).
 */
export async function sharedBulkLedger(lines) {
  if (!made.has(lines)) {
    const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bulk-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    made.set(lines, { dir, lastDate: await writeBulkLedger(dir, lines) });
  }
  return made.get(lines);
}
