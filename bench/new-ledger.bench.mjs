/**
 * A new SQLite ledger, made as `open` makes one now (written whole from the empty ledger the process migrated once
 * in memory), against the same ledger made by its migrations (an empty file SQLite made, which `open` migrates): the
 * CPU of each, in one process, after one of each has warmed the code. The two must hold the same schema.
 *
 *   npm run build && node bench/new-ledger.bench.mjs
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteLedgerStore } from '../dist/src/store/sqlite-ledger-store.js';
import { runWhenMain, sized } from './support/bench-size.mjs';

const LEDGERS = sized('BENCH_LEDGERS', 100, 5);

/** CPU milliseconds each of `count` new ledgers took, made by `make` in `dir`. */
async function cpuEach(dir, count, make) {
  const before = process.cpuUsage();
  for (let index = 0; index < count; index++) {
    const store = await make(join(dir, `ledger-${index}.sqlite`));
    await store.close();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

const written = (path) => SqliteLedgerStore.open(path);
const migrated = (path) => {
  new Database(path).close();
  return SqliteLedgerStore.open(path);
};

const schemaOf = (store) =>
  JSON.stringify(store.sqlite.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all());

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bench-new-ledger-'));
  try {
    const one = await written(join(dir, 'warm-written.sqlite'));
    const other = await migrated(join(dir, 'warm-migrated.sqlite'));
    const sameSchema = schemaOf(one) === schemaOf(other);
    await one.close();
    await other.close();
    const writtenMs = await cpuEach(mkdtempSync(join(dir, 'w-')), LEDGERS, written);
    const migratedMs = await cpuEach(mkdtempSync(join(dir, 'm-')), LEDGERS, migrated);
    return {
      name: 'new-ledger',
      metrics: {
        ledgers: LEDGERS,
        'CPU ms a ledger written whole': writtenMs.toFixed(1),
        'CPU ms a ledger migrated': migratedMs.toFixed(1),
        'migrated / written': (migratedMs / writtenMs).toFixed(2),
        'schemas that differ (must be 0)': sameSchema ? 0 : 1,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runWhenMain(import.meta.url, run);
