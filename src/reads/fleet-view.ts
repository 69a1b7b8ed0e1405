import { z } from 'zod';
import { daysBetween } from '../calendar/index.js';
import { formatMicros, parseMicros } from '../money/index.js';
import type { SourceQuiet } from './silent-sources.js';
import type { FleetSort } from './fleet-sorts.js';

/** One destination organisation the source's books post to: its calls today and its refresh token's days left. */
const FleetOrganisationSchema = z.object({
  destination: z.string(),
  /** The organisation as `connect` recorded it (its name, else its tenant or realm id); null when none is stored. */
  organisation: z.string().nullable(),
  /** Calls posts made to it this UTC day (the call_budgets counters): the vendor's daily limit counts the same day. */
  callsToday: z.number().int(),
  /** The vendor's own count of calls left today (Xero's X-DayLimit-Remaining) as it last sent it; null when it sent none. */
  callsLeftToday: z.number().int().nullable(),
  /** Whole days until its refresh token expires (negative once expired); null when none is stored. */
  tokenDaysLeft: z.number().int().nullable(),
});

/** `status --fleet --json`: one row per configured source, the most in need first (or as `--sort` says). */
const FleetRowSchema = z.object({
  /** The entity whose books the source goes to, when the configuration has entities: (config/entities.ts). */
  entity: z.string().optional(),
  source: z.string(),
  kind: z.string(),
  /** The day of its latest close (the last night it was booked through); null before its first. */
  lastSuccess: z.string().nullable(),
  /** Calendar days from its latest close to yesterday: 0 is up to date; null before its first close. */
  lagDays: z.number().int().nullable(),
  /** Its part of the latest sync: ok, failing (with the reason), or not in it. */
  lastResult: z.enum(['ok', 'failing', 'not synced']),
  reason: z.string().optional(),
  /** Why the queue parked it (its close failed in every try): left out of queued nights until a `sync --source` books it. */
  parked: z.string().optional(),
  /** Reconcile's action items of this source nobody acknowledged, as `reconcile --entity` counts them. */
  openItems: z.number().int(),
  /** Panel orders still open at the panel (0 for a source without orders). */
  openOrders: z.number().int(),
  /** Payouts and top-ups reported and not yet matched at the bank or the destination, per currency, as decimal text. */
  inTransit: z.record(z.string(), z.string()),
  /** Days its closes brought nothing new, once that reaches its silentAfterDays (a failing source is failing, not silent); else null. */
  silentDays: z.number().int().nullable(),
  /** The first day of that silence; null when not silent. */
  silentSince: z.string().nullable(),
  /** The destination organisations its entity posts to, by destination: the same for every source of one entity. */
  organisations: z.array(FleetOrganisationSchema),
});
export type FleetRow = z.infer<typeof FleetRowSchema>;
export const FleetViewSchema = z.array(FleetRowSchema);

export interface FleetFacts {
  /** The entity these facts are of, when the configuration has entities:. */
  readonly entity?: string | undefined;
  readonly sources: readonly { id: string; kind: string }[];
  readonly yesterday: string;
  readonly lastCloses: readonly { sourceId: string; date: string }[];
  readonly lastSync: {
    sources: readonly { sourceId: string; outcome: string; error?: string | undefined }[] | null;
  } | null;
  readonly openOrders: readonly { sourceId: string; open: number }[];
  /** Reconcile's open action items per source and kind (status-facts' openBySource). */
  readonly openBySource?: readonly { source: string; kind: string; open: number }[] | undefined;
  /** The sources the queue parked, with the reason. */
  readonly parked?: readonly { sourceId: string; reason: string }[] | undefined;
  readonly transit?:
    { items: readonly { source: string; amount: string; currency: string; state: string }[] } | undefined;
  readonly quiet?: readonly SourceQuiet[] | undefined;
  /** The configured destinations these books post to. */
  readonly destinations?: readonly string[] | undefined;
  /** Each destination's refresh token as `status` read it (a store that cannot be read gives none). */
  readonly tokens?:
    readonly { destination: string; organisation?: string; expiresInDays: number }[] | { error: string };
  /** The call_budgets counters of this UTC day, per destination organisation. */
  readonly callsToday?:
    | readonly { destination: string; organisation: string; callsUsed: number; vendorRemaining: number | undefined }[]
    | undefined;
}

/** Settled: the bank or the destination shows it, or a person closed it. */
const SETTLED = new Set(['matched', 'closed']);
/** A source's part of a sync that booked nothing it should have (the others: booked, or nothing new). */
const FAILED = new Set(['failed', 'refused']);
const NEED_ORDER = { failing: 0, 'not synced': 1, ok: 2 } as const;

/**
 * The fleet as rows, sorted by need (failing, then not synced, then silent, then by lag, the longest first, then by
 * id) or first by `sort`, need breaking its ties; the facts of each entity's books, when the configuration has
 * several, give one view. Example: sort 'token' puts the rows of the organisation whose token expires first on top.
 */
export function fleetView(facts: FleetFacts | readonly FleetFacts[], sort: FleetSort = 'need'): FleetRow[] {
  const rows = ('sources' in facts ? [facts] : facts).flatMap(rowsOf);
  const first = SORT_KEYS[sort];
  return rows.sort((a, b) => first(a, b) || byNeed(a, b));
}

function byNeed(a: FleetRow, b: FleetRow): number {
  return (
    NEED_ORDER[a.lastResult] - NEED_ORDER[b.lastResult] ||
    (b.silentDays ?? -1) - (a.silentDays ?? -1) ||
    (b.lagDays ?? Infinity) - (a.lagDays ?? Infinity) ||
    a.source.localeCompare(b.source)
  );
}

const callsOf = (row: FleetRow) => row.organisations.reduce((sum, each) => sum + each.callsToday, 0);
const tokenDaysOf = (row: FleetRow) =>
  Math.min(...row.organisations.map((each) => each.tokenDaysLeft ?? Infinity), Infinity);

/** Each sort's own key: the row needing a look first (the longest behind, the oldest success, the most calls). */
const SORT_KEYS: Record<FleetSort, (a: FleetRow, b: FleetRow) => number> = {
  need: () => 0,
  lag: (a, b) => (b.lagDays ?? Infinity) - (a.lagDays ?? Infinity),
  source: (a, b) => a.source.localeCompare(b.source),
  entity: (a, b) => (a.entity ?? '').localeCompare(b.entity ?? ''),
  kind: (a, b) => a.kind.localeCompare(b.kind),
  'last-success': (a, b) => (a.lastSuccess ?? '').localeCompare(b.lastSuccess ?? ''),
  open: (a, b) => b.openItems - a.openItems,
  silent: (a, b) => (b.silentDays ?? -1) - (a.silentDays ?? -1),
  calls: (a, b) => callsOf(b) - callsOf(a),
  token: (a, b) => tokenDaysOf(a) - tokenDaysOf(b),
};

function rowsOf(facts: FleetFacts): FleetRow[] {
  const organisations = organisationsOf(facts);
  return facts.sources.map((source): FleetRow => {
    const close = facts.lastCloses.find((candidate) => candidate.sourceId === source.id);
    const synced = facts.lastSync?.sources?.find((candidate) => candidate.sourceId === source.id);
    const parked = facts.parked?.find((candidate) => candidate.sourceId === source.id)?.reason;
    const failing =
      parked !== undefined || (synced !== undefined && (synced.error !== undefined || FAILED.has(synced.outcome)));
    const quiet = failing ? undefined : facts.quiet?.find((row) => row.source === source.id && row.silent);
    return {
      ...(facts.entity === undefined ? {} : { entity: facts.entity }),
      source: source.id,
      kind: source.kind,
      lastSuccess: close?.date ?? null,
      lagDays: close === undefined ? null : Math.max(0, daysBetween(close.date, facts.yesterday)),
      lastResult: failing ? 'failing' : synced === undefined ? 'not synced' : 'ok',
      ...(parked !== undefined
        ? { reason: `parked: ${parked}`, parked }
        : failing
          ? { reason: synced?.error ?? synced?.outcome ?? 'failing' }
          : {}),
      openItems: (facts.openBySource ?? [])
        .filter((row) => row.source === source.id)
        .reduce((sum, row) => sum + row.open, 0),
      openOrders: facts.openOrders.find((row) => row.sourceId === source.id)?.open ?? 0,
      inTransit: inTransitOf(source.id, facts.transit?.items ?? []),
      silentDays: quiet?.quietDays ?? null,
      silentSince: quiet?.since ?? null,
      organisations,
    };
  });
}

/** Per configured destination: its organisation, the calls counted today (summed over its organisations) and its token's days. */
function organisationsOf(facts: FleetFacts): FleetRow['organisations'] {
  const tokens = facts.tokens === undefined || 'error' in facts.tokens ? [] : facts.tokens;
  return (facts.destinations ?? []).map((destination) => {
    const token = tokens.find((each) => each.destination === destination);
    const calls = (facts.callsToday ?? []).filter((row) => row.destination === destination);
    const vendorLeft = calls.flatMap((row) => (row.vendorRemaining === undefined ? [] : [row.vendorRemaining]));
    return {
      destination,
      organisation: token?.organisation ?? calls[0]?.organisation ?? null,
      callsToday: calls.reduce((sum, row) => sum + row.callsUsed, 0),
      callsLeftToday: vendorLeft.length === 0 ? null : Math.min(...vendorLeft),
      tokenDaysLeft: token?.expiresInDays ?? null,
    };
  });
}

function inTransitOf(source: string, items: NonNullable<FleetFacts['transit']>['items']): Record<string, string> {
  const sums = new Map<string, bigint>();
  for (const item of items)
    if (item.source === source && !SETTLED.has(item.state))
      sums.set(item.currency, (sums.get(item.currency) ?? 0n) + parseMicros(item.amount));
  return Object.fromEntries([...sums].map(([currency, micros]) => [currency, formatMicros(micros)]));
}
