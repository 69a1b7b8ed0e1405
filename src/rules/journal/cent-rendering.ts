import { cumulativeCents } from '../../money/index.js';
import { ROUNDING_ACCOUNT } from '../vocabulary.js';
import type { JournalLine } from './journal-entry.js';
import type { RenderedLine } from './rendered-entry.js';

export type RunningTotalKey = string;

/**
 * One running total's key: the source and account each prefixed with their length, then the currency, so that no
 * two (source, account, currency) share a key ("ads", "fees" → "3:ads4:feesUSD"). Built for every line an append
 * books, where JSON.stringify of the three cost a tenth of the append's JavaScript.
 */
export function runningTotalKey(sourceId: string, account: string, currency: string): RunningTotalKey {
  return `${sourceId.length}:${sourceId}${account.length}:${account}${currency}`;
}

/**
 * One entry's cents: each exact line's, in the order of the lines (0 for a line that rounds away), and the
 * rounding lines rendered after them. Its rendered lines are the lines of non-zero cents, then the rounding
 * lines (renderedLinesOf); the ledger stores each line's cents with the line and only the rounding lines apart.
 */
export interface EntryCents {
  lineCents: bigint[];
  roundingLines: RenderedLine[];
}

/** Micro-units in a cent. */
const MICROS_PER_CENT = 10_000n;
/**
 * How far a reclassification's paired line may leave its account's rendered cents from its exact total: a cent and a
 * half, the most two accounts each within half a cent and the moved amount's own half cent add up to. Past it the
 * line renders from its own total.
 */
const PAIRED_DRIFT_MICROS = 15_000n;

/**
 * How the cents of an entry are rendered beyond the exact totals. `drift` holds, per running total key, the cents
 * rendered so far less round(exact total), for a total a reclassification left off it (0, or absent, otherwise); it
 * is advanced in place. `reclassification` (an entry booked with that flag, migration 0040) pairs its lines.
 */
export interface CentsRendering {
  drift?: Map<RunningTotalKey, bigint>;
  reclassification?: boolean | undefined;
}

/**
 * Renders one entry's exact lines to cents, cumulatively per source, account
 * and currency: a line's cents are round(total after it) − the cents rendered
 * before it, half-even (round(total before it), unless a reclassification left
 * the total off by its drift). Example: three days that each book 0.004 of
 * expense render 0.00, 0.01 and 0.00, and the matching credits −0.00, −0.01,
 * −0.00; when an entry's cents do not sum to zero, the difference goes to
 * `rounding` (onto the entry's own first non-zero rounding line in that
 * currency, else a line after the others), so every rendered entry balances
 * and the cents posted ever stay within half a cent per account of the exact
 * books. The rounding account's own exact lines render round(after) − round(before).
 *
 * A reclassification (rendering.reclassification: a replay's correction moving amounts between accounts) pairs each
 * line with the next one of the opposite exact amount in its currency: the second renders minus the first's cents,
 * so a destination mapping both accounts to one account and code receives lines that net to nothing. Example: 0.04551
 * USD moved from smm_services_expense (exact total −0.001, 0.00 rendered) to smm_order_costs (0) renders Cr
 * smm_order_costs 0.05, Dr smm_services_expense 0.05 and no rounding line (its own total alone gives Dr 0.04 and a
 * rounding line of 0.01): the expense's cents stand at 0.05 for an exact 0.04451, a drift of +0.01; its next line of 0.01 renders round(0.05451) −
 * 0.05 = 0.00 and its drift is gone. A pair renders so only while the second account stays within a cent and a
 * half of its exact total (PAIRED_DRIFT_MICROS); every later line brings its total back within half a cent.
 *
 * `totals` holds the exact totals before this entry and is advanced in place. `keys`, when given, are the lines'
 * running total keys (runningTotalKey), built once by a caller that needs them again (the append).
 */
export function renderEntryCents(
  sourceId: string,
  lines: readonly JournalLine[],
  totals: Map<RunningTotalKey, bigint>,
  keys?: readonly RunningTotalKey[],
  rendering: CentsRendering = {},
): EntryCents {
  const lineCents: bigint[] = [];
  const drift = rendering.drift ?? new Map<RunningTotalKey, bigint>();
  const pairs = rendering.reclassification === true ? reclassifiedPairs(lines) : undefined;
  // Each currency's net cents, currencies in the order the lines first name them: an entry names one or two, so two short arrays, not a Map an entry.
  const currencies: string[] = [];
  const netCents: bigint[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const key = keys?.[index] ?? runningTotalKey(sourceId, line.account, line.currency);
    const before = totals.get(key) ?? 0n;
    const after = before + line.amountMicros;
    totals.set(key, after);
    let cents = cumulativeCents(before, line.amountMicros);
    if (line.account !== ROUNDING_ACCOUNT && (drift.size > 0 || pairs?.[index] !== undefined)) {
      const renderedBefore = cumulativeCents(0n, before) + (drift.get(key) ?? 0n);
      const paired = pairs?.[index];
      const renderedPaired = paired === undefined ? undefined : renderedBefore - lineCents[paired]!;
      if (renderedPaired !== undefined && abs(renderedPaired * MICROS_PER_CENT - after) <= PAIRED_DRIFT_MICROS) {
        cents = renderedPaired - renderedBefore;
        setDrift(drift, key, renderedPaired - cumulativeCents(0n, after));
      } else {
        cents = cumulativeCents(0n, after) - renderedBefore;
        drift.delete(key);
      }
    }
    const currency = currencies.indexOf(line.currency);
    if (currency === -1) {
      currencies.push(line.currency);
      netCents.push(cents);
    } else netCents[currency]! += cents;
    lineCents.push(cents);
  }
  const roundingLines: RenderedLine[] = [];
  currencies.forEach((currency, index) => {
    const net = netCents[index]!;
    if (net === 0n) return;
    const own = lines.findIndex(
      (line, lineIndex) =>
        line.account === ROUNDING_ACCOUNT && line.currency === currency && lineCents[lineIndex] !== 0n,
    );
    if (own === -1)
      roundingLines.push({ account: ROUNDING_ACCOUNT, currency, cents: -net, description: 'Cent rounding' });
    else lineCents[own]! -= net;
  });
  return { lineCents, roundingLines };
}

/**
 * For each line of a reclassification, the earlier line it pairs with: the first unpaired one before it of the opposite
 * exact amount in its currency, neither on the rounding account. Example: [Cr a 0.04551, Dr b 0.04551, Dr c 1.00] →
 * [undefined, 0, undefined].
 */
function reclassifiedPairs(lines: readonly JournalLine[]): (number | undefined)[] {
  const pairs: (number | undefined)[] = lines.map(() => undefined);
  const taken = new Set<number>();
  lines.forEach((line, index) => {
    if (line.account === ROUNDING_ACCOUNT || line.amountMicros === 0n) return;
    const first = lines.findIndex(
      (earlier, earlierIndex) =>
        earlierIndex < index &&
        !taken.has(earlierIndex) &&
        earlier.account !== ROUNDING_ACCOUNT &&
        earlier.currency === line.currency &&
        earlier.amountMicros === -line.amountMicros,
    );
    if (first === -1) return;
    taken.add(first).add(index);
    pairs[index] = first;
  });
  return pairs;
}

function setDrift(drift: Map<RunningTotalKey, bigint>, key: RunningTotalKey, cents: bigint): void {
  if (cents === 0n) drift.delete(key);
  else drift.set(key, cents);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/**
 * An entry's rendered lines from its cents (see EntryCents): each exact line of non-zero cents, in order, with its tax
 * treatment when it has one (what a dry run shows it would book), then the rounding lines.
 */
export function renderedLinesOf(
  lines: readonly JournalLine[],
  { lineCents, roundingLines }: EntryCents,
): RenderedLine[] {
  const rendered: RenderedLine[] = [];
  lines.forEach((line, index) => {
    const cents = lineCents[index]!;
    if (cents === 0n) return;
    rendered.push({
      account: line.account,
      currency: line.currency,
      cents,
      ...(line.description === undefined ? {} : { description: line.description }),
      ...(line.tax === undefined ? {} : { tax: line.tax }),
    });
  });
  rendered.push(...roundingLines);
  return rendered;
}

/**
 * The cents a running total holds apart from its rounded exact total, left by a reclassification's paired rendering
 * (renderEntryCents) until the account's next line takes them back: 0.04551 held at 0.05 → 0.00 apart; at 0.04 →
 * −0.01. The rounding account's lines are never held apart (0).
 */
export function centsApart(account: string, exactMicros: bigint, cents: bigint): bigint {
  return account === ROUNDING_ACCOUNT ? 0n : cents - cumulativeCents(0n, exactMicros);
}

/** Renders one entry's exact lines to the cents destinations receive (see renderEntryCents). */
export function renderCents(
  sourceId: string,
  lines: readonly JournalLine[],
  totals: Map<RunningTotalKey, bigint>,
  rendering: CentsRendering = {},
): RenderedLine[] {
  return renderedLinesOf(lines, renderEntryCents(sourceId, lines, totals, undefined, rendering));
}

/** What the entries of one append move a running total by: its exact net, and its debits and credits exact and in cents. */
export interface RunningTotalMovement {
  sourceId: string;
  account: string;
  currency: string;
  exactMicros: bigint;
  debitMicros: bigint;
  creditMicros: bigint;
  debitCents: bigint;
  creditCents: bigint;
}

/**
 * Adds one entry's exact lines and the cents they rendered to (renderEntryCents) to the movements of its
 * source's running totals. Example: expense +1.234567 and prepaid −1.234567, rendered +1.23 and −1.23, move
 * expense by a debit of 1.234567 (123 cents) and prepaid by a credit of 1.234567 (123 cents); a rounding line
 * of −0.01 moves the source's rounding total by a credit of 1 cent and nothing exact. `keys` as renderEntryCents'.
 */
export function addMovements(
  movements: Map<RunningTotalKey, RunningTotalMovement>,
  sourceId: string,
  lines: readonly JournalLine[],
  cents: EntryCents,
  keys?: readonly RunningTotalKey[],
): void {
  lines.forEach((line, index) => {
    const key = keys?.[index] ?? runningTotalKey(sourceId, line.account, line.currency);
    const movement = movementOf(movements, key, sourceId, line.account, line.currency);
    movement.exactMicros += line.amountMicros;
    if (line.amountMicros > 0n) movement.debitMicros += line.amountMicros;
    else movement.creditMicros -= line.amountMicros;
    addCents(movement, cents.lineCents[index]!);
  });
  for (const line of cents.roundingLines)
    addCents(
      movementOf(
        movements,
        runningTotalKey(sourceId, line.account, line.currency),
        sourceId,
        line.account,
        line.currency,
      ),
      line.cents,
    );
}

function movementOf(
  movements: Map<RunningTotalKey, RunningTotalMovement>,
  key: RunningTotalKey,
  sourceId: string,
  account: string,
  currency: string,
): RunningTotalMovement {
  let movement = movements.get(key);
  if (movement === undefined) {
    movement = {
      sourceId,
      account,
      currency,
      exactMicros: 0n,
      debitMicros: 0n,
      creditMicros: 0n,
      debitCents: 0n,
      creditCents: 0n,
    };
    movements.set(key, movement);
  }
  return movement;
}

function addCents(movement: RunningTotalMovement, cents: bigint): void {
  if (cents > 0n) movement.debitCents += cents;
  else movement.creditCents -= cents;
}

/** One running total and the cents its lines rendered to, all together. */
interface RenderedTotal {
  sourceId: string;
  account: string;
  currency: string;
  exactMicros: bigint;
  cents: bigint;
}

/**
 * The cents all the lines of each running total rendered to, without reading the lines: each line renders
 * round(after) − round(before), so a total's lines sum to round(total), half-even; and each rendered entry
 * balances through `rounding`, so a source's rounding in a currency is minus the cents of its other accounts.
 * Example: a panel's expense totals 0.005 and its fees 0.005, its prepaid −0.010 → 0.00, 0.00 and −0.01,
 * and rounding +0.01 (with an exact total of 0, as the rounding account has no exact lines of its own).
 * The rounding rows come last, one per source and currency. A total given with its `cents` (as the ledger holds them)
 * keeps those: a reclassification may have left them a cent or so apart from round(total) (renderEntryCents).
 */
export function renderedTotals(
  totals: readonly { sourceId: string; account: string; currency: string; exactMicros: bigint; cents?: bigint }[],
): RenderedTotal[] {
  const rendered: RenderedTotal[] = [];
  const roundingBy = new Map<string, RenderedTotal>();
  const roundingOf = (sourceId: string, currency: string, exactMicros = 0n): RenderedTotal => {
    const key = JSON.stringify([sourceId, currency]);
    let rounding = roundingBy.get(key);
    if (rounding === undefined) {
      rounding = { sourceId, account: ROUNDING_ACCOUNT, currency, exactMicros, cents: 0n };
      roundingBy.set(key, rounding);
    }
    return rounding;
  };
  for (const total of totals) {
    if (total.account === ROUNDING_ACCOUNT) {
      roundingOf(total.sourceId, total.currency).exactMicros += total.exactMicros;
      continue;
    }
    const { sourceId, account, currency, exactMicros } = total;
    const cents = total.cents ?? cumulativeCents(0n, exactMicros);
    rendered.push({ sourceId, account, currency, exactMicros, cents });
    roundingOf(total.sourceId, total.currency).cents -= cents;
  }
  return [...rendered, ...roundingBy.values()].filter((total) => total.exactMicros !== 0n || total.cents !== 0n);
}
