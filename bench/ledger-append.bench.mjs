// Appending 100,000 two-line balanced entries through the Ledger API (validation,
// idempotency check, database triggers, cent rendering) against a raw
// better-sqlite3 insert of the same rows in one transaction: in bulk
// (Ledger.appendEntries, as the pipeline books a close) and, on a second
// ledger, one appendEntry at a time.
//
// 2026-11-24, load 1-2, `node bench/ledger-append.bench.mjs`: 7.9x raw at 12bd3fe, 9.8x after the row
// statements of issue 26 (SQLite ran each insert as INSERT ... SELECT over a one-row subquery, a quarter
// slower per row than VALUES), 7.6x with plain inserts as VALUES again (insertRows). Where the 3.9 s go:
// journal and rendered lines 1.9 s (seal trigger, two indexes each, an immediate FK for rendered lines),
// entries 1.2 s (the balance trigger's two reads of the lines, three indexes), the rest in JavaScript.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Ledger, LedgerStore } from '../dist/src/ledger/index.js';
import { sized } from './support/bench-size.mjs';

const ENTRIES = sized('BENCH_ENTRIES', 100_000, 1000);

function entry(index) {
  const micros = BigInt(100_000 + (index % 997) * 13);
  return {
    id: `je:bench:${index}`,
    date: `2026-03-${String((index % 28) + 1).padStart(2, '0')}`,
    sourceId: 'bench',
    description: `bench entry ${index}`,
    eventIds: [],
    lines: [
      { account: 'smm_services_expense', currency: 'USD', amountMicros: micros },
      { account: 'panel_prepaid', currency: 'USD', amountMicros: -micros },
    ],
  };
}

function cpuMs(used) {
  return (used.user + used.system) / 1000;
}

/** Milliseconds (wall and CPU) of `append` in one unit of work on a new ledger at `path`, and whether its trial balance balances. */
async function timedAppend(path, append) {
  const store = await LedgerStore.open(path);
  try {
    const ledger = new Ledger(store);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await store.unitOfWork(() => append(ledger));
    const ms = performance.now() - started;
    const used = cpuMs(process.cpuUsage(cpu));
    const trial = await ledger.trialBalance();
    return { ms, cpuMs: used, balanced: trial.totalDebitMicros === trial.totalCreditMicros };
  } finally {
    await store.close();
  }
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bench-'));
  try {
    const entries = Array.from({ length: ENTRIES }, (_, index) => entry(index));
    const raw = new Database(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.exec(`CREATE TABLE entries (id TEXT PRIMARY KEY, date TEXT, source_id TEXT, description TEXT);
              CREATE TABLE lines (entry_id TEXT, line_no INTEGER, account TEXT, currency TEXT, amount_micros INTEGER, PRIMARY KEY (entry_id, line_no))`);
    const insertEntry = raw.prepare('INSERT INTO entries VALUES (?, ?, ?, ?)');
    const insertLine = raw.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?)');
    const rawCpu = process.cpuUsage();
    let started = performance.now();
    raw.transaction(() => {
      for (const e of entries) {
        insertEntry.run(e.id, e.date, e.sourceId, e.description);
        e.lines.forEach((line, lineNo) => insertLine.run(e.id, lineNo + 1, line.account, line.currency, line.amountMicros));
      }
    })();
    const rawMs = performance.now() - started;
    const rawCpuMs = cpuMs(process.cpuUsage(rawCpu));
    raw.close();

    const now = new Date('2026-03-29T00:00:00Z');
    const bulk = await timedAppend(join(dir, 'bulk.sqlite'), (ledger) => ledger.appendEntries(entries, { now }));
    const oneByOne = await timedAppend(join(dir, 'one-by-one.sqlite'), async (ledger) => {
      for (const made of entries) await ledger.appendEntry(made, { now });
    });
    return {
      name: 'ledger-append',
      metrics: {
        entries: ENTRIES,
        raw_insert_ms: Math.round(rawMs),
        ledger_append_ms: Math.round(bulk.ms),
        'ledger ÷ raw (time, lower is better)': (bulk.ms / rawMs).toFixed(2),
        entries_per_second: Math.round((ENTRIES / bulk.ms) * 1000),
        one_by_one_append_ms: Math.round(oneByOne.ms),
        'one by one ÷ raw (time)': (oneByOne.ms / rawMs).toFixed(2),
        raw_insert_cpu_ms: Math.round(rawCpuMs),
        ledger_append_cpu_ms: Math.round(bulk.cpuMs),
        'ledger ÷ raw (CPU time, steadier on a busy machine)': (bulk.cpuMs / rawCpuMs).toFixed(2),
        'one by one ÷ raw (CPU time)': (oneByOne.cpuMs / rawCpuMs).toFixed(2),
        trial_balance_equal: bulk.balanced && oneByOne.balanced,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
