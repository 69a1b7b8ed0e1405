import pLimit from 'p-limit';
import { JournalNumbersTakenError, LedgerlineError, OutcomeUnknownError, type ExitCode } from '../../errors.js';
import type { Clock } from '../../http/index.js';
import type { Ledger } from '../../ledger/index.js';
import { assertInvariant, type RenderedEntry } from '../../rules/index.js';
import type { DestinationCallCounts, DestinationClient, UnfitAccounts } from '../../destinations/index.js';
import type { Delivery, DeliveryWindow, PostOutbox, SentRate } from './books/post-outbox.js';
import { inGroups, lockedRefusal, selectForPost, type PostSelection, type RefusedEntry } from './post-selection.js';
import { withChainHashes } from './chain-hashes.js';
import { withEvidenceHashes, type PostEvidence } from './evidence-hashes.js';
import { confirmRestoredJournals, restoredOrOthers } from './restored-journals.js';

export type { RefusedEntry } from './post-selection.js';

export interface PostOptions {
  /** The destination's outbox (the client's kind). */
  outbox: PostOutbox;
  /** The journal the entries are read from. */
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
  /** Journals a restore listed as removed (entry id → journal id): this ledger's own, confirmed when found again, not refused. */
  removedByRestore?: ReadonlyMap<string, string> | undefined;
  /** For a destination that attaches evidence: each journal sent names its evidence's manifest hash. */
  evidence?: PostEvidence | undefined;
  /** The ledger accounts the organisation cannot take (refuseUnfitOrganisation): entries booked to them are held back, the rest delivered. */
  unfitAccounts?: UnfitAccounts | undefined;
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
/** The fewest fresh entries one look-up of what the destination holds asks about (a narration or DocNumber query stays short). */
const LOOKUP_BATCH = 50;

/** A request whose outcome is open: the entries it carried and the key it went out under, if any. */
interface OpenRequest {
  entries: readonly RenderedEntry[];
  requestKey: string | undefined;
}

/**
 * Delivers journal entries to one destination exactly once, with the
 * deliveries table as an outbox (DESIGN §5):
 *  1. every delivery an earlier run left 'sending' is looked up at the
 *     destination: found → posted; not found → sent again, under the SAME
 *     key when the whole request is resent (the same body, which the
 *     destination replays), under a key of its own when only a part is
 *     (a key reused for another body is refused, and rightly so);
 *  2. undelivered entries of the window are chunked; entries with nothing to
 *     send (or a bank leg the destination's own bank-side document settles) are skipped, those on or before the lock date refused unsent;
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
  const { outbox, ledger, client } = options;
  const selection = await withChainHashes(
    await selectForPost(ledger, outbox, client, options.window ?? {}, options.unfitAccounts),
    outbox,
  );
  const run = new DeliveryRun(
    options,
    options.evidence === undefined ? selection : await withEvidenceHashes(selection, options.evidence, ledger),
  );
  await run.deliver();
  return run.finish();
}

/** One post run: the phases of postEntries over what it selected, and the report they fill in. */
class DeliveryRun {
  private readonly client: DestinationClient;
  private readonly outbox: PostOutbox;
  private readonly settled = new Set<string>();
  /** How many entries went out under each open key: a resend reuses a key only for exactly that request. */
  private readonly requestSizes = new Map<string, number>();
  private readonly report: PostReport;

  constructor(
    private readonly options: PostOptions,
    private readonly selection: PostSelection,
  ) {
    this.client = options.client;
    this.outbox = options.outbox;
    this.report = {
      destination: this.client.kind,
      lockDate: undefined,
      posted: 0,
      confirmedByLookup: 0,
      skipped: 0,
      refused: [],
      unfinished: 0,
      calls: { reads: 0, writes: 0 },
    };
    for (const group of selection.unresolved)
      if (group.requestKey !== undefined) this.requestSizes.set(group.requestKey, group.entries.length);
  }

  /** The phases in order; a destination failure stops the run with everything recorded so far. */
  async deliver(): Promise<void> {
    await this.orStop(async () => {
      this.report.lockDate = await this.client.lockDate();
      await this.settleOpenRequests(
        this.selection.unresolved.flatMap((group) =>
          this.requestsOf(group.entries).map((entries) => ({ entries, requestKey: group.requestKey })),
        ),
      );
      await this.skipEmpty();
      await this.refuse(this.selection.fresh.flatMap((entry) => this.heldBack(entry) ?? []));
      const unknown = await this.sendFresh(
        this.requestsOf(this.selection.fresh.filter((entry) => !this.settled.has(entry.id))),
      );
      // After a stop the destination is failing; open requests stay 'sending' for the next run to look up.
      if (this.report.stoppedBy === undefined) await this.settleOpenRequests(unknown);
    });
  }

  /** The report, with what was selected but left undelivered and the calls the destination counted. */
  finish(): PostReport {
    const { unresolved, fresh, empty } = this.selection;
    const selected = [...unresolved.flatMap((group) => group.entries), ...fresh, ...empty];
    this.report.unfinished = selected.filter((entry) => !this.settled.has(entry.id)).length;
    this.report.calls = this.client.callCounts();
    assertSettledAsSelected(this.report, selected.length);
    return this.report;
  }

  /** Steps 1 and 4: open requests settled in rounds of look-ups; what is still open after the last round stops the run. */
  private async settleOpenRequests(open: readonly OpenRequest[]): Promise<void> {
    let pending = open;
    for (let round = 1; round <= UNKNOWN_OUTCOME_ROUNDS && pending.length > 0; round += 1) {
      const again: OpenRequest[] = [];
      for (const request of pending) {
        if ((await this.settle(request)) === 'unknown') again.push(request);
      }
      pending = again;
    }
    if (pending.length > 0) {
      throw new OutcomeUnknownError(
        this.client.name,
        `${pending.length} request(s)`,
        `still no answer after ${UNKNOWN_OUTCOME_ROUNDS} look-ups; the next post looks them up again`,
      );
    }
  }

  /** Looks an open request up, confirms what is there and sends the rest again: the whole request under its own key, a part under the part's key. */
  private async settle({ entries, requestKey }: OpenRequest): Promise<'recorded' | 'unknown'> {
    const found = await this.client.findPosted(entries);
    await this.confirm(found);
    const rest = entries.filter((entry) => !found.has(entry.id));
    await this.refuse(rest.flatMap((entry) => this.heldBack(entry) ?? []));
    const resend = rest.filter((entry) => !this.settled.has(entry.id));
    if (resend.length === 0) return 'recorded';
    const whole =
      requestKey !== undefined &&
      resend.length === entries.length &&
      this.requestSizes.get(requestKey) === entries.length;
    return this.send(resend, whole ? requestKey : this.client.requestKey(resend, this.attemptOf(resend)));
  }

  /**
   * Step 2: entries with nothing to send there (every line rounds to 0.00, or a bank leg its own bank-side
   * document settles) are marked skipped, never sent.
   */
  private async skipEmpty(): Promise<void> {
    const { empty } = this.selection;
    if (empty.length === 0) return;
    const ids = empty.map((entry) => entry.id);
    await this.outbox.unit((tx) => tx.recordSkipped(ids, this.now()));
    for (const entry of empty) this.settled.add(entry.id);
    this.report.skipped = empty.length;
  }

  /** Steps 3 and 5: the fresh requests, at most maxInFlight at once; returns those whose outcome is unknown. */
  private async sendFresh(requests: readonly (readonly RenderedEntry[])[]): Promise<OpenRequest[]> {
    const unknown: OpenRequest[] = [];
    const taken = await this.heldAlready(requests);
    if (taken === undefined) return unknown;
    const inFlight = pLimit(Math.max(1, this.client.limits.maxInFlight));
    await Promise.all(
      requests.map((request) =>
        inFlight(async () => {
          if (this.report.stoppedBy !== undefined) return;
          await this.orStop(async () => {
            const entries = await this.refuseTakenNumbers(request, taken);
            if (entries.length === 0) return;
            const requestKey = this.client.requestKey(entries, this.attemptOf(entries));
            this.requestSizes.set(requestKey, entries.length);
            if ((await this.send(entries, requestKey)) === 'unknown') unknown.push({ entries, requestKey });
          });
        }),
      ),
    );
    return unknown;
  }

  /**
   * What the destination already holds of every fresh request's entries, read once for the run in batches of at
   * least LOOKUP_BATCH, not before each request (at one journal a request that doubled the calls); undefined when
   * the read stopped the run.
   */
  private async heldAlready(
    requests: readonly (readonly RenderedEntry[])[],
  ): Promise<ReadonlyMap<string, string> | undefined> {
    const entries = requests.flat();
    const batch = Math.max(this.client.limits.entriesPerRequest, LOOKUP_BATCH);
    return this.orStop(async () => {
      const held = new Map<string, string>();
      for (let start = 0; start < entries.length; start += batch) {
        for (const [id, remoteId] of await this.client.findPosted(entries.slice(start, start + batch)))
          held.set(id, remoteId);
      }
      return held;
    });
  }

  /**
   * Step 5: the entries of a fresh request the destination does not hold yet. Any it holds were sent by
   * another copy of this ledger: refused, the whole request unsent, unless the run adopts them; or by this
   * ledger before a restore took their delivery away (the journal the restore listed): confirmed if its lines match.
   */
  private async refuseTakenNumbers(
    entries: readonly RenderedEntry[],
    held: ReadonlyMap<string, string>,
  ): Promise<readonly RenderedEntry[]> {
    const taken = new Map(
      entries.flatMap((entry) => (held.has(entry.id) ? [[entry.id, held.get(entry.id)!] as const] : [])),
    );
    if (taken.size === 0) return entries;
    const { restored, others } = restoredOrOthers(taken, this.options.removedByRestore);
    if (others.length > 0 && this.options.adoptDelivered !== true)
      throw new JournalNumbersTakenError(
        this.client.name,
        others.map(([entryId, remoteId]) => ({ entryId, remoteId })),
      );
    if (others.length > 0)
      this.options.log?.(
        `${this.client.name}: adopting ${others.length} journal(s) another copy of this ledger delivered`,
      );
    await confirmRestoredJournals(this.client, entries, restored);
    await this.confirm(taken);
    return entries.filter((entry) => !taken.has(entry.id));
  }

  /** One request: 'sending' first, then the outcomes; 'unknown' when the destination may or may not have it. */
  private async send(entries: readonly RenderedEntry[], requestKey: string): Promise<'recorded' | 'unknown'> {
    const ids = entries.map((entry) => entry.id);
    const before = new Map<string, Delivery>();
    for (const [id, row] of await this.outbox.deliveries(ids)) before.set(id, row);
    await this.outbox.unit((tx) => tx.recordAttempt(ids, requestKey, this.sentRates(entries), this.now()));
    let outcomes;
    try {
      outcomes = await this.client.send(entries, requestKey);
    } catch (error) {
      if (error instanceof OutcomeUnknownError) {
        this.options.log?.(`${this.client.name}: ${error.message}; looking the entries up before anything else`);
        return 'unknown';
      }
      await this.outbox.unit((tx) => tx.restore(ids, before));
      throw error;
    }
    await this.outbox.unit((tx) => tx.recordOutcomes(outcomes, this.now()));
    for (const [entryId, outcome] of outcomes) {
      this.settled.add(entryId);
      if (outcome.status === 'posted') this.report.posted += 1;
      else
        this.report.refused.push({
          entryId,
          date: entries.find((entry) => entry.id === entryId)?.date ?? '',
          reason: outcome.error.message,
        });
    }
    await this.options.onProgress?.();
    return 'recorded';
  }

  private async refuse(refusals: readonly RefusedEntry[]): Promise<void> {
    if (refusals.length === 0) return;
    await this.outbox.unit((tx) => tx.recordRefusals(refusals, this.now()));
    for (const refusal of refusals) this.settled.add(refusal.entryId);
    this.report.refused.push(...refusals);
  }

  private async confirm(found: ReadonlyMap<string, string>): Promise<void> {
    if (found.size === 0) return;
    await this.outbox.unit((tx) => tx.recordFound(found, this.now()));
    for (const entryId of found.keys()) this.settled.add(entryId);
    this.report.posted += found.size;
    this.report.confirmedByLookup += found.size;
  }

  /** The time each outbox write is stamped with. */
  private now(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  /** `work`'s value; undefined when a destination failure (a LedgerlineError) stopped the run, the first stop kept. */
  private async orStop<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof LedgerlineError)) throw error;
      this.report.stoppedBy ??= { error: error.name, message: error.message, exitCode: error.exitCode };
      this.options.log?.(`${this.client.name}: stopping: ${error.message}`);
      return undefined;
    }
  }

  /** Why an entry is held back unsent: something the destination cannot take, or a date on or before its lock date. */
  private heldBack(entry: RenderedEntry): RefusedEntry | undefined {
    return this.selection.invalid.get(entry.id) ?? lockedRefusal(this.client.name, entry, this.report.lockDate);
  }

  private requestsOf(entries: readonly RenderedEntry[]): RenderedEntry[][] {
    return inGroups(entries, this.client.limits.entriesPerRequest);
  }

  /** The rate each entry in a foreign currency goes out at (checked at selection, so a missing one never reaches here). */
  private sentRates(entries: readonly RenderedEntry[]): Map<string, SentRate> {
    const rates = new Map<string, SentRate>();
    for (const entry of entries) {
      const conversion = this.client.conversion(entry);
      if (conversion) rates.set(entry.id, { rate: conversion.rate, source: conversion.source });
    }
    return rates;
  }

  /**
   * The attempt number a fresh request's key is derived from: the most
   * attempts any of its entries has had. Every entry of an earlier request
   * with the same entries gained one attempt, so the number only grows and a
   * refusal is never replayed to a new request.
   */
  private attemptOf(entries: readonly RenderedEntry[]): number {
    return Math.max(0, ...entries.map((entry) => this.selection.rows.get(entry.id)?.attempts ?? 0));
  }
}

/**
 * The run's accounting: every selected entry is posted (adopted and found by a look-up included), refused,
 * skipped or left unfinished, once; and only a stopped run leaves any unfinished. A destination answering for
 * an entry it was not sent, or not answering for one it was, breaks it: the run stops with InvariantViolation
 * rather than report a delivery it cannot account for.
 */
function assertSettledAsSelected(report: PostReport, selected: number): void {
  const { destination, posted, skipped, unfinished } = report;
  const refused = report.refused.length;
  assertInvariant(
    posted + refused + skipped + unfinished === selected,
    () =>
      `post to ${destination}: ${posted} posted, ${refused} refused, ${skipped} skipped and ${unfinished} ` +
      `unfinished do not add up to the ${selected} entries selected; the deliveries recorded so far ` +
      `stay, and the next post looks each one up before sending`,
  );
  assertInvariant(
    unfinished === 0 || report.stoppedBy !== undefined,
    () =>
      `post to ${destination}: the run was not stopped, yet ${unfinished} of the ${selected} entries ` +
      `selected were neither posted, refused nor skipped; the deliveries recorded so far stay, and ` +
      `the next post looks each one up before sending`,
  );
}
