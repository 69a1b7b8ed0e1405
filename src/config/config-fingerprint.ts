import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Which configuration a queued job was enqueued under: the first 12 hex digits of the SHA-256 of the
 * configuration file's bytes as written (never of the values `${VAR}` brings in, so no secret is hashed).
 * A worker compares it with its own file's, read again for each job, so a file changed after the worker
 * started is used at once and a worker given another file says so.
 */
export function configFingerprint(configFile: string): string {
  return createHash('sha256').update(readFileSync(configFile)).digest('hex').slice(0, 12);
}
