import { addDays } from '../../calendar/index.js';
import { UsageError } from '../../errors.js';
import { formatMicros } from '../../money/index.js';
import type { StagedSource } from '../../pipeline/runs/index.js';
import type { CounterRole } from '../../rules/index.js';
import type { PayelancerSourceConfig } from './payelancer-config.js';
import { ADVERTISER_OPENING_EQUITY } from './rules/payelancer-accounts.js';
import type { AdvertiserHeld } from './rules/advertiser-balance.js';

type Reads = Parameters<NonNullable<StagedSource<unknown, unknown, unknown>['lookup']>>[0];

/**
 * What an advertiser's close reads for its balance: the opening its books hold (the opening equity over the source's
 * entries) and the bank's lines after its first close through `date`. Refused, in one line naming the source: an
 * `advertiser:` on a key that reports the publisher counter, and an opening that is not the one the books hold (an
 * opening is booked once, with the first close). Example: opening "25.00", first close 03-01, close of 04-02 → the
 * books hold 25.00 (ties), lines of 03-02 to 04-02 read.
 */
export async function advertiserHeld(
  reads: Reads,
  source: PayelancerSourceConfig,
  close: { date: string; currency: string; role: CounterRole; previous: unknown },
): Promise<AdvertiserHeld | undefined> {
  const advertiser = source.advertiser;
  if (advertiser === undefined) return undefined;
  if (close.role !== 'advertiser')
    throw new UsageError(
      `source ${source.id}: advertiser.opening is set but its key reports the ${close.role} counter; ` +
        "an opening and top-ups belong to an advertiser's balance: remove advertiser: from this source",
    );
  // No previous close: this is the first (a replay of it too), which books the opening.
  const firstClose = close.previous === undefined ? undefined : await reads.firstClose(source.id);
  if (firstClose === undefined) return { openingMicros: 0n, firstClose, lines: [] };
  const scope = { sourceId: source.id, asOf: close.date };
  const openingMicros = -(await reads.balanceOf(ADVERTISER_OPENING_EQUITY, close.currency, scope));
  if (openingMicros !== advertiser.openingMicros)
    throw new UsageError(
      `source ${source.id}: advertiser.opening says ${formatMicros(advertiser.openingMicros)} ${close.currency}, ` +
        `the books hold ${formatMicros(openingMicros)} from its first close (${firstClose}); an opening is booked ` +
        `once, with the first close: write opening: "${formatMicros(openingMicros)}" (book a difference with ` +
        '"ledgerline adjust" on that day)',
    );
  const lines = await reads.bankLinesWithin({ from: addDays(firstClose, 1), to: close.date });
  return { openingMicros, firstClose, lines };
}
