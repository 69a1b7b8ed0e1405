/**
 * The configuration of a fleet: 50 sources (40 panels, 10 publisher accounts) kept in a sources.csv beside
 * ledgerline.yaml, loaded and checked as every command does (loadConfig: the table read, each row through its
 * kind's schema, the cross-checks, resolved), ROUNDS times (median), against a plain csv-parse of the same file
 * in the same process. Aim (issue 55): well under a second for 50 sources.
 *
 *   npm run build && node bench/run.mjs fleet-config
 *
 * Load 16-20 (2 cores shared), 2026-11-26: load and check 56.9 ms median, plain csv parse 0.82 ms (69×): well
 * under the second the issue asks for; most of it is zod's checks and the kinds' resolve, not the table's read.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../dist/src/config/index.js';
import { configKinds } from '../dist/src/pipeline/kinds/index.js';
import { runWhenMain, sized } from './support/bench-size.mjs';

const ROUNDS = sized('BENCH_ROUNDS', 50, 3);
const PANELS = 40;
const PUBLISHERS = 10;
const ENV = { PANEL_KEY: 'bench-panel-key', PAYELANCER_KEY: 'bench-publisher-key' };

function fleetFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-fleet-config-'));
  const rows = [
    ...Array.from(
      { length: PANELS },
      (_, index) => `panel-${index + 1},panel,http://127.0.0.1:9/p${index + 1}/api/v2,PANEL_KEY,45,`,
    ),
    ...Array.from(
      { length: PUBLISHERS },
      (_, index) => `publisher-${index + 1},payelancer,http://127.0.0.1:9/a${index + 1},PAYELANCER_KEY,,wire`,
    ),
  ];
  writeFileSync(join(dir, 'sources.csv'), ['id,kind,url,secret,stuckAfterDays,payouts.method', ...rows, ''].join('\n'));
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    [
      'ledger: ./ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      'payouts: { method: paypal }',
      'sources: { file: sources.csv }',
      '',
    ].join('\n'),
  );
  return dir;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(action) {
  const times = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = performance.now();
    action();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function run() {
  const dir = fleetFolder();
  try {
    const kinds = configKinds();
    const first = loadConfig({ kinds, env: ENV, cwd: dir });
    const loadMs = timed(() => loadConfig({ kinds, env: ENV, cwd: dir }));
    const parseMs = timed(() => parse(readFileSync(join(dir, 'sources.csv'), 'utf8'), { columns: true }));
    return {
      name: 'fleet-config',
      metrics: {
        'sources loaded': first.sources.length,
        'load and check of 50 sources, median ms': Number(loadMs.toFixed(2)),
        'plain csv parse of the same file, median ms': Number(parseMs.toFixed(3)),
        'load and check ÷ plain csv parse': Number((loadMs / parseMs).toFixed(1)),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runWhenMain(import.meta.url, run);
