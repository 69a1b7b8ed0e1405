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

/**
 * Renders one entry's exact lines to cents, cumulatively per source, account
 * and currency: a line's cents are round(total after it) − round(total before
 * it), half-even. Example: three days that each book 0.004 of expense render
 * 0.00, 0.01 and 0.00, and the matching credits −0.00, −0.01, −0.00; when an
 * entry's cents do not sum to zero, the difference goes to `rounding` (onto the
 * entry's own first non-zero rounding line in that currency, else a line after
 * the others), so every rendered entry balances and the cents posted ever stay
 * within half a cent per account of the exact books.
 *
 * `totals` holds the exact totals before this entry and is advanced in place. `keys`, when given, are the lines'
 * running total keys (runningTotalKey), built once by a caller that needs them again (the append).
 */
export function renderEntryCents(
  sourceId: string,
  lines: readonly JournalLine[],
  totals: Map<RunningTotalKey, bigint>,
  keys?: readonly RunningTotalKey[],
): EntryCents {
  const lineCents: bigint[] = [];
  // Each currency's net cents, currencies in the order the lines first name them: an entry names one or two, so two short arrays, not a Map an entry.
  const currencies: string[] = [];
  const netCents: bigint[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const key = keys?.[index] ?? runningTotalKey(sourceId, line.account, line.currency);
    const before = totals.get(key) ?? 0n;
    totals.set(key, before + line.amountMicros);
    const cents = cumulativeCents(before, line.amountMicros);
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

/** An entry's rendered lines from its cents (see EntryCents): each exact line of non-zero cents, in order, then the rounding lines. */
export function renderedLinesOf(
  lines: readonly JournalLine[],
  { lineCents, roundingLines }: EntryCents,
): RenderedLine[] {
  const rendered: RenderedLine[] = [];
  lines.forEach((line, index) => {
    const cents = lineCents[index]!;
    if (cents === 0n) return;
    rendered.push(
      line.description === undefined
        ? { account: line.account, currency: line.currency, cents }
        : { account: line.account, currency: line.currency, cents, description: line.description },
    );
  });
  rendered.push(...roundingLines);
  return rendered;
}

/** Renders one entry's exact lines to the cents destinations receive (see renderEntryCents). */
export function renderCents(
  sourceId: string,
  lines: readonly JournalLine[],
  totals: Map<RunningTotalKey, bigint>,
): RenderedLine[] {
  return renderedLinesOf(lines, renderEntryCents(sourceId, lines, totals));
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
 * The rounding rows come last, one per source and currency.
 */
export function renderedTotals(
  totals: readonly { sourceId: string; account: string; currency: string; exactMicros: bigint }[],
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
    const cents = cumulativeCents(0n, total.exactMicros);
    rendered.push({ ...total, cents });
    roundingOf(total.sourceId, total.currency).cents -= cents;
  }
  return [...rendered, ...roundingBy.values()].filter((total) => total.exactMicros !== 0n || total.cents !== 0n);
}
