import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { FleetViewSchema } from '../../src/reads/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-entities-night-');
const env = { ...SANDBOX_ENVIRONMENT };
/** Which entity books each of the fleet's sources: two panels and a publisher each. */
const ENTITY_OF: Readonly<Record<string, string>> = {
  'panel-01': 'north',
  'panel-02': 'south',
  'panel-03': 'north',
  'panel-04': 'south',
  'publisher-01': 'north',
  'publisher-02': 'south',
};
const ENTITIES = ['north', 'south'] as const;
const SOUTH_TENANT_ID = 'b7e2d4f1-0000-4000-8000-50074b0c5e7a';

/**
 * Issue 55 item 2's must-show, at a small size: a night of 4 panels and 2 publishers booked into two entities
 * from one configuration and one process books each entity exactly as a configuration of only its sources does.
 */
describe('ledgerline with entities: one configuration, one night, two sets of books', { timeout: 180_000 }, () => {
  let fleet: RunningFleet | undefined;
  let both = '';
  const alone: Record<string, string> = {};
  beforeAll(async () => {
    both = tempDir();
    fleet = (
      await startSandboxFleet({ panels: 4, publishers: 2, port: 0, chart: 'full', dir: both, today: '2026-03-04' })
    ).fleet;
    const example = readFileSync(join(both, 'ledgerline.yaml'), 'utf8');
    const rows = fleet.sources.map((source) => ({ ...source, entity: ENTITY_OF[source.id]! }));
    const table = (entity?: string) =>
      [
        `id,kind,url,secret${entity === undefined ? ',entity' : ''}`,
        ...rows
          .filter((row) => entity === undefined || row.entity === entity)
          .map((row) =>
            [row.id, row.kind, row.url, row.secret, ...(entity === undefined ? [row.entity] : [])].join(','),
          ),
        '',
      ].join('\n');
    // north's organisation is the one the sandbox's Xero fake serves; south's is another it does not.
    const tenant = { north: SANDBOX_ENVIRONMENT.XERO_TENANT_ID, south: SOUTH_TENANT_ID };
    const entities = [
      'entities:',
      ...ENTITIES.map((name) => `  ${name}: { ledger: ./${name}/ledger.sqlite, xero: { tenantId: ${tenant[name]} } }`),
      '',
    ];
    writeFileSync(join(both, 'ledgerline.yaml'), example.replace(/^ledger: .*$/m, entities.join('\n')));
    writeFileSync(join(both, 'sources.csv'), table());
    for (const name of ENTITIES) {
      alone[name] = join(both, `alone-${name}`);
      mkdirSync(alone[name], { recursive: true });
      writeFileSync(join(alone[name], 'ledgerline.yaml'), example);
      writeFileSync(join(alone[name], 'sources.csv'), table(name));
    }
  }, 60_000);
  afterAll(() => fleet?.close());

  it("syncs each entity in turn, each entity's export byte for byte the export of a run of only its sources, status --fleet names each row's entity, and post goes to each entity's own organisation", async () => {
    const night = await runLedgerline(['sync'], { cwd: both, env });
    // The last panel (panel-04, south's) answers 502s: south's night needs attention, north's is clean.
    expect(night.code, night.stderr).toBe(3);
    expect(night.stderr).toMatch(/entity north:[\s\S]*entity south:/);
    for (const name of ENTITIES) {
      const single = await runLedgerline(['sync'], { cwd: alone[name]!, env });
      expect(single.code, single.stderr).toBe(name === 'south' ? 3 : 0);
      const fromBoth = await runLedgerline(['export', '--format', 'hledger', '--entity', name], { cwd: both, env });
      const fromAlone = await runLedgerline(['export', '--format', 'hledger'], { cwd: alone[name]!, env });
      expect(fromBoth.code, fromBoth.stderr).toBe(0);
      expect(fromBoth.stdout).toContain(name === 'north' ? 'panel-01' : 'panel-02');
      expect(fromBoth.stdout).not.toContain(name === 'north' ? 'panel-02' : 'panel-01');
      expect(fromBoth.stdout).toBe(fromAlone.stdout);
    }
    const unnamed = await runLedgerline(['export', '--format', 'hledger'], { cwd: both, env });
    expect([unnamed.code, unnamed.stderr.trim()]).toEqual([
      2,
      'error: this configuration books 2 entities (north, south): name one with --entity NAME',
    ]);
    const status = await runLedgerline(['status', '--fleet', '--json'], { cwd: both, env });
    expect(status.code, status.stderr).toBe(0);
    expect(
      FleetViewSchema.parse(JSON.parse(status.stdout)).map((row) => [row.entity, row.source, row.lastResult]),
    ).toEqual([
      ['south', 'panel-04', 'failing'],
      ['north', 'panel-01', 'ok'],
      ['south', 'panel-02', 'ok'],
      ['north', 'panel-03', 'ok'],
      ['north', 'publisher-01', 'ok'],
      ['south', 'publisher-02', 'ok'],
    ]);
    const table = await runLedgerline(['status', '--fleet'], { cwd: both, env });
    expect(table.stdout.split('\n')[0]).toMatch(/^entity +source +kind +last success/);
    // Each entity posts to its own organisation: north's to the fake's, south's asks for its own tenant, which the fake refuses.
    const post = await runLedgerline(['post', 'xero'], { cwd: both, env });
    expect(post.code, post.stderr).toBe(3);
    const [north, south] = post.stderr.split('entity south:');
    expect(north).toContain('entity north:');
    expect(north).not.toMatch(/403|error/i);
    expect(south).toContain(`is organisation ${SOUTH_TENANT_ID} connected to this app?`);
    expect(post.stdout).toMatch(/posted/i);
  });
});
