import type { Clock } from '../http/index.js';
import type { AccountMapping } from './delivery/account-mapping.js';
import type { DestinationLimits, ExchangeRateLookup } from './destination-client.js';
import type { WaitBudget } from './destination-retry.js';
import type { TokenStore } from './token-store.js';

/** What every destination client is handed from outside: the token store, the clock, and how to keep secrets out of text. */
export interface DestinationClientDependencies {
  tokenStore: TokenStore;
  clock: Clock;
  /** Hides secrets in every text the client produces. */
  redact: (text: string) => string;
  /** Registers token values for redaction as soon as they are received. */
  onSecrets: (values: readonly string[]) => void;
  /** Rates for entries not in the destination's base currency; without it such entries are refused. */
  rates?: ExchangeRateLookup;
  log?: (line: string) => void;
  /** Aborts when the process is asked to stop: a wait for the destination's pace then ends at once (StopRequestedError). */
  stopSignal?: AbortSignal | undefined;
}

/** How long one API call may take unless the options say otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** A destination client's options: its configuration section and account mapping beside the dependencies. */
export interface DestinationClientOptions<Config, Account> extends DestinationClientDependencies {
  config: Config;
  mapping: AccountMapping<Account>;
  /** The file the mapping was read from, which the organisation checks name. */
  mappingFile: string;
  /** Per API call; a write that takes longer has an unknown outcome. DEFAULT_CALL_TIMEOUT_MS (60 s) unless given. */
  timeoutMs?: number;
  waitBudget?: WaitBudget;
  /** The destination's published limits unless given (a test or bench against a fake may raise them). */
  limits?: Partial<DestinationLimits>;
}

/** A client's options: the run's dependencies, the kind's section, and its account mapping as loaded from its file. */
export function destinationClientOptions<Dependencies extends DestinationClientDependencies, Config, Account>(
  dependencies: Dependencies,
  config: Config,
  mapping: { accounts: AccountMapping<Account>; file: string },
): Dependencies & Pick<DestinationClientOptions<Config, Account>, 'config' | 'mapping' | 'mappingFile'> {
  return { ...dependencies, config, mapping: mapping.accounts, mappingFile: mapping.file };
}
