import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { fleetConfigText, SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { ExceptionQueueSchema, FleetViewSchema } from '../../src/reads/index.js';
import { startHealthchecksReceiver, type HealthchecksReceiver } from '../support/healthchecks-receiver.js';
import { runLedgerline } from '../support/cli.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { serveInProcess } from '../support/serve-in-process.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { useTempDir } from '../support/temp-dir.js';
import { operatingSystemUser } from '../../src/app/operating-system-user.js';

const tempDir = useTempDir('ledgerline-practice-fleet-');
const NIGHTS = 3;
const CHECKS = ['north', 'south', 'fleet'] as const;

/**
 * Issue 72 at a small size: the fleet sandbox's 4 panels and 2 publishers in two entities (north: odd-numbered
 * sources, south: even), synced three nights with monitor.silentAfterDays 2. panel-04 (south's) answers 502s,
 * panel-03 (north's) sends nothing new from the world's third day. Each entity has its own ping check, the top
 * level's is the fleet's, each a Healthchecks-compatible receiver on 127.0.0.1.
 */
describe(
  "a practice's fleet: figures a monitor can trust, one scrape, a check per client",
  { timeout: 240_000 },
  () => {
    let fleet: RunningFleet | undefined;
    let dir = '';
    const receivers = {} as Record<(typeof CHECKS)[number], HealthchecksReceiver>;
    let env: Record<string, string> = { ...SANDBOX_ENVIRONMENT };
    const nightCodes: (number | null)[] = [];
    const run = (args: readonly string[]) => runLedgerline(args, { cwd: dir, env, clock: fastForwardClock() });

    beforeAll(async () => {
      dir = tempDir();
      fleet = (
        await startSandboxFleet({
          panels: 4,
          publishers: 2,
          port: 0,
          chart: 'full',
          dir,
          today: '2026-03-02',
          twoEntities: true,
        })
      ).fleet;
      for (const check of CHECKS)
        receivers[check] = await startHealthchecksReceiver({ periodMs: 86_400_000, graceMs: 3_600_000, now: Date.now });
      const file = join(dir, 'ledgerline.yaml');
      const config = parseDocument(readFileSync(file, 'utf8'));
      config.setIn(['monitor', 'silentAfterDays'], 2);
      config.setIn(['monitor', 'ping'], '${FLEET_PING}');
      config.setIn(['entities', 'north', 'monitor'], { ping: '${NORTH_PING}' });
      config.setIn(['entities', 'south', 'monitor'], { ping: '${SOUTH_PING}' });
      writeFileSync(file, config.toString());
      env = {
        ...env,
        FLEET_PING: receivers.fleet.pingUrl,
        NORTH_PING: receivers.north.pingUrl,
        SOUTH_PING: receivers.south.pingUrl,
      };
      for (let night = 0; night < NIGHTS; night += 1) {
        const sync = await run(['sync']);
        expect(sync.code, sync.stderr).toBe(3);
        nightCodes.push(sync.code);
        fleet.lead.advanceDays(1);
      }
    }, 200_000);
    afterAll(async () => {
      await fleet?.close();
      for (const receiver of Object.values(receivers)) await receiver.close();
    });

    it("status --fleet --json names the failing panel and the silent one and no other; each source's open items are reconcile --entity's", async () => {
      const status = await run(['status', '--fleet', '--json']);
      expect(status.code, status.stderr).toBe(0);
      const rows = FleetViewSchema.parse(JSON.parse(status.stdout));
      expect(rows.filter((row) => row.lastResult === 'failing').map((row) => [row.entity, row.source])).toEqual([
        ['south', 'panel-04'],
      ]);
      expect(rows.filter((row) => row.silentDays !== null).map((row) => [row.entity, row.source])).toEqual([
        ['north', 'panel-03'],
      ]);
      expect(rows.filter((row) => row.lastResult === 'ok')).toHaveLength(5);
      for (const entity of ['north', 'south']) {
        const reconcile = await run(['reconcile', '--entity', entity, '--json']);
        const items = (
          JSON.parse(reconcile.stdout) as { items: { class: string; acknowledged: unknown; source: string }[] }
        ).items.filter((item) => item.class === 'action' && item.acknowledged === null);
        for (const row of rows.filter((each) => each.entity === entity))
          expect(row.openItems, `${entity} ${row.source}`).toBe(
            items.filter((item) => item.source === row.source).length,
          );
      }
      expect(rows.some((row) => row.openItems > 0)).toBe(true);
      // One queue across the entities, each item with its entity and the command for it.
      const queue = await run(['status', '--exceptions']);
      expect(queue.code, queue.stderr).toBe(1);
      expect(queue.stdout).toMatch(
        / south {2}failing: panel-04: [^\n]*\n {12}next: the failure is on panel-04's side \(HTTP 502\)/,
      );
      expect(queue.stdout).toContain('run:  ledgerline sync --source panel-04 --entity south');
      expect(queue.stdout).toMatch(/ north {2}silent: panel-03: /);
    });

    it('metrics without --entity: every entity in one exposition a strict reader accepts, one series per entity and source, last_sync_ok 1 but for the failing panel', async () => {
      const [metrics, status] = await Promise.all([run(['metrics']), run(['status', '--fleet', '--json'])]);
      expect(metrics.code, metrics.stderr).toBe(0);
      const read = parsePrometheusText(metrics.stdout);
      const rows = FleetViewSchema.parse(JSON.parse(status.stdout));
      expect(read.get('ledgerline_ledger_healthy')?.samples.map((sample) => sample.labels)).toEqual([
        { entity: 'north' },
        { entity: 'south' },
      ]);
      expect(read.get('ledgerline_source_last_sync_ok')?.samples).toHaveLength(rows.length);
      for (const row of rows) {
        const labels = { entity: row.entity!, source: row.source };
        expect(sampleValue(read, 'ledgerline_source_last_sync_ok', labels), row.source).toBe(
          row.source === 'panel-04' ? 0 : 1,
        );
        expect(sampleValue(read, 'ledgerline_source_silent', labels), row.source).toBe(
          row.source === 'panel-03' ? 1 : 0,
        );
        const open = read
          .get('ledgerline_source_open_items')
          ?.samples.filter((sample) => sample.labels.entity === row.entity && sample.labels.source === row.source)
          .reduce((sum, sample) => sum + sample.value, 0);
        expect(open ?? 0, row.source).toBe(row.openItems);
      }
      const north = await run(['metrics', '--entity', 'north']);
      expect(parsePrometheusText(north.stdout).get('ledgerline_ledger_healthy')?.samples).toEqual([
        { name: 'ledgerline_ledger_healthy', labels: { entity: 'north' }, value: 1 },
      ]);
    });

    it("each entity's runs ping its own check, /start and /<exit code> paired by run id, the body naming the entity; the fleet's check watches the whole", () => {
      const pairs = (check: (typeof CHECKS)[number]) => {
        const pings = receivers[check].pings;
        expect(pings, check).toHaveLength(2 * NIGHTS);
        return Array.from({ length: NIGHTS }, (_, night) => {
          const [start, end] = [pings[2 * night]!, pings[2 * night + 1]!];
          expect([start.kind, end.rid], check).toEqual(['start', start.rid]);
          return { exit: end.exitStatus, body: end.body };
        });
      };
      // north's silent panel is for a person to look at, not a failure: its night ends 0 or 1.
      for (const { exit, body } of pairs('north')) {
        expect(exit).toBeLessThan(2);
        expect(body).toMatch(/^north: sync/);
      }
      for (const { exit, body } of pairs('south')) expect([exit, body.startsWith('south: sync')]).toEqual([3, true]);
      for (const { exit, body } of pairs('fleet'))
        expect([exit, body]).toEqual([3, 'sync of the fleet (north, south): failed (exit 3)']);
      expect(nightCodes).toEqual([3, 3, 3]);
      for (const check of CHECKS) expect(receivers[check].refused, check).toEqual([]);
    });

    it("the console's fleet page lists every entity's sources whichever entity it serves, and ?entity=NAME shows one", async () => {
      const serving = await serveInProcess(['--port', '0', '--entity', 'north'], { cwd: dir, env });
      try {
        const base = serving.url.replace('0.0.0.0', '127.0.0.1');
        const sourcesOn = async (path: string) =>
          [...(await (await fetch(new URL(path, base))).text()).matchAll(/<tr data-source="([^"]+)"/g)]
            .map((found) => found[1])
            .sort();
        expect(await sourcesOn('fleet')).toEqual([
          'panel-01',
          'panel-02',
          'panel-03',
          'panel-04',
          'publisher-01',
          'publisher-02',
        ]);
        expect(await sourcesOn('fleet?entity=south&sort=source')).toEqual(['panel-02', 'panel-04', 'publisher-02']);
        const unknown = await fetch(new URL('fleet?entity=east', base));
        expect([unknown.status, await unknown.text()]).toEqual([400, expect.stringContaining('entity=east')]);
      } finally {
        await serving.stop();
      }
    });

    it('metrics --config pointing at a missing ledger: exit 2 naming it, and nothing created', async () => {
      const elsewhere = join(dir, 'elsewhere');
      mkdirSync(elsewhere);
      const config = join(elsewhere, 'ledgerline.yaml');
      writeFileSync(
        config,
        fleetConfigText(fleet!.lead.baseUrl, false).replace(/^ledger: .*$/m, 'ledger: ./typo/ledger.sqlite'),
      );
      writeFileSync(
        join(elsewhere, 'sources.csv'),
        readFileSync(join(dir, 'sources.csv'), 'utf8').replace(/,(entity|north|south)$/gm, ''),
      );
      const missing = join(elsewhere, 'typo', 'ledger.sqlite');
      for (const command of [['metrics'], ['status'], ['status', '--fleet'], ['balances']]) {
        const refused = await runLedgerline([...command, '--config', config], { cwd: dir, env });
        expect([refused.code, refused.stdout], command.join(' ')).toEqual([2, '']);
        expect(refused.stderr, command.join(' ')).toContain(`there is no ledger at ${missing}`);
      }
      expect(existsSync(join(elsewhere, 'typo'))).toBe(false);
    });

    it('a person acts on the queue across entities: ack, assign and note an item by its id; changed facts bring an acknowledged item back; an unknown id is refused naming it', async () => {
      const queueOf = async (...filters: string[]) => {
        const listed = await run(['status', '--exceptions', '--json', ...filters]);
        return { code: listed.code, items: ExceptionQueueSchema.parse(JSON.parse(listed.stdout)) };
      };
      const { items } = await queueOf();
      const failing = items.find((item) => item.kind === 'failing')!;
      const silent = items.find((item) => item.kind === 'silent')!;
      expect([failing.entity, failing.subject, failing.state, silent.entity, silent.subject]).toEqual([
        'south',
        'panel-04',
        'open',
        'north',
        'panel-03',
      ]);
      expect(new Set(items.map((item) => item.id)).size).toBe(items.length);

      const ack = await run(['exceptions', 'ack', failing.id, '--note', 'the panel says fixed tomorrow']);
      expect([ack.code, ack.stdout], ack.stderr).toEqual([
        0,
        `acknowledged: ${failing.id} (south failing: panel-04) (the panel says fixed tomorrow)\n`,
      ]);
      expect((await run(['exceptions', 'assign', failing.id, '--to', 'carla'])).code).toBe(0);
      expect((await run(['exceptions', 'note', failing.id, 'asked', 'again'])).code).toBe(0);
      expect((await run(['exceptions', 'ack', silent.id])).code).toBe(0);

      const acknowledged = await queueOf('--acknowledged');
      expect(acknowledged.items.map((item) => item.id).sort()).toEqual([failing.id, silent.id].sort());
      expect(acknowledged.items.find((item) => item.id === failing.id)).toMatchObject({
        state: 'acknowledged',
        acknowledged: { by: operatingSystemUser(), note: 'the panel says fixed tomorrow' },
        assignee: { name: 'carla', by: operatingSystemUser() },
        notes: [{ text: 'the panel says fixed tomorrow' }, { text: 'asked again' }],
      });
      // Nothing of it open: the filtered list exits 0; the whole queue still has open items (exit 1).
      const carla = await queueOf('--assignee', 'carla', '--open');
      expect([carla.code, carla.items]).toEqual([0, []]);
      expect((await queueOf('--kind', 'failing')).code).toBe(0);
      expect((await queueOf('--open')).items.map((item) => item.id)).not.toContain(failing.id);
      const text = await run(['status', '--exceptions', '--entity', 'south']);
      expect(text.stdout).toContain(`id:   ${failing.id}  acknowledged by ${operatingSystemUser()} at `);
      expect(text.stdout).toContain('; assigned to carla');
      expect(text.stdout).not.toContain(silent.id);

      const serving = await serveInProcess(['--port', '0', '--entity', 'north'], { cwd: dir, env });
      try {
        const page = await (await fetch(new URL('fleet', serving.url.replace('0.0.0.0', '127.0.0.1')))).text();
        expect(page).toContain(`<tr data-item="${failing.id}" data-state="acknowledged">`);
        expect(page).toContain(`<tr data-item="${silent.id}" data-state="acknowledged">`);
      } finally {
        await serving.stop();
      }

      // Another night: panel-03 has been silent a day longer (other facts), panel-04 fails as it did (the same).
      fleet!.lead.advanceDays(1);
      await run(['sync']);
      const after = await queueOf();
      expect(after.items.find((item) => item.id === silent.id)).toMatchObject({ state: 'open' });
      expect(after.items.find((item) => item.id === failing.id)).toMatchObject({ state: 'acknowledged' });

      const unknown = await run(['exceptions', 'ack', 'x-00000000']);
      expect([unknown.code, unknown.stdout]).toEqual([2, '']);
      expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
      expect(unknown.stderr).toContain('no item of the exception queue has the id "x-00000000"');
    });
  },
);
