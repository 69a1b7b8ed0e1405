import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sourcesFilesNamed } from './sources-file.js';
import { yamlPackage } from './yaml-file.js';

/**
 * Which configuration a queued job was enqueued under: the first 12 hex digits of the SHA-256 of the
 * configuration file's bytes as written, and of each sources file it names (`sources: { file: sources.csv }`),
 * never of the values `${VAR}` brings in, so no secret is hashed. A worker compares it with its own files',
 * read again for each job, so a file changed after the worker started (a panel's row edited in sources.csv
 * among them) is used at once and a worker given another configuration says so.
 */
export function configFingerprint(configFile: string): string {
  const bytes = readFileSync(configFile);
  const hash = createHash('sha256').update(bytes);
  for (const table of sourcesFilesOf(configFile, bytes, hash.copy().digest('hex'))) {
    hash.update('\0');
    hash.update(readFileOrNothing(table));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The sources files named by each configuration file this process fingerprinted last, with the SHA-256 of its bytes. */
const namedFiles = new Map<string, { digest: string; files: readonly string[] }>();

/**
 * The sources files `bytes` name, parsed again only when the file's bytes changed: a worker fingerprints its file for
 * each job, and parsing it (50 sources) each time was most of the worker's own CPU per close. Each named file's bytes
 * are still read each time, so an edited sources.csv is seen at once.
 */
function sourcesFilesOf(configFile: string, bytes: Buffer, digest: string): readonly string[] {
  const known = namedFiles.get(configFile);
  if (known?.digest === digest) return known.files;
  const files = sourcesFilesNamed(parsedOrNothing(bytes), configFile);
  namedFiles.set(configFile, { digest, files });
  return files;
}

/** The document, or nothing when it does not parse: the configuration's own load then says why. */
function parsedOrNothing(bytes: Buffer): unknown {
  try {
    return yamlPackage().parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A sources file's bytes, or none when it cannot be read: the configuration's own load then says why. */
function readFileOrNothing(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
