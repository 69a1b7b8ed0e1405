import {
  accessSync,
  closeSync,
  constants,
  createWriteStream,
  existsSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Writable } from 'node:stream';
import type { BooksFile } from '../app/books-files.js';
import { EnvironmentError } from '../errors.js';
import type { LedgerExportRequest } from '../reads/index.js';
import { fileSystemError } from './output-file.js';

type SideFile = NonNullable<LedgerExportRequest['sideFile']>;

/**
 * Runs `write` into `path` and the files it opens beside it (sideFile: `march-xero.csv` → `march-xero-bank-statement.csv`,
 * `e.xero` → `e.xero-bank-statement.csv`),
 * each written under a temporary name and renamed into place once all are complete: an accountant never opens a
 * half-written file, nor a journal file whose bank statement file is missing.
 */
export async function writtenWhole<T>(
  path: string,
  write: (out: Writable, sideFile: SideFile) => Promise<T>,
): Promise<T> {
  const targets = [path];
  // The .partial files this run created: only these are removed on a failure (a folder of that name is not ours).
  const opened: string[] = [];
  const partial = (target: string): Writable => {
    const out = partialStream(target);
    opened.push(`${target}.partial`);
    return out;
  };
  const sideFile: SideFile = (suffix, extension) => {
    // Only the side file's own extension is dropped: e.xero and e.quickbooks would otherwise share e-bank-statement.csv.
    const stem = path.endsWith(`.${extension}`) ? path.slice(0, -extension.length - 1) : path;
    const side = `${stem}-${suffix}.${extension}`;
    targets.push(side);
    return { out: partial(side), path: side };
  };
  try {
    const said = await write(partial(path), sideFile);
    for (const target of targets) {
      const fd = openSync(`${target}.partial`, 'r+');
      fsyncSync(fd);
      closeSync(fd);
    }
    for (const target of targets) renameSync(`${target}.partial`, target);
    return said;
  } catch (error) {
    for (const file of opened) rmSync(file, { force: true });
    throw error;
  }
}

/**
 * What `export --out` says of a file system failure of writtenWhole: a full disk is the disk failing (exit 3), a
 * folder in the way a path to change (exit 2), each naming the file it concerns; never an internal error.
 * Example: ENOSPC writing march.csv.partial → "--out march.csv.partial: the disk refused the write (ENOSPC: …)".
 */
export function exportFileError(error: unknown, path: string): unknown {
  const failed = (error as NodeJS.ErrnoException | undefined)?.path;
  return fileSystemError(error, '--out', failed ?? path);
}

/**
 * `target`.partial, created before this returns: a stream opening it later (createWriteStream's own open) would create
 * it after an export refused at its first entry had removed it, leaving an empty `.partial` in the user's folder.
 */
function partialStream(target: string): Writable {
  return createWriteStream(`${target}.partial`, { fd: openSync(`${target}.partial`, 'w') });
}

/**
 * --out must name a file in a folder that exists and may be written, and none of `kept` (the books' own files,
 * refuseBooksFiles), which an export written whole would replace: said before the ledger is read.
 * Example: `--out data/ledger.sqlite` would swap the SQLite books for a CSV of them.
 */
export function checkOutputPath(path: string, kept: readonly BooksFile[] = []): void {
  refuseBooksFiles(path, kept);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new EnvironmentError(
      `--out ${path} is a folder; name a file, such as ${path.replace(/\/+$/, '')}/journals.csv`,
    );
  const folder = dirname(path);
  if (!existsSync(folder))
    throw new EnvironmentError(`--out ${path}: the folder ${folder} does not exist; create it first`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new EnvironmentError(`--out ${path}: the folder ${folder} may not be written by this user`);
  }
}

/**
 * The path as the file system reaches it: `..` resolved and every link followed, for the part of it that exists
 * (a file not there yet, in a folder that is a link to the ledger's, is in the ledger's folder).
 */
function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const folder = dirname(path);
    return folder === path ? path : join(realPathOf(folder), basename(path));
  }
}

/**
 * `path` is none of `kept`, the books' own files (app/books-files.ts: the ledger and its journal files, the
 * configuration, the mappings, the token store, the witness, the certificates, the spools), which a file written whole
 * would replace (issue 84), links and `..` resolved. Example: `--out witness/heads.jsonl` → "--out …/heads.jsonl is
 * the witness file: writing there would replace it".
 */
export function refuseBooksFiles(path: string, kept: readonly BooksFile[], example = 'journals.csv'): void {
  const target = realPathOf(resolve(path));
  const another = `name another file, such as ${join(dirname(path), example)}`;
  for (const file of kept) {
    const own = realPathOf(resolve(file.path));
    if (file.folder === true && target.startsWith(`${own}${sep}`))
      throw new EnvironmentError(`--out ${path} is in ${file.what} ${own}: writing there would change it; ${another}`);
    if (own === target)
      throw new EnvironmentError(`--out ${path} is ${file.what}: writing there would replace it; ${another}`);
  }
}
