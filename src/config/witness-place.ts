import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ledgerEngineOf } from './ledger-location.js';

/** Where the ledger's chain heads are witnessed (src/pipeline/witness): a file the ledger's folder does not hold. */
export interface WitnessPlace {
  file: string;
  /** Written in ledgerline.yaml (`witness.file`), else the default in the state folder. */
  configured: boolean;
  /** The configuration file that names it (or would). */
  configFile: string;
  /** The ledger's folder (SQLite) that the witness must not be inside: a copy of it put back would bring its witness back too. */
  ledgerFolder: string | undefined;
  /** `witness.url`: a witness the machine does not hold (src/pipeline/witness/url-witness.ts); a secret (it may carry a token). */
  url?: string | undefined;
  /** `witness.urlTimeoutMs`: how long one call to the URL witness may wait, when not its default. */
  urlTimeoutMs?: number | undefined;
}

/** `$XDG_STATE_HOME`, else ~/.local/state (the XDG rule: a relative XDG_STATE_HOME is ignored). */
export function stateHome(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_STATE_HOME;
  return xdg !== undefined && isAbsolute(xdg) ? xdg : join(env.HOME ?? homedir(), '.local', 'state');
}

/**
 * The witness file: `witness.file` as written (relative to the configuration's folder), else one per ledger in the
 * state folder, named by the SHA-256 of the ledger's path (a postgres URL without its password), so a copy of the
 * ledger put back in its place finds the heads witnessed before. Example: ledger /srv/books/ledger.sqlite →
 * ~/.local/state/ledgerline/witness/ledger-3f9c0a1b2c3d4e5f.jsonl.
 */
export function witnessPlace(
  {
    file: written,
    url,
    urlTimeoutMs,
  }: { file?: string | undefined; url?: string | undefined; urlTimeoutMs?: number | undefined },
  configFile: string,
  ledger: string,
  home: string | undefined,
): WitnessPlace {
  const onPostgres = ledgerEngineOf(ledger) === 'postgres';
  const ledgerFolder = onPostgres ? undefined : dirname(ledger);
  const atUrl = { ...(url === undefined ? {} : { url }), ...(urlTimeoutMs === undefined ? {} : { urlTimeoutMs }) };
  if (written !== undefined)
    return { file: resolve(dirname(configFile), written), configured: true, configFile, ledgerFolder, ...atUrl };
  const key = createHash('sha256')
    .update(onPostgres ? withoutPassword(ledger) : ledger)
    .digest('hex')
    .slice(0, 16);
  const file = join(home ?? join(homedir(), '.local', 'state'), 'ledgerline', 'witness', `ledger-${key}.jsonl`);
  return { file, configured: false, configFile, ledgerFolder, ...atUrl };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
