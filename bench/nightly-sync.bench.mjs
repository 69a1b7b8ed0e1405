/**
 * Does a year of history slow the nightly sync down? The same nightly sync
 * (1,000 open orders, polled from the in-process sandbox at the seed's real
 * 1000/min limit, about 700 of them moving on that night) against two ledgers
 * that differ only in 1,000,000 terminal orders in the orders table, inserted
 * directly as a previous year of syncs would have left them (terminal = 1,
 * their final state as JSON). Baseline: the same sync with the 1,000 open
 * orders alone, in the same process.
 *
 * Each run starts from a fresh copy of its ledger file (so every run does the
 * same work); after one warm-up run of each, the variants alternate, ROUNDS
 * times each, and the medians are compared: runSync's wall time, and the
 * process CPU time it took (the in-process sandbox's included, the same in
 * both), which a busy machine disturbs less.
 *
 * Second pair: the same two nights with an orders file configured that lists
 * every order the panel ever had (a cumulative panel export): 100,000 of the
 * historic orders plus the 1,000 open ones, against a file of the 1,000 open
 * ones alone. Every listed order is read and looked up in the ledger at every
 * sync (the file is streamed: the close parses it once and registers its
 * orders a batch at a time, an INSERT that finds most of them known).
 *
 *   npm run build && node bench/nightly-sync.bench.mjs
 */
import { closeSync, copyFileSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import {
  HISTORIC_ORDERS,
  HISTORIC_ROWS_IN_FILE,
  NIGHT,
  WORLD_START,
  bookOpenDay,
  bothPairs,
  historicOrderValues,
  nightMetrics,
  openOrders,
  writeCumulativeOrdersFile,
} from './support/nightly-night.mjs';
import { median, openLedgerStore, panelConfig, panelScript, tempDir, writeOrdersFile } from './support-sync.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const ROUNDS = sized('BENCH_ROUNDS', 11, 1);

function insertHistoricOrders(path, count) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    `INSERT INTO orders (source_id, order_id, quantity, created_at, first_seen_date, state, last_observed_date, updated_at, service, discovered_via, terminal, unknown_since)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '1', 'orders-file', 1, NULL)`,
  );
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) insert.run(...historicOrderValues(index));
  })();
  db.close();
}

/** Copies a ledger and flushes the copy, so no write-back of it competes with the run that follows. */
function freshCopy(from, to) {
  copyFileSync(from, to);
  const descriptor = openSync(to, 'r+');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

export async function run() {
  const temp = tempDir();
  const orders = openOrders();
  const sandbox = await startSandbox({ script: panelScript(WORLD_START, orders), today: WORLD_START });
  try {
    const { config, chart } = panelConfig(temp.dir, { panelUrl: sandbox.panelUrl, apiKey: sandbox.keys.panel });
    const openAlone = join(temp.dir, 'open-alone.sqlite');
    const withHistory = join(temp.dir, 'with-history.sqlite');
    const openFile = writeOrdersFile(join(temp.dir, 'orders-open.csv'), orders);
    await bookOpenDay({ sandbox, config, chart, store: await openLedgerStore(openAlone), openFile });
    copyFileSync(openAlone, withHistory);
    insertHistoricOrders(withHistory, HISTORIC_ORDERS);
    const cumulativeFile = writeCumulativeOrdersFile(join(temp.dir, 'orders-cumulative.csv'), orders);

    sandbox.setToday(NIGHT);
    const { plain, filed } = await bothPairs({
      config,
      chart,
      rounds: ROUNDS,
      // Each run on a fresh copy of its ledger file.
      fresh: async ({ name, ledger }) => {
        const path = join(temp.dir, `run-${name}.sqlite`);
        freshCopy(ledger, path);
        const opened = await openLedgerStore(path);
        return {
          store: opened,
          discard: async () => {
            await opened.close();
            rmSync(path, { force: true });
          },
        };
      },
      openAlone: { ledger: openAlone },
      withHistory: { ledger: withHistory },
      openFile,
      cumulativeFile,
    });
    return {
      name: 'nightly-sync',
      metrics: {
        ...nightMetrics({
          plain,
          filed,
          rounds: ROUNDS,
          cpu: {
            'with history ÷ open alone (CPU time, median)': (
              median(plain.withHistory.cpuMs) / median(plain.openAlone.cpuMs)
            ).toFixed(2),
          },
          fileCpu: {
            'cumulative orders file ÷ open-orders file (CPU time, median)': (
              median(filed.withHistoryFile.cpuMs) / median(filed.openAloneFile.cpuMs)
            ).toFixed(2),
            'CPU ms per 100,000 listed rows': Math.round(
              ((median(filed.withHistoryFile.cpuMs) - median(filed.openAloneFile.cpuMs)) / HISTORIC_ROWS_IN_FILE) *
                100_000,
            ),
          },
        }),
        'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    await sandbox.close();
    temp.remove();
  }
}

await runWhenMain(import.meta.url, run);
