import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { apiDestinationChoices } from '../../app/destination-choices.js';
import { dayOf, refuseReversedWindow, yesterdayIn } from '../../app/books-days.js';
import type { ExitCode } from '../../errors.js';
import { runQueuedPost } from '../../pipeline/nightly/index.js';
import type { DeliveryWindow } from '../../pipeline/post/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, ruleAcrossFlags, withFlags } from '../flags.js';
import { loadConfigFor } from '../../app/configured-books.js';
import { requirePostgresLedger } from '../../app/queue-needs-postgres.js';
import { queueLedgerFor } from '../entity-queue.js';
import { postTo } from '../../app/post-to.js';
import { printPostReport, printPostRun } from '../post-printing.js';
import { readPostLine } from '../post-line.js';

/** As long as the ledger's run lock trusts a silent run, as `sync --queue` waits. */
const DEFAULT_QUEUE_WAIT_SECONDS = 6 * 60 * 60;

const POST_FLAGS = z
  .object({
    from: flag.date('DATE', 'only entries dated on or after DATE'),
    // Repeatable, and read by the command: the older spelling named the destination with --to, and `post --to xero --from D --to D` must still mean it.
    to: flag.repeatedText(
      'DATE',
      () =>
        `only entries dated on or before DATE (the older \`--to ${apiDestinationChoices()}\` still names the destination)`,
    ),
    // Read by the command with --to: either one ends the window.
    until: flag.text('DATE', 'the older spelling of --to DATE: still accepted, with a note'),
    'dry-run': flag.boolean('show what would be sent; send nothing'),
    plan: flag.boolean(
      "send nothing; print the calls needed, the calls left today in the organisation's daily budget, the days it takes, the order (oldest first) and each entry it will hold back, with why",
    ),
    queue: flag.boolean('PostgreSQL ledger: hand the post to a `ledgerline worker` through the queue and wait for it'),
    'queue-wait': flag.wholeNumber('S', 'with --queue: wait at most S seconds for the worker (default 21600)', 1),
    'adopt-delivered': flag.boolean(
      'journals the destination already holds under these numbers, sent by another copy of this ledger, are marked posted here instead of stopping the post',
    ),
  })
  .superRefine(
    ruleAcrossFlags((flags) => {
      if (flags['adopt-delivered'] && (flags['dry-run'] || flags.queue))
        return '--adopt-delivered goes with a local post, not with --dry-run or --queue';
      if (flags.plan && (flags.queue || flags['adopt-delivered']))
        return '--plan sends nothing: it goes with neither --queue nor --adopt-delivered';
      if (flags.queue && flags['dry-run'])
        return '--queue and --dry-run do not go together: a dry run sends nothing, so there is nothing to hand to a worker';
      if (!flags.queue && flags['queue-wait'] !== undefined) return '--queue-wait goes with --queue';
      return undefined;
    }),
  );
export const postCommand: Command = withFlags({
  // Read when help is shown: a destination kind registered by a plug-in is listed too.
  get usage() {
    return `ledgerline post ${apiDestinationChoices()} [--from DATE] [--to DATE] [--dry-run | --plan | --queue [--queue-wait S] | --adopt-delivered] [--json]`;
  },
  get arguments() {
    return apiDestinationChoices(' | ');
  },
  flags: POST_FLAGS,
  examples: [
    'ledgerline post xero --dry-run                                 # what would be sent',
    "ledgerline post xero --plan                                    # calls, today's budget, nights, order",
    'ledgerline post quickbooks --to yesterday                      # deliver everything up to yesterday',
    'ledgerline post xero --from 2026-03-01 --to 2026-03-31         # one month',
  ],
  eachEntity: true,
  async run(context) {
    const { flags } = context;
    const { to, until } = readPostLine(context, flags);
    if (flags.queue) {
      // The worker reads the destination's credentials, not the process that queues its post.
      const config = loadConfigFor(context, {});
      const window = readWindow(flags.from, until, yesterdayIn(config.timezone, context.now()));
      return queuedPost(context, config, to, window, flags['queue-wait'] ?? DEFAULT_QUEUE_WAIT_SECONDS);
    }
    const config = loadConfigFor(context, { destinations: [to], alerts: true });
    const window = readWindow(flags.from, until, yesterdayIn(config.timezone, context.now()));
    return postTo(context, config, to, window, {
      dryRun: flags['dry-run'] || flags.plan,
      plan: flags.plan,
      adoptDelivered: flags['adopt-delivered'],
      show: (name, result) => printPostRun(context, name, result, flags.plan),
    });
  },
});

/** The window from --from and the end readPostLine took (a date or "yesterday", checked there). */
function readWindow(from: string | undefined, until: string | undefined, yesterday: string): DeliveryWindow {
  const window = { from: dayOf(from, yesterday), until: dayOf(until, yesterday) };
  refuseReversedWindow({ flag: '--from', date: window.from }, { flag: '--to', date: window.until });
  return window;
}

/**
 * `post --queue`: the post a worker ran, printed as a local post prints it, with the exit code it ended with. With
 * several entities the command runs once per entity (eachEntity), so each entity's post is its own job.
 */
async function queuedPost(
  context: CommandProcess,
  config: Config,
  to: string,
  window: DeliveryWindow,
  waitSeconds: number,
): Promise<ExitCode> {
  requirePostgresLedger(config, 'post --queue');
  // One queue for every entity, in the first entity's database (as `sync --queue`): each entity's post a job of its own.
  const { name, report, error, exitCode } = await runQueuedPost({
    ledger: queueLedgerFor(context, config),
    entity: config.entity,
    to,
    window,
    waitSeconds,
    logger: context.logger,
    clock: context.clock,
  });
  if (report !== undefined)
    printPostReport(context, name, {
      ...report,
      lockDate: report.lockDate,
      stoppedBy: report.stoppedBy && { ...report.stoppedBy, exitCode: report.stoppedBy.exitCode as ExitCode },
    });
  if (error !== undefined) context.stderr.write(`${context.redact(`error: ${error}`)}\n`);
  return exitCode as ExitCode;
}
