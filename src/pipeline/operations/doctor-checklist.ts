import type { Config, Mappings } from '../../config/index.js';
import type { CheckStatus, DestinationClient } from '../../destinations/index.js';
import {
  ConsentLapsedError,
  EXIT,
  LedgerlineError,
  MissingScopeError,
  NotConnectedError,
  type ExitCode,
} from '../../errors.js';
import type { Clock } from '../../http/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { DoctorBooks } from './books/doctor-books.js';
import type { SourceProbes } from './source-probe.js';
import { organisationChecks, waitingEntries } from './organisation-gate.js';
import { checkSources } from './source-checks.js';

/** One line of the checklist, under its area: "configuration", a source id, "Xero", "QuickBooks". */
export interface DoctorCheck {
  area: string;
  status: CheckStatus;
  subject: string;
  detail: string;
  /** For a failure or a warning: what to do. */
  fix?: string;
}

interface DoctorReport {
  checks: DoctorCheck[];
  /** 0 all good, 1 something to fix, 3 a source or destination could not be reached (2, configuration, is the CLI's: nothing else runs then). */
  exitCode: ExitCode;
  /** The destinations whose consent the vendor refused (revoked): their authorization is failed whatever the store says. */
  lapsed: { destination: string; detail: string; fix: string }[];
}

interface DoctorOptions {
  config: Config;
  mappings: Mappings;
  /** The destination kinds to check, by name; their clients come from `createClient`. */
  destinations: readonly string[];
  createClient(name: string): Promise<DestinationClient>;
  /** Read only: the dates of entries still to be posted, for the lock-date check. */
  ledger: Ledger;
  books: DoctorBooks;
  clock: Clock;
  redact(text: string): string;
  /** Each source's kind, for its one read-only call. */
  probes: SourceProbes;
}

/**
 * `ledgerline doctor`: after the configuration has loaded, one read-only call
 * to each source (a panel's balance, the ad network's stats), then for each
 * destination a token refresh and the organisation checks that `post` makes.
 * Nothing is written to the ledger; sources' replies are not landed.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const lapsed: DoctorReport['lapsed'] = [];
  let unreachable = false;
  const sourceChecks = await checkSources(options.config.sources, { ...options, timezone: options.config.timezone });
  for (const { elapsedMs: _elapsed, ...check } of sourceChecks) {
    if (check.status === 'fail') unreachable = true;
    checks.push(check);
  }
  for (const kind of options.destinations) {
    const client = await options.createClient(kind);
    const area = client.name;
    try {
      await client.refreshToken();
      checks.push({ area, status: 'pass', subject: 'token', detail: 'the token endpoint issued a new access token' });
      const waiting = await waitingEntries(options.ledger, options.books, client);
      const found = await organisationChecks(client, {
        config: options.config,
        unpostedDates: waiting.dates,
        usedAccounts: waiting.accounts,
      });
      checks.push(
        ...found.map(({ status, subject, detail, fix }) => ({
          area,
          status,
          subject,
          detail,
          ...(fix === undefined ? {} : { fix }),
        })),
      );
    } catch (error) {
      if (!(error instanceof LedgerlineError) || error.exitCode === EXIT.usage) throw error;
      unreachable = true;
      const failed = connectionFailure(error, kind, area, options.redact);
      checks.push(failed);
      if (error instanceof ConsentLapsedError)
        lapsed.push({ destination: kind, detail: failed.detail, fix: failed.fix });
    } finally {
      await client.close();
    }
  }
  const exitCode = unreachable
    ? EXIT.external
    : checks.some((check) => check.status === 'fail')
      ? EXIT.attention
      : EXIT.ok;
  return { checks, exitCode, lapsed };
}

/** A destination's failed connection, its fix from the failure's state: connect, connect again, a scope, or the section's settings. */
function connectionFailure(
  error: LedgerlineError,
  kind: string,
  area: string,
  redact: (text: string) => string,
): DoctorCheck & { fix: string } {
  if (error instanceof NotConnectedError || error instanceof ConsentLapsedError) {
    return { area, status: 'fail', subject: 'connection', detail: error.problem, fix: error.nextStep };
  }
  return {
    area,
    status: 'fail',
    subject: 'connection',
    detail: redact(error.message),
    fix:
      error instanceof MissingScopeError
        ? `the connection lacks ${error.scope}: give the app that scope if it lacks it, then run \`ledgerline connect ${kind}\` again`
        : `check destinations.${kind} in ledgerline.yaml (ids, apiUrl) and run again once ${area} answers`,
  };
}
