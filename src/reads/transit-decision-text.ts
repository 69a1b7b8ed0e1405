import type { AdjustmentRecord } from '../ledger/index.js';
import { formatMicros } from '../money/index.js';
import type { Decision } from '../pipeline/transit/index.js';
import { TRANSIT_ENTRY_PREFIXES, type JournalEntry } from '../rules/index.js';

/**
 * What `transit accept` did, as pipeline/adjustments' acceptTransitItem returns it (named here by its shape: a read
 * model imports no write use case): nothing (accepted already), a match acknowledged, or a difference booked.
 */
type Acceptance =
  | { accepted: 'already' }
  | { accepted: 'match' }
  | { accepted: 'difference'; booked: AdjustmentRecord & { entry: JournalEntry }; bankLegsBooked: number };

/** What `transit match`/`unmatch --json` writes: the item, whether anything was recorded, its state and bank line, and what was booked. */
export function decisionJson(itemId: string, decision: Decision) {
  return {
    item: itemId,
    recorded: decision.recorded,
    state: decision.standing.state,
    bankLine: decisionBankLine(decision),
    bankLegsBooked: decision.bankLegsBooked,
    bankLegs: decision.bankLegIds ?? [],
    bankLegReversed: decision.bankLegReversed ?? null,
    lateDifferences: decision.lateDifferences ?? [],
  };
}

/** The bank line an item takes after a decision (`ACCOUNT:LINE`), or null when it holds none. */
function decisionBankLine(decision: Decision): string | null {
  const { match } = decision.standing;
  return match === null ? null : `${match.line.account}:${match.line.lineId}`;
}

/** What `transit match`/`unmatch` did, in one line: the CLI prints it, the console's bank-lines page shows it. */
export function decisionLine(verb: 'match' | 'unmatch', itemId: string, decision: Decision): string {
  const { state } = decision.standing;
  const line = decisionBankLine(decision);
  if (!decision.recorded)
    return verb === 'match'
      ? `${itemId} takes ${line} already; nothing recorded`
      : `${itemId} holds no bank line; nothing recorded`;
  const moved = legsBooked(itemId, decision.bankLegIds ?? []);
  const next =
    state === 'differs'
      ? `; its bank leg is not booked: it and the difference wait for you ("ledgerline transit accept ${itemId}")`
      : '';
  const reversed =
    decision.bankLegReversed === undefined
      ? ''
      : `; the bank leg of its earlier line reversed by ${decision.bankLegReversed}`;
  const booked = (decision.lateDifferences ?? []).map((said) => `\n${said}`).join('');
  return verb === 'match'
    ? `matched by hand: ${itemId} takes ${line} (${state})${reversed}${moved}${next}${booked}`
    : `unmatched: ${itemId} is ${state} now${line === null ? '' : `, with ${line}`}${reversed}${moved}${next}${booked}`;
}

/**
 * The bank legs a decision booked, by whose they are: the item's own (its line's amount out of clearing to the
 * bank), and those of other items that took a line its word let go. Example: T1 matched by hand to a differing
 * line, T2 then taking T1's former line by rule → "; the bank leg of another item booked: je:bank-leg:T2".
 */
function legsBooked(itemId: string, legIds: readonly string[]): string {
  const own = legIds.filter((id) => id.endsWith(`:${itemId}`));
  const others = legIds.filter((id) => !id.endsWith(`:${itemId}`));
  return (
    own.map((id) => `; its bank leg booked, the line's amount out of clearing to the bank: ${id}`).join('') +
    (others.length === 0
      ? ''
      : `; the bank leg${others.length === 1 ? '' : 's'} of ${others.length === 1 ? 'another item' : 'other items'} ` +
        `that took a line booked: ${others.join(', ')}`)
  );
}

/**
 * What `transit accept ID` did, a line each: accepted already, a match acknowledged, or a difference booked (its
 * entry's lines, its bank leg, and the approval it waits for).
 */
export function acceptanceLines(itemId: string, note: string | null, outcome: Acceptance): string[] {
  if (outcome.accepted === 'already') return [`${itemId} was accepted already; nothing more is booked`];
  if (outcome.accepted === 'match')
    return [`accepted: ${itemId}${note === null ? '' : ` (${note})`}; it closes once a bank line has settled it`];
  const { booked, bankLegsBooked } = outcome;
  const lines = booked.entry.lines.map(
    (line) =>
      `${line.amountMicros > 0n ? 'Dr' : 'Cr'} ${line.account} ` +
      `${formatMicros(line.amountMicros < 0n ? -line.amountMicros : line.amountMicros)} ${line.currency}`,
  );
  return [
    `accepted: ${itemId}, its difference booked as ${booked.entryId} dated ${booked.entry.date}: ${lines.join(', ')}`,
    ...(bankLegsBooked > 0
      ? [`what its bank line moved left clearing for the bank: ${TRANSIT_ENTRY_PREFIXES.bankLeg}${itemId}`]
      : []),
    ...(booked.needsApproval
      ? [`it waits for a second person's approval before it is posted: ledgerline adjust approve ${booked.entryId}`]
      : []),
  ];
}
