import { UsageError } from '../errors.js';

/**
 * The `--port` a listening command was given, checked here so a port outside 0-65535 (`--port 99999`) is a
 * usage mistake said in one line, not Node's RangeError surfacing from listen() as a bug.
 */
export function portFlag(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}
