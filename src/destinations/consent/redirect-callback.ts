import { z } from 'zod';
import { ConsentRefusedError, ConsentStateMismatchError, PastedRedirectError } from '../../errors.js';

/** What the callback may carry (RFC 6749 §4.1.2): a code, or an error; Intuit adds realmId. */
const callbackQuerySchema = z.object({
  code: z.string().min(1).optional(),
  state: z.string().optional(),
  realmId: z.string().min(1).optional(),
  error: z.string().min(1).optional(),
  error_description: z.string().optional(),
});

interface ConsentCallback {
  code: string;
  /** QuickBooks: the company the person chose. */
  realmId?: string;
}

/**
 * Reads the redirect the vendor sent the browser to: it must be the redirect
 * URI this run used, carry this run's state, and hold a code. The state is
 * checked before anything else is believed, an error reply included, so a
 * stray or forged redirect is refused whatever it says. No part of the URL
 * goes into a message: it holds the code.
 */
export function readConsentCallback(
  service: string,
  callbackUrl: string,
  expected: { redirectUri: string; state: string },
): ConsentCallback {
  let url: URL;
  try {
    url = new URL(callbackUrl.trim());
  } catch {
    throw new PastedRedirectError(
      `${service}: what was pasted is not a URL; copy the whole address from the browser's address bar after choosing Allow`,
    );
  }
  const redirect = new URL(expected.redirectUri);
  if (url.origin !== redirect.origin || url.pathname !== redirect.pathname) {
    throw new PastedRedirectError(
      `${service}: the URL pasted is not ${redirect.origin}${redirect.pathname}, the redirect URI this run used; paste the address the browser was sent to`,
    );
  }
  const query = callbackQuerySchema.parse(Object.fromEntries(url.searchParams));
  if (query.state !== expected.state) {
    throw new ConsentStateMismatchError(
      `${service}: the redirect does not carry the state this run sent, so it belongs to another ` +
        `attempt or to someone else; nothing was exchanged or stored. Run connect again and use the URL it prints`,
    );
  }
  if (query.error !== undefined)
    throw new ConsentRefusedError(
      service,
      safeCode(query.error),
      query.error_description === undefined ? undefined : safeCode(query.error_description),
    );
  if (query.code === undefined) {
    throw new PastedRedirectError(
      `${service}: the redirect has no code (the URL may have been cut short); copy the whole address ` +
        `from the browser and paste it again, or run connect again`,
    );
  }
  return { code: query.code, ...(query.realmId === undefined ? {} : { realmId: query.realmId }) };
}

/** An error code or description from the vendor, shown only when it is plain words. */
function safeCode(text: string): string {
  return /^[\w .,:'()-]{1,200}$/.test(text) ? text : 'unreadable';
}
