import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookClose } from '../../src/pipeline/sync/sync-sources.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { SourceEvent } from '../../src/rules/index.js';
import { DEFAULT_CHART } from '../rules/default-chart.js';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { booksAt, setSandboxDay, type Workspace } from './scenario-harness.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { readBooks } from '../support/ledger-engines.js';
import { withOpenBooks } from '../support/books.js';
import { withLedgerTables } from '../support/ledger-tables.js';
import type { PanelTables } from '../../src/kinds/panel/books/panel-tables.js';
import { syncBooks } from '../../src/pipeline/sync/index.js';

const FIRST = '2026-03-29';
const LAST = '2026-04-02';
const BUGGY_DAY = '2026-03-31';
const WINDOW = ['sync', '--from', FIRST, '--to', LAST] as const;

/**
 * What an older ledgerline with a reader bug booked on 03-31: R-2 charged 0.10 too much, and its
 * balance check explained the 0.10 the panel did not fall by as a top-up (so panel_prepaid still
 * equals the panel's balance and only the expense and top-up accounts are wrong).
 */
const OLDER_VERSION_EVENTS: SourceEvent[] = [
  {
    id: 'panel:smm-panel:order:R-2:charge:2026-03-31:older',
    sourceId: 'smm-panel',
    kind: 'order_charge',
    date: BUGGY_DAY,
    currency: 'USD',
    amountMicros: 100_000n,
    ref: 'R-2',
    detail: {},
  },
  {
    id: 'panel:smm-panel:balance:2026-03-31:older',
    sourceId: 'smm-panel',
    kind: 'panel_topup',
    date: BUGGY_DAY,
    currency: 'USD',
    amountMicros: 100_000n,
    ref: BUGGY_DAY,
    detail: {},
  },
];

/** The books plus the orders' booked state, which a backfill moves. */
const booksAndOrders = (ledgerPath: string) => booksAt(ledgerPath, { orders: 'source_id, order_id' });

/** R-2's booked net charge as orders.state stores it (a decimal string of micro-units). */
function bookedNetOfR2(ledgerPath: string): Promise<string> {
  return readBooks(ledgerPath, async (ledger) => {
    const row = (
      (await ledger.rows('orders', 'order_id')) as { source_id: string; order_id: string; state: string | null }[]
    ).find((order) => order.source_id === 'smm-panel' && order.order_id === 'R-2');
    if (!row || row.state === null) throw new Error('R-2 has no stored state');
    return (JSON.parse(row.state) as { bookedNetMicros: string }).bookedNetMicros;
  });
}

type EntryRow = { id: string; date: string; source_id: string };
type LineRow = { entry_id: string; account: string; amount_micros: bigint };

/** Books what the older version would have booked on 03-31, through the same booking path the nightly sync uses. */
async function bookAsOlderVersion(ledgerPath: string): Promise<void> {
  await withOpenBooks(ledgerPath, (books) =>
    bookClose(
      {
        ledger: books.ledger,
        books: books.of(syncBooks),
        chart: DEFAULT_CHART,
        granularity: 'day',
        runId: 'run:older-version',
        now: () => new Date('2026-04-01T02:30:00Z'),
      },
      {
        sourceId: 'smm-panel',
        events: OLDER_VERSION_EVENTS,
        findings: [],
        // What the older version kept of R-2 is written once the close is booked: outside its unit, as its tx is the close's.
        writeProgress: async () => undefined,
      },
    ),
  );
  await withLedgerTables(ledgerPath, async (tables) => {
    const { first, run } = tables;
    const db = tables.db.withTables<PanelTables>();
    const row = await first(
      db.selectFrom('orders').select('state').where('source_id', '=', 'smm-panel').where('order_id', '=', 'R-2'),
    );
    if (!row || row.state === null) throw new Error('R-2 has no stored state');
    const state = JSON.parse(row.state) as { bookedNetMicros: string };
    const older = JSON.stringify({
      ...state,
      bookedNetMicros: (BigInt(state.bookedNetMicros) + 100_000n).toString(),
    });
    await run(
      db.updateTable('orders').set({ state: older }).where('source_id', '=', 'smm-panel').where('order_id', '=', 'R-2'),
    );
  });
}

describe(
  'a backfill replays the stored replies of every close and corrects what an older version booked',
  { timeout: 60_000 },
  () => {
    let sandbox: RunningSandbox;
    let workspace: Workspace;
    let bookedNetBeforeOlderVersion: string;
    let bookedNetAfterOlderVersion: string;
    let dryRunEntryId: string | undefined;

    beforeAll(async () => {
      // The five nights, synced once per run (03-31 exits 1: R-2's kept charge on a Partial is a finding to look at).
      ({ sandbox, workspace } = await copiedSyncedWorld(script, 'backfill-replay', DAYS));
      bookedNetBeforeOlderVersion = await bookedNetOfR2(workspace.ledgerPath);
      await bookAsOlderVersion(workspace.ledgerPath);
      bookedNetAfterOlderVersion = await bookedNetOfR2(workspace.ledgerPath);
    }, 60_000);

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    it('the older version booked R-2 0.10 too high on 03-31 (so the corrections below are not vacuous)', async () => {
      // 0.90 charged, 0.14130 refunded = 0.75870; the older version says 0.85870.
      expect(bookedNetBeforeOlderVersion).toBe('758700');
      expect(bookedNetAfterOlderVersion).toBe('858700');
      const lines = (await readBooks(workspace.ledgerPath, (ledger) =>
        ledger.rows('journal_lines', 'entry_id, line_no'),
      )) as LineRow[];
      expect(
        lines
          .filter((line) => line.entry_id === 'je:smm-panel:2026-03-31:r2')
          .map((line) => [line.account, line.amount_micros]),
      ).toEqual([
        ['smm_services_expense', 100_000n],
        ['panel_prepaid', -100_000n],
        ['panel_prepaid', 100_000n],
        ['topup_clearing', -100_000n],
      ]);
    });

    it('a backfill that changes an order amount but stops before the latest close is refused (exit 2, naming the order and --to the latest close) and books nothing', async () => {
      const before = await booksAndOrders(workspace.ledgerPath);
      const refused = await workspace.run(['sync', '--from', BUGGY_DAY, '--to', BUGGY_DAY]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain('order R-2');
      expect(refused.stderr).toContain('run the backfill through the latest close (--to 2026-04-02)');
      expect(await booksAndOrders(workspace.ledgerPath)).toEqual(before);
    });

    it('a dry run of the window prints the one correction of 03-31 and books nothing', async () => {
      const before = await booksAndOrders(workspace.ledgerPath);
      const planned = await workspace.run([...WINDOW, '--dry-run']);
      expect(planned.code, planned.stderr).toBe(0);
      dryRunEntryId = /would book (je:smm-panel:2026-03-31:replay:\d+) /.exec(planned.stdout)?.[1];
      expect(planned.stdout).toBe(
        [
          'backfill 2026-03-29 to 2026-04-02 (dry run: nothing written)',
          '  ads-publisher: nothing booked',
          '  smm-panel: booked 0 events in 1 entry',
          '    Cr smm_services_expense                 0.10 USD',
          '    Dr topup_clearing                       0.10 USD',
          '    would book je:smm-panel:2026-03-31:replay:1 (2026-03-31): Replay correction of 2026-03-31 (readers, rules or chart changed since it was booked)',
          '      Cr smm_services_expense                 0.10 USD',
          '      Dr topup_clearing                       0.10 USD',
          '  ads-advertiser: nothing booked',
          '',
        ].join('\n'),
      );
      expect(await booksAndOrders(workspace.ledgerPath)).toEqual(before);
    });

    it('the backfill books one correction on 03-31 (expense −0.10, top-up clearing +0.10), restores R-2 and asks nothing of the sources', async () => {
      const entriesBefore = (await readBooks(workspace.ledgerPath, (ledger) =>
        ledger.rows('journal_entries', 'seq'),
      )) as EntryRow[];
      const requestsBefore = sandbox.requestLog().length;
      const backfill = await workspace.run(WINDOW);
      expect(backfill.code, backfill.stderr).toBe(0);
      expect(sandbox.requestLog().length).toBe(requestsBefore);

      const entriesAfter = (await readBooks(workspace.ledgerPath, (ledger) =>
        ledger.rows('journal_entries', 'seq'),
      )) as EntryRow[];
      expect(entriesAfter.slice(0, entriesBefore.length)).toEqual(entriesBefore);
      const written = entriesAfter.slice(entriesBefore.length);
      expect(written.map((entry) => [entry.source_id, entry.date])).toEqual([['smm-panel', BUGGY_DAY]]);
      const correctionId = written[0]!.id;
      expect(correctionId).toBe('je:smm-panel:2026-03-31:replay:1');
      expect(correctionId).toBe(dryRunEntryId);
      const lines = (await readBooks(workspace.ledgerPath, (ledger) =>
        ledger.rows('journal_lines', 'entry_id, line_no'),
      )) as LineRow[];
      expect(
        lines.filter((line) => line.entry_id === correctionId).map((line) => [line.account, line.amount_micros]),
      ).toEqual([
        ['smm_services_expense', -100_000n],
        ['topup_clearing', 100_000n],
      ]);

      expect(await bookedNetOfR2(workspace.ledgerPath)).toBe('758700');
      // 04-02: 80.00 − 0.90 − 0.90 + 0.14130 − 0.04551 + 0.04551 + 20.00 = 98.34130.
      expect(sandbox.stateOn(LAST).panel.balance).toBe(98_341_300n);
      expect(await readBooks(workspace.ledgerPath, (ledger) => ledger.balanceMicros('panel_prepaid'))).toBe(
        98_341_300n,
      );
      expect(await readBooks(workspace.ledgerPath, (ledger) => ledger.unbalancedEntries())).toEqual([]);
    });

    it('the same backfill run again books nothing and the export stays byte-identical', async () => {
      const before = await booksAndOrders(workspace.ledgerPath);
      const exportBefore = await workspace.exportGeneric();
      const again = await workspace.run(WINDOW);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe(
        'backfill 2026-03-29 to 2026-04-02\n  ads-publisher: nothing booked\n  smm-panel: nothing booked\n  ads-advertiser: nothing booked\n',
      );
      expect(await booksAndOrders(workspace.ledgerPath)).toEqual(before);
      expect(await workspace.exportGeneric()).toBe(exportBefore);
    });

    it('once corrected, a window of 03-31 alone is no longer refused and finds nothing to correct', async () => {
      const before = await booksAndOrders(workspace.ledgerPath);
      const narrow = await workspace.run(['sync', '--from', BUGGY_DAY, '--to', BUGGY_DAY]);
      expect(narrow.code, narrow.stderr).toBe(0);
      expect(await booksAndOrders(workspace.ledgerPath)).toEqual(before);
    });

    it('the nightly sync after the backfill finds the books and the panel agree (no top-up or unexplained fall on 04-03)', async () => {
      await setSandboxDay(sandbox, '2026-04-03');
      const nightly = await workspace.syncDay('2026-04-03');
      expect(nightly.code, nightly.stderr).toBe(0);
      const balanceEvents = await readBooks(workspace.ledgerPath, async (ledger) =>
        ((await ledger.rows('source_events', 'id')) as { kind: string; date: string }[]).filter(
          (event) =>
            event.date === '2026-04-03' && (event.kind === 'panel_topup' || event.kind === 'panel_unexplained_fall'),
        ),
      );
      expect(balanceEvents).toEqual([]);
      expect(sandbox.stateOn('2026-04-03').panel.balance).toBe(98_341_300n);
      expect(await readBooks(workspace.ledgerPath, (ledger) => ledger.balanceMicros('panel_prepaid'))).toBe(
        98_341_300n,
      );
    });

    // Last: it lands a reply in the ledger for good.
    it("an order today's reader rejects in a reply read on the night stops the panel's backfill (exit 3, naming it) and books nothing", async () => {
      await landUnreadableReplyForR2(workspace.ledgerPath);
      const before = await booksAndOrders(workspace.ledgerPath);
      const backfill = await workspace.run(WINDOW);
      expect(backfill.code, backfill.stderr).toBe(3);
      expect(backfill.stderr).toContain('order R-2 in the stored reply of the close of 2026-03-31');
      expect(backfill.stderr).toContain('nothing is booked for smm-panel');
      expect(await booksAndOrders(workspace.ledgerPath)).toEqual(before);
    });
  },
);

/**
 * Lands, in the 03-31 close's run, a later answer to the same multiStatus request whose R-2 charge
 * no reader accepts: a replay reads the last answer to a request, as if today's reader rejected R-2.
 */
async function landUnreadableReplyForR2(ledgerPath: string): Promise<void> {
  await withLedgerTables(ledgerPath, async ({ db, first, run }) => {
    const reply = await first(
      db
        .selectFrom('raw_observations')
        .selectAll()
        .where('source_id', '=', 'smm-panel')
        .where('action', '=', 'multiStatus')
        .where('as_of', '=', BUGGY_DAY)
        .orderBy('id', 'desc'),
    );
    if (!reply || !reply.body.includes('"R-2"')) throw new Error('no multiStatus reply naming R-2 on 03-31');
    const body = JSON.stringify({
      ...(JSON.parse(reply.body) as Record<string, unknown>),
      'R-2': { charge: 'not an amount', status: 'Partial', remains: '157' },
    });
    const { id: _id, ...row } = reply;
    await run(db.insertInto('raw_observations').values({ ...row, body, content_hash: 'unreadable' }));
  });
}
