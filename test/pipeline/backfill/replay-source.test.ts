import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BackfillRun } from '../../../src/pipeline/backfill/index.js';
import type { BackfillBooks } from '../../../src/pipeline/backfill/books/backfill-books.js';
import { UsageError } from '../../../src/errors.js';
import { createSystemClock } from '../../../src/http/clock.js';
import type { HttpClient } from '../../../src/http/http-client.js';
import type { Ledger } from '../../../src/ledger/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { bookSourceReplay, planSourceReplay } from '../../../src/pipeline/backfill/replay-source.js';
import { rawLanding } from '../../../src/pipeline/landing/raw-landing.js';
import { payelancerSourceKind } from '../../../src/kinds/payelancer/index.js';
import type { PayelancerSourceConfig } from '../../../src/kinds/payelancer/payelancer-config.js';
import { DEFAULT_CHART } from '../../rules/default-chart.js';
import { backfillBooksInMemory } from '../../support/backfill-books-double.js';
import { syncBooksInMemory, type SyncBooksDouble } from '../../support/sync-books-double.js';

/** In-memory books (test/support/*-double.ts): the sync's and the backfill's ports over one journal. */
interface Books {
  syncBooks: SyncBooksDouble;
  backfillBooks: BackfillBooks;
}

const now = new Date('2026-04-01T02:30:00Z');
const SOURCE: PayelancerSourceConfig = {
  id: 'ads-publisher',
  kind: 'payelancer',
  baseUrl: 'http://127.0.0.1:9/payelancer',
  apiKey: 'pk-never-shown',
  payouts: { method: 'paypal', minimumMicros: 50_000_000n, schedule: { kind: 'month-end' } },
} as PayelancerSourceConfig;

const statsBody = (earnings: string) =>
  `{"success":true,"role":"publisher","stats":{"impressions":100,"clicks":3,"earnings":${earnings}}}`;

/** One scripted stats reply, as the ad network would send it. */
function answering(body: string): HttpClient {
  return {
    service: SOURCE.id,
    request: async (request) => {
      await request.onReply?.({ status: 200, headers: {}, bodyText: body });
      return { status: 200, headers: {}, bodyText: body };
    },
    counters: () => ({ requests: 1, retries: 0, rateLimited: 0, serverErrors: 0, networkErrors: 0, backoffMs: 0 }),
    redact: (text) => text,
    close: async () => undefined,
  };
}

/** Publisher closes: 03-29 baseline 10.00, 03-30 40.00 (+30), 03-31 70.00 (+30, then 60.00 owed at the month end is paid out). */
async function ledgerWithThreeCloses(): Promise<{ ledger: Ledger; ledgerBooks: Books }> {
  const syncBooks = syncBooksInMemory();
  const ledgerBooks: Books = { syncBooks, backfillBooks: backfillBooksInMemory(syncBooks) };
  const ledger = syncBooks.ledger;
  for (const [asOf, earnings] of [
    ['2026-03-29', '10.00'],
    ['2026-03-30', '40.00'],
    ['2026-03-31', '70.00'],
  ] as const) {
    const runId = `run:${asOf}`;
    const report = await payelancerSourceKind.close({
      context: {
        ledger,
        books: ledgerBooks.syncBooks,
        chart: DEFAULT_CHART,
        granularity: 'day',
        asOf,
        timezone: 'UTC',
        runId,
        dryRun: false,
        now: () => now,
        logger: silentLogger,
      },
      source: SOURCE,
      http: answering(statsBody(earnings)),
      clock: createSystemClock(),
      onRawReply: rawLanding(ledgerBooks.syncBooks, { asOf, runId, dryRun: false }),
      currency: 'USD',
      ordersFiles: [],
      onOrdersFileProblems: () => undefined,
    });
    expect(report.outcome).toBe('booked');
  }
  return { ledger, ledgerBooks };
}

/** Today's reader reads the 03-30 reply as 45.00: a later raw row of the same request in the same run is what a replay reads. */
async function rereadThirtiethAs(ledgerBooks: Books, earnings: string): Promise<void> {
  const body = statsBody(earnings);
  await ledgerBooks.syncBooks.unit((tx) =>
    tx.landRawReply({
      sourceId: SOURCE.id,
      action: 'stats',
      request: { method: 'GET', path: '/payelancer/backend/api/v1/stats.php', params: {} },
      asOf: '2026-03-30',
      fetchedAt: now.toISOString(),
      httpStatus: 200,
      body,
      contentHash: createHash('sha256').update(body).digest('hex'),
      runId: 'run:2026-03-30',
    }),
  );
}

const backfill = (ledger: Ledger, ledgerBooks: Books, runId: string, dryRun = false): BackfillRun => ({
  ledger,
  books: ledgerBooks.backfillBooks,
  chart: DEFAULT_CHART,
  granularity: 'day',
  timeZone: 'UTC',
  runId,
  now: () => now,
  dryRun,
});

/** A backfill of one source: re-read and check, then book. */
async function replaySource(run: BackfillRun, source: PayelancerSourceConfig, window: { from: string; to: string }) {
  const plan = await planSourceReplay(run, payelancerSourceKind, source, window);
  return { corrections: await bookSourceReplay(run, plan), closesInWindow: plan.replayed.closesInWindow };
}

const linesOf = (entry: { date: string; lines: readonly { account: string; amountMicros: bigint }[] }) => [
  entry.date,
  entry.lines.map((line) => [line.account, line.amountMicros]),
];

describe('a backfill of an ad-network source re-reads its stored replies', () => {
  it('finds nothing to correct when the replies read as they did', async () => {
    const { ledger, ledgerBooks } = await ledgerWithThreeCloses();
    const replayed = await replaySource(backfill(ledger, ledgerBooks, 'run:backfill'), SOURCE, {
      from: '2026-03-29',
      to: '2026-03-31',
    });
    expect(replayed).toEqual({ corrections: [], closesInWindow: 3 });
    await ledger.close();
  });

  it('books what a re-read changes on each day it changes, through the latest close, once', async () => {
    const { ledger, ledgerBooks } = await ledgerWithThreeCloses();
    await rereadThirtiethAs(ledgerBooks, '45.00');
    const replayed = await replaySource(backfill(ledger, ledgerBooks, 'run:backfill'), SOURCE, {
      from: '2026-03-29',
      to: '2026-03-31',
    });
    // 03-30 earned 35.00 (45.00 − 10.00), not 30.00; 03-31 earned 25.00 (70.00 − 45.00), not 30.00; the 60.00 payout stands.
    expect(replayed.corrections.map(linesOf)).toEqual([
      [
        '2026-03-30',
        [
          ['ad_revenue', -5_000_000n],
          ['payelancer_receivable', 5_000_000n],
        ],
      ],
      [
        '2026-03-31',
        [
          ['ad_revenue', 5_000_000n],
          ['payelancer_receivable', -5_000_000n],
        ],
      ],
    ]);
    expect(await ledger.balanceOf('ad_revenue', 'USD', { asOf: '2026-03-30' })).toBe(-35_000_000n);
    expect(await ledger.balanceOf('ad_revenue', 'USD')).toBe(-60_000_000n);
    expect(await ledger.balanceOf('payelancer_receivable', 'USD')).toBe(0n);
    const again = await replaySource(backfill(ledger, ledgerBooks, 'run:again'), SOURCE, {
      from: '2026-03-29',
      to: '2026-03-31',
    });
    expect(again.corrections).toEqual([]);
    await ledger.close();
  });

  it('once a re-read is booked the books count from it: a later window of 03-31 alone books nothing, and 03-30 alone is no longer refused', async () => {
    const { ledger, ledgerBooks } = await ledgerWithThreeCloses();
    await rereadThirtiethAs(ledgerBooks, '45.00');
    await replaySource(backfill(ledger, ledgerBooks, 'run:backfill'), SOURCE, { from: '2026-03-29', to: '2026-03-31' });
    expect(
      (
        await replaySource(backfill(ledger, ledgerBooks, 'run:narrow'), SOURCE, {
          from: '2026-03-31',
          to: '2026-03-31',
        })
      ).corrections,
    ).toEqual([]);
    expect(
      (
        await replaySource(backfill(ledger, ledgerBooks, 'run:earlier'), SOURCE, {
          from: '2026-03-30',
          to: '2026-03-30',
        })
      ).corrections,
    ).toEqual([]);
    expect(await ledger.balanceOf('ad_revenue', 'USD')).toBe(-60_000_000n);
    expect(await ledger.balanceOf('payout_clearing_paypal', 'USD')).toBe(60_000_000n);
    await ledger.close();
  });

  it('refuses a window that stops before the latest close when a re-read changes an amount, and books nothing', async () => {
    const { ledger, ledgerBooks } = await ledgerWithThreeCloses();
    await rereadThirtiethAs(ledgerBooks, '45.00');
    const replay = replaySource(backfill(ledger, ledgerBooks, 'run:backfill'), SOURCE, {
      from: '2026-03-30',
      to: '2026-03-30',
    });
    await expect(replay).rejects.toThrow(UsageError);
    await expect(replay).rejects.toThrow(
      'ads-publisher: re-reading the stored replies changes amounts (the close of 2026-03-30 now reads 45.00, not 40.00), ' +
        'and the closes after 2026-03-30 counted from the old ones; run the backfill through the latest close (--to 2026-03-31)',
    );
    expect(await ledger.balanceOf('ad_revenue', 'USD')).toBe(-60_000_000n);
    expect(await ledger.balanceOf('ad_revenue', 'USD', { asOf: '2026-03-30' })).toBe(-30_000_000n);
    await ledger.close();
  });

  it('a dry run computes the corrections and books none', async () => {
    const { ledger, ledgerBooks } = await ledgerWithThreeCloses();
    await rereadThirtiethAs(ledgerBooks, '45.00');
    const planned = await replaySource(backfill(ledger, ledgerBooks, 'run:dry', true), SOURCE, {
      from: '2026-03-29',
      to: '2026-03-31',
    });
    expect(planned.corrections).toHaveLength(2);
    for (const entry of planned.corrections) expect(await ledger.hasEntry(entry.id)).toBe(false);
    expect(await ledger.balanceOf('ad_revenue', 'USD', { asOf: '2026-03-30' })).toBe(-30_000_000n);
    await ledger.close();
  });
});
