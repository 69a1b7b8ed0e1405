import { seededRandom } from '../../sandbox/seeded-random.js';
import { addDays } from '../../src/calendar/index.js';
import type { LandedBankLine, TransitItem } from '../../src/rules/index.js';

/** 150 items and 500 lines crowded on few amounts, days and two currencies, so lines compete for items. */
export function crowdedWorld(seed: number): { items: TransitItem[]; lines: LandedBankLine[] } {
  const seeded = seededRandom(seed);
  const random = () => seeded.next();
  const pick = <T>(choices: readonly T[]): T => seeded.pick(choices);
  const day = () => addDays('2026-11-01', Math.floor(random() * 30));
  const amount = () =>
    BigInt(pick([50, 60, 75, 80, 100])) * 1_000_000n - BigInt(pick([0, 0, 0, 2_500_000, 30_000_000]));
  const items: TransitItem[] = Array.from({ length: 150 }, (_, n) => {
    const kind = random() < 0.7 ? 'payout' : 'topup';
    return {
      id: `src:${kind}:${String(n).padStart(3, '0')}`,
      kind,
      eventKind: kind === 'payout' ? 'payout_wire' : 'panel_topup',
      sourceId: 'src',
      amountMicros: amount(),
      currency: pick(['EUR', 'EUR', 'USD']),
      reportedOn: day(),
      cleared: true,
    };
  });
  const lines: LandedBankLine[] = Array.from({ length: 500 }, (_, n) => {
    const named = random() < 0.4 ? pick(items).id.toUpperCase() : 'SEPA';
    return {
      account: 'main',
      lineId: `L${String(n).padStart(3, '0')}`,
      bookedOn: day(),
      amountMicros: (random() < 0.7 ? 1n : -1n) * amount(),
      currency: pick(['EUR', 'USD']),
      reference: `ref ${named}`,
      description: 'bank',
      statementSha256: 'f00d',
    };
  });
  // And a fee withheld from some: a line naming the item, 2.50 short, a day later.
  const short = items.slice(0, 40).map((item, n): LandedBankLine => ({
    account: 'main',
    lineId: `S${String(n).padStart(3, '0')}`,
    bookedOn: addDays(item.reportedOn, 1),
    amountMicros: (item.kind === 'payout' ? 1n : -1n) * (item.amountMicros - 2_500_000n),
    currency: item.currency,
    reference: 'fee withheld',
    description: `for ${item.id}`,
    statementSha256: 'f00d',
  }));
  return { items, lines: [...lines, ...short] };
}
