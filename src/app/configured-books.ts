import {
  configSecrets,
  loadConfig,
  loadEachEntityConfig,
  legacyTaxNote,
  loadMappings,
  type CheckedCache,
  type Config,
  type ConfigNeeds,
  type DestinationMappingKind,
} from '../config/index.js';
import type { AppProcess } from './app-process.js';
import { Books, type OpenBooksOptions } from './books.js';
import { holdLedgerToWrite } from './ledger-holders.js';
import { writes, type LedgerAccess } from './ledger-mode.js';
import { noteSealsTo, sealNoticeOf } from './seal-notices.js';
import { configKinds } from '../pipeline/kinds/index.js';
import { checkedWitnessPlace, refuseUnwitnessedBooks, witnessBooks } from '../pipeline/witness/index.js';

/**
 * What reading a command's configuration takes of the process around it: where it was started, its `--config`
 * and `--entity`, where the configuration's checks are kept, and the redaction its secrets join (a command's
 * `CommandProcess`, cli/command.ts, is one).
 */
export interface ConfigProcess extends Pick<AppProcess, 'env' | 'stderr' | 'addSecrets' | 'redact'> {
  /** `--config` as given, if any. */
  configPath: string | undefined;
  /** `--entity` as given, if any: the entity whose books the command works on (config/entities.ts). */
  entity?: string | undefined;
  cwd: string;
  /** Where the configuration's and the chart's checks are kept for the next command (the CLI's own process only). */
  checkedCache?: CheckedCache | undefined;
}

/** Reads the configuration for what this command uses and registers its secrets for redaction. */
export function loadConfigFor(context: ConfigProcess, need: ConfigNeeds = {}): Config {
  return registered(context, loadConfig(configRequest(context, need)));
}

/** The configuration as each entity the command is for sees it: the one --entity names, else each in turn. */
export function loadEachEntityConfigFor(context: ConfigProcess, need: ConfigNeeds = {}): Config[] {
  return loadEachEntityConfig(configRequest(context, need)).map((config) => registered(context, config));
}

/** The file, environment and entity the command was started with, asked for what it uses. */
function configRequest(context: ConfigProcess, need: ConfigNeeds) {
  return {
    path: context.configPath,
    env: context.env,
    cwd: context.cwd,
    need,
    kinds: configKinds(),
    entity: context.entity,
    cache: context.checkedCache,
  };
}

/** The chart and the named destinations' mappings of a loaded configuration, their check kept as the file's is. */
export function mappingsFor(
  context: ConfigProcess,
  config: Config,
  destinations: readonly DestinationMappingKind[] = [],
) {
  return loadMappings({
    chartPath: config.mappings,
    vocabularies: config.vocabularies,
    chartEvents: config.chartEvents,
    destinations,
    cache: context.checkedCache,
  });
}

/** The chart and the named destinations' mappings of a loaded configuration, checked afresh (no kept check). */
export function configMappings(config: Config, destinations: readonly DestinationMappingKind[] = []) {
  return loadMappings({
    chartPath: config.mappings,
    vocabularies: config.vocabularies,
    chartEvents: config.chartEvents,
    destinations,
  });
}

/** The notes a command has printed, so that one loading its configuration twice (or each entity's) says each once. */
const notesSaid = new WeakMap<ConfigProcess, Set<string>>();

/**
 * A loaded configuration's secrets kept out of every line, its sealed-ledger notices sent to stderr, and the note
 * suggesting a destination's `tax:` move to the chart (legacyTaxNote) printed there once.
 */
function registered(context: ConfigProcess, config: Config): Config {
  context.addSecrets(configSecrets(config));
  noteSealsTo(config, (line) => context.stderr.write(`${context.redact(line)}\n`));
  const note = legacyTaxNote(config.mappings);
  const said = notesSaid.get(context) ?? new Set<string>();
  if (note !== undefined && !said.has(note)) {
    context.stderr.write(`${context.redact(note)}\n`);
    notesSaid.set(context, said.add(note));
  }
  return config;
}

/** The same configuration file read as it will be once `ledger:` is `url`: where it then looks for each file kept beside the ledger. */
export function configAfterMoveTo(context: ConfigProcess, url: string): Config {
  return loadConfig({
    path: context.configPath,
    env: context.env,
    cwd: context.cwd,
    kinds: configKinds(),
    ledger: url,
    entity: context.entity,
  });
}

/**
 * Opens the books named by the configuration (a SQLite file or a postgres:// database) as the command's table entry
 * says (`ledger.mode`, ledger-mode.ts), a sealed ledger's note on stderr.
 */
export function openBooksFor(
  config: Config,
  ledger: LedgerAccess,
  options: { lockWaitMs?: number } = {},
): Promise<Books> {
  return Books.open(config, { ...options, mode: ledger.mode, ...sealNoticeOf(config) });
}

/** Runs `work` with the books of each configuration open (in order), and closes every one opened whatever happens. */
export async function withEachBooks<T>(
  configs: readonly Config[],
  ledger: LedgerAccess,
  work: (books: Books[]) => Promise<T>,
): Promise<T> {
  const opened: Books[] = [];
  try {
    for (const config of configs) opened.push(await openBooksFor(config, ledger));
    return await work(opened);
  } finally {
    for (const books of opened) await books.close();
  }
}

/**
 * Runs `work` with the books open as `ledger` says, and closes them whatever happens. A writer's run (ledger-mode.ts)
 * ends by witnessing the chain's head, new certificates and filings outside the ledger (issue 73, src/pipeline/witness)
 * under the command's name (as the ledger's holders name it too: a writer holds a SQLite ledger while its books are
 * open, and a restore holding it refuses the writer, exit 75: app/ledger-holders.ts); a witness file inside the
 * ledger's folder refuses it before anything is opened (exit 2), and a witness it could not write is said on the
 * command's stderr (issue 84: never silent). `refuseUnwitnessed`: nothing is booked onto books that lack what was
 * witnessed (a head, a certificate, a filing).
 */
export async function withBooksFor<T>(
  config: Config,
  ledger: LedgerAccess,
  work: (books: Books) => Promise<T> | T,
  {
    refuseUnwitnessed = false,
    onTreatments,
  }: { refuseUnwitnessed?: boolean; onTreatments?: OpenBooksOptions['onTreatments'] } = {},
): Promise<T> {
  const { onNote } = sealNoticeOf(config);
  const writer = writes(ledger.mode);
  if (writer) checkedWitnessPlace(config.witness);
  // A writer is one of the ledger's holders until its books are closed: no restore replaces the file under it (issue 84).
  const hold = writer ? holdLedgerToWrite({ now: () => new Date() }, config.ledger, ledger.command) : undefined;
  let books: Books;
  try {
    books = await Books.open(config, { mode: ledger.mode, onNote, onTreatments });
  } catch (error) {
    hold?.release();
    throw error;
  }
  try {
    // Before booking: nothing is booked onto books older than what was witnessed (issue 73).
    if (refuseUnwitnessed) await refuseUnwitnessedBooks(config.witness, books);
    const value = await work(books);
    if (!writer) return value;
    const note = await witnessBooks(config.witness, books, { command: ledger.command, now: new Date() });
    if (note !== undefined) onNote?.(note);
    return value;
  } finally {
    try {
      await books.close();
    } finally {
      hold?.release();
    }
  }
}
