import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_ENTITIES,
  SANDBOX_ENVIRONMENT,
  SANDBOX_SECOND_ORGANISATION,
  sandboxEntityOf,
  startSandboxFleet,
  type DestinationFakes,
  type RunningFleet,
} from '../../sandbox/index.js';
import { reply, startLocalServer, type LocalServer } from '../http/local-server.js';
import { finished, spawnLedgerline } from '../scenarios/scenario-harness.js';
import { startWorkerInProcess, until, type WorkerInProcess } from '../scenarios/queued-workers.js';
import { runLedgerline } from '../support/cli.js';
import { startHealthchecksReceiver, type HealthchecksReceiver } from '../support/healthchecks-receiver.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';

const { freshDatabase } = usePostgresServer();
const tempDir = useTempDir('ledgerline-queue-entities-');
const ENTITIES = SANDBOX_ENTITIES;

/**
 * A daily cron (node-cron's six fields) at a whole minute in UTC: the one begun at most 40 s ago, else the next (as
 * schedule-queue.test.ts explains, pg-boss sends a schedule due within 60 s of its time, once per clock minute).
 */
function cronDue(now = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const due = new Date(now.getTime() - minute <= 40_000 ? minute : minute + 60_000);
  return `0 ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`;
}

/** The rows of `sql` on the database at `url`. */
async function rowsOf(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * Issue 55 items 2 and 3 through the queue: the sandbox's two-entity fleet (north: panel-01, panel-03, which answers
 * 502s, and publisher-01; south: panel-02, silent from the world's third day), each entity its own PostgreSQL ledger,
 * the queue in north's (the first entity's) database, and one worker serving both entities.
 */
describe(
  'the job queue over two entities on PostgreSQL: post --queue and the scheduled queued night',
  { timeout: 240_000 },
  () => {
    let fleet: RunningFleet | undefined;
    let fakes: DestinationFakes | undefined;
    let dir = '';
    const env: Record<string, string> = { ...SANDBOX_ENVIRONMENT };
    const run = (args: readonly string[]) => runLedgerline(args, { cwd: dir, env, timeoutMs: 100_000 });
    // In this process: the queue over two entities is the subject, not the workers' processes.
    const workers: WorkerInProcess[] = [];
    const ledgers: Record<string, string> = {};
    let alertHook: LocalServer | undefined;
    let fleetCheck: HealthchecksReceiver | undefined;
    const entityChecks: Record<string, HealthchecksReceiver> = {};

    beforeAll(async () => {
      dir = tempDir();
      ({ fleet, fakes } = await startSandboxFleet({
        panels: 3,
        publishers: 1,
        port: 0,
        chart: 'full',
        dir,
        today: '2026-03-04',
        twoEntities: true,
      }));
      for (const name of ENTITIES) ledgers[name] = await freshDatabase();
      alertHook = await startLocalServer((_request, response) => reply(response, 200, 'ok'));
      // In every process's environment from the start, as the alert channel: a worker reads monitor.ping with each job's configuration.
      fleetCheck = await startHealthchecksReceiver({ periodMs: 86_400_000, graceMs: 3_600_000, now: Date.now });
      env.FLEET_PING = fleetCheck.pingUrl;
      for (const name of ENTITIES) {
        entityChecks[name] = await startHealthchecksReceiver({
          periodMs: 86_400_000,
          graceMs: 3_600_000,
          now: Date.now,
        });
        env[`${name.toUpperCase()}_PING`] = entityChecks[name].pingUrl;
      }
      // In every process's environment from the start: a worker reads the alert channel with each post's configuration.
      env.ALERT_WEBHOOK_URL = `${alertHook.url}/hook`;
      const path = join(dir, 'ledgerline.yaml');
      const document = parseDocument(readFileSync(path, 'utf8'));
      for (const name of ENTITIES) document.setIn(['entities', name, 'ledger'], ledgers[name]);
      document.setIn(['alerts', 'webhookUrl'], '${ALERT_WEBHOOK_URL}');
      document.setIn(['monitor', 'digest'], 'daily');
      writeFileSync(path, document.toString());
      // A worker given only north's part of the file: it shares the queue (north's database), not south's books.
      document.deleteIn(['entities', 'south']);
      document.setIn(['sources', 'file'], 'north-sources.csv');
      writeFileSync(join(dir, 'north-only.yaml'), document.toString());
      const table = readFileSync(join(dir, 'sources.csv'), 'utf8').split('\n');
      writeFileSync(join(dir, 'north-sources.csv'), table.filter((line) => !line.includes(',south')).join('\n'));
    }, 60_000);
    afterAll(async () => {
      for (const worker of workers) worker.stop();
      await Promise.all(workers.map((worker) => worker.ended));
      await fleet?.close();
      await alertHook?.close();
      await fleetCheck?.close();
      for (const check of Object.values(entityChecks)) await check.close();
    });

    it("post --queue: a job for an entity the worker lacks is refused naming both; then one job per entity, each organisation holding exactly its entity's journals, and a second post --queue writing nothing", async () => {
      const northOnly = startWorkerInProcess({ dir, env }, ['--config', 'north-only.yaml']);
      const refused = await run(['post', 'xero', '--queue', '--entity', 'south', '--queue-wait', '60']);
      northOnly.stop();
      expect((await northOnly.ended).code).toBe(0);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(
        'names north, but the post to xero was queued for entity south: every worker needs the configuration the jobs were queued with',
      );
      expect(fakes!.xero.writeRequestCount()).toBe(0);

      workers.push(startWorkerInProcess({ dir, env }));
      const night = await run(['sync', '--queue', '--retries', '0', '--queue-wait', '90']);
      expect(night.code, night.stderr).toBe(3);
      expect(night.stdout).toMatch(/panel-03.*parked: panel-03: balance: HTTP 502/);

      const post = await run(['post', 'xero', '--queue', '--queue-wait', '90']);
      expect(post.code, post.stderr).toBe(0);
      expect(post.stderr).toMatch(/entity north:[\s\S]*queued the post to xero \(entity north\)[\s\S]*entity south:/);
      const held = await eachOrganisationHoldsItsOwn();
      const writes = fakes!.xero.writeRequestCount();
      expect(writes).toBe(2);

      const again = await run(['post', 'xero', '--queue', '--queue-wait', '90']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Xero: nothing to post');
      expect(fakes!.xero.writeRequestCount()).toBe(writes);
      expect(await eachOrganisationHoldsItsOwn()).toEqual(held);
    });

    it('schedule with schedule.queue runs one night over both entities: every (entity, source) close queued at once, the parked panel reported with its entity, one record, one alert and one digest covering both, each entity posted to its own organisation and pinged at its own check with its own exit code', async () => {
      fleet!.lead.advanceDays(1);
      const day = fleet!.lead.today();
      const path = join(dir, 'ledgerline.yaml');
      const document = parseDocument(readFileSync(path, 'utf8'));
      document.set('schedule', document.createNode({ cron: cronDue(), timezone: 'UTC', queue: true, post: ['xero'] }));
      // The fleet's check (the top level's monitor.ping) watches the queued night as it watches a local one.
      document.setIn(['monitor', 'ping'], '${FLEET_PING}');
      // Each entity's own check (a practice's client): its part of the night, whatever the other entity's.
      for (const name of ENTITIES)
        document.setIn(['entities', name, 'monitor'], { ping: `\${${name.toUpperCase()}_PING}` });
      writeFileSync(path, document.toString());
      const alertsBefore = alertHook!.received.length;
      const scheduler = spawnLedgerline(dir, ['schedule'], env);
      let stderr = '';
      scheduler.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let exited = false;
      const ended = finished(scheduler, 170_000).finally(() => (exited = true));
      try {
        await until(
          () => exited || stderr.includes('scheduled run finished'),
          'the scheduled night to finish',
          150_000,
        );
      } finally {
        scheduler.kill('SIGTERM');
      }
      expect((await ended).code, stderr).toBe(0);
      const [start, end] = fleetCheck!.pings;
      expect([fleetCheck!.pings.length, start?.kind, end?.rid]).toEqual([2, 'start', start?.rid]);
      // The night failed (a parked panel): the fleet's check is told so, with the night's own exit code.
      const said = /^the queued night of the fleet \(north, south\): failed \(exit (\d+)\)/.exec(end!.body);
      expect([said?.[1], end!.kind]).toEqual([String(end!.exitStatus), 'fail']);
      // North's parked panel fails north's night; south's sources all closed and posted: 0, the body naming south.
      // Each entity's check also has its worker's post (a `post` run) paired inside the night's, which ends last.
      const ownEnds = ENTITIES.map((name) => {
        const pings = entityChecks[name]!.pings;
        const [ownStart, ownEnd] = [pings[0]!, pings.at(-1)!];
        expect([ownStart.kind, ownEnd.kind === 'start', ownEnd.rid], name).toEqual(['start', false, ownStart.rid]);
        expect(
          pings.filter((ping) => ping.rid === ownStart.rid),
          name,
        ).toHaveLength(2);
        expect(ownEnd.body, name).toMatch(new RegExp(`^${name}: the queued night: `));
        return [name, ownEnd.exitStatus];
      });
      expect(ownEnds).toEqual([
        ['north', end!.exitStatus],
        ['south', 0],
      ]);
      expect(stderr).toContain(`the night of ${day}: queued the closes of 3 sources of 2 entities`);
      expect(stderr).toContain(`the night of ${day} leaves out panel-03 (entity north), parked since its close of`);

      // One night, recorded in the first entity's ledger, with every entity's sources.
      const nights = await rowsOf(ledgers.north!, `SELECT as_of, summary FROM runs WHERE command = 'schedule'`);
      expect(nights.map((night) => night.as_of)).toEqual([day]);
      const sources = (JSON.parse(nights[0]!.summary as string) as { sources: Record<string, string>[] }).sources;
      expect(sources.map((source) => [source.entity, source.sourceId, source.outcome]).sort()).toEqual([
        ['north', 'panel-01', 'booked'],
        ['north', 'panel-03', 'failed'],
        ['north', 'publisher-01', 'booked'],
        ['south', 'panel-02', 'booked'],
      ]);
      expect(await rowsOf(ledgers.south!, `SELECT 1 FROM runs WHERE command = 'schedule'`)).toEqual([]);

      const alerts = alertHook!.received
        .slice(alertsBefore)
        .map((request) => JSON.parse(request.body) as { kind: string; text: string; items: Record<string, string>[] });
      // One of each kind for the whole night (the night's failures, its discrepancies, the digest last), not one per entity.
      const kinds = alerts.map((alert) => alert.kind);
      expect(kinds.filter((kind) => kind === 'run_failed')).toHaveLength(1);
      expect(new Set(kinds).size).toBe(kinds.length);
      expect(kinds.at(-1)).toBe('digest');
      expect(alerts.find((alert) => alert.kind === 'run_failed')!.items).toContainEqual(
        expect.objectContaining({
          subject: 'panel-03',
          kind: 'SourceParked',
          message: expect.stringContaining('panel-03 (entity north) is parked'),
        }),
      );
      expect(alerts.at(-1)!.text).toMatch(/ of 4 sources need you/);
      await eachOrganisationHoldsItsOwn();
    });

    /** Each entity's journals in its own organisation of the Xero fake: exactly its ledger's entries; the count of each. */
    async function eachOrganisationHoldsItsOwn(): Promise<Record<string, number>> {
      const xero = fakes!.xero;
      const organisationOf = { north: xero, south: xero.organisation(SANDBOX_SECOND_ORGANISATION.xero.tenantId) };
      const counts: Record<string, number> = {};
      for (const name of ENTITIES) {
        const ids = organisationOf[name]
          .journals()
          .map((journal) => /\[([^\]]+)\]$/.exec(journal.narration)?.[1] ?? journal.narration);
        const exported = await run(['export', '--format', 'generic', '--entity', name]);
        expect(exported.code, exported.stderr).toBe(0);
        const entryIds = exported.stdout
          .trim()
          .split('\n')
          .slice(1)
          .map((row) => row.split(',')[0]!);
        expect(ids.length).toBeGreaterThan(0);
        expect([...ids].sort(), name).toEqual([...new Set(entryIds)].sort());
        for (const source of fleet!.sources.filter((one) => sandboxEntityOf(one) !== name))
          expect(exported.stdout, name).not.toContain(source.id);
        counts[name] = ids.length;
      }
      return counts;
    }
  },
);
