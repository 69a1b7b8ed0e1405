/**
 * A TCP port, 0 to 65535, written as digits; undefined for anything else. `flag.port` reads a listening
 * command's `--port` with it, so `--port 99999` is a usage mistake said in one line, not Node's RangeError
 * surfacing from listen() as a bug.
 */
export function readPort(given: string): number | undefined {
  return /^\d{1,5}$/.test(given) && Number(given) <= 65_535 ? Number(given) : undefined;
}

export function portRefusal(flag: string, value: unknown): string {
  return `${flag} must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`;
}
