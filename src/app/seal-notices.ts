import type { Config } from '../config/index.js';

/** Where a command that only reads says that its ledger is sealed: its stderr, keyed by the configuration it loaded. */
const sealNotices = new WeakMap<Config, (line: string) => void>();

/** Notes on a sealed ledger opened for `config` go to `say` (the command's stderr: configured-books.ts registers it as it loads). */
export function noteSealsTo(config: Config, say: (line: string) => void): void {
  sealNotices.set(config, say);
}

/** The books' `onNote` for `config`: where its command says the ledger is sealed, if it registered one. */
export function sealNoticeOf(config: Config): { onNote?: (line: string) => void } {
  const onNote = sealNotices.get(config);
  return onNote === undefined ? {} : { onNote };
}
