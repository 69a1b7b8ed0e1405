import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetSource } from '../../sandbox/fleet.js';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { FleetViewSchema } from '../../src/reads/index.js';
import { startWorker, until, type RunningWorker } from '../scenarios/queued-workers.js';
import { runLedgerline, type CliRun } from '../support/cli.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';

const { freshDatabase } = usePostgresServer();
const tempDir = useTempDir('ledgerline-fleet-night-');

/**
 * Issue 55's first must-show, in the soak only (vitest.config.ts SOAK_ONLY; run it with
 * `npx vitest run --config vitest.soak.config.ts test/cli/fleet-night-entities.test.ts`): the fleet sandbox's 30 panels
 * and 10 publisher accounts on 4 workers. The last panel fails (502s), the one before it (panel-29) is silent from the
 * world's third day (2026-03-03): from then on nothing of its account moves, its earlier orders included
 * (sandbox/world-generator.ts, silentFrom). npm test pins each of its facts at a small size in another file:
 * queue-entities, queued-sync-postgres, worker-parking-cli, silent-sources and entities-night (docs/testing.md).
 */
const SIZE = { panels: 30, publishers: 10, workers: 4 };
/**
 * The bound on the file's nights, its workers' lives and its CLI runs: at 30 + 10 its four nights take about 50 CPU-s,
 * which a machine loaded twentyfold stretches past ten minutes (the soak's first run here was cut at 600 s).
 */
const BOUND_MS = 1_500_000;
/** Four nights: the silent panel's first close brings its history, the next three nothing (monitor.silentAfterDays: 3). */
const NIGHTS = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'] as const;
const ENTITIES = ['north', 'south'] as const;

/** Odd-numbered sources book into north, even-numbered into south: each entity has panels and publishers. */
function entityOf(source: Pick<FleetSource, 'id'>): (typeof ENTITIES)[number] {
  return Number(source.id.slice(-2)) % 2 === 1 ? 'north' : 'south';
}

/** A worker's JSON log lines. */
function logLines(worker: RunningWorker): { time: string; message: string; sourceId?: string }[] {
  return worker
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { time: string; message: string; sourceId?: string });
}

/** sources.csv of `sources`, with the entity column when the file has entities. */
function sourcesCsv(sources: readonly FleetSource[], withEntity: boolean): string {
  const row = (source: FleetSource) =>
    [source.id, source.kind, source.url, source.secret, ...(withEntity ? [entityOf(source)] : [])].join(',');
  return [`id,kind,url,secret${withEntity ? ',entity' : ''}`, ...sources.map(row), ''].join('\n');
}

describe(
  `a queued night of ${SIZE.panels} panels and ${SIZE.publishers} publishers in two entities on PostgreSQL, ${SIZE.workers} workers`,
  { timeout: BOUND_MS },
  () => {
    let fleet: RunningFleet | undefined;
    let dir = '';
    const env = { ...SANDBOX_ENVIRONMENT };
    const run = (args: readonly string[], cwd = dir) =>
      runLedgerline(args, { cwd, env, timeoutMs: BOUND_MS - 100_000 });
    const workers: RunningWorker[] = [];
    const nights: CliRun[] = [];
    let failing: FleetSource;
    let silent: FleetSource;

    /** Each entity's sources alone, in a SQLite ledger that books them one `sync --source` run at a time. */
    const aloneDir = (entity: string) => join(dir, `one-at-a-time-${entity}`);

    beforeAll(async () => {
      dir = tempDir();
      fleet = (await startSandboxFleet({ ...SIZE, port: 0, chart: 'full', dir, today: NIGHTS[0] })).fleet;
      failing = fleet.sources.find((source) => source.role === 'failing')!;
      silent = fleet.sources.find((source) => source.role === 'silent')!;
      // Each entity its own PostgreSQL database.
      const example = readFileSync(join(dir, 'ledgerline.yaml'), 'utf8');
      const ledgers = { north: await freshDatabase(), south: await freshDatabase() };
      const entities = ['entities:', ...ENTITIES.map((name) => `  ${name}: { ledger: "${ledgers[name]}" }`), ''];
      writeFileSync(join(dir, 'ledgerline.yaml'), example.replace(/^ledger: .*$/m, entities.join('\n')));
      writeFileSync(join(dir, 'sources.csv'), sourcesCsv(fleet.sources, true));
      for (const entity of ENTITIES) {
        mkdirSync(aloneDir(entity));
        writeFileSync(
          join(aloneDir(entity), 'ledgerline.yaml'),
          example.replace(/^ledger: .*$/m, 'ledger: ./ledger.sqlite'),
        );
        writeFileSync(
          join(aloneDir(entity), 'sources.csv'),
          sourcesCsv(
            fleet.sources.filter((one) => entityOf(one) === entity),
            false,
          ),
        );
      }
      for (let index = 0; index < SIZE.workers; index += 1)
        workers.push(startWorker({ dir, env }, ['--concurrency', '2'], BOUND_MS));
      // Each night as the fleet lives it (its day the night's): the queued night, then the same night one source at a
      // time. The failing panel books nothing either way (it never answers): its one-source runs are left out.
      for (const day of NIGHTS) {
        const queue = ['--queue', '--retries', '1', '--retry-delay', '10', '--queue-wait', '400'];
        nights.push(await run(['sync', '--as-of', day, ...queue]));
        for (const source of fleet.sources.filter((one) => one !== failing)) {
          const single = await run(['sync', '--as-of', day, '--source', source.id], aloneDir(entityOf(source)));
          expect(single.code, `${source.id} ${day}: ${single.stderr}`).toBeLessThan(2);
        }
        fleet.lead.advanceDays(1);
      }
    }, BOUND_MS);
    afterAll(async () => {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.ended));
      await fleet?.close();
    });

    it("books each entity as one-source runs do: each entity's hledger export byte for byte that of its sources synced one `sync --source` run at a time", async () => {
      for (const entity of ENTITIES) {
        const queued = await run(['export', '--format', 'hledger', '--entity', entity]);
        const oneByOne = await run(['export', '--format', 'hledger'], aloneDir(entity));
        expect(queued.code, queued.stderr).toBe(0);
        expect(queued.stdout, entity).toBe(oneByOne.stdout);
        const panels = fleet!.sources.filter(
          (one) => entityOf(one) === entity && one.kind === 'panel' && one !== failing,
        );
        for (const panel of panels) expect(queued.stdout).toContain(`assets:panel_prepaid:${panel.id}`);
      }
    });

    it('parks the failing panel with its reason after its retries, every other source booked before its retry began', async () => {
      const [first, second] = nights;
      expect(first!.code, first!.stderr).toBe(3);
      expect(first!.stderr).toMatch(/entity north:[\s\S]*entity south:/);
      expect(first!.stdout).toMatch(new RegExp(`${failing.id}.*parked: ${failing.id}: balance: HTTP 502`));
      await until(() => workers.some((worker) => worker.stderr().includes(`parked ${failing.id}`)), 'the park');
      const lines = workers.flatMap(logLines);
      const tries = lines
        .filter((line) => line.sourceId === failing.id && line.message.startsWith('taking the close'))
        .map((line) => line.time)
        .sort();
      // Two tries on the first night; on the later nights it is parked, so left out.
      expect(tries).toHaveLength(2);
      for (const source of fleet!.sources.filter((one) => one !== failing)) {
        const booked = lines
          .filter((line) => line.sourceId === source.id && line.message.startsWith('booked'))
          .map((line) => line.time)
          .sort();
        expect(booked.length, source.id).toBe(NIGHTS.length);
        expect(booked[0]! < tries[1]!, `${source.id} booked before ${failing.id}'s retry`).toBe(true);
      }
      expect(second!.code, second!.stderr).toBe(3);
      expect(second!.stdout).toMatch(new RegExp(`${failing.id}.*parked: ${failing.id}: balance: HTTP 502`));
      expect(second!.stderr).toContain(`${failing.id} is parked since its close of ${NIGHTS[0]} failed in every try`);
    });

    it('status --fleet --json lists every source with its entity: the failing one parked, the silent one silent, the rest ok', async () => {
      const status = await run(['status', '--fleet', '--json']);
      expect(status.code, status.stderr).toBe(0);
      const rows = FleetViewSchema.parse(JSON.parse(status.stdout));
      expect(rows.map((row) => row.source).sort()).toEqual(fleet!.sources.map((source) => source.id).sort());
      for (const row of rows) {
        const source = fleet!.sources.find((one) => one.id === row.source)!;
        expect(row.entity, row.source).toBe(entityOf(source));
        const expected =
          source === failing
            ? ['failing', expect.stringContaining('HTTP 502'), null]
            : source === silent
              ? ['ok', undefined, 3]
              : ['ok', undefined, null];
        expect([row.lastResult, row.parked, row.silentDays], row.source).toEqual(expected);
      }
      const words = await run(['status', '--entity', entityOf(silent)]);
      expect(words.stdout).toContain(
        `! Panel ${silent.id} has sent no new orders or balance moves for 3 days (since ${NIGHTS[1]})`,
      );
    });
  },
);
