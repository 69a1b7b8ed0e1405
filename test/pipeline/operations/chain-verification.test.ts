import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHAIN_GENESIS,
  chainLink,
  chainLinkForm2,
  entryContentHash,
  entryContentText,
} from '../../../src/ledger/index.js';
import { credit, debit, renderEntryCents, type JournalEntry } from '../../../src/rules/index.js';
import { runLedgerline } from '../../support/cli.js';
import { ledgerBeforeMigration } from '../../support/ledger-before-migration.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks } from '../../support/books.js';
import { queryTables } from '../../support/ledger-tables.js';
import { openSqliteFile } from '../../support/sqlite-file.js';

const tempDir = useTempDir();
const engines = useLedgerEngines();
const now = new Date('2026-04-02T02:00:00Z');

/** Three days of panel charges; the second with a description holding a newline. */
const ENTRIES: JournalEntry[] = [
  {
    id: 'je:smm-panel:2026-03-30',
    date: '2026-03-30',
    sourceId: 'smm-panel',
    description: 'charges',
    eventIds: [],
    lines: [debit('smm_services_expense', 'USD', 1_250_000n), credit('panel_prepaid', 'USD', 1_250_000n)],
  },
  {
    id: 'je:smm-panel:2026-03-31',
    date: '2026-03-31',
    sourceId: 'smm-panel',
    description: 'charges\nlate',
    eventIds: [],
    lines: [debit('smm_services_expense', 'USD', 2_000_001n, 'order 7'), credit('panel_prepaid', 'USD', 2_000_001n)],
  },
  {
    id: 'je:smm-panel:2026-04-01',
    date: '2026-04-01',
    sourceId: 'smm-panel',
    description: 'charges',
    eventIds: [],
    lines: [debit('smm_services_expense', 'USD', 300_000n), credit('panel_prepaid', 'USD', 300_000n)],
  },
];

/** The chain in form 1 written out by hand from the pure link: what a ledger upgraded from before the chain keeps for ENTRIES in this order. */
const EXPECTED = ENTRIES.reduce<string[]>(
  (hashes, entry) => [
    ...hashes,
    chainLink(hashes.at(-1) ?? CHAIN_GENESIS, { ...entry, eventIdsJson: JSON.stringify(entry.eventIds) }),
  ],
  [],
);

/** The chain in form 2 (migration 0026) from the pure link, each entry's cents rendered as the append renders them: what every ledger appending ENTRIES keeps. */
const EXPECTED_FORM2 = ((): string[] => {
  const totals = new Map<string, bigint>();
  return ENTRIES.reduce<string[]>((hashes, entry) => {
    const { lineCents, roundingLines } = renderEntryCents(entry.sourceId, entry.lines, totals);
    const contentText = entryContentText(entry, JSON.stringify(entry.eventIds));
    return [
      ...hashes,
      chainLinkForm2(hashes.at(-1) ?? CHAIN_GENESIS, {
        id: entry.id,
        contentText,
        contentHash: entryContentHash(entry),
        lineCents,
        roundingLines,
      }),
    ];
  }, []);
})();

/** A folder whose configuration names a ledger on `engine`, ENTRIES appended in two appends; returns the folder and the ledger's location. */
async function ledgerWithEntries(engine: (typeof LEDGER_ENGINES)[number]): Promise<{ dir: string; location: string }> {
  const dir = tempDir();
  const location = (await engines.fresh(engine)) ?? join(dir, 'ledger.sqlite');
  writeFileSync(join(dir, 'ledgerline.yaml'), `ledger: ${location}\ntimezone: UTC\ncurrency: USD\n`);
  const ledgerBooks = await openBooks(location);
  const ledger = ledgerBooks.ledger;
  await ledger.appendEntries(ENTRIES.slice(0, 2), { now });
  await ledger.appendEntries(ENTRIES, { now });
  await ledgerBooks.close();
  return { dir, location };
}

async function keptHashes(location: string): Promise<string[]> {
  const ledgerBooks = await openBooks(location);
  try {
    const rows = await queryTables(ledgerBooks, (db) =>
      db.selectFrom('journal_entries').select('chain_hash').orderBy('seq'),
    );
    return rows.map((row) => row.chain_hash ?? '');
  } finally {
    await ledgerBooks.close();
  }
}

describe.each(LEDGER_ENGINES)('the journal hash chain on %s', (engine) => {
  it('keeps on append the chain the pure link gives in form 2, and verify recomputes it: exit 0 with its length and head', async () => {
    const { dir, location } = await ledgerWithEntries(engine);
    expect(await keptHashes(location)).toEqual(EXPECTED_FORM2);
    const run = await runLedgerline(['verify', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      verified: true,
      entries: 3,
      closes: 0,
      head: EXPECTED_FORM2[2],
      broken: null,
      centsChanged: 0,
      centsChanges: [],
      closeChanges: [],
      tables: { findings: [] },
    });
    expect(JSON.parse(run.stdout).message).toContain(`chain of 3 entries verified, head ${EXPECTED_FORM2[2]}\n`);
  });
});

describe('the journal hash chain in a SQLite file', () => {
  it('names the entry one changed byte broke (triggers dropped, a line edited in place): exit 1 with its id, date and source', async () => {
    const { dir, location } = await ledgerWithEntries('sqlite');
    const raw = new Database(location);
    raw.exec('DROP TRIGGER journal_lines_no_update');
    raw
      .prepare(
        "UPDATE journal_lines SET amount_micros = 2000002 WHERE entry_id = 'je:smm-panel:2026-03-31' AND line_no = 1",
      )
      .run();
    raw.close();
    const run = await runLedgerline(['verify'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'chain broken at entry je:smm-panel:2026-03-31 (dated 2026-03-31, source smm-panel, position 2 of 3)',
    );
    expect(run.stdout).toContain(`it keeps ${EXPECTED_FORM2[1]}`);
  });

  it('gives a ledger booked before the chain, on upgrade, the chain appending the same entries gives', async () => {
    const dir = tempDir();
    const location = join(dir, 'ledger.sqlite');
    await ledgerBeforeMigration(location, '0018-sealed-months', (sqlite) => {
      const line = sqlite.prepare(
        'INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros, description, cents) VALUES (?, ?, ?, ?, ?, ?, 0)',
      );
      const entry = sqlite.prepare(
        "INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES (?, ?, ?, ?, ?, 'h', 't')",
      );
      sqlite.transaction(() => {
        for (const booked of ENTRIES) {
          booked.lines.forEach((l, index) =>
            line.run(booked.id, index + 1, l.account, l.currency, l.amountMicros, l.description ?? null),
          );
          entry.run(booked.id, booked.date, booked.sourceId, booked.description, JSON.stringify(booked.eventIds));
        }
      })();
    });
    expect(await keptHashes(location)).toEqual(EXPECTED);
    const sqlite = openSqliteFile(location);
    try {
      expect(() => sqlite.prepare("UPDATE journal_entries SET chain_hash = 'x'").run()).toThrowError(/immutable/);
    } finally {
      sqlite.close();
    }
  });
});
