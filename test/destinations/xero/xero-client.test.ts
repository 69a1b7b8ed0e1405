import { afterEach, describe, expect, it } from 'vitest';
import type { RenderedEntry } from '../../../src/rules/index.js';
import {
  ConsentLapsedError,
  DailyLimitError,
  LockedPeriodError,
  OutcomeUnknownError,
  RateLimitedError,
} from '../../../src/errors.js';
import { xeroIdempotencyKey } from '../../../src/destinations/xero/xero-payload.js';
import { startXeroFake, type RunningXeroFake, type XeroFakeOptions } from '../../../sandbox/xero/fake.js';
import { configRefreshTokenHash } from '../../../src/destinations/token-store.js';
import { useTempDir } from '../../support/temp-dir.js';
import {
  clientHarness,
  fileMode,
  START_MS,
  xeroClientFor,
  xeroConfig,
  type ClientHarness,
} from '../../pipeline/post-fixtures.js';

const tempDir = useTempDir('ledgerline-xero-client-');
let running: RunningXeroFake | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(
  options: Omit<XeroFakeOptions, 'now'> = {},
): Promise<{ server: RunningXeroFake; harness: ClientHarness }> {
  const harness = clientHarness(tempDir());
  running = await startXeroFake({ ...options, now: () => harness.clock.now() });
  return { server: running, harness };
}

function entry(seq: number, date = '2024-02-15', cents = 100n + BigInt(seq)): RenderedEntry {
  const id = `je:test:${seq}`;
  return {
    id,
    date,
    sourceId: 'smm-panel',
    description: `SMM panel orders #${seq}`,
    eventIds: [],
    lines: [
      { account: 'smm_services_expense', currency: 'USD', cents },
      { account: 'panel_prepaid', currency: 'USD', cents: -cents },
    ],
  };
}

describe('Xero client', () => {
  it('creates each entry as one POSTED journal with the entry id in its narration and the request key as Idempotency-Key', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness);
    const entries = [entry(1), entry(2)];
    const key = client.requestKey(entries, 0);

    const outcomes = await client.send(entries, key);

    const journals = server.fake.journals();
    expect(
      journals.map((journal) => [
        journal.narration,
        journal.date,
        journal.status,
        journal.lineAmountTypes,
        journal.idempotencyKey,
      ]),
    ).toEqual([
      ['SMM panel orders #1 [je:test:1]', '2024-02-15', 'POSTED', 'NoTax', 'll:je:test:1 je:test:2'],
      ['SMM panel orders #2 [je:test:2]', '2024-02-15', 'POSTED', 'NoTax', 'll:je:test:1 je:test:2'],
    ]);
    expect(journals[0]?.lines.map((line) => [line.accountCode, line.cents])).toEqual([
      ['410', 101n],
      ['621', -101n],
    ]);
    expect(Object.fromEntries(outcomes)).toEqual({
      'je:test:1': { status: 'posted', remoteId: journals[0]?.manualJournalId },
      'je:test:2': { status: 'posted', remoteId: journals[1]?.manualJournalId },
    });
    expect(key).toBe(xeroIdempotencyKey(['je:test:1', 'je:test:2']));
    expect(client.callCounts()).toEqual({ reads: 0, writes: 1 });
  });

  it('a DRAFT status from the configuration reaches Xero as DRAFT', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness, { status: 'DRAFT' });
    await client.send([entry(1)], 'key-draft');
    expect(server.fake.journals().map((journal) => journal.status)).toEqual(['DRAFT']);
  });

  it('reads the later of the period lock date and the end-of-year lock date', async () => {
    const { server, harness } = await start({ periodLockDate: '2024-01-31', endOfYearLockDate: '2023-12-31' });
    const client = xeroClientFor(server, harness);
    expect(await client.lockDate()).toBe('2024-01-31');
    server.fake.setLockDates({ periodLockDate: null });
    expect(await client.lockDate()).toBe('2023-12-31');
    server.fake.setLockDates({ endOfYearLockDate: null });
    expect(await client.lockDate()).toBeUndefined();
  });

  it('a journal dated in a locked period is refused with the entry id and lock date, and the others of the request are posted', async () => {
    const { server, harness } = await start({ periodLockDate: '2024-01-31' });
    const client = xeroClientFor(server, harness);
    const outcomes = await client.send([entry(1, '2024-01-20'), entry(2, '2024-02-05')], 'key-locked');

    const refused = outcomes.get('je:test:1');
    expect(refused?.status).toBe('refused');
    const error = refused?.status === 'refused' ? refused.error : undefined;
    expect(error).toBeInstanceOf(LockedPeriodError);
    expect(error?.message).toBe(
      'Xero: entry je:test:1 dated 2024-01-20 falls in a closed period (books locked through 2024-01-31); it stays unposted until the lock date is moved',
    );
    expect(outcomes.get('je:test:2')?.status).toBe('posted');
    expect(server.fake.journals().map((journal) => journal.narration)).toEqual(['SMM panel orders #2 [je:test:2]']);
  });

  it('finds posted journals by the bracketed entry id, so je:test:1 never matches je:test:10', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness);
    await client.send([entry(10), entry(2)], 'key-seed');
    const remote = new Map(server.fake.journals().map((journal) => [journal.narration, journal.manualJournalId]));

    const found = await client.findPosted([entry(1), entry(2), entry(10)]);

    expect(Object.fromEntries(found)).toEqual({
      'je:test:2': remote.get('SMM panel orders #2 [je:test:2]'),
      'je:test:10': remote.get('SMM panel orders #10 [je:test:10]'),
    });
  });

  it('waits out a minute-limit 429 for as long as Retry-After says, on the injected clock, and posts once', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness);
    server.fake.injectFault({ kind: 'rate-limit', problem: 'minute', retryAfterSeconds: 37 }, { times: 2 });

    const outcomes = await client.send([entry(1)], 'key-429');

    expect(outcomes.get('je:test:1')?.status).toBe('posted');
    expect(harness.clock.sleeps.filter((ms) => ms >= 1000)).toEqual([37_000, 37_000]);
    expect(server.fake.journals()).toHaveLength(1);
    expect(server.fake.writeRequestCount()).toBe(3);
    expect(harness.logs.filter((line) => line.includes('rate limited (minute limit)'))).toHaveLength(2);
  });

  it('a storm of minute-limit 429s past the wait budget gives up with RateLimitedError and nothing stored', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness, { waitBudget: { maxAttempts: 3, maxTotalWaitMs: 10 * 60_000 } });
    server.fake.injectFault({ kind: 'rate-limit', problem: 'minute', retryAfterSeconds: 60 }, { times: 5 });
    await expect(client.send([entry(1)], 'key-storm')).rejects.toThrow(RateLimitedError);
    expect(server.fake.journals()).toEqual([]);
    expect(server.fake.writeRequestCount()).toBe(3);
  });

  it('the daily limit stops at once with DailyLimitError saying when to resume', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness);
    server.fake.injectFault({ kind: 'rate-limit', problem: 'day', retryAfterSeconds: 7200 });
    const failure = await client.send([entry(1)], 'key-day').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DailyLimitError);
    expect((failure as DailyLimitError).resumeAt.toISOString()).toBe(new Date(START_MS + 7_200_000).toISOString());
    expect((failure as Error).message).toBe(
      'Xero: the daily API limit is used up; nothing more was sent. Run again after 2024-03-01T14:00:00.000Z',
    );
    expect(server.fake.writeRequestCount()).toBe(1);
  });

  it('an expired access token is renewed once on 401 and the call goes through', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness);
    expect(await client.lockDate()).toBeUndefined();
    const firstToken = harness.tokenStore.read('xero')?.accessToken;
    server.fake.expireAccessTokens();

    expect((await client.send([entry(1)], 'key-401')).get('je:test:1')?.status).toBe('posted');
    const secondToken = harness.tokenStore.read('xero')?.accessToken;
    expect(secondToken).not.toBe(firstToken);
    expect(harness.secrets).toEqual([firstToken, secondToken]);
    expect(
      server.fake.requestLog().map((record) => `${record.method} ${record.path.split('?')[0]} ${record.outcome}`),
    ).toEqual([
      'POST /connect/token 200',
      'GET /api.xro/2.0/Organisation 200',
      'PUT /api.xro/2.0/ManualJournals 401',
      'POST /connect/token 200',
      'PUT /api.xro/2.0/ManualJournals 200',
    ]);
  });

  it('a revoked authorization is a lapsed consent naming Xero that says to authorize again, and nothing is sent', async () => {
    const { server, harness } = await start({ refreshToken: 'xero-configured-refresh-1234' });
    const client = xeroClientFor(server, harness, {
      config: xeroConfig(server, { refreshToken: 'xero-configured-refresh-1234' }),
    });
    await client.lockDate();
    server.fake.revokeTokens();
    const failure = await client.send([entry(1)], 'key-revoked').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConsentLapsedError);
    expect((failure as Error).message).toBe(
      'Xero: the authorization was revoked or has lapsed at Xero (its token endpoint refused the stored refresh token); run `ledgerline connect xero` to authorize again',
    );
    expect(server.fake.journals()).toEqual([]);
  });

  it('a connection dropped after Xero stored the journal is an unknown outcome, and the look-up finds the journal', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness);
    server.fake.injectFault({ kind: 'drop-after-commit' });

    await expect(client.send([entry(1)], 'key-drop')).rejects.toThrow(OutcomeUnknownError);
    const [journal] = server.fake.journals();
    expect(Object.fromEntries(await client.findPosted([entry(1)]))).toEqual({ 'je:test:1': journal?.manualJournalId });

    // Sent again under the same key, Xero answers with its first response and stores nothing new.
    const again = await client.send([entry(1)], 'key-drop');
    expect(again.get('je:test:1')).toEqual({ status: 'posted', remoteId: journal?.manualJournalId });
    expect(server.fake.journals()).toHaveLength(1);
    expect(server.fake.idempotentReplays()).toEqual([{ key: 'key-drop', sameBody: true }]);
  });

  it('a reply slower than the timeout is an unknown outcome, not a failure to retry', async () => {
    const { server, harness } = await start();
    const client = xeroClientFor(server, harness, { timeoutMs: 150 });
    server.fake.injectFault({ kind: 'slow', delayMs: 600, phase: 'after-processing' });
    await expect(client.send([entry(1)], 'key-slow')).rejects.toThrow(OutcomeUnknownError);
    expect(server.fake.writeRequestCount()).toBe(1);
  });

  it('with a refresh token configured it uses the refresh_token grant and stores each rotated token, mode 0600, before using it', async () => {
    const { server, harness } = await start({ refreshToken: 'xero-configured-refresh-1234', refreshTokenGraceMs: 0 });
    const config = xeroConfig(server, { refreshToken: 'xero-configured-refresh-1234' });
    const client = xeroClientFor(server, harness, { config });
    await client.lockDate();
    const stored = harness.tokenStore.read('xero');
    expect(stored?.refreshToken).toMatch(/^xero-fake-refresh-/);
    expect(stored?.importedFrom).toBe(configRefreshTokenHash('xero-configured-refresh-1234'));
    expect(fileMode(harness.tokenStore.path)).toBe(0o600);

    // The configured token is spent (no grace): a new run can only work from the stored, rotated one.
    server.fake.expireAccessTokens();
    const next = xeroClientFor(server, harness, { config });
    expect((await next.send([entry(1)], 'key-rotated')).get('je:test:1')?.status).toBe('posted');
    expect(harness.tokenStore.read('xero')?.refreshToken).not.toBe(stored?.refreshToken);
  });
});
