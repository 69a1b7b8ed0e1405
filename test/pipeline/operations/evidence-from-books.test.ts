import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../../src/config/index.js';
import { credit, debit } from '../../../src/rules/index.js';
import { runLedgerline } from '../../support/cli.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { zipMembers } from '../../support/zip-members.js';
import { landingBooks } from '../../../src/pipeline/landing/index.js';
import { openBooks } from '../../support/books.js';
import { writeTables } from '../../support/ledger-tables.js';

const engines = useLedgerEngines();
const ENTRY = 'je:smm-panel:2026-03-02';
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * A folder with the shipped chart and a ledger on `engine` holding one panel day as a close leaves it: two
 * replies landed for 03-02 (and one of 03-01, one of another source, one landed by a later run: none the entry's),
 * an order charge event, the entry that journalizes it, and the close's balance figure. Built once per engine: the tests only read it.
 */
async function panelDay(engine: (typeof LEDGER_ENGINES)[number]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-evidence-'));
  mkdirSync(join(dir, 'mappings'));
  copyFileSync(join(packageMappingsDir(), 'default.yaml'), join(dir, 'mappings', 'default.yaml'));
  const location = (await engines.fresh(engine)) ?? join(dir, 'ledger.sqlite');
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    `ledger: ${location}\ntimezone: UTC\ncurrency: USD\nmappings: ./mappings/default.yaml\n`,
  );
  const ledgerBooks = await openBooks(location);
  const landing = ledgerBooks.of(landingBooks);
  const land = (sourceId: string, asOf: string, body: string, runId = 'run-1') =>
    landing.unit((tx) =>
      tx.landRawReply({
        sourceId,
        action: 'orders',
        request: { page: 1 },
        asOf,
        fetchedAt: `${asOf}T23:59:00Z`,
        httpStatus: 200,
        body,
        contentHash: sha256(body),
        runId,
      }),
    );
  await land('smm-panel', '2026-03-01', '{"orders":[]}');
  await land('smm-panel', '2026-03-02', '{"orders":[{"order":7,"charge":"12.3456"}]}');
  const balanceReply = await land('smm-panel', '2026-03-02', '{"balance":"87.6544"}');
  await land('payelancer', '2026-03-02', '{"earnings":"1.00"}');
  await writeTables(ledgerBooks, (db) =>
    db.insertInto('source_events').values({
      id: 'ev:order:7',
      source_id: 'smm-panel',
      kind: 'order_charge',
      date: '2026-03-02',
      currency: 'USD',
      amount_micros: 12_345_600n,
      ref: 'order 7',
      detail: '{}',
      run_id: null,
      created_at: '2026-03-03T00:00:00Z',
    }),
  );
  await ledgerBooks.ledger.appendEntry(
    {
      id: ENTRY,
      date: '2026-03-02',
      sourceId: 'smm-panel',
      description: 'Panel charges',
      eventIds: ['ev:order:7'],
      lines: [debit('smm_services_expense', 'USD', 12_345_600n), credit('panel_prepaid', 'USD', 12_345_600n)],
    },
    { runId: 'run-1', now: new Date('2026-03-03T00:00:00Z') },
  );
  // A second run of the same day, after the entry was booked: its reply did not produce the entry.
  await land('smm-panel', '2026-03-02', '{"orders":[],"again":true}', 'run-2');
  await writeTables(ledgerBooks, (db) =>
    db.insertInto('source_closes').values({
      source_id: 'smm-panel',
      date: '2026-03-02',
      metric: 'balance',
      value_micros: 87_654_400n,
      currency: 'USD',
      raw_observation_id: BigInt(balanceReply!),
      taken_at: '2026-03-03T00:00:00Z',
    }),
  );
  await ledgerBooks.close();
  return dir;
}

describe.each(LEDGER_ENGINES)('ledgerline evidence on %s', (engine) => {
  let dir: string;
  beforeAll(async () => {
    dir = await panelDay(engine);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the entry's evidence, and rebuilding it from the ledger gives the same bytes", async () => {
    const first = await runLedgerline(['evidence', ENTRY, '--out', 'first.zip', '--json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const again = await runLedgerline(['evidence', ENTRY, '--out', 'again.zip'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const bytes = readFileSync(join(dir, 'first.zip'));
    expect(readFileSync(join(dir, 'again.zip')).equals(bytes)).toBe(true);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({
      entryId: ENTRY,
      files: [{ file: join(dir, 'first.zip'), bytes: bytes.length, name: 'evidence-je-smm-panel-2026-03-02.zip' }],
    });
    expect(again.stdout).toContain(`evidence of ${ENTRY}: manifest sha256:${report.manifestSha256}`);
    const members = zipMembers(bytes);
    expect(sha256(members.get('manifest.json')!)).toBe(report.manifestSha256);
    expect([...members.keys()].filter((name) => name.startsWith('replies/'))).toHaveLength(2);
    expect(JSON.parse(members.get('events.json')!.toString())).toEqual([
      {
        id: 'ev:order:7',
        kind: 'order_charge',
        date: '2026-03-02',
        currency: 'USD',
        amountMicros: '12345600',
        ref: 'order 7',
        detail: '{}',
      },
    ]);
    expect(JSON.parse(members.get('lines.json')!.toString())).toMatchObject({
      mappings: [
        { name: 'chart', file: 'default.yaml', sha256: sha256(readFileSync(join(dir, 'mappings', 'default.yaml'))) },
      ],
      rendered: [
        { account: 'smm_services_expense', cents: '1235' },
        { account: 'panel_prepaid', cents: '-1235' },
      ],
    });
    expect(JSON.parse(members.get('entry.json')!.toString()).chainHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an entry id the ledger does not hold: exit 2 naming it, nothing written', async () => {
    const run = await runLedgerline(['evidence', 'je:smm-panel:2026-03-09', '--out', 'none.zip'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no journal entry je:smm-panel:2026-03-09 in this ledger');
    expect(() => readFileSync(join(dir, 'none.zip'))).toThrow();
  });
});
