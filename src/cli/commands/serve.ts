import { networkInterfaces } from 'node:os';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { EXIT, UsageError } from '../../errors.js';
import { destinationKinds } from '../../pipeline/kinds/index.js';
import type { Books } from '../../app/index.js';
import { startConsole, uplotAssets, type FinanceReportOptions } from '../../reads/index.js';
import { booksDays, exportMadeAt } from '../../app/books-days.js';
import { connectionAdvice } from '../../pipeline/status/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { financeReportOptions } from '../../app/finance-report-options.js';
import { configMappings, loadConfigFor, loadEachEntityConfigFor, openBooksFor } from '../../app/configured-books.js';
import { atMost } from '../../app/ledger-mode.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';
import { reconcileReadsOf } from '../../app/reconcile-reads.js';
import { holdLedgerUntilStop } from '../../app/hold-until-stop.js';
import { organisationRegion } from '../../app/console-vat.js';
import {
  consoleAcknowledge,
  consoleAdjusting,
  consoleBankLines,
  consolePeriods,
  consoleVat,
} from '../console-pages.js';
import { metricsText, readFleetPage } from '../../app/entity-status-reads.js';

/** Where the access token comes from when the console listens beyond this machine: never a flag, which `ps` would show. */
const TOKEN_VARIABLE = 'LEDGERLINE_CONSOLE_TOKEN';
const DEFAULT_PORT = 8790;

export const serveCommand: Command = withFlags({
  usage: 'ledgerline serve [--port N] [--host ADDR] [--allow-host NAME]...',
  flags: z.object({
    port: flag.port('N', `listen on this port (default ${DEFAULT_PORT}; 0 picks a free one)`).default(DEFAULT_PORT),
    host: flag
      .text(
        'ADDR',
        `listen on this address (default 127.0.0.1); any other needs ${TOKEN_VARIABLE} set to a token of 24 characters or more`,
      )
      .default('127.0.0.1'),
    'allow-host': flag.repeatedText(
      'NAME',
      'also answer requests addressed to this name or address, e.g. the office DNS name of this machine (repeat for several; any other Host is refused)',
    ),
  }),
  examples: [
    'ledgerline serve                 # the console on http://127.0.0.1:8790/',
    `${TOKEN_VARIABLE}=$(openssl rand -hex 24) ledgerline serve --host 0.0.0.0   # reachable from ` +
      `the office network at this machine's addresses, token required`,
    `${TOKEN_VARIABLE}=… ledgerline serve --host 0.0.0.0 --allow-host books.office.lan   # and by its DNS name`,
  ],
  async run(context) {
    const config = loadConfigFor(context);
    const { port, host, 'allow-host': allowHost } = context.flags;
    const accessToken = context.env[TOKEN_VARIABLE] || undefined;
    if (accessToken !== undefined) context.addSecrets([accessToken]);
    // A format in a destination's own accounts is offered once that destination is configured.
    const mappingOf = (name: string) => destinationKinds.named(name)?.mapping;
    const exportFormats = destinationKinds
      .exportFormats()
      .filter((format) => mappingOf(format.name) === undefined || Object.hasOwn(config.destinations, format.name));
    const books = await openBooksFor(config, atMost(context.ledger, 'read-only'));
    try {
      const running = await startConsole({
        reads: reconcileReadsOf(books),
        acknowledge: consoleAcknowledge(context, config),
        adjusting: consoleAdjusting(context, config),
        host,
        allowHosts: allowHost,
        machineAddresses: Object.values(networkInterfaces()).flatMap((addresses) =>
          (addresses ?? []).map((address) => address.address),
        ),
        port,
        accessToken,
        reportOptions: pageReportOptions(config, books, context),
        assets: uplotAssets(),
        exportFormats,
        exportRequest: async (format, window) => {
          const mapping = mappingOf(format.name);
          const mappings = configMappings(config, mapping === undefined ? [] : [mapping]);
          const madeAt = await exportMadeAt(config, context, format);
          const region = organisationRegion(config);
          return { format, ...window, madeAt, config, mappings, region, warn: (line) => context.logger.warn(line) };
        },
        connectionAdvice: () => connectionAdvice(config, context.now()),
        timeZone: config.timezone,
        periods: () => consolePeriods(context, config, books),
        vat: consoleVat(context, config, books),
        bankLines: consoleBankLines(context, config, books),
        // The practice's whole fleet, whichever entity the console serves (/fleet?entity=NAME shows one).
        fleet: (sort) => readFleetPage(context, loadEachEntityConfigFor({ ...context, entity: undefined }), sort),
        metrics: () => metricsText(context, [config]),
        log: (line) => context.logger.info(context.redact(line)),
      }).catch((error: unknown) => {
        if (error instanceof UsageError && accessToken === undefined)
          throw new UsageError(`${error.message}: set ${TOKEN_VARIABLE}`);
        throw error;
      });
      const tokenHint =
        accessToken === undefined ? '' : ` (open it once with ?token= and the token in ${TOKEN_VARIABLE})`;
      context.stdout.write(
        context.redact(
          `ledgerline console on ${running.url}${tokenHint}\nledger: ${config.ledger}; acknowledgements ` +
            `are recorded as ${operatingSystemUser()}\nStop with Ctrl-C.\n`,
        ),
      );
      await holdLedgerUntilStop(context, config.ledger, `serve on ${running.url}`);
      await running.close();
    } finally {
      await books.close();
    }
    return EXIT.ok;
  },
});

/**
 * Each page's report options, dated per request by the books' days (the sandbox's on a sandbox ledger, so a
 * console left open follows it). The chart is read once, as the configuration is: a page does not parse it again.
 */
function pageReportOptions(
  config: Config,
  books: Books,
  context: CommandProcess,
): (window: { from: string | undefined; to: string | undefined }) => Promise<FinanceReportOptions> {
  const chart = configMappings(config).chart;
  return async (window) =>
    financeReportOptions(config, window, await booksDays(config, context), { books, now: context.now() }, chart);
}
