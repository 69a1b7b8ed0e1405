import { UsageError } from '../errors.js';

/**
 * The `--port` a listening command was given, checked here so a port outside 0-65535 (`--port 99999`) is a
 * usage mistake said in one line, not Node's RangeError surfacing from listen() as a bug.
 */
export function portFlag(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const port = typeof value === 'string' ? readPort(value) : undefined;
  if (port === undefined) throw new UsageError(portRefusal('--port', value));
  return port;
}

/** A TCP port, 0 to 65535, written as digits; undefined for anything else. */
export function readPort(given: string): number | undefined {
  return /^\d{1,5}$/.test(given) && Number(given) <= 65_535 ? Number(given) : undefined;
}

export function portRefusal(flag: string, value: unknown): string {
  return `${flag} must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`;
}
