import { afterEach, describe, expect, it } from 'vitest';
import { StopRequestedError } from '../../src/errors.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { createStopOnlyClock } from '../http/fake-clock.js';
import { useTempDir } from '../support/temp-dir.js';
import { clientHarness, quickbooksClientFor, xeroClientFor } from '../pipeline/post-fixtures.js';

/**
 * A post told to stop (SIGTERM) while its destination's token endpoint is being tried again: the wait before the
 * next try ends at once with StopRequestedError (exit 0), and the token request is not sent again.
 */
const tempDir = useTempDir('ledgerline-token-stop-');
const REFRESH = 'qbo-configured-refresh-token-1';
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** What the call ended with once `stop` aborted during the clock's first wait, and the waits it asked for. */
async function stoppedDuringTheWait(
  clock: ReturnType<typeof createStopOnlyClock>,
  stop: AbortController,
  call: Promise<unknown>,
) {
  const ended = call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  while (clock.sleeps.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  stop.abort();
  return ended;
}

const tokenRequests = (server: RunningXeroFake | RunningQuickBooksFake, path: RegExp) =>
  server.fake.requestLog().filter((request) => path.test(request.path)).length;

describe("a stop ends the wait before a token request's next try", () => {
  it('Xero: a 503 from the token endpoint, then SIGTERM during the backoff: StopRequestedError at once, one token request', async () => {
    const clock = createStopOnlyClock();
    const server = await startXeroFake({ now: clock.now });
    servers.push(server);
    server.fake.injectFault({ kind: 'server-error', status: 503 }, { on: 'token' });
    const stop = new AbortController();
    const client = xeroClientFor(server, clientHarness(tempDir()), { clock, stopSignal: stop.signal });

    const error = await stoppedDuringTheWait(clock, stop, client.lockDate());

    expect(error).toBeInstanceOf(StopRequestedError);
    expect((error as StopRequestedError).exitCode).toBe(0);
    expect((error as Error).message).toBe(
      'Xero: asked to stop while waiting to try its token request again; nothing more was sent, the next post resumes',
    );
    expect(clock.sleeps).toHaveLength(1);
    expect(tokenRequests(server, /connect\/token/)).toBe(1);
    await client.close();
  });

  it('QuickBooks: a 503 from the token endpoint, then SIGTERM during the 1 s wait: StopRequestedError at once, one token request', async () => {
    const clock = createStopOnlyClock();
    const server = await startQuickBooksFake({ refreshToken: REFRESH, now: clock.now });
    servers.push(server);
    server.fake.injectFault({ kind: 'server-error', status: 503 }, { on: 'token' });
    const stop = new AbortController();
    const client = quickbooksClientFor(server, clientHarness(tempDir()), REFRESH, { clock, stopSignal: stop.signal });

    const error = await stoppedDuringTheWait(clock, stop, client.lockDate());

    expect(error).toBeInstanceOf(StopRequestedError);
    expect((error as Error).message).toBe(
      'QuickBooks: asked to stop while waiting to try its token request again; nothing more was sent, the next post resumes',
    );
    // intuit-oauth's first wait (1 s), taken on the client's clock where the stop reaches it.
    expect(clock.sleeps).toEqual([1_000]);
    expect(tokenRequests(server, /tokens\/bearer/)).toBe(1);
    await client.close();
  });

  it("QuickBooks: without a stop, intuit-oauth's retries are still made (1 s, then 2 s) on the client's clock, and said", async () => {
    const harness = clientHarness(tempDir());
    const server = await startQuickBooksFake({ refreshToken: REFRESH, now: () => harness.clock.now() });
    servers.push(server);
    server.fake.injectFault({ kind: 'server-error', status: 503 }, { on: 'token', times: 2 });
    const client = quickbooksClientFor(server, harness, REFRESH);

    await client.lockDate();

    expect(harness.clock.sleeps).toEqual([1_000, 2_000]);
    expect(tokenRequests(server, /tokens\/bearer/)).toBe(3);
    expect(harness.logs.filter((line) => line.includes('before attempt'))).toEqual([
      'QuickBooks: token request failed: Service Unavailable; waiting 1 s before attempt 2',
      'QuickBooks: token request failed: Service Unavailable; waiting 2 s before attempt 3',
    ]);
    await client.close();
  });
});
