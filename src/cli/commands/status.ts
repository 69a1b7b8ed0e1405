import { z } from 'zod';
import { readableTime } from '../../calendar/index.js';
import { EXIT, LedgerStorageError } from '../../errors.js';
import { booksDays } from '../calendar.js';
import { lastSync, type LastSync } from '../../pipeline/runs/index.js';
import { statusReport, type StatusReport } from '../../reads/index.js';
import { nextCronRun } from '../../scheduler/cron-schedule.js';
import { describeTokenHealth, openTokenStore } from '../../destinations/index.js';
import type { Config } from '../../config/index.js';
import { listedReconcileItems, openItemsByKind } from '../reconcile-reads.js';
import { connectionsNeedingAction, type ConnectionNeedingAction } from '../connections-needing-action.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor, writeJson } from '../load.js';
import { sourceMoneyLines } from '../source-money-text.js';
import { moneyInTransit, transitTerms } from '../../pipeline/transit/index.js';
import { followsMoneyInTransitIn } from '../transit-documents.js';
import { renderTransit } from '../transit-text.js';

type StoredTokensByDestination = ReturnType<ReturnType<typeof openTokenStore>['readAll']>;

export const statusCommand: Command = withFlags({
  usage: 'ledgerline status [--json]',
  flags: z.object({}),
  examples: ['ledgerline status          # the morning check', 'ledgerline status --json   # for a monitoring script'],
  async run(context) {
    const config = loadConfigFor(context);
    const destinations = Object.keys(config.destinations);
    const { today } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
    const report = {
      ...(await withBooksFor(config, { forReading: true }, async (books) => ({
        // pipeline/runs still reads the last sync from the store (transitional, issue 39).
        ...(await statusReport(books.ledgerReads, {
          ledgerPath: config.ledger,
          destinations,
          today,
          lastSync: () => lastSync(books.runRecords),
        })),
        // What is open is what reconcile lists open, counted from the same report.
        ...openItemsByKind(await listedReconcileItems(books, config, { asOf: today, today })),
        ...(followsMoneyInTransitIn(config)
          ? {
              moneyInTransit: (
                await moneyInTransit(books.transitBooks, {
                  asOf: today,
                  terms: transitTerms(config.sources),
                  record: false,
                  now: context.now(),
                })
              ).report,
            }
          : {}),
      }))),
      schedule: config.schedule
        ? {
            cron: config.schedule.cron,
            timezone: config.schedule.timezone,
            nextRunAt: (await nextCronRun(config.schedule.cron, config.schedule.timezone))?.toISOString() ?? null,
          }
        : null,
      ...tokensAndConnections(config, context.now()),
    };
    if (context.json) writeJson(context, report);
    else
      context.stdout.write(
        `${renderStatus(report, readableTime(config.timezone))}${report.moneyInTransit === undefined || report.moneyInTransit.items.length === 0 ? '' : `\n${renderTransit(report.moneyInTransit)}`}`,
      );
    if (report.integrity !== 'ok') {
      throw new LedgerStorageError(
        `the ledger ${config.ledger} is damaged (${report.integrity}); restore it from a backup before the next sync`,
      );
    }
    return report.closesAfterToday.length > 0 ? EXIT.attention : EXIT.ok;
  },
});

interface TokenHealth {
  destination: string;
  refreshTokenExpiresAt: string;
  expiresInDays: number;
  /** The organisation `connect` chose, the last rotation: present when the store holds them. */
  organisation?: string;
  rotatedAt?: string;
}

/**
 * From one read of the token store: how long each destination's refresh token has left, for which organisation,
 * and each configured destination whose connection needs a person (not connected, expired) with the one next
 * step. A token store that cannot be read is said once, on the tokens line, not fatal.
 */
function tokensAndConnections(
  config: Config,
  now: Date,
): {
  tokens: TokenHealth[] | { error: string };
  connections: ConnectionNeedingAction[];
  unconfiguredTokens?: UnconfiguredTokens;
} {
  let stored: StoredTokensByDestination;
  try {
    stored = openTokenStore(config.tokenStore).readAll();
  } catch (error) {
    return { tokens: { error: error instanceof Error ? error.message : String(error) }, connections: [] };
  }
  // A destination removed from the configuration keeps its tokens in the store: said once, not listed as in use.
  const unconfigured = Object.keys(stored)
    .filter((destination) => !(destination in config.destinations))
    .sort();
  const tokens = Object.entries(stored)
    .filter(([destination]) => destination in config.destinations)
    .flatMap(([destination, held]): TokenHealth[] => {
      if (held.refreshTokenExpiresAt === undefined) return [];
      const expiresAt = new Date(held.refreshTokenExpiresAt);
      const health = describeTokenHealth(destination, held, now, 0);
      return [
        {
          destination,
          refreshTokenExpiresAt: expiresAt.toISOString(),
          expiresInDays: Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000),
          ...(health.organisation === undefined ? {} : { organisation: health.organisation }),
          ...(health.rotatedAt === undefined ? {} : { rotatedAt: health.rotatedAt }),
        },
      ];
    });
  const connections = connectionsNeedingAction(config, stored, now);
  return {
    tokens,
    connections,
    ...(unconfigured.length === 0
      ? {}
      : { unconfiguredTokens: { destinations: unconfigured, tokenStore: config.tokenStore, configFile: config.file } }),
  };
}

/** Tokens the store keeps for destinations the configuration no longer names. */
interface UnconfiguredTokens {
  destinations: string[];
  tokenStore: string;
  configFile: string;
}

type FullStatus = StatusReport & {
  forTheRecord: { kind: string; count: number }[];
  unconfiguredTokens?: UnconfiguredTokens;
} & { connections: ConnectionNeedingAction[] } & {
  schedule: { cron: string; timezone: string; nextRunAt: string | null } | null;
  tokens: TokenHealth[] | { error: string };
};

function renderStatus(report: FullStatus, when: (instant: string) => string): string {
  const lines = [
    `ledger: ${report.ledger}${report.integrity === 'ok' ? '' : ` DAMAGED: ${report.integrity}`}`,
    `journal entries: ${report.entries}${report.lastEntryDate ? ` (latest dated ${report.lastEntryDate})` : ''}`,
  ];
  for (const close of report.closesAfterToday) lines.push(`! ${close.message}`);
  lines.push('', 'last runs:');
  if (report.runs.length === 0) lines.push('  none yet');
  for (const run of report.runs) {
    lines.push(
      `  ${when(run.startedAt)}  ${run.command.padEnd(9)} ${run.outcome ?? 'running or interrupted'}${run.asOf ? ` (as of ${run.asOf})` : ''}${run.error ? `: ${run.error}` : ''}`,
    );
  }
  lines.push('', ...lastSyncLines(report.lastSync, when));
  lines.push('', 'closes taken:');
  if (report.lastCloses.length === 0) lines.push('  none yet');
  for (const close of report.lastCloses) lines.push(`  ${close.sourceId}: latest close ${close.date}`);
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
      ? `schedule: "${report.schedule.cron}" (${report.schedule.timezone}), next run ${report.schedule.nextRunAt === null ? 'unknown' : when(report.schedule.nextRunAt)}`
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

/** Tokens kept for destinations the configuration no longer names, and how to remove them (disconnect needs the app's section to revoke them). */
function unconfiguredTokensLine({ destinations, tokenStore, configFile }: UnconfiguredTokens): string {
  const which = destinations.length === 1 ? destinations[0]! : 'DEST';
  return `tokens: ${destinations.join(', ')} kept in ${tokenStore}, though ${configFile} no longer configures ${destinations.length === 1 ? 'it' : 'them'}: unused; to remove them, put destinations.${which} back and run ledgerline disconnect ${which} (it revokes them at the vendor)`;
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
