import { daysBetween } from '../../calendar/index.js';
import { formatScaled, parseScaled } from '../../money/index.js';
import type { fleetView } from '../../reads/index.js';
import type { StatusFacts } from './status-facts.js';

type FleetRow = ReturnType<typeof fleetView>[number];

/** One entity's figures: the facts `status` shows, and its sources as `status --fleet` shows them (one read, fleetView). */
export interface EntityFigures {
  /** Every sample of the entity carries it as its first label, when the configuration has entities:. */
  readonly entity?: string | undefined;
  readonly facts: StatusFacts;
  readonly rows: readonly FleetRow[];
  /** The latest day a night closes: a source's lag counts from it. */
  readonly yesterday: string;
  /** Each command's latest run and latest successful one; without them, the runs `status` lists (its latest five). */
  readonly latestRuns?: StatusFacts['runs'] | undefined;
}

/**
 * The facts `status` shows, as Prometheus' text exposition format (version 0.0.4) for a scraper or node_exporter's
 * textfile collector: one gauge per fact, labelled by entity (with entities:), then command, source, destination,
 * kind or currency; each metric's HELP and TYPE once, its samples of every entity under them, so no series is
 * written twice. Amounts are written as exact decimal text from micro-units (Prometheus reads them as floats; the
 * ledger never does). Each per-source figure is the fleet row's (fleetView), so `metrics` and `status --fleet` agree.
 * Example: a sync that finished at 2026-03-03T02:31:00Z → `ledgerline_last_success_timestamp_seconds{command="sync"} 1772505060`.
 */
export function prometheusText(entities: readonly EntityFigures[], now: Date): string {
  const exposition = new Exposition();
  for (const figures of entities) {
    const out = exposition.labelled(figures.entity === undefined ? {} : { entity: figures.entity });
    entityMetrics(out, figures, now);
  }
  return exposition.text();
}

function entityMetrics(out: Gauges, { facts, rows, yesterday, latestRuns }: EntityFigures, now: Date): void {
  out.gauge('ledgerline_journal_entries', 'Journal entries in the ledger.', [[{}, facts.entries]]);
  out.gauge('ledgerline_ledger_healthy', '1 when the page check of the ledger found nothing, else 0.', [
    [{}, facts.integrity === 'ok' ? 1 : 0],
  ]);
  // Per command from its own latest runs: a queued night's closes (one run per source) do not hide its sync.
  runMetrics(out, latestRuns ?? facts.runs);
  sourceMetrics(out, facts, rows, yesterday);
  out.gauge(
    'ledgerline_unposted_entries',
    'Journal entries not yet delivered to a destination.',
    facts.unposted.map((row) => [{ destination: row.destination }, row.entries]),
  );
  out.gauge(
    'ledgerline_refused_entries',
    'Journal entries a destination refused (reconcile lists them).',
    facts.unposted.map((row) => [{ destination: row.destination }, row.refused]),
  );
  out.gauge(
    'ledgerline_open_items',
    'Action items nobody acknowledged, by kind (reconcile lists them).',
    facts.discrepancies.map((row) => [{ kind: row.kind }, row.open]),
  );
  out.gauge('ledgerline_quarantined_replies', 'Source replies kept aside because they did not read.', [
    [{}, facts.quarantined],
  ]);
  out.gauge('ledgerline_closes_after_today', 'Closes dated after today; each blocks its source.', [
    [{}, facts.closesAfterToday.length],
  ]);
  transitMetrics(out, facts);
  tokenMetrics(out, facts, now);
  silenceMetrics(out, facts, rows);
  callMetrics(out, facts);
}

type Labels = Readonly<Record<string, string>>;
type Sample = readonly [Labels, number | string];

/** Where a metric's samples go: the entity's labels are put first by the exposition. */
interface Gauges {
  gauge(name: string, help: string, samples: readonly Sample[]): void;
}

/**
 * The exposition's lines: per metric, in the order first written, a HELP and a TYPE line, then every entity's
 * samples; a metric without samples is left out.
 */
class Exposition {
  private readonly metrics = new Map<string, { help: string; samples: string[] }>();

  /** A writer whose samples carry `base` before their own labels. */
  labelled(base: Labels): Gauges {
    return {
      gauge: (name, help, samples) => {
        if (samples.length === 0) return;
        const metric = this.metrics.get(name) ?? { help, samples: [] };
        for (const [labels, value] of samples)
          metric.samples.push(`${name}${labelText({ ...base, ...labels })} ${value}`);
        this.metrics.set(name, metric);
      },
    };
  }

  text(): string {
    const lines = [...this.metrics].flatMap(([name, { help, samples }]) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} gauge`,
      ...samples,
    ]);
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** Backslash, double quote and line feed are escaped in a label value, as the format asks. */
function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

const seconds = (instant: string): number => Math.floor(Date.parse(instant) / 1000);

/** Per command, of the runs status lists (newest first): when it last succeeded, and how long its latest run took. */
function runMetrics(out: Gauges, runs: StatusFacts['runs']): void {
  const lastSuccess = new Map<string, number>();
  const lastDuration = new Map<string, number>();
  const lastFailed = new Map<string, number>();
  for (const run of runs) {
    if (!lastFailed.has(run.command) && run.outcome !== null)
      lastFailed.set(run.command, run.outcome === 'failed' ? 1 : 0);
    if (run.finishedAt === null) continue;
    if (!lastDuration.has(run.command))
      lastDuration.set(run.command, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
    if (!lastSuccess.has(run.command) && (run.outcome === 'ok' || run.outcome === 'attention'))
      lastSuccess.set(run.command, seconds(run.finishedAt));
  }
  const byCommand = (values: Map<string, number>): Sample[] =>
    [...values].sort(([a], [b]) => a.localeCompare(b)).map(([command, value]) => [{ command }, value]);
  out.gauge(
    'ledgerline_last_success_timestamp_seconds',
    'When the latest successful run of a command finished (Unix seconds).',
    byCommand(lastSuccess),
  );
  out.gauge('ledgerline_last_run_duration_seconds', "How long a command's latest run took.", byCommand(lastDuration));
  out.gauge('ledgerline_last_run_failed', "1 when a command's latest run failed, else 0.", byCommand(lastFailed));
}

/**
 * Per source, from its fleet row: its lag (calendar days from its latest close to yesterday, the latest day a night
 * closes: 0 is up to date, 3 is three nights missing), whether its part of the latest sync booked or found nothing
 * new (1) or failed (0; none when it was not in it), its open items as reconcile counts them (per kind), and its
 * panel orders.
 */
function sourceMetrics(out: Gauges, facts: StatusFacts, rows: readonly FleetRow[], yesterday: string): void {
  out.gauge(
    'ledgerline_source_lag_days',
    "Calendar days from a source's latest close to yesterday (0: up to date).",
    facts.lastCloses.map((close) => [{ source: close.sourceId }, daysBetween(close.date, yesterday)]),
  );
  out.gauge(
    'ledgerline_source_last_sync_ok',
    "1 when the source's part of the latest sync booked or found nothing new, 0 when it failed.",
    rows.flatMap((row): Sample[] =>
      row.lastResult === 'not synced' ? [] : [[{ source: row.source }, row.lastResult === 'ok' ? 1 : 0]],
    ),
  );
  out.gauge(
    'ledgerline_source_last_sync_events',
    'Events the latest sync took from the source.',
    (facts.lastSync?.sources ?? []).map((source) => [{ source: source.sourceId }, source.events]),
  );
  out.gauge(
    'ledgerline_source_open_items',
    "A source's action items nobody acknowledged, by kind, as `reconcile` lists them.",
    facts.openBySource.map((row) => [{ source: row.source, kind: row.kind }, row.open]),
  );
  out.gauge(
    'ledgerline_open_orders',
    'Panel orders by state: open, unknown to the panel, finished.',
    facts.openOrders.flatMap((row): Sample[] => [
      [{ source: row.sourceId, state: 'open' }, row.open],
      [{ source: row.sourceId, state: 'unknown' }, row.unknown],
      [{ source: row.sourceId, state: 'finished' }, row.terminal],
    ]),
  );
}

/** Age bands of money in transit, in days since the payout or top-up was reported. */
const AGE_BANDS: readonly { label: string; upTo: number }[] = [
  { label: '0-7', upTo: 7 },
  { label: '8-30', upTo: 30 },
  { label: '31+', upTo: Number.POSITIVE_INFINITY },
];
const SETTLED = new Set(['matched', 'closed']);
const MICROS = 6;

/** Payouts and top-ups no bank line settled yet, summed exactly per currency and age band. */
function transitMetrics(out: Gauges, facts: StatusFacts): void {
  if (facts.moneyInTransit === undefined) return;
  const sums = new Map<string, { currency: string; age: string; micros: bigint; items: number }>();
  for (const item of facts.moneyInTransit.items) {
    if (SETTLED.has(item.state)) continue;
    const age = AGE_BANDS.find((band) => item.ageDays <= band.upTo)?.label ?? '31+';
    const key = `${item.currency} ${age}`;
    const sum = sums.get(key) ?? { currency: item.currency, age, micros: 0n, items: 0 };
    sum.micros += parseScaled(item.amount, MICROS);
    sum.items += 1;
    sums.set(key, sum);
  }
  const rows = [...sums.values()].sort((a, b) => `${a.currency} ${a.age}`.localeCompare(`${b.currency} ${b.age}`));
  out.gauge(
    'ledgerline_money_in_transit',
    'Payouts and top-ups not yet settled by a bank line, by currency and age in days.',
    rows.map((row) => [{ currency: row.currency, age_days: row.age }, formatScaled(row.micros, MICROS, 2)]),
  );
  out.gauge(
    'ledgerline_money_in_transit_items',
    'How many payouts and top-ups are not yet settled, by currency and age in days.',
    rows.map((row) => [{ currency: row.currency, age_days: row.age }, row.items]),
  );
}

/** Days left on each destination's refresh token; a token store that cannot be read gives none. */
function tokenMetrics(out: Gauges, facts: StatusFacts, now: Date): void {
  if ('error' in facts.tokens) return;
  out.gauge(
    'ledgerline_token_expiry_days',
    "Days until a destination's refresh token expires (connect again before 0).",
    facts.tokens.map((token) => [
      { destination: token.destination },
      Math.floor((Date.parse(token.refreshTokenExpiresAt) - now.getTime()) / 86_400_000),
    ]),
  );
}

/** Per source: days its closes brought nothing new, and 1 once its fleet row says silent (its silentAfterDays reached, not failing). */
function silenceMetrics(out: Gauges, facts: StatusFacts, rows: readonly FleetRow[]): void {
  out.gauge(
    'ledgerline_source_quiet_days',
    "Days since a source's closes last brought new data (new orders, a balance or counter move).",
    facts.quiet.map((row) => [{ source: row.source }, row.quietDays]),
  );
  out.gauge(
    'ledgerline_source_silent',
    '1 when a source has brought no new data for its silentAfterDays or more (and is not failing), else 0.',
    rows.map((row) => [{ source: row.source }, row.silentDays === null ? 0 : 1]),
  );
}

/**
 * Per destination organisation (Xero tenant, QuickBooks realm): the calls posts made to it this UTC day (the
 * call_budgets counters) and the calls its vendor said were left (Xero's X-DayLimit-Remaining, as last sent; none
 * when the vendor sends no such figure).
 */
function callMetrics(out: Gauges, facts: StatusFacts): void {
  const rows = facts.callsToday ?? [];
  const labels = (row: (typeof rows)[number]): Labels => ({
    destination: row.destination,
    organisation: row.organisation,
  });
  out.gauge(
    'ledgerline_calls_used_today',
    'Calls posts made to a destination organisation this UTC day (its daily limit counts the same day).',
    rows.map((row) => [labels(row), row.callsUsed]),
  );
  out.gauge(
    'ledgerline_calls_left_today',
    "Calls a destination organisation's vendor said were left this UTC day, as it last said.",
    rows.flatMap((row): Sample[] => (row.vendorRemaining === undefined ? [] : [[labels(row), row.vendorRemaining]])),
  );
}
