import { formatMicros } from '../../../money/index.js';
import type { LandedBankLine, SourceEvent } from '../../../rules/index.js';

/** The opening's event kind: Dr payelancer_prepaid / Cr opening_balance_equity (payelancer-vocabulary.ts). */
export const ADVERTISER_OPENING_KIND = 'advertiser_opening_balance';
/** A top-up's event kind: Dr payelancer_prepaid / Cr topup_clearing, followed to its bank line (`transit: topup`). */
export const ADVERTISER_TOPUP_KIND = 'advertiser_topup';

/** What an advertiser's close read of the books: the opening they hold, and the bank's lines since its first close. */
export interface AdvertiserHeld {
  openingMicros: bigint;
  /** Undefined at the first close: its opening is booked with it. */
  firstClose: string | undefined;
  /** The landed bank lines after the first close through this close's day (none at the first). */
  lines: readonly LandedBankLine[];
}

/** The id of an advertiser source's one opening: booked once, whatever close or replay derives it again. */
export function advertiserOpeningId(sourceId: string): string {
  return `payelancer:${sourceId}:${ADVERTISER_OPENING_KIND}`;
}

/**
 * What an advertiser's close books of its balance: at the first close the configured opening (none of 0.00), dated
 * that close's day; then each money-out line in the close's currency the top-up words recognise, on its own day, one
 * event per line (its id names the line, so a later close or a replay reading the line again books nothing new).
 * Example: opening 25.00, first close 03-01; line main-bank:SBK20260305-001 −50.00 "CARD 8345 PAYELANCER ADS" →
 * advertiser_topup 50.00 dated 03-05, id payelancer:ads-advertiser:advertiser_topup:main-bank:SBK20260305-001.
 */
export function advertiserBalanceEvents(input: {
  sourceId: string;
  date: string;
  currency: string;
  opening: { micros: bigint; words: string };
  held: AdvertiserHeld;
}): SourceEvent[] {
  const { sourceId, date, currency, opening, held } = input;
  const events: SourceEvent[] = [];
  if (held.firstClose === undefined && opening.micros > 0n)
    events.push({
      id: advertiserOpeningId(sourceId),
      sourceId,
      kind: ADVERTISER_OPENING_KIND,
      date,
      currency,
      amountMicros: opening.micros,
      ref: `opening:${date}`,
      detail: { opening: formatMicros(opening.micros) },
    });
  const words = new RegExp(opening.words, 'i');
  for (const line of held.lines) {
    if (line.amountMicros >= 0n || line.currency !== currency) continue;
    if (!words.test(`${line.reference} ${line.description}`)) continue;
    const key = `${line.account}:${line.lineId}`;
    events.push({
      id: `payelancer:${sourceId}:${ADVERTISER_TOPUP_KIND}:${key}`,
      sourceId,
      kind: ADVERTISER_TOPUP_KIND,
      date: line.bookedOn,
      currency,
      amountMicros: -line.amountMicros,
      ref: key,
      detail: { bankLine: key, reference: line.reference },
    });
  }
  return events;
}
