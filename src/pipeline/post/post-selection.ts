import { ConfigError, LedgerlineError, LockedPeriodError, type ConfigProblem } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import { isBankSideEntry, type RenderedEntry } from '../../rules/index.js';
import type { DestinationClient, UnfitAccounts } from '../../destinations/index.js';
import type { Delivery, DeliveryWindow, PostSelectionReads } from './books/post-outbox.js';

/** An entry that will not be sent this run, and why (a locked period, or something the destination cannot take). */
export interface RefusedEntry {
  entryId: string;
  date: string;
  reason: string;
}

/** What a post run has to do, read from the ledger and the outbox before anything is sent. */
export interface PostSelection {
  /** Deliveries left 'sending' by an earlier run, grouped by the request key they went out under. */
  unresolved: { requestKey: string | undefined; entries: RenderedEntry[] }[];
  /** Undelivered entries in the window with something to send, in book order. */
  fresh: RenderedEntry[];
  /**
   * Undelivered entries with nothing to send there: every line rounds to 0.00 or nets to zero there (deliversNothing), or a
   * bank leg (or an adjustment on a bank account) a destination that creates bank-side documents settles by its own
   * (DestinationClient.createsBankDocuments, rules isBankSideEntry). Skipped, never sent.
   */
  empty: RenderedEntry[];
  /**
   * Entries the destination cannot take as they are (checked before any
   * call): never sent; an unresolved one is still looked up, since an earlier
   * run may have delivered it.
   */
  invalid: Map<string, RefusedEntry>;
  /** The outbox rows of every selected entry, before this run touches them. */
  rows: Map<string, Delivery>;
}

/**
 * Reads what to deliver: every 'sending' delivery (whatever the window, since
 * its outcome is open) and the undelivered entries of the window. Each entry
 * is checked against the destination first; unmapped accounts are gathered
 * into one ConfigError that stops the run before any call is made.
 */
export async function selectForPost(
  ledger: Ledger,
  outbox: PostSelectionReads,
  client: DestinationClient,
  window: DeliveryWindow,
  unfit: UnfitAccounts = new Map(),
): Promise<PostSelection> {
  const sending = await outbox.openDeliveries();
  const undelivered = await outbox.undeliveredIds(window);
  const sendingKeys = new Map(sending.map((row) => [row.entryId, row.requestKey ?? undefined]));
  // Open deliveries may lie outside the window, so the whole ledger is read when there are any.
  const readWindow = sending.length > 0 ? {} : { from: window.from, to: window.until };
  const byKey = new Map<string | undefined, RenderedEntry[]>();
  const fresh: RenderedEntry[] = [];
  const empty: RenderedEntry[] = [];
  // Every entry read, delivered or not, since a number an entry already carries at the destination is taken.
  const clash = client.journalNumberClash?.();
  const clashes = new Map<string, RefusedEntry>();
  for await (const entry of ledger.renderedEntries(readWindow)) {
    const clashing = entry.lines.length === 0 ? undefined : clash?.(entry);
    if (clashing !== undefined) clashes.set(entry.id, { entryId: entry.id, date: entry.date, reason: clashing });
    if (sendingKeys.has(entry.id)) {
      const key = sendingKeys.get(entry.id);
      byKey.set(key, [...(byKey.get(key) ?? []), entry]);
    } else if (undelivered.has(entry.id)) {
      (entry.lines.length === 0 ||
      client.deliversNothing?.(entry) === true ||
      (client.createsBankDocuments === true && isBankSideEntry(entry, client.bankLedgerAccounts))
        ? empty
        : fresh
      ).push(entry);
    }
  }
  const problems: ConfigProblem[] = [];
  const invalid = new Map<string, RefusedEntry>();
  for (const entry of [...[...byKey.values()].flat(), ...fresh]) {
    // An entry on an account the organisation cannot take is held back before the client would refuse it as unmappable.
    const unfitBecause = unfitReason(entry, unfit, client.name);
    if (unfitBecause !== undefined) {
      invalid.set(entry.id, { entryId: entry.id, date: entry.date, reason: unfitBecause });
      continue;
    }
    try {
      client.check(entry);
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else if (error instanceof LedgerlineError) {
        invalid.set(entry.id, { entryId: entry.id, date: entry.date, reason: error.message });
      } else throw error;
    }
  }
  if (problems.length > 0) throw new ConfigError(uniqueProblems(problems));
  for (const entryId of (await outbox.awaitingApproval?.()) ?? []) {
    const entry = fresh.find((candidate) => candidate.id === entryId);
    if (entry !== undefined && !invalid.has(entryId))
      invalid.set(entryId, { entryId, date: entry.date, reason: awaitingApprovalReason(entryId) });
  }
  for (const [entryId, refusal] of clashes) if (!invalid.has(entryId)) invalid.set(entryId, refusal);
  const ids = [...[...byKey.values()].flat(), ...fresh, ...empty].map((entry) => entry.id);
  return {
    unresolved: [...byKey].map(([requestKey, entries]) => ({ requestKey, entries })),
    fresh,
    empty,
    invalid,
    rows: await outbox.deliveries(ids),
  };
}

/** The refusal of an entry dated on or before the destination's lock date: it is never re-dated, only held back. */
export function lockedRefusal(
  destination: string,
  entry: RenderedEntry,
  lockDate: string | undefined,
): RefusedEntry | undefined {
  if (lockDate === undefined || entry.date > lockDate) return undefined;
  return {
    entryId: entry.id,
    date: entry.date,
    reason: new LockedPeriodError(destination, entry.id, entry.date, lockDate).message,
  };
}

/**
 * Why an entry booked to an account the destination cannot take is held back, naming the account, the mapping
 * file and what to do; undefined when every account it is booked to is fit.
 */
function unfitReason(entry: RenderedEntry, unfit: UnfitAccounts, destination: string): string | undefined {
  if (unfit.size === 0) return undefined;
  const reasons = [...new Set(entry.lines.map((line) => line.account))].flatMap((account) => unfit.get(account) ?? []);
  if (reasons.length === 0) return undefined;
  return `held back, not sent to ${destination}: ${reasons.join('; ')}; then run the post again (every other entry was delivered)`;
}

/** Why an adjusting entry is held back until a second person approves it. */
function awaitingApprovalReason(entryId: string): string {
  return (
    `adjusting entry ${entryId} waits for a second person's approval (adjustments.requireApproval): ` +
    `run "ledgerline adjust approve ${entryId}" as another user`
  );
}

/** One problem per file and key: ten entries on one unmapped account make one line, not ten. */
function uniqueProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Map<string, ConfigProblem>();
  for (const problem of problems) {
    const key = `${problem.file}\u0000${problem.path}`;
    if (!seen.has(key)) seen.set(key, problem);
  }
  return [...seen.values()];
}

/** Items in groups of `size`, in order: 120 → 50, 50, 20. */
export function inGroups<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}
