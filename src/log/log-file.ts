import { closeSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';

export interface LogFile {
  readonly path: string;
  /** Appends one line; written before it returns, so a crash right after loses nothing logged. */
  writeLine(line: string): void;
  close(): void;
}

/** `--log-file PATH`: JSON lines appended to the file (created when missing), next to whatever stderr shows. */
export function openLogFile(path: string): LogFile {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new UsageError(
      `--log-file ${path}: cannot be opened for appending (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let open = true;
  return {
    path,
    writeLine(line) {
      if (open) writeSync(fd, `${line}\n`);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
