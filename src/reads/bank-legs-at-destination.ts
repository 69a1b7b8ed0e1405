import type { DestinationClient, RemoteLine } from '../destinations/index.js';
import type { BankDocumentRequest } from '../ledger/index.js';
import { formatCents } from '../money/index.js';
import { cancelledBankLegs, numberedBankLeg, type RenderedEntry } from '../rules/index.js';
import type { TieOutItem } from './destination-tie-out.js';

/**
 * The bank legs a destination creating bank-side documents skipped, compared through those documents: each is
 * settled there by its item's BankTransaction or Transfer, so one whose item has no document recorded at that
 * destination moved money out of clearing here and not there. A later leg (je:bank-leg-again:<n>:<item>) and a
 * reversal (je:bank-leg-reversal:<n>:<item>) are the item's too, and a leg with its reversal moved nothing at all.
 * Example: payout P's line of +120.00 on 04-05 booked je:bank-leg:P; Xero holds P's BankTransaction → nothing;
 * none recorded for P → one item naming P, the line's day and 120.00. Top-up T's wrong leg je:bank-leg:T, its
 * reversal and je:bank-leg-again:2:T, with T's document recorded → nothing; without it → one item, for the again leg.
 */
export function undocumentedBankLegs(
  documented: ReadonlySet<string>,
  client: Pick<DestinationClient, 'kind' | 'name'>,
  legs: readonly RenderedEntry[],
): TieOutItem[] {
  const cancelled = cancelledBankLegs(legs.map((leg) => leg.id));
  return legs.flatMap((leg): TieOutItem[] => {
    if (cancelled.has(leg.id)) return [];
    // A bank leg's document is kept under its item's id; an adjustment's under the entry's own.
    const itemId = numberedBankLeg(leg.id)?.itemId ?? leg.id;
    if (documented.has(itemId)) return [];
    const currency = leg.lines[0]?.currency ?? '';
    const amount = formatCents(leg.lines.reduce((sum, line) => (line.cents > 0n ? sum + line.cents : sum), 0n));
    return [
      {
        kind: 'bank_leg_without_document',
        source: client.kind,
        date: leg.date,
        amount,
        currency,
        ref: leg.id,
        message:
          `${client.name} holds no bank-side document for ${itemId}, whose bank line of ${amount} ${currency} ` +
          `on ${leg.date} moved it out of clearing in the ledger (${leg.id}, never sent there, as its ` +
          `document would carry it): clearing there still holds it`,
      },
    ];
  });
}

/**
 * What the bank-side documents dated on or before `asOf` moved in their clearing accounts there, as the
 * destination names them: its trial balance holds them beside the journals. Example: payouts of 312.40 (10-14)
 * and 120.00 (10-30), each with its BankTransaction coded to 631 → on 10-31, two moves of −31240 and −12000 cents in 631.
 * The document of an adjusting entry among `entries` moved what the entry's lines off the bank did, its coded line's
 * tax on the VAT account (issue 82): a 9.00 bank charge at INPUT2, Dr bank_fees 7.50 / Dr vat_input 1.50 / Cr bank
 * 9.00 → +750 cents in 404 and +150 in 820, as Xero splits the Inclusive line.
 */
export function clearingMoves(
  client: Pick<DestinationClient, 'clearingMove' | 'bankLedgerAccounts'>,
  documents: readonly BankDocumentRequest[],
  asOf: string,
  entries: ReadonlyMap<string, RenderedEntry> = new Map(),
): RemoteLine[] {
  const move = client.clearingMove;
  if (move === undefined) return [];
  const bank = client.bankLedgerAccounts ?? new Set<string>();
  return documents
    .filter((document) => document.date <= asOf)
    .flatMap((document) => {
      const entry = entries.get(document.itemId);
      if (entry === undefined) return [move(document)];
      return entry.lines
        .filter((line) => !bank.has(line.account))
        .map((line) =>
          move({
            ...document,
            clearingAccount: line.account,
            kind: line.cents > 0n ? 'topup' : 'payout',
            amount: (line.cents > 0n ? line.cents : -line.cents) * MICROS_PER_CENT,
          }),
        );
    });
}

const MICROS_PER_CENT = 10_000n;
