import { describe, expect, it } from 'vitest';
import type { AccessTokens } from '../../src/destinations/access-tokens.js';
import {
  DEFAULT_WAIT_BUDGET,
  destinationPace,
  destinationRetryOptions,
  renewalOn401,
} from '../../src/destinations/destination-retry.js';
import { AuthError, StopRequestedError } from '../../src/errors.js';
import { retryLoop } from '../../src/http/index.js';

/** Access tokens that hand out "token-1", "token-2" … and remember which refused token each renewal replaced. */
function countingTokens(): AccessTokens & { renewedFrom: string[] } {
  const renewedFrom: string[] = [];
  return {
    renewedFrom,
    current: async () => `token-${renewedFrom.length + 1}`,
    async renew(rejected) {
      renewedFrom.push(rejected);
      return `token-${renewedFrom.length + 1}`;
    },
    async refresh() {
      renewedFrom.push('(refresh)');
    },
  };
}

describe('renewalOn401', () => {
  it('renews the refused token once and asks for another attempt at once', async () => {
    const tokens = countingTokens();
    const renewal = renewalOn401(tokens, 'Xero', 'creating 2 manual journals');
    const wait = await renewal('token-1', 'AuthenticationUnsuccessful');
    expect(tokens.renewedFrom).toEqual(['token-1']);
    expect({ ...wait, failure: wait.failure.message }).toEqual({
      kind: 'wait',
      waitMs: 0,
      failure:
        'Xero: authentication failed (AuthenticationUnsuccessful); check the API key or credentials configured for Xero',
      reason: 'the access token was refused; renewed it',
    });
  });

  it('stops with an AuthError when the renewed token is refused too, without renewing again', async () => {
    const tokens = countingTokens();
    const renewal = renewalOn401(tokens, 'QuickBooks', 'reading preferences');
    await renewal('token-1', 'HTTP 401');
    const second = renewal('token-2', 'HTTP 401');
    await expect(second).rejects.toThrow(AuthError);
    await expect(second).rejects.toThrow(
      'QuickBooks: authentication failed (reading preferences was refused again after a token renewal (HTTP 401))',
    );
    expect(tokens.renewedFrom).toEqual(['token-1']);
  });

  it('counts per call: another call gets its own renewal', async () => {
    const tokens = countingTokens();
    await renewalOn401(tokens, 'Xero', 'GET Organisation')('token-1', 'TokenExpired');
    await renewalOn401(tokens, 'Xero', 'GET ManualJournals')('token-2', 'TokenExpired');
    expect(tokens.renewedFrom).toEqual(['token-1', 'token-2']);
  });
});

describe('destinationPace', () => {
  /** A clock at a standstill whose sleeps end only when cut: a wait the stop does not cut never ends. */
  const standstill = () => ({
    now: () => 0,
    sleep: (_ms: number, cut?: AbortSignal) =>
      new Promise<void>((resolve) => cut?.addEventListener('abort', () => resolve(), { once: true })),
  });

  it('says each wait in its own words (calls, or writes) and ends it at once with StopRequestedError when told to stop', async () => {
    const said: string[] = [];
    const stop = new AbortController();
    const writes = destinationPace('QuickBooks', 2, standstill(), {
      log: (line) => said.push(line),
      stopSignal: stop.signal,
      what: 'writes',
    });
    await writes.acquire();
    await writes.acquire();
    const waiting = writes.acquire();
    await Promise.resolve();
    expect(said).toEqual(['QuickBooks: 2 writes in the last minute, its limit; the next waits 60 s']);
    stop.abort();
    const error = await waiting.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(StopRequestedError);
    expect((error as StopRequestedError).exitCode).toBe(0);
    expect((error as Error).message).toBe(
      'QuickBooks: asked to stop while waiting for its calls a minute; nothing more was sent, the next post resumes',
    );
  });
});

describe('destinationRetryOptions', () => {
  it("ends a 429's Retry-After wait at once with StopRequestedError when told to stop, sending nothing more", async () => {
    const stop = new AbortController();
    const said: string[] = [];
    const clock = {
      now: () => 0,
      sleep: (_ms: number, cut?: AbortSignal) =>
        new Promise<void>((resolve) => cut?.addEventListener('abort', () => resolve(), { once: true })),
    };
    let attempts = 0;
    const call = retryLoop<never>(
      async () => (
        (attempts += 1),
        { kind: 'wait', waitMs: 60_000, failure: new Error('HTTP 429'), reason: 'rate limited (HTTP 429)' }
      ),
      destinationRetryOptions('Xero create manual journals', {
        clock,
        budget: DEFAULT_WAIT_BUDGET,
        redact: (text) => text,
        log: (line) => said.push(line),
        service: 'Xero',
        stopSignal: stop.signal,
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(said).toEqual(['Xero create manual journals: rate limited (HTTP 429); waiting 60 s before attempt 2']);
    stop.abort();
    const error = await call.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(StopRequestedError);
    expect((error as StopRequestedError).exitCode).toBe(0);
    expect((error as Error).message).toBe(
      'Xero: asked to stop while waiting to try a call again; nothing more was sent, the next post resumes',
    );
    expect(attempts).toBe(1);
  });
});
