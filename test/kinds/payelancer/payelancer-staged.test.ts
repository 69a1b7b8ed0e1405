import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index.js';
import { bookSourceReplay, planSourceReplay } from '../../../src/pipeline/backfill/replay-source.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import { payelancerSourceKind } from '../../../src/kinds/payelancer/index.js';
import type { PayelancerSourceConfig } from '../../../src/kinds/payelancer/payelancer-config.js';
import { DEFAULT_CHART } from '../../rules/default-chart.js';
import { LEDGER_ENGINES, rowCountsAndChainHead, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks, type Books } from '../../support/books.js';
import { queryTables } from '../../support/ledger-tables.js';
import { closeInProcess } from '../../support/in-process-close.js';
import { backfillBooks } from '../../../src/pipeline/backfill/index.js';

/**
 * An ad-network night on the staged closer, on both engines, in process against the sandbox's ad network. A publisher,
 * month-end payouts by PayPal, $50 minimum. Lifetime earnings: 03-29 10.00 (the baseline), 03-30 40.00, 03-31 70.00.
 *   03-30  +30.00 earned                                   receivable 30.00
 *   03-31  +30.00 earned; the month end pays 60.00 out     receivable  0.00
 * Synced twice, 03-30's second close reads the 70.00 the counter shows by then: +30.00 dated 03-30, and 03-31 then
 * earns nothing and pays the same 60.00.
 */
const SCRIPT = {
  start: '2026-03-29',
  payelancer: { publisher: { earnings: { '2026-03-29': '10.00', '2026-03-30': '40.00', '2026-03-31': '70.00' } } },
};

const tempDir = useTempDir();
const engines = useLedgerEngines();
const now = new Date('2026-04-01T02:30:00Z');

describe.each(LEDGER_ENGINES)('an ad-network night on the staged closer (%s ledger)', { timeout: 60_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let location: string;
  let opened: Books;
  let source: PayelancerSourceConfig;

  beforeEach(async () => {
    sandbox = await startSandbox({ script: SCRIPT });
    location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    opened = await openBooks(location);
    source = {
      id: 'ads-publisher',
      kind: 'payelancer',
      baseUrl: sandbox.payelancerBaseUrl,
      apiKey: sandbox.keys.publisher,
      payouts: { method: 'paypal', minimumMicros: 50_000_000n, schedule: { kind: 'month-end' } },
    } as PayelancerSourceConfig;
  });

  afterEach(async () => {
    await opened.close();
    await sandbox.close();
  });

  /** The close of `day`, with the ad network's counter as it stands on `today` (a late sync of the day reads more). */
  async function closeDay(day: string, options: { dryRun?: boolean; today?: string } = {}): Promise<SourceSyncReport> {
    const dryRun = options.dryRun ?? false;
    sandbox.setToday(options.today ?? day);
    const runId = `run:${day}:${options.today ?? day}${dryRun ? ':dry' : ''}`;
    return closeInProcess(opened, source, { day, runId, dryRun, now }, (night) =>
      payelancerSourceKind.close({
        ...night,
        source,
        currency: 'USD',
        ordersFiles: [],
        onOrdersFileProblems: () => undefined,
      }),
    );
  }

  /** Every table's row count, the journal's chain head and the carried state. */
  async function snapshot(): Promise<{ counts: Record<string, number>; head: string; state: unknown[] }> {
    const { counts, head } = await rowCountsAndChainHead(location);
    const state = await queryTables(opened, (db) => db.selectFrom('source_state').select(['key', 'value']));
    return { counts, head, state };
  }

  const bookings = (report: SourceSyncReport) => ({
    outcome: report.outcome,
    events: report.events,
    entries: report.entries.map((entry) => [entry.date, entry.lines.map((line) => [line.account, line.amountMicros])]),
    payouts: report.payouts,
  });

  it('--dry-run reads, looks up and normalizes, writes nothing, and shows what the real close then books', async () => {
    await closeDay('2026-03-29');
    await closeDay('2026-03-30');
    const before = await snapshot();

    const rehearsed = await closeDay('2026-03-31', { dryRun: true });
    expect(await snapshot()).toEqual(before);
    // 30.00 booked by 03-30 and 30.00 earned on the 31st: 60.00 ≥ 50.00 is paid out whole at the month end.
    expect(rehearsed.payouts).toEqual([
      { date: '2026-03-31', method: 'paypal', currency: 'USD', amountMicros: 60_000_000n },
    ]);

    const booked = await closeDay('2026-03-31');
    expect(bookings(booked)).toEqual(bookings(rehearsed));
    expect(await opened.ledger.balanceOf('payelancer_receivable', 'USD', { sourceId: source.id })).toBe(0n);
    expect((await snapshot()).head).not.toBe(before.head);
  });

  it('a backfill over a day synced twice books nothing, from the first close or from the close before its window', async () => {
    await closeDay('2026-03-29');
    await closeDay('2026-03-30');
    await closeDay('2026-03-30', { today: '2026-03-31' });
    const last = await closeDay('2026-03-31');
    expect(last.payouts).toEqual([
      { date: '2026-03-31', method: 'paypal', currency: 'USD', amountMicros: 60_000_000n },
    ]);
    const before = await snapshot();

    for (const window of [
      { from: '2026-03-29', to: '2026-03-31' },
      { from: '2026-03-30', to: '2026-03-31' },
    ]) {
      const run = {
        ledger: opened.ledger,
        books: opened.of(backfillBooks),
        chart: DEFAULT_CHART,
        granularity: 'day' as const,
        timeZone: 'UTC',
        runId: `run:backfill:${window.from}`,
        now: () => now,
        dryRun: false,
      };
      const plan = await planSourceReplay(run, payelancerSourceKind, source, window);
      expect(await bookSourceReplay(run, plan)).toEqual([]);
    }
    expect((await snapshot()).head).toBe(before.head);
    expect(await opened.ledger.balanceOf('payelancer_receivable', 'USD', { sourceId: source.id })).toBe(0n);
  });
});
