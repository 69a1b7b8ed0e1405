import {
  deliveredConversion,
  type DestinationCallCounts,
  type DestinationClient,
  type RemoteLine,
} from '../destinations/index.js';
import { isBankSideEntry, type RenderedEntry } from '../rules/index.js';
import { clearingMoves, undocumentedBankLegs } from './bank-legs-at-destination.js';
import { formatCents } from '../money/index.js';
import type { LedgerReads } from './books/ledger-reads.js';
import type { ClosedPeriod } from '../ledger/index.js';
import { certifiedChanges, certifiedPeriods } from './certified-periods.js';
import { chainWitnessChanges } from './chain-witnesses.js';
import { taxTieOut, type TaxTieOut } from './tax-tie-out.js';
import type { CoreItemKind } from './item-titles.js';
import { wordsOn, type ItemAcknowledgement, type ReconcileItem } from './reconcile-report.js';

/** What the tie-out finds: the core item kinds (item-titles, which words them) but the pipeline's own three. */
type TieOutKind = Exclude<CoreItemKind, 'quarantined_reply' | 'close_after_today' | 'refused_entry'>;

/** One line of a changed journal: what ledgerline sent and what the destination holds now, per account there. */
interface LineDifference {
  account: string;
  /** Signed decimal text, debit positive; "0.00" when the account is missing on that side. */
  sent: string;
  found: string;
}

/**
 * One difference between the ledger and a destination, in the shape of
 * reconcile's items (kind, source, date, amount, currency, ref, message) with
 * what each kind needs beside it.
 */
export interface TieOutItem {
  /**
   * What `reconcile ack ID --with <destination>` names it by (issue 82), set by tieOut: the destination, the kind and
   * the ref, e.g. "with:xero:bank_leg_without_document:je:bank-leg:P"; a person's word on it is kept as on any item.
   */
  id?: string;
  /** Set by tieOut once a person's latest word on the item is an ack: who, when, and the latest note. */
  acknowledged?: ItemAcknowledgement;
  /** Set by tieOut when a person said a word on the item: every ack and unack, oldest first. */
  history?: ReconcileItem['history'];
  kind: TieOutKind;
  /** The destination: "xero" or "quickbooks". */
  source: string;
  date: string;
  /** The amount at stake: the entry's total debits, or the ledger's balance of the account. */
  amount: string;
  currency: string;
  /** The entry id, or the destination's account (code or id). */
  ref: string;
  message: string;
  remoteId?: string;
  lines?: LineDifference[];
  /**
   * For a balance: the ledger's figure (what was posted) and the destination's, signed debit positive; for a
   * closed period's journal, the certified totals and what the destination holds now.
   */
  ledger?: string;
  destination?: string;
}

export interface TieOutReport {
  destination: string;
  asOf: string;
  clean: boolean;
  /** Posted entries read back. */
  checked: number;
  items: TieOutItem[];
  calls: DestinationCallCounts;
  /** The tax per period and code, when the destination codes lines (tax-tie-out.ts). */
  tax?: Pick<TaxTieOut, 'rows' | 'unrated'>;
}

/**
 * The three-way tie-out (`reconcile --with`): ledger ↔ delivery records ↔ the
 * destination. Every entry posted there and dated on or before `asOf` is read
 * back by its stored remote id (in pages of 100, so E entries cost ⌈E/100⌉
 * reads), and the destination's trial balance at `asOf` is read once:
 *  - a journal not there, or deleted/voided there: missing_at_destination;
 *  - a journal whose lines differ, per account, from what was sent (at the
 *    rate stored with its delivery): changed_at_destination, both figures;
 *  - an account ledgerline posts to whose balance there differs from the sum
 *    of what was posted to it: destination_balance_mismatch, both figures.
 * The balance check assumes ledgerline is the only writer of its mapped
 * accounts; a person's own journal on them shows as a mismatch too. The
 * bank-side documents ledgerline recorded there count with the journals: a
 * bank transaction of 312.40 coded to 631 leaves 631 at 0.00 after the payout's
 * journal put 312.40 in (bank-legs-at-destination.ts).
 * A bank leg never sent to a destination that creates bank-side documents is compared through its item's
 * document there (bank-legs-at-destination.ts): bank_leg_without_document when none is recorded.
 * Each closed period's certificate (in `certificates.folder`) is read, and its journals read back in the same pages
 * and compared with it (certified-journals.ts): closed_period_changed_at_destination, or certificate_file_changed.
 * Each journal's chain hash (its narration or note) is compared with the ledger's at its entry, those read back and
 * those the destination lists since the last closed period (chain-witnesses.ts): chain_witness_differs.
 */
export async function tieOut(options: {
  reads: LedgerReads;
  client: DestinationClient;
  asOf: string;
  certificates?: { closed: readonly ClosedPeriod[]; folder: string };
}): Promise<TieOutReport> {
  const { reads, client, asOf } = options;
  const certified =
    options.certificates === undefined
      ? { periods: [], items: [] }
      : certifiedPeriods(options.certificates.closed, options.certificates.folder, client.kind);
  const posted = new Map((await reads.postedDeliveries(client.kind)).map((row) => [row.entryId, row]));
  const entries: RenderedEntry[] = [];
  // A bank leg a destination creating bank-side documents skipped is compared through its item's document instead.
  const legs: RenderedEntry[] = [];
  for await (const entry of reads.journal.renderedEntries({ to: asOf })) {
    if (posted.has(entry.id)) entries.push(entry);
    else if (client.createsBankDocuments === true && isBankSideEntry(entry, client.bankLedgerAccounts))
      legs.push(entry);
  }
  const remoteIds = entries.flatMap((entry) => posted.get(entry.id)?.remoteId ?? []);
  const certifiedIds = certified.periods.flatMap((period) =>
    period.journals.flatMap((journal) => journal.journalId ?? []),
  );
  const held = await client.readBack([...new Set([...remoteIds, ...certifiedIds])]);
  const balances = await client.balances(asOf);

  const items: TieOutItem[] = [...certified.items];
  const documents =
    client.createsBankDocuments === true ? ((await reads.bankDocumentsRecorded?.(client.kind)) ?? []) : [];
  const expectedBalances = journalChanges(client, { entries, posted, held }, items);
  const legEntries = new Map(legs.map((leg) => [leg.id, leg]));
  for (const line of clearingMoves(client, documents, asOf, legEntries))
    if (expectedBalances.has(line.account))
      expectedBalances.set(line.account, expectedBalances.get(line.account)! + line.cents);
  items.push(...balanceMismatches(client, asOf, expectedBalances, balances));
  items.push(...(await certifiedChanges(client, certified.periods, held, reads)));
  items.push(...(await chainWitnessChanges(reads, client, { held, asOf, closed: options.certificates?.closed ?? [] })));
  items.push(...undocumentedBankLegs(new Set(documents.map((document) => document.itemId)), client, legs));
  const documented = await documentJournals(client, documents, legEntries, asOf);
  const tax = await taxTieOut(client, [...postedJournals(client, entries, posted, held), ...documented]);
  items.push(...(tax?.items ?? []));
  const listed = withWords(items, await reads.acknowledgementHistory());
  return {
    ...(tax === undefined ? {} : { tax: { rows: tax.rows, unrated: tax.unrated } }),
    destination: client.kind,
    asOf,
    clean: listed.every((item) => item.acknowledged !== undefined),
    checked: entries.length,
    items: listed,
    calls: client.callCounts(),
  };
}

/**
 * Each item with its id, and its acknowledgement where a person's latest word on that id is an ack: a difference a
 * person looked at and left (a balance a person's own journal moved there) no longer keeps the tie-out from clean.
 * Example: bank_leg_without_document of je:bank-leg:P at xero, acknowledged by ana "P paid by hand in Xero" →
 * { id: "with:xero:bank_leg_without_document:je:bank-leg:P", acknowledged: { by: ana, … } }, and clean if it is the only one.
 */
function withWords(items: readonly TieOutItem[], histories: Parameters<typeof wordsOn>[0]): TieOutItem[] {
  return items.map((item) => {
    const id = `with:${item.source}:${item.kind}:${item.ref}`;
    const { acknowledged, history } = wordsOn(histories, id);
    return {
      id,
      ...(acknowledged === null ? {} : { acknowledged }),
      ...(history.length === 0 ? {} : { history }),
      ...item,
    };
  });
}

/**
 * The bank-side documents of adjusting entries dated on or before `asOf`, each as a journal for the tax tie-out: the
 * entry it settles and its tax as the destination stores it (issue 82). Example: the coded 9.00 bank charge's SPEND,
 * INPUT2, 1.50 at Xero against the ledger's 1.50 → a row of INPUT2 with 1 line more, no item.
 */
async function documentJournals(
  client: DestinationClient,
  documents: readonly { itemId: string; date: string }[],
  entries: ReadonlyMap<string, RenderedEntry>,
  asOf: string,
) {
  const settled = documents.filter((document) => document.date <= asOf && entries.has(document.itemId));
  if (client.documentTaxes === undefined || settled.length === 0) return [];
  const read = await client.documentTaxes(settled.map((document) => document.itemId));
  return settled.flatMap((document) => {
    const found = read.get(document.itemId);
    return found === undefined
      ? []
      : [{ entry: entries.get(document.itemId)!, remoteId: found.documentId, held: found.held }];
  });
}

type PostedDelivery = Awaited<ReturnType<LedgerReads['postedDeliveries']>>[number];
type HeldJournals = Awaited<ReturnType<DestinationClient['readBack']>>;

function postedJournals(
  client: DestinationClient,
  entries: readonly RenderedEntry[],
  posted: ReadonlyMap<string, PostedDelivery>,
  held: HeldJournals,
) {
  return entries.flatMap((entry) => {
    const row = posted.get(entry.id);
    if (!row?.remoteId) return [];
    // A journal kept in another currency than the entry's (Xero's, in its base currency) holds its tax converted.
    const converted = client.expectedLines(entry, row).currency !== (entry.lines[0]?.currency ?? client.baseCurrency);
    const conversion = converted ? deliveredConversion(entry, client.baseCurrency, row) : undefined;
    return [{ entry, remoteId: row.remoteId, held: held.get(row.remoteId), conversion }];
  });
}

/**
 * Each posted entry against its journal read back: missing_at_destination and changed_at_destination items
 * added to `items`; returns what the destination's accounts should hold from them, per account, in cents.
 */
function journalChanges(
  client: DestinationClient,
  read: { entries: readonly RenderedEntry[]; posted: ReadonlyMap<string, PostedDelivery>; held: HeldJournals },
  items: TieOutItem[],
): Map<string, bigint> {
  const { entries, posted, held } = read;
  const expectedBalances = new Map<string, bigint>();
  for (const entry of entries) {
    const row = posted.get(entry.id);
    if (!row?.remoteId) continue;
    const currency = entry.lines[0]?.currency ?? client.baseCurrency;
    const expected = client.expectedLines(entry, row);
    for (const line of expected.base)
      expectedBalances.set(line.account, (expectedBalances.get(line.account) ?? 0n) + line.cents);
    const total = formatCents(expected.journal.reduce((sum, line) => (line.cents > 0n ? sum + line.cents : sum), 0n));
    const base = {
      source: client.kind,
      date: entry.date,
      amount: total,
      currency,
      ref: entry.id,
      remoteId: row.remoteId,
    };
    const journal = held.get(row.remoteId);
    if (journal === undefined || journal.state === 'removed') {
      const how = journal === undefined ? 'is no longer there (deleted)' : `is ${journal.status.toLowerCase()}`;
      items.push({
        kind: 'missing_at_destination',
        ...base,
        message: `${client.name} journal ${row.remoteId} for entry ${entry.id} (${entry.date}, ${total} ${currency}) ${how}`,
      });
      continue;
    }
    const lines = differences(expected.journal, journal.lines);
    if (lines.length > 0) {
      const detail = lines.map((line) => `${line.account} sent ${line.sent}, now ${line.found}`).join('; ');
      items.push({
        kind: 'changed_at_destination',
        ...base,
        lines,
        message: `${client.name} journal ${row.remoteId} for entry ${entry.id} was edited: ${detail}`,
      });
    }
  }
  return expectedBalances;
}

/** Each account whose balance at the destination differs from what ledgerline posted to it, in account order. */
function balanceMismatches(
  client: DestinationClient,
  asOf: string,
  expectedBalances: ReadonlyMap<string, bigint>,
  balances: ReadonlyMap<string, bigint>,
): TieOutItem[] {
  const items: TieOutItem[] = [];
  for (const [account, expected] of [...expectedBalances].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const found = balances.get(account) ?? 0n;
    if (found === expected) continue;
    items.push({
      kind: 'destination_balance_mismatch',
      source: client.kind,
      date: asOf,
      amount: formatCents(expected),
      currency: client.baseCurrency,
      ref: account,
      ledger: formatCents(expected),
      destination: formatCents(found),
      message:
        `account ${account} at ${client.name} on ${asOf}: ${formatCents(found)} ${client.baseCurrency}, ` +
        `posted by ledgerline ${formatCents(expected)} (difference ${formatCents(found - expected)})`,
    });
  }
  return items;
}

/** Accounts whose sums differ between what was sent and what is held, both sides in account order. */
function differences(sent: readonly RemoteLine[], found: readonly RemoteLine[]): LineDifference[] {
  const accounts = [...new Set([...sent, ...found].map((line) => line.account))].sort();
  const sum = (lines: readonly RemoteLine[], account: string): bigint =>
    lines.filter((line) => line.account === account).reduce((total, line) => total + line.cents, 0n);
  return accounts
    .map((account) => ({ account, sent: sum(sent, account), found: sum(found, account) }))
    .filter((line) => line.sent !== line.found)
    .map((line) => ({ account: line.account, sent: formatCents(line.sent), found: formatCents(line.found) }));
}
