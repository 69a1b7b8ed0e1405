import { z } from 'zod';
import { killPoint } from '../../runtime/kill-point.js';
import { isCalendarDate } from '../../calendar/index.js';
import type { Config } from '../../config/index.js';
import { EXIT, UsageError } from '../../errors.js';
import type { DestinationClient } from '../../destinations/index.js';
import { certificateFolder, closePeriod, renderClose, sideTableBooks } from '../../pipeline/operations/index.js';
import { balancesReport, ledgerReads } from '../../reads/index.js';
import { booksDays } from '../../app/books-days.js';
import { closeBlockerReads } from '../../pipeline/status/index.js';
import { transitBooks } from '../../pipeline/transit/index.js';
import { reconcileReadsOf } from '../../app/reconcile-reads.js';
import type { Command, CommandProcess } from '../command.js';
import { openApiClient } from '../../app/api-client.js';
import { apiDestinationNames } from '../../app/destination-choices.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, mappingsFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';
import { destinationDocuments } from '../../app/destination-documents.js';

export const closeCommand: Command = withFlags({
  usage: 'ledgerline close --period YYYY-MM [--allow-unlocked-destination] [--json]',
  flags: z.object({
    period: flag.readWith(
      'YYYY-MM',
      'the month to close',
      (given) => (given.length === 7 && isCalendarDate(`${given}-01`) ? given : undefined),
      (name, given) => `${name} ${JSON.stringify(given)} is not a month: write it as YYYY-MM, e.g. 2026-03`,
    ),
    'allow-unlocked-destination': flag.boolean(
      "close although a destination's lock date is before the period end (recorded in the certificate)",
    ),
  }),
  examples: [
    'ledgerline close --period 2026-03          # exit 1 listing what blocks March, else its certificate beside the ledger',
    'ledgerline close --period 2026-03 --json   # the same, for a script',
  ],
  async run(context) {
    const { period } = context.flags;
    if (period === undefined) throw new UsageError('close needs --period YYYY-MM, the month to close');
    const configured = loadConfigFor(context);
    const names = apiDestinationNames().filter((name) => name in configured.destinations);
    const config = names.length === 0 ? configured : loadConfigFor(context, { destinations: names });
    const { today } = await booksDays(config, context);
    const chart = mappingsFor(context, config).chart.accounts;
    const clients: DestinationClient[] = [];
    try {
      const outcome = await closeWith(context, config, {
        period,
        today,
        allowUnlockedDestination: context.flags['allow-unlocked-destination'],
        // Asked once the ledger is found: a ledger path with nothing there contacts no destination.
        destinations: async () => {
          for (const name of names) clients.push(await openApiClient(context, config, name));
          return Promise.all(clients.map((client, index) => destinationToClose(names[index]!, client)));
        },
        chart,
      });
      for (const line of outcome.interrupted ?? []) context.stderr.write(`${line}\n`);
      if (context.json) writeJson(context, outcome.closed ? { ...outcome, certificate: undefined } : outcome);
      else context.stdout.write(renderClose(outcome));
      return outcome.closed ? EXIT.ok : EXIT.attention;
    } finally {
      for (const client of clients) await client.close();
    }
  },
});

type DestinationToClose = ReturnType<Parameters<typeof closePeriod>[1]>['destinations'][number];

interface CloseAsked {
  period: string;
  today: string;
  allowUnlockedDestination: boolean;
  destinations: () => Promise<DestinationToClose[]>;
  chart: Parameters<typeof balancesReport>[1];
}

/** Closes the period in the ledger: the blockers and the certificate, from the destinations as read. */
function closeWith(context: CommandProcess, config: Config, asked: CloseAsked): ReturnType<typeof closePeriod> {
  const { period, today, chart, allowUnlockedDestination } = asked;
  return withBooksFor(
    config,
    context.ledger,
    async (books) => {
      // Asked of the destinations before the close takes the ledger's lock, which it holds from its first read to its row.
      const destinations = await asked.destinations();
      const documents = await destinationDocuments(context, config, books);
      return closePeriod(books, (tx) => ({
        period,
        today,
        destinations,
        ...closeBlockerReads(
          {
            reconcileReads: reconcileReadsOf(tx),
            ledgerReads: tx.of(ledgerReads),
            transitBooks: tx.of(transitBooks, tx.findings),
          },
          config,
          { today, now: context.now() },
          () => Promise.resolve(documents),
        ),
        // Exactly what `balances --as-of <period end> --json` prints.
        trialBalance: async (periodEnd) =>
          JSON.parse(
            JSON.stringify(await balancesReport(tx.of(ledgerReads), chart, { to: periodEnd }), (_key, item: unknown) =>
              typeof item === 'bigint' ? item.toString() : item,
            ),
          ),
        allowUnlockedDestination,
        closedAt: context.now().toISOString(),
        closedBy: operatingSystemUser(),
        certificateFolder: certificateFolder(config),
        rowSealsHead: () => tx.of(sideTableBooks).sealHead(),
        at: killPoint(context.env),
      }));
    },
    { refuseUnwitnessed: true },
  );
}

/**
 * A destination as the close reads it: the lock date its organisation holds (Xero's later of PeriodLockDate and
 * EndOfYearLockDate, QuickBooks' BookCloseDate), and each posted entry's journal as the client expects it held there.
 */
async function destinationToClose(name: string, client: DestinationClient): Promise<DestinationToClose> {
  return {
    name,
    lockDate: await client.lockDate(),
    receives: (entry, delivery) => {
      const expected = client.expectedLines(entry, delivery);
      return { currency: expected.currency, lines: expected.journal };
    },
  };
}
