import type { z } from 'zod';
import type { LastSync } from '../runs/index.js';
import { sourceMoneyLines, type FleetViewSchema } from '../../reads/index.js';
import type { StatusFacts, UnconfiguredTokens } from './status-facts.js';

/** A row of `status --fleet`: one source of one entity. */
type FleetRow = z.infer<typeof FleetViewSchema>[number];

/** What `status` prints of the status facts: the ledger, its sources' closes and syncs, the destinations. */
export function renderStatus(report: StatusFacts, when: (instant: string) => string): string {
  const lines = [
    `ledger: ${report.ledger}${report.integrity === 'ok' ? '' : ` DAMAGED: ${report.integrity}`}`,
    `journal entries: ${report.entries}${report.lastEntryDate ? ` (latest dated ${report.lastEntryDate})` : ''}`,
  ];
  for (const close of report.closesAfterToday) lines.push(`! ${close.message}`);
  lines.push('', 'last runs:');
  if (report.runs.length === 0) lines.push('  none yet');
  // One column for every command listed: "post --dry-run" is wider than "sync".
  const commandWidth = Math.max(9, ...report.runs.map((run) => run.command.length + 1));
  for (const run of report.runs) {
    lines.push(
      `  ${when(run.startedAt)}  ${run.command.padEnd(commandWidth)} ` +
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
export function renderFleet(rows: readonly FleetRow[], byEntity: boolean): string {
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
export function silentLines(report: StatusFacts): string {
  const silent = report.quiet.filter((row) => row.silent);
  if (silent.length === 0) return '';
  return `\nsilent sources:\n${silent.map((row) => `! ${row.message}: ${row.nextStep}\n`).join('')}`;
}
