import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { join } from 'node:path';

/**
 * Where the CLI keeps what a configuration file's check (or the chart's) produced, so a command after the first
 * skips the YAML parse and zod's check of a file it has seen: one file per key, the key a hash of the file's bytes,
 * the CLI's build and whatever else the check read. Only a value that passed its check is kept, and only a value
 * with no secret in it (the callers decide which: config/load-config.ts keeps none whose `${VAR}`s are set).
 */
export interface CheckedCache {
  readonly dir: string;
  /** The CLI's build (scripts/bundle-cli.mjs writes it): another build's checks may differ, so its entries are others'. */
  readonly build: string;
  /** What begins each entry's file name: the build's, so the code cache's pruning tells another build's entries. */
  readonly namePrefix: string;
}

/**
 * The cache in `dir` (the code cache's folder: one per node version and flags) for the build `buildFile` names, or
 * none: turned off (`dir` undefined), or a CLI run from files that no build wrote an identity for.
 */
export function checkedCacheIn(
  dir: string | undefined,
  buildFile: URL,
  namePrefix: (build: string) => string,
): CheckedCache | undefined {
  if (dir === undefined) return undefined;
  try {
    const build = readFileSync(buildFile, 'utf8');
    return { dir, build, namePrefix: namePrefix(build) };
  } catch {
    return undefined;
  }
}

/** The part of a key that is a file's content, or that the file cannot be read. */
export function fileBytes(file: string): Buffer | string {
  try {
    return readFileSync(file);
  } catch (error) {
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}

/** A stored entry: the whole key it was written under, so a file planted under the same name is no hit. */
interface Entry {
  key: string;
  value: unknown;
}

/**
 * The value kept under `parts`, else `check()`'s, kept for next time when `keep` says it may be. Whatever goes wrong
 * with the cache (a missing, corrupt or foreign file, a folder that cannot be written) costs only the full check.
 */
export function cachedCheck<T>(
  cache: CheckedCache | undefined,
  parts: readonly (string | Buffer)[] | undefined,
  check: () => T,
  keep: (value: T) => boolean = () => true,
): T {
  if (cache === undefined || parts === undefined) return check();
  const hash = createHash('sha256').update(cache.build).update(process.version);
  for (const part of parts) hash.update(`\0${part.length}\0`).update(part);
  const key = hash.digest('hex');
  const file = join(cache.dir, `${cache.namePrefix}-${key.slice(0, 40)}.checked`);
  const stored = readEntry(file);
  if (stored !== undefined && stored.key === key) return stored.value as T;
  const value = check();
  if (keep(value)) writeEntry(file, { key, value });
  return value;
}

function readEntry(file: string): Entry | undefined {
  try {
    const entry = deserialize(readFileSync(file)) as Partial<Entry> | null;
    return typeof entry?.key === 'string' ? (entry as Entry) : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole under a temporary name and renamed; only a value that comes back from its bytes as it went in. */
function writeEntry(file: string, entry: Entry): void {
  try {
    const bytes = serialize(entry);
    if (!isDeepStrictEqual(deserialize(bytes), entry)) return;
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    return;
  }
}
