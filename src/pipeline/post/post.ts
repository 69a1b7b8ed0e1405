import { JournalNumbersTakenError, LedgerlineError, OutcomeUnknownError, type ExitCode } from '../../errors.js';
import type { Clock } from '../../http/clock.js';
import type { Ledger } from '../../ledger/index.js';
import type { RenderedEntry } from '../../rules/index.js';
import type { DestinationCallCounts, DestinationClient } from '../../destinations/index.js';
import { DeliveryOutbox, type DeliveryRow, type DeliveryWindow, type SentRate } from '../../store/index.js';
import { inGroups, lockedRefusal, selectForPost, type RefusedEntry } from './post-selection.js';

export type { RefusedEntry } from './post-selection.js';
export type { DeliveryWindow } from '../../store/index.js';

export interface PostOptions {
  ledger: Ledger;
  client: DestinationClient;
  /** Entry dates, inclusive; none means every undelivered entry. */
  window?: DeliveryWindow;
  clock: Clock;
  log?: (line: string) => void;
  /** Called after each recorded request: the CLI keeps its run lock alive with it. */
  onProgress?: () => Promise<void>;
  /**
   * Journals found at the destination under the numbers of entries this ledger never sent are marked posted
   * (this ledger takes the deliveries over) instead of stopping the run: for the one copy left after a twin is retired.
   */
  adoptDelivered?: boolean;
}

export interface PostReport {
  destination: string;
  lockDate: string | undefined;
  /** Entries posted by this run, those confirmed by a look-up included. */
  posted: number;
  /** Of those, entries an earlier request had delivered, found by looking them up. */
  confirmedByLookup: number;
  skipped: number;
  refused: RefusedEntry[];
  /** Entries selected but left undelivered because the run stopped early. */
  unfinished: number;
  /** Why the run stopped early: a destination failure the next run can retry. */
  stoppedBy?: { error: string; message: string; exitCode: ExitCode };
  calls: DestinationCallCounts;
}

/** Look-up rounds after unknown outcomes before the run gives up and leaves them to the next run. */
const UNKNOWN_OUTCOME_ROUNDS = 3;

/**
 * Delivers journal entries to one destination exactly once, with the
 * deliveries table as an outbox (DESIGN §5):
 *  1. every delivery an earlier run left 'sending' is looked up at the
 *     destination: found → posted; not found → sent again, under the SAME
 *     key when the whole request is resent (the same body, which the
 *     destination replays), under a key of its own when only a part is
 *     (a key reused for another body is refused, and rightly so);
 *  2. undelivered entries of the window are chunked; entries with nothing to
 *     send are skipped, those on or before the lock date refused unsent;
 *  3. each chunk is marked 'sending' (key, attempts + 1) in one transaction,
 *     sent, and its outcomes recorded in another; a request that was certainly
 *     not carried out is put back as it was;
 *  4. an unknown outcome is resolved the way step 1 resolves a crash;
 *  5. before a fresh request leaves, its journal numbers are looked up at the
 *     destination (one query for the request): one found there was never sent
 *     by this ledger, since every send of ours is marked 'sending' first and
 *     such rows go through step 1, not here. Another copy of the ledger sent
 *     it, so the run stops with JournalNumbersTakenError and nothing of the
 *     request is sent (or, with adoptDelivered, it is marked posted).
 * Per-entry refusals never stop the others; a destination failure (daily
 * limit, auth, retries spent) stops the run with everything recorded so far.
 */
export async function postEntries(options: PostOptions): Promise<PostReport> {
  const { ledger, client, clock } = options;
  const outbox = new DeliveryOutbox(ledger.store, client.kind, () => new Date(clock.now()).toISOString());
  const selection = await selectForPost(ledger, outbox, client, options.window ?? {});
  const rows = selection.rows;
  const settled = new Set<string>();
  const report: PostReport = {
    destination: client.kind,
    lockDate: undefined,
    posted: 0,
    confirmedByLookup: 0,
    skipped: 0,
    refused: [],
    unfinished: 0,
    calls: { reads: 0, writes: 0 },
  };
  const stop = (error: LedgerlineError): void => {
    report.stoppedBy ??= { error: error.name, message: error.message, exitCode: error.exitCode };
    options.log?.(`${client.name}: stopping: ${error.message}`);
  };

  const refuse = async (refusals: readonly RefusedEntry[]): Promise<void> => {
    if (refusals.length === 0) return;
    await outbox.markRefused(refusals);
    for (const refusal of refusals) settled.add(refusal.entryId);
    report.refused.push(...refusals);
  };

  const confirm = async (found: ReadonlyMap<string, string>): Promise<void> => {
    if (found.size === 0) return;
    await outbox.markPosted(found);
    for (const entryId of found.keys()) settled.add(entryId);
    report.posted += found.size;
    report.confirmedByLookup += found.size;
  };

  /** One request: 'sending' first, then the outcomes; 'unknown' when the destination may or may not have it. */
  async function deliver(entries: readonly RenderedEntry[], requestKey: string): Promise<'recorded' | 'unknown'> {
    const ids = entries.map((entry) => entry.id);
    const before = new Map<string, DeliveryRow>();
    for (const [id, row] of await outbox.rows(ids)) before.set(id, row);
    await outbox.markSending(ids, requestKey, sentRates(entries));
    let outcomes;
    try {
      outcomes = await client.send(entries, requestKey);
    } catch (error) {
      if (error instanceof OutcomeUnknownError) {
        options.log?.(`${client.name}: ${error.message}; looking the entries up before anything else`);
        return 'unknown';
      }
      await outbox.restore(ids, before);
      throw error;
    }
    await outbox.record(outcomes);
    for (const [entryId, outcome] of outcomes) {
      settled.add(entryId);
      if (outcome.status === 'posted') report.posted += 1;
      else report.refused.push({ entryId, date: entries.find((entry) => entry.id === entryId)?.date ?? '', reason: outcome.error.message });
    }
    await options.onProgress?.();
    return 'recorded';
  }

  /** The rate each entry in a foreign currency goes out at (checked at selection, so a missing one never reaches here). */
  function sentRates(entries: readonly RenderedEntry[]): Map<string, SentRate> {
    const rates = new Map<string, SentRate>();
    for (const entry of entries) {
      const conversion = client.conversion(entry);
      if (conversion) rates.set(entry.id, { rate: conversion.rate, source: conversion.source });
    }
    return rates;
  }

  /**
   * Settles a request whose outcome is open: look up, confirm what is there,
   * send the rest again: the whole request under its own key, a part under
   * the part's key.
   */
  async function resolve(entries: readonly RenderedEntry[], requestKey: string | undefined): Promise<'recorded' | 'unknown'> {
    const found = await client.findPosted(entries);
    await confirm(found);
    const rest = entries.filter((entry) => !found.has(entry.id));
    const held = rest.flatMap((entry) => selection.invalid.get(entry.id) ?? lockedRefusal(client.name, entry, report.lockDate) ?? []);
    await refuse(held);
    const resend = rest.filter((entry) => !settled.has(entry.id));
    if (resend.length === 0) return 'recorded';
    const whole = requestKey !== undefined && resend.length === entries.length && requestSizes.get(requestKey) === entries.length;
    return deliver(resend, whole ? requestKey : client.requestKey(resend, attemptOf(resend, rows)));
  }

  /**
   * Step 5: the entries of a fresh request the destination does not hold yet. Any it holds were sent by
   * another copy of this ledger: refused, the whole request unsent, unless the run adopts them.
   */
  async function refuseTakenNumbers(entries: readonly RenderedEntry[]): Promise<readonly RenderedEntry[]> {
    const taken = await client.findPosted(entries);
    if (taken.size === 0) return entries;
    if (options.adoptDelivered !== true) throw new JournalNumbersTakenError(client.name, [...taken].map(([entryId, remoteId]) => ({ entryId, remoteId })));
    options.log?.(`${client.name}: adopting ${taken.size} journal(s) another copy of this ledger delivered`);
    await confirm(taken);
    return entries.filter((entry) => !taken.has(entry.id));
  }

  /** Settles open requests in rounds of look-ups; what is still open after the last round stops the run. */
  async function resolveAll(open: { entries: readonly RenderedEntry[]; requestKey: string | undefined }[]): Promise<void> {
    let pending = open;
    for (let round = 1; round <= UNKNOWN_OUTCOME_ROUNDS && pending.length > 0; round += 1) {
      const again: typeof pending = [];
      for (const request of pending) {
        if ((await resolve(request.entries, request.requestKey)) === 'unknown') again.push(request);
      }
      pending = again;
    }
    if (pending.length > 0) {
      throw new OutcomeUnknownError(client.name, `${pending.length} request(s)`, `still no answer after ${UNKNOWN_OUTCOME_ROUNDS} look-ups; the next post looks them up again`);
    }
  }

  // How many entries went out under each open key: a resend reuses a key only for exactly that request.
  const requestSizes = new Map<string, number>();
  for (const group of selection.unresolved) if (group.requestKey !== undefined) requestSizes.set(group.requestKey, group.entries.length);

  try {
    report.lockDate = await client.lockDate();
    await resolveAll(
      selection.unresolved.flatMap((group) => inGroups(group.entries, client.limits.entriesPerRequest).map((entries) => ({ entries, requestKey: group.requestKey }))),
    );

    if (selection.empty.length > 0) {
      await outbox.markSkipped(selection.empty.map((entry) => entry.id));
      for (const entry of selection.empty) settled.add(entry.id);
      report.skipped = selection.empty.length;
    }
    await refuse(selection.fresh.flatMap((entry) => selection.invalid.get(entry.id) ?? lockedRefusal(client.name, entry, report.lockDate) ?? []));
    const chunks = inGroups(
      selection.fresh.filter((entry) => !settled.has(entry.id)),
      client.limits.entriesPerRequest,
    );

    const unknown: { entries: readonly RenderedEntry[]; requestKey: string }[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (report.stoppedBy === undefined && next < chunks.length) {
        const chunk = chunks[next++]!;
        try {
          const entries = await refuseTakenNumbers(chunk);
          if (entries.length === 0) continue;
          const requestKey = client.requestKey(entries, attemptOf(entries, rows));
          requestSizes.set(requestKey, entries.length);
          if ((await deliver(entries, requestKey)) === 'unknown') unknown.push({ entries, requestKey });
        } catch (error) {
          if (!(error instanceof LedgerlineError)) throw error;
          stop(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(client.limits.maxInFlight, chunks.length) }, worker));
    // After a stop the destination is failing; open requests stay 'sending' for the next run to look up.
    if (report.stoppedBy === undefined) await resolveAll(unknown);
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    stop(error);
  }

  const selected = [...selection.unresolved.flatMap((group) => group.entries), ...selection.fresh, ...selection.empty];
  report.unfinished = selected.filter((entry) => !settled.has(entry.id)).length;
  report.calls = client.callCounts();
  return report;
}

/**
 * The attempt number a fresh request's key is derived from: the most
 * attempts any of its entries has had. Every entry of an earlier request
 * with the same entries gained one attempt, so the number only grows and a
 * refusal is never replayed to a new request.
 */
function attemptOf(entries: readonly RenderedEntry[], rows: ReadonlyMap<string, DeliveryRow>): number {
  return Math.max(0, ...entries.map((entry) => rows.get(entry.id)?.attempts ?? 0));
}
