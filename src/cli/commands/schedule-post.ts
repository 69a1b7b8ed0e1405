import type { Config, Mappings } from '../../config/index.js';
import { createDestinationClient, openTokenStore } from '../../destinations/index.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { createSystemClock } from '../../http/clock.js';
import type { Ledger } from '../../ledger/index.js';
import type { PostDays } from '../../pipeline/nightly-run.js';
import { refuseUnfitOrganisation } from '../../pipeline/organisation-gate.js';
import { postEntries, type RefusedEntry } from '../../pipeline/post/index.js';
import { dayWindows } from '../../pipeline/scheduled-days.js';
import type { CommandContext } from '../command.js';
import { loadExchangeRates } from '../../pipeline/exchange-rates.js';

/**
 * The scheduled run's post step: the delivery `ledgerline post X --from D
 * --to D` makes (outbox, look-ups, each entry exactly once), over the days
 * the scheduler synced, one window per run of consecutive days.
 */
export function postDaysWith(context: CommandContext, config: Config, mappings: Mappings, ledger: Ledger): PostDays {
  return async ({ destination, days, logger, onProgress }) => {
    const clock = createSystemClock();
    const client = await createDestinationClient(destination, config, mappings, {
      tokenStore: openTokenStore(config.tokenStore),
      rates: loadExchangeRates(config.destinations.rates),
      clock,
      redact: context.redact,
      onSecrets: context.addSecrets,
      log: (line) => logger.info(line),
    });
    const refused: RefusedEntry[] = [];
    const windows: unknown[] = [];
    try {
      await refuseUnfitOrganisation(client, { config, mappings });
      for (const window of dayWindows(days)) {
        const report = await postEntries({ ledger, client, window, clock, log: (line) => logger.info(line), onProgress });
        windows.push({ ...window, posted: report.posted, refused: report.refused.length, skipped: report.skipped, unfinished: report.unfinished });
        refused.push(...report.refused);
        // The destination is failing (limit, authorization, retries spent): later windows would fail the same way.
        if (report.stoppedBy !== undefined) {
          return { exitCode: report.stoppedBy.exitCode, failure: { errorClass: report.stoppedBy.error, message: report.stoppedBy.message }, refused, summary: windows };
        }
      }
    } finally {
      await client.close();
    }
    const exitCode: ExitCode = refused.length > 0 ? EXIT.attention : EXIT.ok;
    return { exitCode, refused, summary: windows };
  };
}
