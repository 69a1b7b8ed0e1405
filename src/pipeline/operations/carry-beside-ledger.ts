import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Config, SourceConfig } from '../../config/index.js';
import { certificateFolder } from './certificate-folder.js';

/**
 * What a SQLite ledger keeps beside its file, outside the database: each is read from beside the configuration
 * once `ledger:` is a postgres:// URL (unless the configuration names its place), so `migrate --to` carries it there.
 */
export interface BesideLedger {
  /** How a person calls it: "the token store", "the panel proxy's spool of smm-panel", "the close certificates". */
  what: string;
  /** Where the SQLite ledger's configuration reads it. */
  from: string;
  /** Where the same configuration reads it once `ledger:` is the URL. */
  to: string;
  /**
   * token-store: one file, never overwritten. spool: one file of records imported by request id, so one already at
   * `to` is added to. folder: each file moved unless one with other bytes is already there.
   */
  kind: 'token-store' | 'spool' | 'folder';
}

/** What became of one of them in a move, and the line that says so. */
export interface CarriedBesideLedger {
  what: string;
  from: string;
  to: string;
  moved: boolean;
  said: string;
}

/** A source's spool file, from its kind (`sourceKinds.spoolOf`): what a person calls it and where it is read; undefined: none. */
type SpoolOf = (source: SourceConfig) => { what: string; path: string } | undefined;

/**
 * Everything kept beside the ledger file whose place changes with the move, found by reading the configuration
 * both ways (`before` as it is, `after` with `ledger:` the URL): the same code then finds it where the commands look.
 */
export function besideLedger(before: Config, after: Config, spoolOf: SpoolOf): BesideLedger[] {
  const spools = before.sources.flatMap((source): BesideLedger[] => {
    const spool = spoolOf(source);
    const moved = after.sources.find((candidate) => candidate.id === source.id);
    const movedSpool = moved === undefined ? undefined : spoolOf(moved);
    if (spool === undefined || movedSpool === undefined) return [];
    return [{ what: spool.what, from: spool.path, to: movedSpool.path, kind: 'spool' }];
  });
  const all: BesideLedger[] = [
    { what: 'the token store', from: before.tokenStore, to: after.tokenStore, kind: 'token-store' },
    ...spools,
    { what: 'the close certificates', from: certificateFolder(before), to: certificateFolder(after), kind: 'folder' },
  ];
  return all.filter((item) => item.from !== item.to);
}

/** Carries each that exists to where the PostgreSQL ledger's configuration reads it, saying what was done; one not there is passed over. */
export function carryBesideLedger(items: readonly BesideLedger[], configFile: string): CarriedBesideLedger[] {
  return items.flatMap((item) => {
    if (!existsSync(item.from)) return [];
    if (item.kind === 'token-store') return [carryTokenStore(item, configFile)];
    if (item.kind === 'spool') return [carrySpool(item)];
    return [carryFolder(item)];
  });
}

/** The token store is never overwritten: the configuration then has to name the one to keep. */
function carryTokenStore(item: BesideLedger, configFile: string): CarriedBesideLedger {
  const { from, to } = item;
  if (existsSync(to)) {
    return {
      ...item,
      moved: false,
      said:
        `the token store stays at ${from}: ${to} already exists; set "tokenStore: ${from}" in ${configFile} ` +
        `(or keep the one there) before using the PostgreSQL ledger`,
    };
  }
  moveFile(from, to);
  return {
    ...item,
    moved: true,
    said: `moved the token store ${from} to ${to}, where the configuration reads it with a PostgreSQL ledger: every connection is kept`,
  };
}

/** A spool already at `to` is added to: the sync imports each record once by its request id, so nothing is booked twice. */
function carrySpool(item: BesideLedger): CarriedBesideLedger {
  const { what, from, to } = item;
  const records = readFileSync(from, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;
  const next = `its ${records} record(s) are imported by the next sync of the PostgreSQL ledger`;
  if (!existsSync(to)) {
    moveFile(from, to);
    return {
      ...item,
      moved: true,
      said: `moved ${what} ${from} to ${to}, where the sync reads it with a PostgreSQL ledger: ${next}`,
    };
  }
  // Each record starts and ends with a newline (proxy-spool.ts), so appended whole it stays one line.
  appendFileSync(to, readFileSync(from));
  rmSync(from);
  return {
    ...item,
    moved: true,
    said: `added ${what} ${from} to the spool already at ${to}, where the sync reads it with a PostgreSQL ledger: ${next}`,
  };
}

/** Each file of the folder moved; one whose name is taken at `to` by other bytes stays, and is named. */
function carryFolder(item: BesideLedger): CarriedBesideLedger {
  const { what, from, to } = item;
  mkdirSync(to, { recursive: true });
  const names = readdirSync(from);
  const kept: string[] = [];
  for (const name of names) {
    const target = join(to, name);
    if (!existsSync(target)) moveFile(join(from, name), target);
    else if (readFileSync(target).equals(readFileSync(join(from, name)))) rmSync(join(from, name));
    else kept.push(name);
  }
  const moved = names.length - kept.length;
  if (kept.length === 0) {
    rmdirSync(from);
    return {
      ...item,
      moved: true,
      said: `moved ${what} ${from} (${moved} file(s)) to ${to}, where close, reconcile and the console read them with a PostgreSQL ledger`,
    };
  }
  return {
    ...item,
    moved: false,
    said:
      `moved ${moved} of ${what} in ${from} to ${to}; ${kept.join(', ')} stayed in ${from}, since ${to} holds other bytes under the same name: ` +
      `keep in ${to} the one whose SHA-256 the console's periods page shows for its month`,
  };
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Another file system: copy, keep it private, then remove the original.
    copyFileSync(from, to);
    chmodSync(to, 0o600);
    rmSync(from);
  }
}
