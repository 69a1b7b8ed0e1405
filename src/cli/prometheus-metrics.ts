import { daysBetween } from '../calendar/index.js';
import { formatScaled, parseScaled } from '../money/index.js';
import type { Config } from '../config/index.js';
import type { CommandProcess } from './command.js';
import { readStatusFacts, type StatusFacts } from './status-facts.js';

/** `ledgerline metrics` and `serve`'s /metrics alike: the status facts read now, as Prometheus text. */
export async function metricsText(context: CommandProcess, config: Config): Promise<string> {
  const { yesterday, facts } = await readStatusFacts(context, config);
  return prometheusText(facts, { yesterday, now: context.now(), entity: config.entity });
}

/**
 * The facts `status` shows, as Prometheus' text exposition format (version 0.0.4) for a scraper or node_exporter's
 * textfile collector: one gauge per fact, labelled by command, source, destination, kind or currency. Amounts are
 * written as exact decimal text from micro-units (Prometheus reads them as floats; the ledger never does).
 * Example: a sync that finished at 2026-03-03T02:31:00Z → `ledgerline_last_success_timestamp_seconds{command="sync"} 1772505060`.
 */
export function prometheusText(
  facts: StatusFacts,
  days: { yesterday: string; now: Date; entity?: string | undefined },
): string {
  const out = new Exposition();
  out.gauge('ledgerline_journal_entries', 'Journal entries in the ledger.', [[{}, facts.entries]]);
  out.gauge('ledgerline_ledger_healthy', '1 when the page check of the ledger found nothing, else 0.', [
    [{}, facts.integrity === 'ok' ? 1 : 0],
  ]);
  runMetrics(out, facts.runs);
  sourceMetrics(out, facts, days.yesterday);
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
  tokenMetrics(out, facts, days.now);
  silenceMetrics(out, facts);
  callMetrics(out, facts, days.entity);
  return out.text();
}

type Labels = Readonly<Record<string, string>>;
type Sample = readonly [Labels, number | string];

/** The exposition's lines: a HELP and a TYPE line per metric, then its samples; a metric without samples is left out. */
class Exposition {
  private readonly lines: string[] = [];

  gauge(name: string, help: string, samples: readonly Sample[]): void {
    if (samples.length === 0) return;
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) this.lines.push(`${name}${labelText(labels)} ${value}`);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
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
function runMetrics(out: Exposition, runs: StatusFacts['runs']): void {
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
 * Per source: its lag (calendar days from its latest close to yesterday, the latest day a night closes: 0 is up to
 * date, 3 is three nights missing), how its part of the latest sync went, and its panel orders.
 */
function sourceMetrics(out: Exposition, facts: StatusFacts, yesterday: string): void {
  out.gauge(
    'ledgerline_source_lag_days',
    "Calendar days from a source's latest close to yesterday (0: up to date).",
    facts.lastCloses.map((close) => [{ source: close.sourceId }, daysBetween(close.date, yesterday)]),
  );
  const synced = facts.lastSync?.sources ?? [];
  out.gauge(
    'ledgerline_source_last_sync_ok',
    "1 when the source's part of the latest sync succeeded, else 0.",
    synced.map((source) => [{ source: source.sourceId }, source.outcome === 'ok' ? 1 : 0]),
  );
  out.gauge(
    'ledgerline_source_last_sync_events',
    'Events the latest sync took from the source.',
    synced.map((source) => [{ source: source.sourceId }, source.events]),
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
function transitMetrics(out: Exposition, facts: StatusFacts): void {
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
function tokenMetrics(out: Exposition, facts: StatusFacts, now: Date): void {
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

/** Per source: days its closes brought nothing new, and 1 once that makes it silent (its silentAfterDays reached). */
function silenceMetrics(out: Exposition, facts: StatusFacts): void {
  out.gauge(
    'ledgerline_source_quiet_days',
    "Days since a source's closes last brought new data (new orders, a balance or counter move).",
    facts.quiet.map((row) => [{ source: row.source }, row.quietDays]),
  );
  out.gauge(
    'ledgerline_source_silent',
    '1 when a source has brought no new data for its silentAfterDays or more, else 0.',
    facts.quiet.map((row) => [{ source: row.source }, row.silent ? 1 : 0]),
  );
}

/**
 * Per destination organisation (Xero tenant, QuickBooks realm): the calls posts made to it this UTC day (the
 * call_budgets counters) and the calls its vendor said were left (Xero's X-DayLimit-Remaining, as last sent; none
 * when the vendor sends no such figure), labelled with the entity when the configuration has entities:.
 */
function callMetrics(out: Exposition, facts: StatusFacts, entity: string | undefined): void {
  const rows = facts.callsToday ?? [];
  const labels = (row: (typeof rows)[number]): Labels => ({
    ...(entity === undefined ? {} : { entity }),
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
