import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

/**
 * What `ledgerline connect` chose and learnt: the Xero organisation (tenant and
 * connection ids) or the QuickBooks company (realm), its name, the scopes
 * granted and when. It wins over the configuration's tenantId/realmId.
 */
const storedConnectionSchema = z.strictObject({
  tenantId: z.string().min(1).optional(),
  /** Xero's connection id, for DELETE /connections/{id} on disconnect. */
  connectionId: z.string().min(1).optional(),
  realmId: z.string().min(1).optional(),
  organisationName: z.string().optional(),
  /** The scope the token endpoint said it granted, space-separated. */
  scope: z.string().optional(),
  /** ISO instant of the consent. */
  connectedAt: z.iso.datetime(),
});
export type StoredConnection = z.infer<typeof storedConnectionSchema>;

/**
 * The tokens ledgerline holds for one destination: what it last received from
 * the token endpoint. `importedFrom` fingerprints the configuration's
 * refreshToken that this line of tokens descends from, so a fresh
 * authorization pasted into the configuration is noticed and wins.
 */
const storedTokensSchema = z.strictObject({
  accessToken: z.string().min(1),
  /** ISO instant. */
  accessTokenExpiresAt: z.iso.datetime(),
  /** Absent for a Xero custom connection (client credentials), which has none. */
  refreshToken: z.string().min(1).optional(),
  refreshTokenExpiresAt: z.iso.datetime().optional(),
  /** ISO instant the refresh token was last received (a consent or a rotation). */
  refreshTokenRotatedAt: z.iso.datetime().optional(),
  connection: storedConnectionSchema.optional(),
  /** configRefreshTokenHash() of the configuration's refreshToken when this line of tokens began with it. */
  importedFrom: z.string().optional(),
});
export type StoredTokens = z.infer<typeof storedTokensSchema>;

const tokenFileSchema = z.strictObject({
  version: z.literal(1),
  destinations: z.record(z.string(), storedTokensSchema),
});
type TokenFile = z.infer<typeof tokenFileSchema>;

export interface TokenStore {
  readonly path: string;
  read(destination: string): StoredTokens | undefined;
  /** Every destination's tokens from one read of the file, for a reader that looks at several. */
  readAll(): Readonly<Record<string, StoredTokens>>;
  /** Replaces one destination's tokens; on disk (fsync'd) when it returns. */
  write(destination: string, tokens: StoredTokens): void;
  /** Forgets one destination's tokens (after `disconnect`); on disk when it returns. */
  remove(destination: string): void;
}

/** Owner read/write only: the file holds live credentials. */
const FILE_MODE = 0o600;

/**
 * The token store: one JSON file, mode 0600, written atomically (a temporary
 * file beside it, fsync, rename, fsync of the folder), so a crash leaves
 * either the old tokens or the new ones, never half of either. Writes are
 * synchronous on purpose: a rotated refresh token is on disk before the call
 * that received it returns, hence before the access token beside it is used.
 * Errors name the file, never a token.
 */
export function openTokenStore(path: string): TokenStore {
  const readFile = (): TokenFile => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, destinations: {} };
      throw storeProblem(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw storeProblem(path, 'is not JSON; delete it and authorize again (set refreshToken in the configuration)');
    }
    const checked = tokenFileSchema.safeParse(parsed);
    if (!checked.success) {
      const where = checked.error.issues.map((issue) => issue.path.join('.') || 'the file').join(', ');
      throw storeProblem(path, `is not a ledgerline token store (problem at ${where}); delete it and authorize again`);
    }
    return checked.data;
  };

  return {
    path,
    read: (destination) => {
      const file = readFile();
      return Object.hasOwn(file.destinations, destination) ? file.destinations[destination] : undefined;
    },
    readAll: () => readFile().destinations,
    write: (destination, tokens) => {
      const file = readFile();
      writeFile({
        version: 1,
        destinations: { ...file.destinations, [destination]: storedTokensSchema.parse(tokens) },
      });
    },
    remove: (destination) => {
      const destinations = { ...readFile().destinations };
      if (!Object.hasOwn(destinations, destination)) return;
      delete destinations[destination];
      writeFile({ version: 1, destinations });
    },
  };

  function writeFile(next: TokenFile): void {
    try {
      writeAtomically(path, `${JSON.stringify(next, null, 2)}\n`);
    } catch (error) {
      throw storeProblem(
        path,
        `cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}); the tokens just ` +
          `received are lost, so the next run may need a new authorization`,
      );
    }
  }
}

/**
 * The fingerprint kept in `importedFrom`: "sha256:" and the hex digest, so the
 * store can tell whether the configuration's refreshToken changed without
 * keeping a second copy of it.
 */
export function configRefreshTokenHash(refreshToken: string): string {
  return `sha256:${createHash('sha256').update(refreshToken).digest('hex')}`;
}

/**
 * Which stored tokens may be used: a stored line of tokens wins over the
 * configuration's refreshToken, unless that value changed since the line was
 * imported from it (someone authorized again and pasted the new token).
 */
export function usableStoredTokens(
  stored: StoredTokens | undefined,
  configRefreshToken: string | undefined,
): StoredTokens | undefined {
  if (stored === undefined) return undefined;
  if (configRefreshToken === undefined) return stored;
  // `ledgerline connect` marks its tokens as newer than the configuration's token it found there.
  return stored.importedFrom === configRefreshTokenHash(configRefreshToken) ? stored : undefined;
}

function writeAtomically(path: string, text: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', FILE_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  // The umask may have narrowed the mode further but never widened it; set it exactly.
  chmodSync(temporary, FILE_MODE);
  renameSync(temporary, path);
  const folderFd = openSync(folder, 'r');
  try {
    fsyncSync(folderFd);
  } finally {
    closeSync(folderFd);
  }
}

function storeProblem(path: string, message: string): ConfigError {
  return new ConfigError([{ file: path, path: '', message: `the token store ${message}` }]);
}
