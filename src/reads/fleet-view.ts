import { z } from 'zod';
import { daysBetween } from '../calendar/index.js';
import { formatMicros, parseMicros } from '../money/index.js';
import type { SourceQuiet } from './silent-sources.js';

/** `status --fleet --json`: one row per configured source, the most in need first. */
export const FleetRowSchema = z.object({
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
  /** Panel orders still open at the panel. */
  openItems: z.number().int(),
  /** Payouts and top-ups reported and not yet matched at the bank or the destination, per currency, as decimal text. */
  inTransit: z.record(z.string(), z.string()),
  /** Days its closes brought nothing new, once that reaches its silentAfterDays (a failing source is failing, not silent); else null. */
  silentDays: z.number().int().nullable(),
  /** The first day of that silence; null when not silent. */
  silentSince: z.string().nullable(),
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
  /** The sources the queue parked, with the reason. */
  readonly parked?: readonly { sourceId: string; reason: string }[] | undefined;
  readonly transit?:
    { items: readonly { source: string; amount: string; currency: string; state: string }[] } | undefined;
  readonly quiet?: readonly SourceQuiet[] | undefined;
}

/** Settled: the bank or the destination shows it, or a person closed it. */
const SETTLED = new Set(['matched', 'closed']);
/** A source's part of a sync that booked nothing it should have (the others: booked, or nothing new). */
const FAILED = new Set(['failed', 'refused']);
const NEED_ORDER = { failing: 0, 'not synced': 1, ok: 2 } as const;

/**
 * The fleet as rows, sorted by need: failing, then not synced, then silent, then by lag (the longest first), then by id; the facts
 * of each entity's books, when the configuration has several, give one view.
 */
export function fleetView(facts: FleetFacts | readonly FleetFacts[]): FleetRow[] {
  const rows = ('sources' in facts ? [facts] : facts).flatMap(rowsOf);
  return rows.sort(
    (a, b) =>
      NEED_ORDER[a.lastResult] - NEED_ORDER[b.lastResult] ||
      (b.silentDays ?? -1) - (a.silentDays ?? -1) ||
      (b.lagDays ?? Infinity) - (a.lagDays ?? Infinity) ||
      a.source.localeCompare(b.source),
  );
}

function rowsOf(facts: FleetFacts): FleetRow[] {
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
      openItems: facts.openOrders.find((row) => row.sourceId === source.id)?.open ?? 0,
      inTransit: inTransitOf(source.id, facts.transit?.items ?? []),
      silentDays: quiet?.quietDays ?? null,
      silentSince: quiet?.since ?? null,
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
