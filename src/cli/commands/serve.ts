import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { z } from 'zod';
import { loadMappings, type Config } from '../../config/index.js';
import { EXIT, UsageError } from '../../errors.js';
import { destinationKinds } from '../../pipeline/kinds/index.js';
import type { Books } from '../../app/index.js';
import { reconcileReport, startConsole, uplotAssets, type FinanceReportOptions } from '../../reads/index.js';
import { acknowledgeItem } from '../../pipeline/adjustments/index.js';
import { withRunLockMoment } from '../../pipeline/runs/index.js';
import { bankLinesView, bookSettlingALine, transitTerms } from '../../pipeline/transit/index.js';
import { adjustingConfig, bookAdjustingEntry } from '../adjusting-entries.js';
import { booksDays } from '../calendar.js';
import { connectionAdvice } from '../../pipeline/status/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { financeReportOptions } from '../finance-report-options.js';
import { loadConfigFor, openBooksFor, withBooksFor } from '../load.js';
import { operatingSystemUser } from '../operating-system-user.js';
import { reconcileReadsOf } from '../reconcile-reads.js';
import { holdLedgerUntilStop } from '../ledger-holders.js';
import { consolePeriods } from '../console-periods.js';
import { consoleVat } from '../console-vat.js';
import { metricsText } from '../prometheus-metrics.js';
import { readFleetPage } from '../status-exceptions.js';
import { decisionLine, handDecision } from '../transit-decisions.js';

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
    const books = await openBooksFor(config, { readOnly: true });
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
        reportOptions: pageReportOptions(
          config,
          books,
          () => context.now(),
          (line) => context.logger.warn(line),
        ),
        assets: uplotAssets(),
        exportFormats,
        exportRequest: (format, window) => {
          const mapping = mappingOf(format.name);
          const mappings = loadMappings({
            chartPath: config.mappings,
            vocabularies: config.vocabularies,
            destinations: mapping === undefined ? [] : [mapping],
          });
          return { format, ...window, config, mappings, warn: (line) => context.logger.warn(line) };
        },
        connectionAdvice: () => connectionAdvice(config, context.now()),
        timeZone: config.timezone,
        periods: () => consolePeriods(context, config, books),
        vat: consoleVat(context, config, books),
        bankLines: consoleBankLines(context, config, books),
        // The practice's whole fleet, whichever entity the console serves (/fleet?entity=NAME shows one).
        fleet: (sort) => readFleetPage({ ...context, entity: undefined }, sort),
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
 * The console reads through books opened for reading; a person's acknowledgement alone opens the books for
 * writing, for as long as the items are read again and the word written under the run lock (a sealed ledger
 * refuses it), recorded as the user running the console.
 */
function consoleAcknowledge(
  context: CommandProcess,
  config: Config,
): Parameters<typeof startConsole>[0]['acknowledge'] {
  const user = operatingSystemUser();
  return (word) =>
    withBooksFor(config, {}, (writable) =>
      withRunLockMoment(
        writable.runRecords,
        `console:${randomBytes(6).toString('hex')}`,
        () => context.now(),
        () =>
          writable.decide(async (tx) => {
            const { items } = await reconcileReport(reconcileReadsOf(tx), word.asOf, word.today, word.stuckAfterDays);
            const { itemId, action, note } = word;
            const at = context.now().toISOString();
            return (await acknowledgeItem(tx.acknowledgements, items, { itemId, action, note, user, at })).itemId;
          }),
      ),
    );
}

/** The console's adjusting-entry form books as `ledgerline adjust` does, with its refusals in the form's words, as the user running the console. */
function consoleAdjusting(
  context: CommandProcess,
  config: Config,
): NonNullable<Parameters<typeof startConsole>[0]['adjusting']> {
  return async (form) => {
    const book = () =>
      bookAdjustingEntry(context, adjustingConfig(context), {
        date: form.date,
        currency: form.currency || config.currency,
        reason: form.reason,
        lines: [
          { side: 'debit', text: `${form.debitAccount}=${form.debitAmount}` },
          { side: 'credit', text: `${form.creditAccount}=${form.creditAmount}` },
        ],
        explains: form.explains || undefined,
        typedIn: 'form',
        user: operatingSystemUser(),
        now: context.now(),
      });
    const booked = form.settles === '' ? await book() : await bookSettlingTheLine(context, config, form.settles, book);
    return `Booked adjusting entry ${booked.entryId}${booked.explains === null ? '' : `, explaining ${booked.explains}`}${form.settles === '' ? '' : `, settling bank line ${form.settles}`}${booked.needsApproval ? "; it waits for a second person's approval" : ''}`;
  };
}

/** The form's "Settles bank line": the line checked first (a bad one books nothing), then the entry, then the line recorded as its. */
async function bookSettlingTheLine(
  context: CommandProcess,
  config: Config,
  key: string,
  book: () => ReturnType<typeof bookAdjustingEntry>,
): ReturnType<typeof bookAdjustingEntry> {
  const { today } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
  const options = { asOf: today, terms: transitTerms(config), now: context.now() };
  const word = { user: operatingSystemUser(), at: context.now().toISOString() };
  return (await withBooksFor(config, {}, (books) => bookSettlingALine(books.transitBooks, options, key, book, word)))
    .booked;
}

/** The bank-lines page reads as `bank lines` does; its Match and Unmatch record as `transit match`/`unmatch` do, as the user running the console. */
function consoleBankLines(
  context: CommandProcess,
  config: Config,
  books: Books,
): NonNullable<Parameters<typeof startConsole>[0]['bankLines']> {
  return {
    view: async () => {
      const { today } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
      return bankLinesView(books.transitBooks, {
        asOf: today,
        terms: transitTerms(config),
        now: context.now(),
        unmatchedOnly: false,
      });
    },
    decide: async (form) => {
      const line = form.action === 'match' ? form.line : undefined;
      return decisionLine(
        form.action,
        form.item,
        await handDecision(context, config, { verb: form.action, itemId: form.item, line, typedIn: 'form' }),
      );
    },
  };
}

/**
 * Each page's report options, dated per request by the books' days (the sandbox's on a sandbox ledger, so a
 * console left open follows it). The chart is read once, as the configuration is: a page does not parse it again.
 */
function pageReportOptions(
  config: Config,
  books: Books,
  now: () => Date,
  warn: (line: string) => void,
): (window: { from: string | undefined; to: string | undefined }) => Promise<FinanceReportOptions> {
  const chart = loadMappings({ chartPath: config.mappings, vocabularies: config.vocabularies, destinations: [] }).chart;
  return async (window) =>
    financeReportOptions(config, window, await booksDays(config, now(), warn), { books, now: now() }, chart);
}
