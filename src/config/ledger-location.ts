import { z } from 'zod';

const POSTGRES_SCHEME = /^postgres(ql)?:\/\//i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Where the books are: a SQLite file (the embedded default) or a PostgreSQL database. */
export type LedgerEngine = 'sqlite' | 'postgres';

/**
 * `ledger:` as written: the path of a SQLite file or a postgres:// URL
 * (password through `${VAR}` or the standard PG* variables). Any other URL is
 * refused rather than taken for a file name.
 */
export const ledgerSchema = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((value, context) => {
    if (isPostgresUrl(value) && !URL.canParse(value)) {
      context.addIssue({
        code: 'custom',
        message:
          'is not a readable postgres://user@host:port/database URL (a password with / @ : or # in it must be percent-encoded, or given through PGPASSWORD)',
      });
    } else if (!isPostgresUrl(value) && ANY_SCHEME.test(value)) {
      context.addIssue({
        code: 'custom',
        message: 'must be the path of a SQLite file or a postgres://user@host:port/database URL',
      });
    }
  });

export function ledgerEngineOf(ledger: string): LedgerEngine {
  return isPostgresUrl(ledger) ? 'postgres' : 'sqlite';
}

export function isPostgresUrl(ledger: string): boolean {
  return POSTGRES_SCHEME.test(ledger);
}

/**
 * A postgres URL as it may be shown: user@host:port/database, never the
 * password (nor query options, which may hold one).
 */
export function describePostgresUrl(url: string): string {
  if (!URL.canParse(url)) return 'a postgres URL that cannot be read';
  const parsed = new URL(url);
  const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`;
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  return `${user}${host}:${parsed.port === '' ? '5432' : parsed.port}${decodeURIComponent(parsed.pathname)}`;
}

/** The password a postgres URL carries, if any. */
export function postgresPassword(ledger: string): string | undefined {
  if (!isPostgresUrl(ledger) || !URL.canParse(ledger)) return undefined;
  const password = new URL(ledger).password;
  return password === '' ? undefined : decodeURIComponent(password);
}
