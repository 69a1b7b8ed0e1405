import { z } from 'zod';
import { readableTime } from '../../calendar/index.js';
import type { Config } from '../../config/index.js';
import { EXIT, LedgerStorageError, UsageError, type ExitCode } from '../../errors.js';
import type { Command, CommandContext, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { FLEET_SORTS, renderTransit } from '../../reads/index.js';
import { loadConfigFor, loadEachEntityConfigFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import { printableLines } from '../../log/index.js';
import { checkWitness } from '../../pipeline/witness/index.js';
import { readStatusFacts, type StatusFacts } from '../../app/status-facts-read.js';
import { renderFleet, renderStatus, silentLines } from '../../pipeline/status/index.js';
import type { EntityStatus } from '../../app/entity-statuses.js';
import type { QueueFilter } from '../../reads/exception-queue-text.js';
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
    const witnessed = await witnessFindingLines(context, config);
    (context.json ? context.stderr : context.stdout).write(witnessed.map((line) => `${line}\n`).join(''));
    return report.closesAfterToday.length > 0 || witnessed.length > 0 ? EXIT.attention : EXIT.ok;
  },
});

/** Each witnessed chain head or certificate the ledger no longer gives (issue 73): status exits 1 naming it, as verify does. */
async function witnessFindingLines(context: CommandProcess, config: Config): Promise<string[]> {
  const { findings } = await withBooksFor(config, context.ledger, (books) => checkWitness(config.witness, books));
  return findings.map((finding) => printableLines(`! ${finding.kind}: ${finding.message}`));
}

function refuseDamaged(config: Config, report: StatusFacts): void {
  if (report.integrity !== 'ok') {
    throw new LedgerStorageError(
      `the ledger ${config.ledger} is damaged (${report.integrity}); restore it from a backup before the next sync`,
    );
  }
}

/** `status --fleet`: the sources of every entity (the one --entity names, else each), one view; with entities:, a column names each row's. */
async function fleetStatus(
  context: CommandContext<{ fleet: boolean; sort?: (typeof FLEET_SORTS)[number] | undefined }>,
): Promise<ExitCode> {
  // The fleet's and the queue's reads and schemas are loaded for their views alone: `status --json`, which a script
  // runs every minute, never needs them.
  const [{ readFleetOf }, { FleetViewSchema }] = await Promise.all([
    import('../../app/entity-status-reads.js'),
    import('../../reads/fleet-view.js'),
  ]);
  const { statuses, rows } = await readFleetOf(context, loadEachEntityConfigFor(context), context.flags.sort);
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
  const [{ readEntityStatuses }, { exceptionsOf }, { ExceptionQueueSchema }, { filteredQueue, renderExceptions }] =
    await Promise.all([
      import('../../app/entity-status-reads.js'),
      import('../../app/entity-statuses.js'),
      import('../../reads/exception-queue.js'),
      import('../../reads/exception-queue-text.js'),
    ]);
  const statuses = await readEntityStatuses(context, loadEachEntityConfigFor(context));
  const exceptions = filteredQueue(exceptionsOf(statuses), filter);
  if (context.json) writeJson(context, ExceptionQueueSchema.parse(exceptions));
  else context.stdout.write(renderExceptions(exceptions, filter));
  const exit = afterAll(statuses);
  // Exit 1 while an item listed waits for a person; an acknowledged one no longer does.
  return exit === EXIT.ok && exceptions.some((each) => each.state === 'open') ? EXIT.attention : exit;
}

/** A damaged ledger refused, once each entity's lines are out; exit 1 when a close is dated after today. */
function afterAll(statuses: readonly EntityStatus[]): ExitCode {
  for (const { config, report } of statuses) refuseDamaged(config, report);
  return statuses.some(({ report }) => report.closesAfterToday.length > 0) ? EXIT.attention : EXIT.ok;
}
