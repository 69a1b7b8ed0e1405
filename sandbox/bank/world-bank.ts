import { addDays, lastDayOfMonth } from '../../src/calendar/index.js';
import { parseMicros } from '../../src/money/index.js';
import type { World } from '../sandbox-world.js';
import { mixSeed, seededRandom } from '../seeded-random.js';
import type { SandboxBankLine, SandboxStatement } from './statement-writers.js';

/** The sandbox bank's account: the business's operating account, in the panel's currency. */
export const SANDBOX_BANK_ACCOUNT = 'GB33BUKB20201555555555';
/** What the bank withholds from some payouts, and the minimum the ad network pays at a month's end (as `init` writes `payouts:`). */
export const SANDBOX_PAYOUT_FEE_MICROS = 2_500_000n;
const PAYOUT_MINIMUM_MICROS = 50_000_000n;
/** The payout that never arrives (the third paid): every state of the money in transit shows over three months. */
const LOST_PAYOUT = 2;

/**
 * The words the bank writes, which matching reads: `PAYPAL TRANSFER PAYELANCER 4421`, `CARD 4411 SMMPANEL`,
 * `CARD FEE 4411 SMMPANEL`, and the advertiser's card top-up at the ad network `CARD 4411 PAYELANCER ADS`.
 */
export const sandboxBankWords = {
  payout: (transfer: string) => `PAYPAL TRANSFER PAYELANCER ${transfer}`,
  topUp: (card: string) => `CARD ${card} SMMPANEL`,
  cardFee: (card: string) => `CARD FEE ${card} SMMPANEL`,
  advertiserTopUp: (card: string) => `CARD ${card} PAYELANCER ADS`,
};

/** What the advertiser's balance at the ad network holds after the world's first day: the opening its first close takes. */
export const SANDBOX_ADVERTISER_OPENING_MICROS = 25_000_000n;
/** The advertiser's usual top-up (the network takes top-ups from 25.00, in steps of it). */
const ADVERTISER_TOP_UP_MICROS = 50_000_000n;
const ADVERTISER_TOP_UP_STEP_MICROS = 25_000_000n;

/**
 * The world's bank statement for the days `from` to `to`, as a bank writes it: its own line ids, the ad network's
 * month-end payouts arriving 1–5 business days after they were sent (every third from the first 2.50 short by the
 * bank's fee, the third never), each panel top-up as a card debit the next business day (every second with a 3 %
 * card fee, inside the debit or on a line of its own, in turn), the office rent on each month's first business day and the account fee on its last, and the
 * balances before and after. Deterministic from the world's seed. A payout is what the publisher earned after
 * the world's first day, less what was paid, once it reaches 50.00 (month-end, 50.00 minimum: what a ledger
 * synced from the first day books). Example, seed 7: payout of 2026-03-31 → line on 2026-04-02,
 * "PAYPAL TRANSFER PAYELANCER 4421", 2.50 short.
 */
export function worldBankStatement(
  world: World,
  from: string,
  to: string,
  options: { advertiserTopUps: boolean } = { advertiserTopUps: false },
): SandboxStatement {
  const currency = world.source.panel.currency;
  const random = seededRandom(mixSeed(world.source.seed, 'bank'));
  const card = String(random.int(1000, 9999));
  const lines = withBankIds(
    [
      ...payoutLines(world, to, currency),
      ...topUpLines(world, to, currency, card),
      ...householdLines(world.start, to, currency),
    ].filter((line) => line.bookedOn <= to),
    options.advertiserTopUps ? advertiserTopUpLines(world, to, currency, card) : [],
  );
  const sum = (of: readonly SandboxBankLine[]) => of.reduce((total, line) => total + line.amountMicros, 0n);
  const openingMicros = BigInt(random.int(40, 60)) * 100_000_000n + sum(lines.filter((line) => line.bookedOn < from));
  const within = lines.filter((line) => line.bookedOn >= from);
  return {
    account: SANDBOX_BANK_ACCOUNT,
    currency,
    from,
    to,
    lines: within,
    balances: { openingMicros, closingMicros: openingMicros + sum(within) },
  };
}

/** Each month-end payout the network sent after the world's first day, up to `to`, as the bank books it (or not). */
function payoutLines(world: World, to: string, currency: string): SandboxBankLine[] {
  const lines: SandboxBankLine[] = [];
  const baseline = world.stateOn(world.start).payelancer.publisher.amount;
  let paid = 0n;
  let index = 0;
  for (let monthEnd = monthEndOf(world.start); monthEnd < to; monthEnd = monthEndOf(addDays(monthEnd, 1))) {
    if (monthEnd === world.start) continue;
    const owed = world.stateOn(monthEnd).payelancer.publisher.amount - baseline - paid;
    if (owed < PAYOUT_MINIMUM_MICROS) continue;
    paid += owed;
    const random = seededRandom(mixSeed(world.source.seed, 'payout', monthEnd));
    const arrives = addBusinessDays(monthEnd, random.int(1, 5));
    const short = index % 3 === 0 ? SANDBOX_PAYOUT_FEE_MICROS : 0n;
    if (index !== LOST_PAYOUT)
      lines.push(
        bankLine(
          arrives,
          owed - short,
          currency,
          sandboxBankWords.payout(String(random.int(1000, 9999))),
          'CREDIT TRANSFER',
        ),
      );
    index += 1;
  }
  return lines;
}

/**
 * Each panel top-up up to `to` as the card debit the next business day, every second with a 3 % card fee: the
 * first of those with the fee inside the card line (the debit is more than the top-up: the item `differs`), the
 * next with the fee on a line of its own (the debit matches; the fee line is no item's). Example, seed 7: top-up
 * of 48.00 on 03-17 → CARD … SMMPANEL −49.44 on 03-18; of 89.00 on 03-23 → −89.00 and CARD FEE … −2.67 on 03-24.
 */
function topUpLines(world: World, to: string, currency: string, card: string): SandboxBankLine[] {
  return world.stateOn(to).panel.topUps.flatMap((topUp, index) => {
    const on = addBusinessDays(topUp.on, 1);
    const feeMicros = index % 2 === 0 ? 0n : ((topUp.amount * 3n) / 100n / 10_000n) * 10_000n;
    const feeInside = index % 4 === 1;
    const debit = bankLine(
      on,
      -topUp.amount - (feeInside ? feeMicros : 0n),
      currency,
      sandboxBankWords.topUp(card),
      'CARD PAYMENT',
    );
    return feeMicros === 0n || feeInside
      ? [debit]
      : [debit, bankLine(on, -feeMicros, currency, sandboxBankWords.cardFee(card), 'CARD FEE')];
  });
}

/**
 * The advertiser's card top-ups at the ad network, each debited the business day it is made: on a business day whose
 * balance would not cover the spend until the next business day, 50.00 (or more, in steps of 25.00, when that spend
 * is larger), so the balance (25.00 after the first day, less each day's spend) never goes below zero. Example, seed
 * 1: 25.00 on 03-01, 3.75 spent a day → a top-up of 50.00 on Friday 03-06, whose 13.00 left would not last the weekend.
 */
function advertiserTopUpLines(world: World, to: string, currency: string, card: string): SandboxBankLine[] {
  const lines: SandboxBankLine[] = [];
  // Each day's counter read once, in order: a world's day is costly to simulate and it keeps few at a time.
  const spent = new Map<string, bigint>();
  const spentThrough = (day: string) => {
    if (!spent.has(day)) spent.set(day, world.stateOn(day).payelancer.advertiser.amount);
    return spent.get(day)!;
  };
  const spentOn = (day: string) => spentThrough(day) - spentThrough(addDays(day, -1));
  let balance = SANDBOX_ADVERTISER_OPENING_MICROS;
  for (let day = addDays(world.start, 1); day <= to; day = addDays(day, 1)) {
    if (isBusinessDay(day)) {
      let ahead = 0n;
      for (let next = day; next === day || !isBusinessDay(next); next = addDays(next, 1)) ahead += spentOn(next);
      if (balance < ahead) {
        const short = ahead - balance;
        const steps = (short + ADVERTISER_TOP_UP_STEP_MICROS - 1n) / ADVERTISER_TOP_UP_STEP_MICROS;
        const topUp = maxMicros(ADVERTISER_TOP_UP_MICROS, steps * ADVERTISER_TOP_UP_STEP_MICROS);
        balance += topUp;
        lines.push(bankLine(day, -topUp, currency, sandboxBankWords.advertiserTopUp(card), 'CARD PAYMENT'));
      }
    }
    balance -= spentOn(day);
  }
  return lines;
}

function maxMicros(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** The lines no payout or top-up explains: the rent on each month's first business day, the account fee on its last. */
function householdLines(start: string, to: string, currency: string): SandboxBankLine[] {
  const lines: SandboxBankLine[] = [];
  for (let first = `${start.slice(0, 7)}-01`; first <= to; first = addDays(monthEndOf(first), 1)) {
    const rentDay = addBusinessDays(addDays(first, -1), 1);
    if (rentDay >= start)
      lines.push(bankLine(rentDay, parseMicros('-1450.00'), currency, 'STANDING ORDER OFFICE RENT', 'STANDING ORDER'));
    const feeDay = addBusinessDays(addDays(monthEndOf(first), 1), -1);
    lines.push(bankLine(feeDay, parseMicros('-9.00'), currency, 'ACCOUNT MAINTENANCE FEE', 'BANK CHARGES'));
  }
  return lines;
}

function bankLine(
  bookedOn: string,
  amountMicros: bigint,
  currency: string,
  reference: string,
  description: string,
): SandboxBankLine {
  return { id: '', bookedOn, amountMicros, currency, reference, description };
}

/**
 * The lines in the bank's order (day, text, amount), each with the bank's own id: its day and its place in the day
 * ("SBK20260402-003"). The `later` lines (the advertiser's top-ups, added to the sandbox after the others) take the
 * places after each day's others, so the others keep their ids.
 */
function withBankIds(lines: readonly SandboxBankLine[], later: readonly SandboxBankLine[]): SandboxBankLine[] {
  const sorted = [...lines].sort(bankOrder);
  const placed = sorted.map((line, index) => {
    const place = index - sorted.findIndex((other) => other.bookedOn === line.bookedOn) + 1;
    return { ...line, id: bankLineId(line.bookedOn, place) };
  });
  const after = [...later].sort(bankOrder).map((line, index, all) => {
    const before = sorted.filter((other) => other.bookedOn === line.bookedOn).length;
    const place = before + index - all.findIndex((other) => other.bookedOn === line.bookedOn) + 1;
    return { ...line, id: bankLineId(line.bookedOn, place) };
  });
  return [...placed, ...after].sort((a, b) => a.bookedOn.localeCompare(b.bookedOn) || a.id.localeCompare(b.id));
}

function bankOrder(a: SandboxBankLine, b: SandboxBankLine): number {
  return (
    a.bookedOn.localeCompare(b.bookedOn) ||
    a.reference.localeCompare(b.reference) ||
    (a.amountMicros < b.amountMicros ? -1 : a.amountMicros > b.amountMicros ? 1 : 0)
  );
}

function bankLineId(bookedOn: string, place: number): string {
  return `SBK${bookedOn.replace(/-/g, '')}-${String(place).padStart(3, '0')}`;
}

function monthEndOf(date: string): string {
  return lastDayOfMonth(Number(date.slice(0, 4)), Number(date.slice(5, 7)));
}

/** `days` business days (Monday to Friday) after `date`, or before it when negative. */
function addBusinessDays(date: string, days: number): string {
  let day = date;
  for (let left = Math.abs(days); left > 0;) {
    day = addDays(day, Math.sign(days));
    if (isBusinessDay(day)) left -= 1;
  }
  return day;
}

function isBusinessDay(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}
