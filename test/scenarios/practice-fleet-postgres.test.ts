import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { SANDBOX_ENTITIES, SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { ExceptionQueueSchema, FleetViewSchema } from '../../src/reads/index.js';
import { runLedgerline } from '../support/cli.js';
import { startHealthchecksReceiver, type HealthchecksReceiver } from '../support/healthchecks-receiver.js';
import { LEDGER_ENGINES } from '../support/ledger-engines.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { useTempDir } from '../support/temp-dir.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { startWorkerInProcess, type WorkerInProcess } from './queued-workers.js';

const tempDir = useTempDir('ledgerline-practice-fleet-postgres-');
const onPostgres = LEDGER_ENGINES.includes('postgres');
const { freshDatabase } = onPostgres ? usePostgresServer() : { freshDatabase: async () => '' };
/** Four nights, not the six: each night is a local sync and a queued one of 16 sources, within a minute in all. */
const NIGHTS = 4;
const CHECKS = ['north', 'south', 'fleet'] as const;
/** Figures of the run itself, not of the books: how long it took and when it ended differ between any two runs. */
const RUN_TIMINGS = new Set(['ledgerline_last_run_duration_seconds', 'ledgerline_last_success_timestamp_seconds']);

/**
 * Issue 72's "the same fleet on PostgreSQL with queued workers gives the same figures": the sandbox's fleet of 12
 * panels and 4 publishers in two entities (a failing panel and a silent one among them) synced night by night twice,
 * by a local `sync` into SQLite ledgers and by `sync --queue` into PostgreSQL ones with a worker closing, each night
 * on the same sandbox day. `status --fleet --json`, the exception queue and `metrics` (parsed) must agree figure by
 * figure; the queued nights ping each entity's check and the fleet's as the local ones do.
 */
describe.skipIf(!onPostgres)(
  'the same fleet on SQLite and on PostgreSQL with queued workers gives the same figures',
  { timeout: 240_000 },
  () => {
    let fleet: RunningFleet | undefined;
    const dirs = { sqlite: '', postgres: '' };
    const receivers = {} as Record<(typeof CHECKS)[number], HealthchecksReceiver>;
    let env: Record<string, string> = { ...SANDBOX_ENVIRONMENT };
    let worker: WorkerInProcess | undefined;
    const codes = { sqlite: [] as (number | null)[], postgres: [] as (number | null)[] };
    // The failing panel's retries sleep on a fast-forward clock (the local sync's and the worker's); `sync --queue` waits
    // for the worker on the system's, since its wait's bound is in the worker's real time.
    const run = (engine: keyof typeof dirs, args: readonly string[]) =>
      runLedgerline(args, {
        cwd: dirs[engine],
        env,
        timeoutMs: 120_000,
        clock: engine === 'sqlite' ? fastForwardClock() : undefined,
      });

    beforeAll(async () => {
      dirs.sqlite = tempDir();
      dirs.postgres = tempDir();
      fleet = (
        await startSandboxFleet({
          panels: 12,
          publishers: 4,
          port: 0,
          chart: 'full',
          dir: dirs.sqlite,
          today: '2026-03-02',
          twoEntities: true,
        })
      ).fleet;
      const file = join(dirs.sqlite, 'ledgerline.yaml');
      const config = parseDocument(readFileSync(file, 'utf8'));
      config.setIn(['monitor', 'silentAfterDays'], 2);
      writeFileSync(file, config.toString());
      cpSync(dirs.sqlite, dirs.postgres, { recursive: true });
      for (const check of CHECKS)
        receivers[check] = await startHealthchecksReceiver({ periodMs: 86_400_000, graceMs: 3_600_000, now: Date.now });
      const queued = parseDocument(readFileSync(file, 'utf8'));
      for (const entity of SANDBOX_ENTITIES) {
        queued.setIn(['entities', entity, 'ledger'], await freshDatabase());
        queued.setIn(['entities', entity, 'monitor'], { ping: `\${${entity.toUpperCase()}_PING}` });
      }
      queued.setIn(['monitor', 'ping'], '${FLEET_PING}');
      writeFileSync(join(dirs.postgres, 'ledgerline.yaml'), queued.toString());
      env = {
        ...env,
        FLEET_PING: receivers.fleet.pingUrl,
        NORTH_PING: receivers.north.pingUrl,
        SOUTH_PING: receivers.south.pingUrl,
      };
      worker = startWorkerInProcess({ dir: dirs.postgres, env }, ['--concurrency', '4'], 280_000, fastForwardClock());
      for (let night = 0; night < NIGHTS; night += 1) {
        const [local, queuedNight] = await Promise.all([
          run('sqlite', ['sync']),
          run('postgres', ['sync', '--queue', '--retries', '0', '--queue-wait', '90']),
        ]);
        codes.sqlite.push(local.code);
        codes.postgres.push(queuedNight.code);
        fleet.lead.advanceDays(1);
      }
    }, 200_000);
    afterAll(async () => {
      worker?.stop();
      await worker?.ended;
      await fleet?.close();
      for (const receiver of Object.values(receivers ?? {})) await receiver?.close();
    });

    it('status --fleet --json: the same rows, the failing panel and the silent one named the same, and exit codes night by night', async () => {
      const [local, queued] = await Promise.all(
        (['sqlite', 'postgres'] as const).map(async (engine) => {
          const status = await run(engine, ['status', '--fleet', '--json']);
          expect(status.code, `${engine}: ${status.stderr}`).toBe(0);
          return FleetViewSchema.parse(JSON.parse(status.stdout));
        }),
      );
      expect(local).toHaveLength(16);
      const failing = local!.filter((row) => row.lastResult === 'failing');
      expect(failing).toHaveLength(1);
      expect(local!.filter((row) => row.silentDays !== null).length).toBeGreaterThanOrEqual(1);
      // The queue parks a source whose close failed in every try (the local night has no retries to exhaust): the
      // one difference, said as its mark; its figures are the local failing row's.
      expect(queued!.filter((row) => row.parked !== undefined).map((row) => row.source)).toEqual([failing[0]!.source]);
      expect(queued!.map(({ parked, ...row }) => (parked === undefined ? row : { ...row, reason: parked }))).toEqual(
        local,
      );
      expect(codes.postgres).toEqual(codes.sqlite);
    });

    it('the exception queue: the same items with the same ids, states and next commands', async () => {
      const [local, queued] = await Promise.all(
        (['sqlite', 'postgres'] as const).map(async (engine) => {
          const listed = await run(engine, ['status', '--exceptions', '--json']);
          expect(listed.code, `${engine}: ${listed.stderr}`).toBe(1);
          return ExceptionQueueSchema.parse(JSON.parse(listed.stdout));
        }),
      );
      expect(local!.length).toBeGreaterThan(2);
      // The failing panel is an item of kind `failing` locally, `parked` (what to do differs) through the queue.
      const failing = local!.find((item) => item.kind === 'failing')!;
      expect(queued!.find((item) => item.subject === failing.subject && item.entity === failing.entity)?.kind).toBe(
        'parked',
      );
      const others = (items: typeof local) => items!.filter((item) => item.subject !== failing.subject);
      expect(others(queued)).toEqual(others(local));
    });

    it("metrics (all entities, parsed): every series and sample the same (a sync's last run failed too, however many closes the workers recorded since) but the runs' own timings", async () => {
      const [local, queued] = await Promise.all(
        (['sqlite', 'postgres'] as const).map(async (engine) => {
          const metrics = await run(engine, ['metrics']);
          expect(metrics.code, `${engine}: ${metrics.stderr}`).toBe(0);
          const read = parsePrometheusText(metrics.stdout);
          return [...read.entries()]
            .filter(([name]) => !RUN_TIMINGS.has(name))
            .map(([name, family]) => [name, family.samples] as const);
        }),
      );
      // The workers record a run per close, of their own command: series the local night has no counterpart of.
      const closes = queued!.flatMap(([, samples]) => samples.filter((sample) => sample.labels.command === 'close'));
      expect(closes.map((sample) => sample.labels.entity)).toEqual(['north', 'south']);
      const withoutCloses = queued!.map(
        ([name, samples]) => [name, samples.filter((sample) => sample.labels.command !== 'close')] as const,
      );
      expect(local!.map(([name]) => name)).toContain('ledgerline_source_last_sync_ok');
      expect(withoutCloses).toEqual(local);
    });

    it("the queued nights ping as the local ones do: each entity's check /start and /<exit code> by run id, the body naming it, and the fleet's around them", () => {
      for (const check of CHECKS) {
        const pings = receivers[check].pings;
        expect(pings, check).toHaveLength(2 * NIGHTS);
        for (let night = 0; night < NIGHTS; night += 1) {
          const [start, end] = [pings[2 * night]!, pings[2 * night + 1]!];
          expect([start.kind, end.rid], check).toEqual(['start', start.rid]);
          expect(end.body, check).toMatch(
            check === 'fleet' ? /^sync of the fleet \(north, south\): / : `${check}: sync`,
          );
        }
        expect(receivers[check].refused, check).toEqual([]);
      }
      expect(receivers.fleet.pings.filter((ping) => ping.kind !== 'start').map((ping) => ping.exitStatus)).toEqual(
        codes.postgres,
      );
    });
  },
);
