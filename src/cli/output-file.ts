import { closeSync, constants, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError, LedgerStorageError, LedgerlineError } from '../errors.js';
import { printable } from '../log/index.js';

/**
 * A failure of the file system as the one line a person acts on, naming the path: a missing folder, a folder where
 * a file was asked for, a permission, a symbolic link (exit 2); a full disk or an I/O error (exit 3). Anything
 * else is handed on as it is. Example: ENOENT on out/e.zip → `--out out/e.zip: the folder out does not exist; create it first`.
 */
export function fileSystemError(error: unknown, what: string, path: string): unknown {
  if (error instanceof LedgerlineError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const named = `${what} ${printable(path, 200)}`;
  switch (code) {
    case 'ENOENT':
      return new EnvironmentError(
        `${named}: the folder ${printable(dirname(path), 200)} does not exist; create it first`,
      );
    case 'ENOTDIR':
      return new EnvironmentError(`${named}: a part of the path is a file, not a folder`);
    case 'EISDIR':
      return new EnvironmentError(`${named} is a folder: name a file in it`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new EnvironmentError(`${named}: not allowed to write there (${code}); choose a folder you can write to`);
    case 'ELOOP':
      return new EnvironmentError(
        `${named} is a symbolic link: ledgerline never writes through one; name the file itself`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
    case 'EIO':
      return new LedgerStorageError(
        `${named}: the disk refused the write (${code}: full, over quota or failing); nothing was kept, free some space and run it again`,
      );
    default:
      return error;
  }
}

/**
 * Writes `bytes` to a new file at `path`, never through a symbolic link: created exclusively (O_EXCL, which
 * follows no link), so an existing file is refused unless `force`, and then replaced by a file written beside it
 * and renamed over it (a rename replaces a link itself, never its target). A folder, a link or a special file at
 * `path` is refused with or without `force`. A write that fails leaves no file behind.
 */
export function writeNewFile(path: string, bytes: Uint8Array, options: { what: string; force: boolean }): void {
  const existing = lstatOrUndefined(path, options.what);
  if (existing !== undefined) {
    if (existing.isDirectory())
      throw new EnvironmentError(`${options.what} ${printable(path, 200)} is a folder: name a file in it`);
    if (existing.isSymbolicLink())
      throw fileSystemError(Object.assign(new Error('link'), { code: 'ELOOP' }), options.what, path);
    if (!existing.isFile())
      throw new EnvironmentError(
        `${options.what} ${printable(path, 200)} is not a plain file (a device, a pipe or a socket): name a file`,
      );
    if (!options.force)
      throw new EnvironmentError(
        `${options.what} ${printable(path, 200)} exists: add --force to replace it, or name another file`,
      );
  }
  const target = existing === undefined ? path : `${path}.partial-${process.pid}`;
  let created = false;
  try {
    const fd = openSync(
      target,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    created = true;
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
    if (target !== path) renameSync(target, path);
  } catch (error) {
    if (created) rmSync(target, { force: true });
    throw (error as NodeJS.ErrnoException).code === 'EEXIST'
      ? new EnvironmentError(
          `${options.what} ${printable(path, 200)} appeared while it was being written: run it again`,
        )
      : fileSystemError(error, options.what, path);
  }
}

function lstatOrUndefined(path: string, what: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileSystemError(error, what, path);
  }
}
