import type { Config, MappingGap } from '../../config/index.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { selectSources, type SyncDependencies, type SyncOutcome, runRecords } from '../../pipeline/runs/index.js';
import { syncOutcomeJson, syncOutcomeLines } from '../../reads/index.js';
import type { Command, CommandProcess } from '../command.js';
import { withFlags } from '../flags.js';
import { configuredAlerts } from '../../app/configured-alerts.js';
import type { Books } from '../../app/books.js';
import { withSilence } from '../../pipeline/status/index.js';
import { configMappings, loadConfigFor, loadEachEntityConfigFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import { syncThroughQueue } from '../queued-sync-outcome.js';
import { localRunLock } from '../../app/local-run-lock.js';
import { panelProxyMayRun, whileHoldingLedger } from '../../app/ledger-holders.js';
import { bookedMappingGaps } from '../../app/booked-mapping-gaps.js';
import { mappingGapLines } from '../../reads/mapping-gap-text.js';
import { progressBar } from '../progress-bar.js';
import { runRecorded } from '../../app/run-recorded.js';
import { closeOrReplay, unparkBooked } from '../../app/close-or-replay.js';
import { queuedRequest, SYNC_FLAGS, type SyncFlags } from '../sync-flags.js';
import { readDays, resolvePath } from '../sync-days.js';

export const syncCommand: Command = withFlags({
  usage:
    'ledgerline sync [--source ID]... [--as-of DATE] [--from DATE --to DATE] [--orders-file F] ' +
    '[--granularity day|event] [--dry-run [--exact]] [--queue [--job-expiry S] [--queue-wait S] ' +
    '[--retries N] [--retry-delay S]] [--lock-wait S] [--json]',
  flags: SYNC_FLAGS,
  examples: [
    "ledgerline sync                                       # yesterday's close from every source",
    'ledgerline sync --as-of 2026-03-31 --source smm-panel --orders-file orders.csv',
    'ledgerline sync --from 2026-01-01 --to 2026-03-31 --dry-run   # what a replay would correct',
  ],
  // `sync --queue` hands out every entity's closes at once (app/queued-sync-run.ts).
  eachEntity: (flags) => flags['queue'] !== true,
  async run(context) {
    const { flags } = context;
    const { source: sourceIds, granularity, 'dry-run': dryRun } = flags;
    if (flags.queue) return queuedSync(context, flags);
    // A replay reads stored replies and contacts no source, so it needs none of their keys.
    const config = loadConfigFor(context, {
      sources: flags.from !== undefined ? [] : sourceIds.length > 0 ? sourceIds : 'all',
      alerts: true,
    });
    const mappings = configMappings(config);
    const { now, asOf, newestDay, window } = await readDays(context, flags, config, flags.from !== undefined);
    const ordersFile = flags['orders-file'] === undefined ? undefined : resolvePath(context, flags['orders-file']);
    // Registered among the ledger's holders: refused while `migrate --to` moves the file, which waits for it in turn.
    return whileHoldingLedger(context, config.ledger, 'sync', () =>
      withBooksFor(
        config,
        context.ledger,
        async (books) => {
          const sync = async (runId: string) => {
            const progress = progressBar(context.stderr, !context.json);
            const deps = syncDependencies(context, config, books, { runId, progress, chart: mappings.chart });
            const request = { sourceIds, ordersFile, dryRun, granularity, newestDay };
            const outcome = await closeOrReplay(
              books,
              deps,
              asOf,
              window === undefined ? request : { ...request, window },
            );
            progress.done();
            if (!dryRun && window === undefined) await unparkBooked(books, outcome);
            const gaps = bookedMappingGaps(config, outcome);
            printOutcome(context, outcome, flags.exact, gaps);
            const exitCode = gaps.length > 0 && outcome.exitCode === EXIT.ok ? EXIT.attention : outcome.exitCode;
            return { exitCode, summary: outcome.summary, alertItems: await withSilence(books, config, outcome) };
          };
          if (dryRun) return (await sync(`dry-run:${now.toISOString()}`)).exitCode;
          const alerts = configuredAlerts(context, config);
          return runRecorded(
            context,
            books.of(runRecords),
            {
              command: window === undefined ? 'sync' : 'backfill',
              asOf: window === undefined ? asOf : `${window.from}..${window.to}`,
              alerts: alerts && {
                to: alerts,
                label: window === undefined ? `sync as of ${asOf}` : `the backfill of ${window.from} to ${window.to}`,
              },
              lock: localRunLock(
                config,
                selectSources(config, { sourceIds }).map((source) => source.id),
                flags['lock-wait'],
              ),
              config,
            },
            (run) => sync(run.runId),
          );
        },
        { refuseUnwitnessed: !dryRun },
      ),
    );
  },
});

/** `sync --queue`: the day read as a local sync reads it (from the first entity's configuration: they share the timezone). */
/** What one run's closes need: the configuration with its chart and tax book, the books, the run's id and progress. */
function syncDependencies(
  context: CommandProcess,
  config: Config,
  books: Books,
  run: { runId: string; progress: ReturnType<typeof progressBar>; chart: ReturnType<typeof configMappings>['chart'] },
): SyncDependencies {
  const { chart } = run;
  return {
    config,
    readsOrdersFiles: sourceKinds.readsOrdersFiles,
    findingWords: sourceKinds.findingWords(),
    ledger: books.ledger,
    runs: books.of(runRecords),
    chart: chart.events,
    taxBook: chart.taxBook,
    logger: context.logger,
    now: context.now,
    clock: context.clock,
    redact: context.redact,
    runId: run.runId,
    onProgress: (done, total, label) => run.progress.update(done, total, label),
    proxyAnswering: (sourceId) => panelProxyMayRun(config.ledger, sourceId),
  };
}

async function queuedSync(context: CommandProcess & { flags: SyncFlags }, flags: SyncFlags): Promise<ExitCode> {
  const configs = loadEachEntityConfigFor(context, {
    sources: flags.source.length > 0 ? flags.source : 'all',
    alerts: true,
  });
  const { asOf, newestDay } = await readDays(context, flags, configs[0]!, false);
  const ordersFile = flags['orders-file'] === undefined ? undefined : resolvePath(context, flags['orders-file']);
  return syncThroughQueue(context, configs, { ...queuedRequest(flags, asOf!, ordersFile), newestDay });
}

/** What a sync or backfill did, as text (each source's money, a dry run's entries) or JSON, with the unmapped accounts. */
function printOutcome(
  context: CommandProcess,
  outcome: SyncOutcome,
  exact: boolean,
  gaps: readonly MappingGap[],
): void {
  if (context.json) writeJson(context, syncOutcomeJson(outcome, gaps));
  else context.stdout.write(`${[...syncOutcomeLines(outcome, exact), ...mappingGapLines(gaps)].join('\n')}\n`);
}
