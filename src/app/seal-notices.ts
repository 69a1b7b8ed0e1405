import type { Config } from '../config/index.js';

/**
 * Where a command says a note on its books (a sealed ledger, a witness not written): its stderr, keyed by the
 * witness place of the configuration it loaded, which a copy of that configuration (`{ ...config, destinations }`,
 * as adjust's is) keeps; keyed by the configuration itself, a copy's notes were lost (issue 84).
 */
const sealNotices = new WeakMap<Config['witness'], (line: string) => void>();

/** Notes on the books opened for `config` go to `say` (the command's stderr: configured-books.ts registers it as it loads). */
export function noteSealsTo(config: Config, say: (line: string) => void): void {
  sealNotices.set(config.witness, say);
}

/** The books' `onNote` for `config`: where its command says a note on its books, if it registered one. */
export function sealNoticeOf(config: Config): { onNote?: (line: string) => void } {
  const onNote = sealNotices.get(config.witness);
  return onNote === undefined ? {} : { onNote };
}
