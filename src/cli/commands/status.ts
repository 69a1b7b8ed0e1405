import { z } from 'zod';
import { readableTime } from '../../calendar/index.js';
import type { Config } from '../../config/index.js';
import { EXIT, LedgerStorageError, UsageError, type ExitCode } from '../../errors.js';
import type { LastSync } from '../../pipeline/runs/index.js';
import type { Command, CommandContext } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { FLEET_SORTS, type FleetViewSchema } from '../../reads/index.js';
import { loadConfigFor, loadEachEntityConfigFor, withBooksFor, writeJson } from '../load.js';
import { checkWitness } from '../../pipeline/witness/index.js';
import { sourceMoneyLines } from '../source-money-text.js';
import { renderTransit } from '../transit-text.js';
import { readStatusFacts, type StatusFacts, type UnconfiguredTokens } from '../status-facts.js';
import type { EntityStatus, QueueFilter } from '../status-exceptions.js';
import { EXCEPTION_KINDS } from '../../reads/exception-queue-kinds.js';

export const statusCommand: Command = withFlags({
  usage:
    'ledgerline status [--fleet [--sort ORDER] | --exceptions [--kind K] [--assignee NAME] [--open|--acknowledged]] [--json]',
  flags: z.object({
    fleet: flag.boolean(
      'one line per source: last success, lag, last result, open items, money in transit, calls today, token days; most in need first',
    ),
    exceptions: flag.boolean(
      'everything needing a person across the entities, oldest first: entity, what, since when, the next step',
    ),
    sort: flag.choice(FLEET_SORTS, FLEET_SORTS.join('|'), 'with --fleet: the order of its lines (need: the default)'),
    kind: flag.choice(EXCEPTION_KINDS, 'KIND', `with --exceptions: only items of KIND (${EXCEPTION_KINDS.join(', ')})`),
    assignee: flag.text('NAME', 'with --exceptions: only the items assigned to NAME (exceptions assign ID --to NAME)'),
    open: flag.boolean('with --exceptions: only the items nobody acknowledged, or whose facts changed since'),
    acknowledged: flag.boolean('with --exceptions: only the acknowledged items'),
  }),
  examples: [
    'ledgerline status          # the morning check',
    'ledgerline status --json   # for a monitoring script',
    'ledgerline status --fleet  # thirty panels at a glance: failing first, then the longest behind',
    "ledgerline status --exceptions   # the practice's work list: failing, parked and silent sources, late money, tokens, open items",
    'ledgerline status --exceptions --open --assignee ana   # what is still waiting on ana',
    'ledgerline status --fleet --sort token   # the organisation whose authorization lapses first on top',
  ],
  async run(context) {
    if (context.flags.fleet && context.flags.exceptions)
      throw new UsageError('--fleet and --exceptions are two views: give one');
    const { kind, assignee, open, acknowledged } = context.flags;
    if (!context.flags.exceptions && (kind ?? assignee ?? (open || acknowledged || undefined)) !== undefined)
      throw new UsageError('--kind, --assignee, --open and --acknowledged choose the items of --exceptions: add it');
    if (open && acknowledged) throw new UsageError('--open and --acknowledged are two halves of the queue: give one');
    if (context.flags.exceptions)
      return exceptionsStatus(context, {
        kind,
        assignee,
        state: open ? 'open' : acknowledged ? 'acknowledged' : undefined,
      });
    if (context.flags.fleet) return fleetStatus(context);
    if (context.flags.sort !== undefined) throw new UsageError('--sort orders the lines of --fleet: add --fleet');
    const config = loadConfigFor(context);
    const { facts: report } = await readStatusFacts(context, config);
    if (context.json) writeJson(context, report);
    else
      context.stdout.write(
        `${renderStatus(report, readableTime(config.timezone))}${silentLines(report)}${report.moneyInTransit === undefined || report.moneyInTransit.items.length === 0 ? '' : `\n${renderTransit(report.moneyInTransit)}`}`,
      );
    refuseDamaged(config, report);
    const witnessed = await witnessFindingLines(config);
    (context.json ? context.stderr : context.stdout).write(witnessed.map((line) => `${line}\n`).join(''));
    return report.closesAfterToday.length > 0 || witnessed.length > 0 ? EXIT.attention : EXIT.ok;
  },
});

/** Each witnessed chain head or certificate the ledger no longer gives (issue 73): status exits 1 naming it, as verify does. */
async function witnessFindingLines(config: Config): Promise<string[]> {
  const { findings } = await withBooksFor(config, { forReading: true }, (books) => checkWitness(config.witness, books));
  return findings.map((finding) => `! ${finding.kind}: ${finding.message}`);
}

function refuseDamaged(config: Config, report: StatusFacts): void {
  if (report.integrity !== 'ok') {
    throw new LedgerStorageError(
      `the ledger ${config.ledger} is damaged (${report.integrity}); restore it from a backup before the next sync`,
    );
  }
}

/** `status --fleet`: the sources of every entity (the one --entity names, else each), one view; with entities:, a column names each row's. */
type FleetRow = z.infer<typeof FleetViewSchema>[number];

async function fleetStatus(
  context: CommandContext<{ fleet: boolean; sort?: (typeof FLEET_SORTS)[number] | undefined }>,
): Promise<ExitCode> {
  // The fleet's and the queue's reads and schemas are loaded for their views alone: `status --json`, which a script
  // runs every minute, never needs them.
  const [{ readFleet }, { FleetViewSchema }] = await Promise.all([
    import('../status-exceptions.js'),
    import('../../reads/fleet-view.js'),
  ]);
  const { statuses, rows } = await readFleet(context, context.flags.sort);
  if (context.json) writeJson(context, FleetViewSchema.parse(rows));
  else
    context.stdout.write(
      renderFleet(
        rows,
        statuses.some((status) => status.config.entity !== undefined),
      ),
    );
  return afterAll(statuses);
}

/** `status --exceptions`: everything needing a person across the entities, oldest first; exit 1 when there is any. */
async function exceptionsStatus(context: CommandContext<object>, filter: QueueFilter): Promise<ExitCode> {
  const [{ exceptionsOf, filteredQueue, readEntityStatuses, renderExceptions }, { ExceptionQueueSchema }] =
    await Promise.all([import('../status-exceptions.js'), import('../../reads/exception-queue.js')]);
  const statuses = await readEntityStatuses(context, loadEachEntityConfigFor(context));
  const exceptions = filteredQueue(exceptionsOf(statuses), filter);
  if (context.json) writeJson(context, ExceptionQueueSchema.parse(exceptions));
  else context.stdout.write(renderExceptions(exceptions));
  const exit = afterAll(statuses);
  // Exit 1 while an item listed waits for a person; an acknowledged one no longer does.
  return exit === EXIT.ok && exceptions.some((each) => each.state === 'open') ? EXIT.attention : exit;
}

/** A damaged ledger refused, once each entity's lines are out; exit 1 when a close is dated after today. */
function afterAll(statuses: readonly EntityStatus[]): ExitCode {
  for (const { config, report } of statuses) refuseDamaged(config, report);
  return statuses.some(({ report }) => report.closesAfterToday.length > 0) ? EXIT.attention : EXIT.ok;
}

function renderStatus(report: StatusFacts, when: (instant: string) => string): string {
  const lines = [
    `ledger: ${report.ledger}${report.integrity === 'ok' ? '' : ` DAMAGED: ${report.integrity}`}`,
    `journal entries: ${report.entries}${report.lastEntryDate ? ` (latest dated ${report.lastEntryDate})` : ''}`,
  ];
  for (const close of report.closesAfterToday) lines.push(`! ${close.message}`);
  lines.push('', 'last runs:');
  if (report.runs.length === 0) lines.push('  none yet');
  for (const run of report.runs) {
    lines.push(
      `  ${when(run.startedAt)}  ${run.command.padEnd(9)} ` +
        `${run.outcome ?? 'running or interrupted'}${run.asOf ? ` (as of ${run.asOf})` : ''}${run.error ? `: ${run.error}` : ''}`,
    );
  }
  lines.push('', ...lastSyncLines(report.lastSync, when));
  lines.push('', 'closes taken:', ...closesTakenLines(report));
  if (report.openOrders.length > 0) {
    lines.push('', 'panel orders:');
    for (const row of report.openOrders)
      lines.push(`  ${row.sourceId}: ${row.open} open, ${row.unknown} unknown to the panel, ${row.terminal} finished`);
  }
  if (report.unposted.length > 0) {
    lines.push('', 'delivery:');
    for (const row of report.unposted)
      lines.push(
        `  ${row.destination}: ${row.entries} entries not yet posted${row.refused ? `, ${row.refused} refused (see reconcile)` : ''}`,
      );
  }
  // Open as reconcile counts it: an action item nobody acknowledged. Information (a computed refund) needs no one: apart.
  const open = report.discrepancies.reduce((sum, row) => sum + row.open, 0);
  lines.push('', `open discrepancies: ${open}${open === 0 ? '' : ' (ledgerline reconcile lists them)'}`);
  for (const row of report.discrepancies) lines.push(`  ${row.kind}: ${row.open}`);
  if (report.forTheRecord.length > 0)
    lines.push(
      `for the record, no one needs to act: ${report.forTheRecord.map((row) => `${row.kind} ${row.count}`).join(', ')}`,
    );
  if (report.explainedFalls !== undefined)
    lines.push(`  balance falls explained by orders learned later (resolved, not open): ${report.explainedFalls}`);
  lines.push(`quarantined replies: ${report.quarantined}`);
  lines.push(
    '',
    report.schedule
      ? `schedule: "${report.schedule.cron}" (${report.schedule.timezone}), next run ` +
          `${report.schedule.nextRunAt === null ? 'unknown' : when(report.schedule.nextRunAt)}`
      : 'schedule: not configured',
  );
  const advice = (destination: string) =>
    report.connections.find((connection) => connection.destination === destination);
  for (const connection of report.connections)
    if (connection.state === 'not-connected')
      lines.push(`tokens: ${connection.destination} not connected; ${connection.nextStep}`);
  if ('error' in report.tokens) lines.push(`tokens: ${report.tokens.error}`);
  else if (report.tokens.length === 0 && report.connections.length === 0 && report.unconfiguredTokens === undefined)
    lines.push('tokens: none stored yet');
  else {
    for (const token of report.tokens) {
      const who = token.organisation === undefined ? '' : ` (${token.organisation})`;
      const rotated = token.rotatedAt === undefined ? '' : `, last rotated ${when(token.rotatedAt)}`;
      const expired =
        advice(token.destination)?.state === 'expired' ? `; ${advice(token.destination)?.nextStep ?? ''}` : '';
      lines.push(
        `tokens: ${token.destination}${who} refresh token expires ${when(token.refreshTokenExpiresAt)} (in ${token.expiresInDays} days)${rotated}${expired}`,
      );
    }
  }
  if (report.unconfiguredTokens !== undefined) lines.push(unconfiguredTokensLine(report.unconfiguredTokens));
  return `${lines.join('\n')}\n`;
}

/** Each source's latest close, and the sources the queue parked with the reason. */
function closesTakenLines(report: StatusFacts): string[] {
  const lines = report.lastCloses.map((close) => `  ${close.sourceId}: latest close ${close.date}`);
  if (lines.length === 0) lines.push('  none yet');
  for (const source of report.parked ?? [])
    lines.push(
      `  ${source.sourceId} parked: ${source.reason} (its close of ${source.day} failed in every try; sync --source ${source.sourceId} books it and unparks it)`,
    );
  return lines;
}

/** Tokens kept for destinations the configuration no longer names, and how to remove them (disconnect needs the app's section to revoke them). */
function unconfiguredTokensLine({ destinations, tokenStore, configFile }: UnconfiguredTokens): string {
  const which = destinations.length === 1 ? destinations[0]! : 'DEST';
  return (
    `tokens: ${destinations.join(', ')} kept in ${tokenStore}, though ${configFile} no longer ` +
    `configures ${destinations.length === 1 ? 'it' : 'them'}: unused; to remove them, put destinations.${which} ` +
    `back and run ledgerline disconnect ${which} (it revokes them at the vendor)`
  );
}

/** The latest sync's money per source, as `sync` printed it, and why it failed if it did. */
function lastSyncLines(last: LastSync | null, when: (instant: string) => string): string[] {
  if (last === null) return ['last sync: none yet'];
  const what = `${last.command}${last.asOf === null ? '' : ` as of ${last.asOf}`}`;
  const lines = [
    `last sync: ${what}, started ${when(last.startedAt)}: ${last.outcome ?? 'running or interrupted'}${last.error === null ? '' : `: ${last.error}`}`,
  ];
  if (last.sources === null) lines.push('  (no money recorded for this run)');
  else for (const source of last.sources) lines.push(...sourceMoneyLines(source));
  return lines;
}

/** The fleet as a table, one line a source; `failing` carries its reason at the end of the line. */
function renderFleet(rows: readonly FleetRow[], byEntity: boolean): string {
  const entity = (values: readonly string[]) => (byEntity ? values : []);
  const header = [
    ...entity(['entity']),
    'source',
    'kind',
    'last success',
    'lag',
    'last result',
    'open',
    'orders',
    'in transit',
    'silent',
    'calls today',
    'token',
  ];
  const cells = rows.map((row) => [
    ...entity([row.entity ?? '']),
    row.source,
    row.kind,
    row.lastSuccess ?? 'never',
    row.lagDays === null ? '-' : `${row.lagDays}d`,
    row.reason === undefined ? row.lastResult : `${row.lastResult}: ${row.reason}`,
    String(row.openItems),
    String(row.openOrders),
    Object.entries(row.inTransit)
      .map(([currency, amount]) => `${amount} ${currency}`)
      .join(', ') || '-',
    row.silentDays === null ? '-' : `${row.silentDays}d since ${row.silentSince}`,
    organisationsText(row, (each) =>
      each.callsLeftToday === null ? `${each.callsToday}` : `${each.callsToday} (${each.callsLeftToday} left)`,
    ),
    organisationsText(row, (each) => (each.tokenDaysLeft === null ? null : `${each.tokenDaysLeft}d`)),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, column) => value.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const failing = rows.filter((row) => row.lastResult === 'failing').length;
  const silent = rows.filter((row) => row.silentDays !== null).length;
  const counts = `${rows.length} sources, ${failing} failing${silent === 0 ? '' : `, ${silent} silent`}`;
  return [line(header), ...cells.map(line), '', counts, ''].join('\n');
}

/** Per destination organisation, "xero 212 (4788 left)"; one destination is written without its name; "-" when none says. */
function organisationsText(
  row: FleetRow,
  text: (organisation: FleetRow['organisations'][number]) => string | null,
): string {
  const said = row.organisations.flatMap((each) => {
    const value = text(each);
    return value === null ? [] : [row.organisations.length === 1 ? value : `${each.destination} ${value}`];
  });
  return said.join(', ') || '-';
}

/** The silent sources, each in a finance person's words with the one thing to check; nothing when none is. */
function silentLines(report: StatusFacts): string {
  const silent = report.quiet.filter((row) => row.silent);
  if (silent.length === 0) return '';
  return `\nsilent sources:\n${silent.map((row) => `! ${row.message}: ${row.nextStep}\n`).join('')}`;
}
