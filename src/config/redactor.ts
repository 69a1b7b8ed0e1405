import type { Config } from './resolve-config.js';
import { holdsReference } from './interpolate.js';
import { isPlainRecord } from './key-path.js';
import { postgresPassword } from './ledger-location.js';
import { secretSites } from './secret-fields.js';

const REDACTED = '[redacted]';

/**
 * Shorter values are not redacted: replacing every "ab" in a message would
 * make it unreadable, and a key that short offers no protection to keep.
 */
const SHORTEST_REDACTED_SECRET = 4;

/** Replaces secret values in text before it is logged, shown or stored. */
interface Redactor {
  redact(text: string): string;
  /** A redactor that also hides these (e.g. an access token fetched at run time). */
  withSecrets(more: Iterable<string>): Redactor;
}

/** A redactor for every secret in the loaded configuration (see SECRET_FIELDS). */
export function createRedactor(config: Config, extra: Iterable<string> = []): Redactor {
  return redactorFor([...configSecrets(config), ...extra]);
}

/** Replaces each secret, and the forms it takes in URLs, form bodies and JSON, with "[redacted]". */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  return replaceForms(text, secretForms(secrets));
}

/** The secret values a configuration holds (a postgres ledger URL's password too); a reference left unresolved is not a secret. */
export function configSecrets(config: unknown): string[] {
  const ledger =
    isPlainRecord(config) && typeof config.ledger === 'string' ? postgresPassword(config.ledger) : undefined;
  return [...secretSites(config).map((site) => site.value), ledger].filter(
    (value): value is string => typeof value === 'string' && !holdsReference(value),
  );
}

function redactorFor(secrets: readonly string[]): Redactor {
  const forms = secretForms(secrets);
  return {
    redact: (text) => replaceForms(text, forms),
    withSecrets: (more) => redactorFor([...secrets, ...more]),
  };
}

/** Longest first, so that a secret containing another is replaced whole. */
function secretForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < SHORTEST_REDACTED_SECRET) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function replaceForms(text: string, forms: readonly string[]): string {
  let result = text;
  for (const form of forms) result = result.split(form).join(REDACTED);
  return result;
}
