import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fleetConfigText,
  SANDBOX_ENTITIES,
  SANDBOX_ENVIRONMENT,
  SANDBOX_SECOND_ORGANISATION,
  sandboxEntityOf,
  startSandboxFleet,
  type DestinationFakes,
  type RunningFleet,
} from '../../sandbox/index.js';
import { FleetViewSchema } from '../../src/reads/index.js';
import { runLedgerline } from '../support/cli.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-entities-night-');
const env = { ...SANDBOX_ENVIRONMENT };
const ENTITIES = SANDBOX_ENTITIES;

/**
 * Issue 55 item 2's must-show, at a small size: a night of 4 panels and 2 publishers booked into two entities
 * from one configuration and one process books each entity exactly as a configuration of only its sources does;
 * and (item 7) the configuration the fleet sandbox writes posts each entity to its own organisation of the fake.
 */
describe('ledgerline with entities: one configuration, one night, two sets of books', { timeout: 180_000 }, () => {
  let fleet: RunningFleet | undefined;
  let fakes: DestinationFakes | undefined;
  let both = '';
  const alone: Record<string, string> = {};
  beforeAll(async () => {
    both = tempDir();
    ({ fleet, fakes } = await startSandboxFleet({
      panels: 4,
      publishers: 2,
      port: 0,
      chart: 'full',
      dir: both,
      today: '2026-03-04',
      twoEntities: true,
    }));
    const running = fleet;
    const single = fleetConfigText(running.lead.baseUrl, false);
    for (const name of ENTITIES) {
      alone[name] = join(both, `alone-${name}`);
      mkdirSync(alone[name], { recursive: true });
      writeFileSync(join(alone[name], 'ledgerline.yaml'), single);
      const rows = running.sources.filter((source) => sandboxEntityOf(source) === name);
      const table = ['id,kind,url,secret', ...rows.map((row) => [row.id, row.kind, row.url, row.secret].join(','))];
      writeFileSync(join(alone[name], 'sources.csv'), `${table.join('\n')}\n`);
    }
  }, 60_000);
  afterAll(() => fleet?.close());

  it("syncs each entity in turn, each entity's export byte for byte the export of a run of only its sources, status --fleet names each row's entity, and post goes to each entity's own organisation", async () => {
    const night = await runLedgerline(['sync'], { cwd: both, env, clock: fastForwardClock() });
    // The last panel (panel-04, south's) answers 502s: south's night needs attention, north's is clean.
    expect(night.code, night.stderr).toBe(3);
    expect(night.stderr).toMatch(/entity north:[\s\S]*entity south:/);
    for (const name of ENTITIES) {
      const single = await runLedgerline(['sync'], { cwd: alone[name]!, env, clock: fastForwardClock() });
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
    await postsEachEntityToItsOwnOrganisation();
  });

  /**
   * Each entity's journals reach its own organisation of the Xero fake (the sandbox's configuration names each
   * entity's tenant and grant): exactly the entries of its own ledger, with its totals, and nothing of the other's;
   * a second post sends nothing.
   */
  async function postsEachEntityToItsOwnOrganisation(): Promise<void> {
    const post = await runLedgerline(['post', 'xero'], { cwd: both, env });
    expect(post.code, post.stderr).toBe(0);
    expect(post.stderr).toMatch(/entity north:[\s\S]*entity south:/);
    const xero = fakes!.xero;
    const organisationOf = { north: xero, south: xero.organisation(SANDBOX_SECOND_ORGANISATION.xero.tenantId) };
    const held: Record<string, string[]> = {};
    const ledgers: Record<string, { entryIds: string[]; debitCents: bigint }> = {};
    for (const name of ENTITIES) {
      const journals = organisationOf[name].journals();
      held[name] = journals.map((journal) => /\[([^\]]+)\]$/.exec(journal.narration)?.[1] ?? journal.narration);
      const books = (ledgers[name] = await ledgerSide(name));
      expect(held[name]).toHaveLength(journals.length);
      expect([...held[name]].sort()).toEqual(books.entryIds);
      const debits = journals.flatMap((journal) => journal.lines.filter((line) => line.cents > 0n));
      expect(debits.reduce((sum, line) => sum + line.cents, 0n)).toBe(books.debitCents);
    }
    expect(held.north!.length).toBeGreaterThan(0);
    expect(held.south!.length).toBeGreaterThan(0);
    expect(held.north!.filter((id) => held.south!.includes(id))).toEqual([]);

    const writes = xero.writeRequestCount();
    const again = await runLedgerline(['post', 'xero'], { cwd: both, env });
    expect(again.code, again.stderr).toBe(0);
    expect(xero.writeRequestCount()).toBe(writes);
    expect(ENTITIES.map((name) => organisationOf[name].journals().length)).toEqual(
      ENTITIES.map((name) => held[name]!.length),
    );

    // QuickBooks alike: south names its own company (realm) and grant, north the sandbox's first company.
    const quickbooks = await runLedgerline(['post', 'quickbooks'], { cwd: both, env });
    expect(quickbooks.code, quickbooks.stderr).toBe(0);
    const companyOf = {
      north: fakes!.quickbooks,
      south: fakes!.quickbooks.company(SANDBOX_SECOND_ORGANISATION.quickbooks.realmId),
    };
    for (const name of ENTITIES) {
      const notes = companyOf[name].journalEntries().map((entry) => /\[([^\]]+)\]$/.exec(entry.privateNote ?? '')?.[1]);
      expect(notes.sort()).toEqual(ledgers[name]!.entryIds);
    }
  }

  /** What an entity's ledger holds, from its generic export: its entry ids (sorted) and its debits in cents. */
  async function ledgerSide(name: string): Promise<{ entryIds: string[]; debitCents: bigint }> {
    const exported = await runLedgerline(['export', '--format', 'generic', '--entity', name], { cwd: both, env });
    expect(exported.code, exported.stderr).toBe(0);
    const rows = exported.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((row) => row.split(','));
    const cents = (text: string) => (text === '' ? 0n : BigInt(text.replace('.', '')));
    return {
      entryIds: [...new Set(rows.map((row) => row[0]!))].sort(),
      debitCents: rows.reduce((sum, row) => sum + cents(row[3]!), 0n),
    };
  }
});
