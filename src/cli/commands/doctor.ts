import { z } from 'zod';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { bankLedgerAccounts, loadMappings } from '../../config/index.js';
import { openTokenStore } from '../../destinations/index.js';
import { ConfigError, EXIT, type ExitCode } from '../../errors.js';
import { doctorBooks, type DoctorCheck, doctorText, runDoctor } from '../../pipeline/operations/index.js';
import { tokenHealthChecks } from '../../pipeline/status/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import {
  apiDestinationChoices,
  apiDestinationKind,
  apiDestinationNames,
  mappingsOf,
} from '../../app/destination-choices.js';

export const doctorCommand: Command = withFlags({
  // Read when help is shown: a destination kind registered by a plug-in is listed too.
  get usage() {
    return `ledgerline doctor [--to ${apiDestinationChoices()}] [--json]`;
  },
  flags: z.object({
    to: flag.choiceFrom(
      apiDestinationNames,
      'DEST',
      () => `${apiDestinationChoices(' | ')}: check only this destination (default: every configured one)`,
    ),
    json: flag.boolean(
      'the checklist as one JSON object: {ok, exitCode, checks: [{area, status, subject, detail, fix}]}',
    ),
  }),
  examples: [
    'ledgerline doctor                    # configuration, every source, every configured destination',
    'ledgerline doctor --to quickbooks    # before the first post: accounts, classes, customers, closing date',
    'ledgerline doctor --json             # the checklist as JSON, for monitoring',
  ],
  async run(context) {
    const { to } = context.flags;
    let loaded;
    try {
      // Without --to, the destinations to check are those the file configures: a first read finds them.
      const configured = to ? [] : Object.keys(loadConfigFor(context, { sources: 'all' }).destinations);
      const destinations = to ? [to] : apiDestinationNames().filter((name) => configured.includes(name));
      const config = loadConfigFor(context, { sources: 'all', destinations });
      // A statement source's ledger account the chart lacks is named here, as the bank import would refuse it.
      loaded = {
        config,
        destinations,
        mappings: loadMappings({
          chartPath: config.mappings,
          ...{ vocabularies: config.vocabularies, chartEvents: config.chartEvents },
          destinations: mappingsOf(destinations),
          bankAccounts: bankLedgerAccounts(config.sources),
        }),
      };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const check: DoctorCheck = {
        area: 'configuration',
        status: 'fail',
        subject: 'ledgerline.yaml and mappings',
        detail: context.redact(error.message),
        fix: 'correct the files named above; nothing else was checked',
      };
      return report(context, [check], EXIT.usage);
    }
    const { config, destinations, mappings } = loaded;
    // doctor reads the ledger a sync or init made: on a path with nothing there it says so (exit 2) and makes nothing.
    const result = await withBooksFor(config, context.ledger, (books) =>
      runDoctor({
        config,
        mappings,
        destinations,
        ledger: books.ledger,
        books: books.of(doctorBooks),
        clock: context.clock,
        redact: context.redact,
        probes: sourceKinds.of,
        createClient: (name) =>
          apiDestinationKind(name).api.createClient(config, mappings, {
            tokenStore: openTokenStore(config.tokenStore),
            clock: context.clock,
            redact: context.redact,
            onSecrets: context.addSecrets,
            log: (line) => context.logger.debug(line),
          }),
      }),
    );
    const configured: DoctorCheck = {
      area: 'configuration',
      status: 'pass',
      subject: 'ledgerline.yaml and mappings',
      // The chart and mapping files as read (issue 83): an edit in another folder's mappings/ shows here as not read.
      detail:
        `read ${config.file} (chart ${mappings.chart.file}` +
        [...mappings.destinations.values()].map((mapping) => `, ${mapping.file}`).join('') +
        `): ${config.sources.length} source${config.sources.length === 1 ? '' : 's'}, ` +
        `destinations: ${destinations.join(', ') || 'none'}`,
    };
    return report(
      context,
      [configured, ...result.checks, ...tokenHealthChecks(config, destinations, result.lapsed, context.now())],
      result.exitCode,
    );
  },
});

function report(context: CommandProcess, checks: readonly DoctorCheck[], exitCode: ExitCode): ExitCode {
  if (context.json) writeJson(context, { ok: exitCode === EXIT.ok, exitCode, checks });
  else context.stdout.write(context.redact(doctorText(checks)));
  return exitCode;
}
