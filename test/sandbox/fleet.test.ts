import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, sandboxEntityOf, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

interface SourceRow {
  source: string;
  kind: string;
  status: string;
  detail: string;
}

const tempDir = useTempDir('ledgerline-fleet-');

describe(
  'ledgerline sandbox --panels 30 --publishers 10: a fleet, its sources.csv and its two entities',
  { timeout: 120_000 },
  () => {
    let fleet: RunningFleet | undefined;
    let dir = '';
    beforeAll(async () => {
      dir = tempDir();
      const started = await startSandboxFleet({
        panels: 30,
        publishers: 10,
        port: 0,
        chart: 'full',
        dir,
        seed: 11,
        twoEntities: true,
      });
      fleet = started.fleet;
    }, 60_000);
    afterAll(() => fleet?.close());

    it("writes a sources.csv that books odd-numbered sources into north and even-numbered into south, and every source of each entity answers but south's failing panel, with its 502", async () => {
      const csv = readFileSync(join(dir, 'sources.csv'), 'utf8').split('\n');
      expect(csv[0]).toBe(
        '# written by ledgerline sandbox --panels --publishers; not steady: panel-05 slow, panel-10 slow, panel-15 slow, panel-20 slow, panel-25 slow, panel-29 silent, panel-30 failing, publisher-05 slow, publisher-10 slow',
      );
      expect(csv[1]).toBe('id,kind,url,secret,entity');
      const rows = csv.filter((line) => /^(panel|publisher)-/.test(line));
      expect(rows).toHaveLength(40);
      for (const row of rows) expect(row.split(',')[4], row).toBe(sandboxEntityOf({ id: row.split(',')[0]! }));
      for (const entity of ['north', 'south']) {
        const run = await runLedgerline(['sources', 'test', '--json', '--entity', entity], {
          cwd: dir,
          env: { ...SANDBOX_ENVIRONMENT },
        });
        const answered = JSON.parse(run.stdout) as SourceRow[];
        const own = fleet!.sources.filter((source) => sandboxEntityOf(source) === entity).map((source) => source.id);
        expect(answered.map((row) => row.source).sort(), entity).toEqual(own.sort());
        expect(own, entity).toHaveLength(20);
        const failed = answered.filter((row) => row.status !== 'pass');
        expect(
          failed.map((row) => row.source),
          entity,
        ).toEqual(entity === 'south' ? ['panel-30'] : []);
        expect(run.code, run.stderr).toBe(entity === 'south' ? 3 : 0);
        if (entity === 'south') expect(failed[0]?.detail).toMatch(/502/);
      }
    });

    it("keeps the lead's day on every member, and the silent panel's account moves no more from its third day (its orders, their statuses, its balance)", async () => {
      const lead = fleet!.lead;
      const silent = fleet!.members[28]!;
      const steady = fleet!.members[0]!;
      const day = lead.advanceDays(6);
      const answer = await fetch(`${silent.adminUrl}/day`);
      expect(((await answer.json()) as { date: string }).date).toBe(day);
      const orders = (member: typeof lead, date: string) => member.stateOn(date).panel.orders.length;
      expect(silent.stateOn('2026-03-07').panel).toEqual(silent.stateOn('2026-03-02').panel);
      expect(orders(steady, '2026-03-07')).toBeGreaterThan(orders(steady, '2026-03-02'));
    });
  },
);
