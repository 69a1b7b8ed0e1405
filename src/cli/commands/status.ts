import { z } from 'zod';
import { EXIT, LedgerStorageError } from '../../errors.js';
import { booksDays } from '../calendar.js';
import { lastSync, type LastSync } from '../../pipeline/runs/index.js';
import { statusReport, type StatusReport } from '../../pipeline/reports/index.js';
import { readRefreshTokenExpiries } from '../../alerts/token-expiry.js';
import { nextCronRun } from '../../scheduler/cron-schedule.js';
import { describeTokenHealth, openTokenStore } from '../../destinations/index.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor, writeJson } from '../load.js';
import { sourceMoneyLines } from '../source-money-text.js';
import { moneyInTransit, transitTerms } from '../../pipeline/transit/index.js';
import { renderTransit } from '../transit-text.js';

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
        ...(await statusReport(books.ledgerReads, { ledgerPath: config.ledger, destinations, today, lastSync: () => lastSync(books.runRecords) })),
        moneyInTransit: (await moneyInTransit(books.transitBooks, { asOf: today, terms: transitTerms(config.sources), record: false, now: context.now() })).report,
      }))),
      schedule: config.schedule
        ? { cron: config.schedule.cron, timezone: config.schedule.timezone, nextRunAt: (await nextCronRun(config.schedule.cron, config.schedule.timezone))?.toISOString() ?? null }
        : null,
      tokens: tokenHealth(config.tokenStore, context.now()),
    };
    if (context.json) writeJson(context, report);
    else context.stdout.write(`${renderStatus(report)}${report.moneyInTransit.items.length === 0 ? '' : `\n${renderTransit(report.moneyInTransit)}`}`);
    if (report.integrity !== 'ok') {
      throw new LedgerStorageError(`the ledger ${config.ledger} is damaged (${report.integrity}); restore it from a backup before the next sync`);
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

/** How long each destination's stored refresh token has left, for which organisation; a token store that cannot be read is said so, not fatal. */
function tokenHealth(tokenStore: string, now: Date): TokenHealth[] | { error: string } {
  try {
    const store = openTokenStore(tokenStore);
    return readRefreshTokenExpiries(tokenStore).map((expiry) => {
      const stored = store.read(expiry.destination);
      const health = stored === undefined ? undefined : describeTokenHealth(expiry.destination, stored, now, 0);
      return {
        destination: expiry.destination,
        refreshTokenExpiresAt: expiry.expiresAt.toISOString(),
        expiresInDays: Math.floor((expiry.expiresAt.getTime() - now.getTime()) / 86_400_000),
        ...(health?.organisation === undefined ? {} : { organisation: health.organisation }),
        ...(health?.rotatedAt === undefined ? {} : { rotatedAt: health.rotatedAt }),
      };
    });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

type FullStatus = StatusReport & { schedule: { cron: string; timezone: string; nextRunAt: string | null } | null; tokens: TokenHealth[] | { error: string } };

function renderStatus(report: FullStatus): string {
  const lines = [
    `ledger: ${report.ledger}${report.integrity === 'ok' ? '' : ` DAMAGED: ${report.integrity}`}`,
    `journal entries: ${report.entries}${report.lastEntryDate ? ` (latest dated ${report.lastEntryDate})` : ''}`,
  ];
  for (const close of report.closesAfterToday) lines.push(`! ${close.message}`);
  lines.push('', 'last runs:');
  if (report.runs.length === 0) lines.push('  none yet');
  for (const run of report.runs) {
    lines.push(`  ${run.startedAt}  ${run.command.padEnd(9)} ${run.outcome ?? 'running or interrupted'}${run.asOf ? ` (as of ${run.asOf})` : ''}${run.error ? `: ${run.error}` : ''}`);
  }
  lines.push('', ...lastSyncLines(report.lastSync));
  lines.push('', 'closes taken:');
  if (report.lastCloses.length === 0) lines.push('  none yet');
  for (const close of report.lastCloses) lines.push(`  ${close.sourceId}: latest close ${close.date}`);
  if (report.openOrders.length > 0) {
    lines.push('', 'panel orders:');
    for (const row of report.openOrders) lines.push(`  ${row.sourceId}: ${row.open} open, ${row.unknown} unknown to the panel, ${row.terminal} finished`);
  }
  if (report.unposted.length > 0) {
    lines.push('', 'delivery:');
    for (const row of report.unposted) lines.push(`  ${row.destination}: ${row.entries} entries not yet posted${row.refused ? `, ${row.refused} refused (see reconcile)` : ''}`);
  }
  lines.push('', `open discrepancies: ${report.discrepancies.reduce((sum, row) => sum + row.open, 0)}`);
  for (const row of report.discrepancies) lines.push(`  ${row.kind}: ${row.open}`);
  if (report.explainedFalls !== undefined) lines.push(`  balance falls explained by orders learned later (resolved, not open): ${report.explainedFalls}`);
  lines.push(`quarantined replies: ${report.quarantined}`);
  lines.push('', report.schedule ? `schedule: "${report.schedule.cron}" (${report.schedule.timezone}), next run ${report.schedule.nextRunAt ?? 'unknown'}` : 'schedule: not configured');
  if ('error' in report.tokens) lines.push(`tokens: ${report.tokens.error}`);
  else if (report.tokens.length === 0) lines.push('tokens: none stored yet');
  else {
    for (const token of report.tokens) {
      const who = token.organisation === undefined ? '' : ` (${token.organisation})`;
      const rotated = token.rotatedAt === undefined ? '' : `, last rotated ${token.rotatedAt}`;
      lines.push(`tokens: ${token.destination}${who} refresh token expires ${token.refreshTokenExpiresAt} (in ${token.expiresInDays} days)${rotated}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The latest sync's money per source, as `sync` printed it, and why it failed if it did. */
function lastSyncLines(last: LastSync | null): string[] {
  if (last === null) return ['last sync: none yet'];
  const what = `${last.command}${last.asOf === null ? '' : ` as of ${last.asOf}`}`;
  const lines = [`last sync: ${what}, started ${last.startedAt}: ${last.outcome ?? 'running or interrupted'}${last.error === null ? '' : `: ${last.error}`}`];
  if (last.sources === null) lines.push('  (no money recorded for this run)');
  else for (const source of last.sources) lines.push(...sourceMoneyLines(source));
  return lines;
}
