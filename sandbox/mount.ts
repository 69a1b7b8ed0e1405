import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One simulated service inside `ledgerline sandbox`. The sandbox server owns
 * the socket and hands every request whose path starts with `prefix` to the
 * mount, with the rest of the path, so the simulators and the QuickBooks/Xero
 * fakes can run side by side on one port or alone in a test.
 */
export interface SandboxMount {
  /** Path prefix without a trailing slash, e.g. "/panel", "/xero". */
  readonly prefix: string;
  /** `subPath` is the path after the prefix (always starting with "/"), query string excluded. */
  handle(request: IncomingMessage, response: ServerResponse, subPath: string, body: Buffer): Promise<void> | void;
}
