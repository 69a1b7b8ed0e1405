import { accessSync, constants, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { printable } from '../log/index.js';

/** The statement to read: a plain file this user may read; a folder, a pipe, a device or a missing path is refused naming it. */
export function statementFile(file: string, typed: string): string {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
    if (stat.isFile()) accessSync(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new UsageError(`bank import: ${printable(typed)} does not exist`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new UsageError(`bank import: ${printable(typed)} cannot be read by this user (${code})`);
    throw error;
  }
  if (stat.isDirectory())
    throw new UsageError(`bank import: ${printable(typed)} is a folder; name the statement file in it`);
  if (!stat.isFile())
    throw new UsageError(
      `bank import: ${printable(typed)} is not a plain file (a pipe, a device or a socket); save the statement as a file first`,
    );
  return file;
}
