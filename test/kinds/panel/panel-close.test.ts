import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PanelSourceConfig } from '../../../src/kinds/panel/panel-config.js';
import { InvariantViolation } from '../../../src/errors.js';
import { Ledger } from '../../../src/ledger/index.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import { panelReads } from '../../../src/kinds/panel/books/panel-books.js';
import { JournalDraft, type JournalEntry } from '../../../src/rules/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks, type Books } from '../../support/books.js';
import { closePanelDay, sandboxPanelSource } from './panel-close-in-process.js';
import { syncBooks } from '../../../src/pipeline/sync/index.js';

/**
 * The panel close run in process against the sandbox's panel (real HTTP on 127.0.0.1, a SQLite
 * ledger), without the CLI. Service 1 costs 0.90 per 1000; the panel keeps the charge on a Partial
 * and credits the refund to the balance.
 *   03-01  opening balance 100.00
 *   03-02  A-1 400 → 0.36, A-2 200 → 0.18             balance 99.46
 *   03-03  A-1 Partial, 100 of 400 undelivered: refund 0.09; A-2 Completed;
 *          L-1 100 → 0.09, left out of that night's orders file   balance 99.46
 *   03-04  top-up 50.00                                            balance 149.46
 */
const SCRIPT = {
  start: '2026-03-01',
  panel: {
    openingBalance: '100.00',
    refundMode: 'keepCharge',
    topUps: [{ on: '2026-03-04', amount: '50.00' }],
    orders: [
      {
        id: 'A-1',
        service: '1',
        quantity: 400,
        placedOn: '2026-03-02',
        timeline: [{ on: '2026-03-03', status: 'Partial', remains: 100 }],
      },
      {
        id: 'A-2',
        service: '1',
        quantity: 200,
        placedOn: '2026-03-02',
        timeline: [{ on: '2026-03-03', status: 'Completed' }],
      },
      { id: 'L-1', service: '1', quantity: 100, placedOn: '2026-03-03' },
    ],
  },
};

const tempDir = useTempDir();
const now = new Date('2026-03-05T02:30:00Z');

describe('the panel close, in process against the sandbox', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let ledger: Ledger;
  let ledgerBooks: Books;
  let source: PanelSourceConfig;

  beforeEach(async () => {
    sandbox = await startSandbox({ script: SCRIPT });
    ledgerBooks = await openBooks(join(tempDir(), 'ledger.sqlite'));
    ledger = ledgerBooks.ledger;
    source = sandboxPanelSource(sandbox, tempDir());
  });

  afterEach(async () => {
    await ledger.close();
    await sandbox.close();
  });

  /** The sandbox moved to `day`, its orders file of that day written (less the orders named in `leaveOut`), and the close of `day` taken. */
  async function closeDay(
    day: string,
    options: { leaveOut?: string[]; dryRun?: boolean } = {},
  ): Promise<SourceSyncReport> {
    sandbox.setToday(day);
    const csv = await (
      await fetch(`${sandbox.adminUrl}/orders.csv?date=${day}`, { signal: AbortSignal.timeout(5000) })
    ).text();
    const ordersFile = join(tempDir(), `orders-${day}.csv`);
    writeFileSync(
      ordersFile,
      csv
        .split('\n')
        .filter((line) => !(options.leaveOut ?? []).some((orderId) => line.startsWith(`${orderId},`)))
        .join('\n'),
    );
    return closePanelDay(ledgerBooks, source, { day, ordersFiles: [ordersFile], dryRun: options.dryRun, now });
  }

  const balanceOf = (account: string) => ledger.balanceOf(account, 'USD', { sourceId: source.id });
  const kinds = (report: SourceSyncReport) => report.findings.map((found) => [found.kind, found.amountMicros]);

  it('books four nights as the hand-written truth says: charges, a pro-rata refund, a fall explained the night its order is learned, a top-up', async () => {
    const opening = await closeDay('2026-03-01');
    expect([opening.outcome, opening.events, opening.polled]).toEqual(['booked', 1, 0]);
    expect(await balanceOf('panel_prepaid')).toBe(100_000_000n);

    const charged = await closeDay('2026-03-02');
    // A-1 0.36 and A-2 0.18: 100.00 − 0.54 = 99.46, what the panel reports.
    expect([charged.events, charged.polled, kinds(charged)]).toEqual([2, 2, []]);
    expect(await balanceOf('smm_services_expense')).toBe(540_000n);
    expect(await balanceOf('panel_prepaid')).toBe(99_460_000n);

    const fell = await closeDay('2026-03-03', { leaveOut: ['L-1'] });
    // A-1 keeps 300 of 400 units: 0.27, refund 0.09; the ledger explains 99.55, the panel says 99.46: 0.09 fell to suspense.
    expect(kinds(fell)).toEqual([
      ['computed_refund', 90_000n],
      ['balance_fall', 90_000n],
    ]);
    expect(await balanceOf('panel_prepaid')).toBe(99_460_000n);
    expect(await balanceOf('suspense')).toBe(90_000n);

    const learned = await closeDay('2026-03-04');
    // L-1 is charged 0.09 and explains the fall of 03-03 (placed on 03-03); the 50.00 the orders do not explain is a top-up.
    expect(kinds(learned)).toEqual([['balance_rise', 50_000_000n]]);
    expect(learned.events).toBe(3);
    expect(await balanceOf('suspense')).toBe(0n);
    expect(await balanceOf('smm_services_expense')).toBe(540_000n);
    expect(await balanceOf('topup_clearing')).toBe(-50_000_000n);
    expect(await balanceOf('panel_prepaid')).toBe(149_460_000n);
  });

  it('a dry run reports what the close would book and writes nothing: the real close after it books the same', async () => {
    await closeDay('2026-03-01');
    const rehearsed = await closeDay('2026-03-02', { dryRun: true });
    expect([rehearsed.outcome, rehearsed.events, rehearsed.entries.map((entry) => entry.id)]).toEqual([
      'booked',
      2,
      ['je:smm-panel:2026-03-02'],
    ]);
    expect(await balanceOf('smm_services_expense')).toBe(0n);

    const booked = await closeDay('2026-03-02');
    expect(booked.entries).toEqual(rehearsed.entries);
    expect(await balanceOf('smm_services_expense')).toBe(540_000n);
  });

  it('entries that would book another panel_prepaid than the draft stop the close with InvariantViolation, and its last unit commits nothing', async () => {
    await closeDay('2026-03-01');
    const books = ledgerBooks.of(syncBooks);
    const balanceBefore = await books.of(panelReads).balanceState(source.id);
    // A planted bug: the entries move one more cent from panel_prepaid to the expense than the draft says.
    const original = JournalDraft.prototype.entries;
    const spy = vi.spyOn(JournalDraft.prototype, 'entries').mockImplementation(function (
      this: JournalDraft,
      existing: ReadonlySet<string>,
    ) {
      return tampered(original, this, existing);
    });
    try {
      const stopped = closeDay('2026-03-02');
      await expect(stopped).rejects.toThrow(InvariantViolation);
      await expect(stopped).rejects.toMatchObject({
        exitCode: 70,
        message: expect.stringContaining(
          'panel close smm-panel 2026-03-02: the entries book -0.55 USD of panel_prepaid, the draft -0.54',
        ),
      });
    } finally {
      spy.mockRestore();
    }
    expect(await books.latestClose(source.id)).toBe('2026-03-01');
    expect(await balanceOf('panel_prepaid')).toBe(100_000_000n);
    expect(await balanceOf('smm_services_expense')).toBe(0n);
    expect(await books.of(panelReads).balanceState(source.id)).toEqual(balanceBefore);
  });
});

/** The entries `original` drafts, with 0.01 more moved from panel_prepaid to smm_services_expense (still balanced). */
function tampered(
  original: JournalDraft['entries'],
  draft: JournalDraft,
  existing: ReadonlySet<string>,
): JournalEntry[] {
  return original.call(draft, existing).map((entry) => ({
    ...entry,
    lines: entry.lines.map((line) =>
      line.account === 'panel_prepaid'
        ? { ...line, amountMicros: line.amountMicros - 10_000n }
        : line.account === 'smm_services_expense'
          ? { ...line, amountMicros: line.amountMicros + 10_000n }
          : line,
    ),
  }));
}
