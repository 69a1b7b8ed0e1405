import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import type { PanelSourceConfig } from '../../../src/kinds/panel/panel-config.js';
import { LEDGER_ENGINES, rowCountsAndChainHead, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks, type Books } from '../../support/books.js';
import { closePanelDay, sandboxPanelSource } from './panel-close-in-process.js';

/**
 * A panel night taken with --dry-run (extract + normalize, nothing loaded), then for real, on both engines,
 * in process against the sandbox's panel. Service 1 costs 0.90 per 1000; the panel keeps the charge on a
 * Partial and credits the refund to the balance.
 *   03-01  opening balance 100.00
 *   03-02  A-1 400 → 0.36, A-2 200 → 0.18                                    balance 99.46
 *   03-03  A-1 Partial, 100 undelivered: refund 0.09; A-2 Completed; top-up 50.00   balance 149.55
 */
const SCRIPT = {
  start: '2026-03-01',
  panel: {
    openingBalance: '100.00',
    refundMode: 'keepCharge',
    topUps: [{ on: '2026-03-03', amount: '50.00' }],
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
    ],
  },
};

const tempDir = useTempDir();
const engines = useLedgerEngines();
const now = new Date('2026-03-04T02:30:00Z');

describe.each(LEDGER_ENGINES)('a panel night with --dry-run (%s ledger)', { timeout: 60_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let location: string;
  let opened: Books;
  let source: PanelSourceConfig;

  beforeEach(async () => {
    sandbox = await startSandbox({ script: SCRIPT });
    location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    opened = await openBooks(location);
    // No proxy kept anything: the close's spool import finds no file and books nothing.
    source = sandboxPanelSource(sandbox, tempDir());
  });

  afterEach(async () => {
    await opened.close();
    await sandbox.close();
  });

  async function closeDay(day: string, dryRun = false): Promise<SourceSyncReport> {
    sandbox.setToday(day);
    const csv = await (
      await fetch(`${sandbox.adminUrl}/orders.csv?date=${day}`, { signal: AbortSignal.timeout(5000) })
    ).text();
    const ordersFile = join(tempDir(), `orders-${day}.csv`);
    writeFileSync(ordersFile, csv);
    return closePanelDay(opened, source, { day, ordersFiles: [ordersFile], dryRun, now });
  }

  const snapshot = () => rowCountsAndChainHead(location);

  const bookings = (report: SourceSyncReport) => ({
    outcome: report.outcome,
    events: report.events,
    entries: report.entries,
    findings: report.findings.map((found) => [found.kind, found.amountMicros]),
  });

  it('writes nothing (every row count and the chain head unchanged) and shows the bookings the real run that follows makes', async () => {
    await closeDay('2026-03-01');
    await closeDay('2026-03-02');
    const before = await snapshot();
    expect(before.counts['journal_entries']).toBe(2);

    const rehearsed = await closeDay('2026-03-03', true);
    expect(await snapshot()).toEqual(before);
    // A-1's refund 0.09 and the 50.00 the orders do not explain: a top-up.
    expect(bookings(rehearsed).findings).toEqual([
      ['computed_refund', 90_000n],
      ['balance_rise', 50_000_000n],
    ]);

    const booked = await closeDay('2026-03-03');
    expect(bookings(booked)).toEqual(bookings(rehearsed));
    expect(await opened.ledger.balanceOf('panel_prepaid', 'USD', { sourceId: source.id })).toBe(149_550_000n);
    expect((await snapshot()).head).not.toBe(before.head);
  });

  it('refuses a day before the latest close exactly as the real run does, and writes nothing', async () => {
    await closeDay('2026-03-01');
    await closeDay('2026-03-02');
    const before = await snapshot();
    const real = await closeDay('2026-03-01').then(
      () => 'booked',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    const dry = await closeDay('2026-03-01', true).then(
      () => 'booked',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(real).toContain('cannot take a close as of 2026-03-01: its latest close is 2026-03-02');
    expect(dry).toBe(real);
    expect(await snapshot()).toEqual(before);
  });
});
