import { afterEach, describe, expect, it } from 'vitest';
import {
  ConsentLapsedError,
  LockedPeriodError,
  OutcomeUnknownError,
  RequestRejectedError,
} from '../../../src/errors.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import { quickbooksDocNumber, quickbooksRequestId } from '../../../src/destinations/quickbooks/quickbooks-payload.js';
import {
  startQuickBooksFake,
  type QuickBooksFakeOptions,
  type RunningQuickBooksFake,
} from '../../../sandbox/quickbooks/fake.js';
import { useTempDir } from '../../support/temp-dir.js';
import { clientHarness, fileMode, quickbooksClientFor, type ClientHarness } from '../../pipeline/post-fixtures.js';

const tempDir = useTempDir('ledgerline-qbo-client-');
const REFRESH = 'qbo-configured-refresh-token-1';
let running: RunningQuickBooksFake | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(
  options: Omit<QuickBooksFakeOptions, 'now' | 'refreshToken'> = {},
): Promise<{ server: RunningQuickBooksFake; harness: ClientHarness }> {
  const harness = clientHarness(tempDir());
  running = await startQuickBooksFake({ ...options, refreshToken: REFRESH, now: () => harness.clock.now() });
  return { server: running, harness };
}

function entry(
  seq: number,
  date = '2024-02-15',
  cents = 100n + BigInt(seq),
  account = 'smm_services_expense',
): RenderedEntry {
  return {
    id: `je:test:${seq}`,
    date,
    sourceId: 'smm-panel',
    description: `SMM panel orders #${seq}`,
    eventIds: [],
    lines: [
      { account, currency: 'USD', cents },
      { account: 'panel_prepaid', currency: 'USD', cents: -cents },
    ],
  };
}

describe('QuickBooks client', () => {
  it('creates the entries in one /batch call with a 32-character requestid and the journal numbers of the entries', async () => {
    const { server, harness } = await start();
    const client = quickbooksClientFor(server, harness, REFRESH);
    const entries = [entry(1), entry(2)];
    const key = client.requestKey(entries, 0);

    const outcomes = await client.send(entries, key);

    expect(key).toBe(quickbooksRequestId(['je:test:1', 'je:test:2'], { batch: true }));
    expect(key).toHaveLength(32);
    const stored = server.fake.journalEntries();
    expect(
      stored.map((journal) => [
        journal.docNumber,
        journal.txnDate,
        journal.privateNote,
        journal.requestId,
        journal.batchItemId,
      ]),
    ).toEqual([
      [quickbooksDocNumber(entries[0]!), '2024-02-15', 'SMM panel orders #1 [je:test:1]', key, '1'],
      [quickbooksDocNumber(entries[1]!), '2024-02-15', 'SMM panel orders #2 [je:test:2]', key, '2'],
    ]);
    expect(stored[0]?.lines.map((line) => [line.postingType, line.accountId, line.cents])).toEqual([
      ['Debit', '11', 101n],
      ['Credit', '3', 101n],
    ]);
    expect(Object.fromEntries(outcomes)).toEqual({
      'je:test:1': { status: 'posted', remoteId: stored[0]?.id },
      'je:test:2': { status: 'posted', remoteId: stored[1]?.id },
    });
    expect(server.fake.requestLog().map((record) => record.path.replace(/requestid=\w+/, 'requestid=…'))).toEqual([
      '/oauth2/v1/tokens/bearer',
      '/v3/company/9130350000000001/batch?minorversion=75&requestid=…',
    ]);
  });

  it('reads BookCloseDate from preferences as the lock date', async () => {
    const { server, harness } = await start({ bookCloseDate: '2024-01-31' });
    const client = quickbooksClientFor(server, harness, REFRESH);
    expect(await client.lockDate()).toBe('2024-01-31');
    server.fake.setBookCloseDate(null);
    expect(await client.lockDate()).toBeUndefined();
  });

  it('a Fault inside HTTP 200 for one item refuses that entry with Intuit’s words and posts the others', async () => {
    const { server, harness } = await start();
    const client = quickbooksClientFor(server, harness, REFRESH, {
      mapping: {
        smm_services_expense: { id: '11', name: 'SMM' },
        panel_prepaid: { id: '3', name: 'Panel' },
        advertising_expense: { id: '999', name: 'Gone' },
      },
    });

    const outcomes = await client.send(
      [entry(1), entry(2, '2024-02-15', 250n, 'advertising_expense'), entry(3)],
      'request-fault-item',
    );

    expect(outcomes.get('je:test:1')?.status).toBe('posted');
    expect(outcomes.get('je:test:3')?.status).toBe('posted');
    const refused = outcomes.get('je:test:2');
    expect(refused?.status === 'refused' && refused.error).toBeInstanceOf(RequestRejectedError);
    expect(refused?.status === 'refused' && refused.error.message).toBe(
      'QuickBooks: request refused (HTTP 200): entry je:test:2: Invalid Reference Id: Invalid Reference Id : Accounts element id 999 not found (code 2500)',
    );
    expect(server.fake.journalEntries()).toHaveLength(2);
  });

  it('a Fault as the whole HTTP 200 reply refuses every entry of the batch with its text', async () => {
    const { server, harness } = await start();
    const client = quickbooksClientFor(server, harness, REFRESH);
    server.fake.injectFault({ kind: 'fault-in-200' });
    const outcomes = await client.send([entry(1), entry(2)], 'request-fault-whole');
    expect([...outcomes.values()].map((outcome) => outcome.status === 'refused' && outcome.error.message)).toEqual([
      expect.stringMatching(
        /^QuickBooks: request refused \(HTTP 200\): entry je:test:1: An application error has occurred while processing your request: System Failure Error: .* \(code 10000\)$/,
      ),
      expect.stringMatching(/^QuickBooks: request refused \(HTTP 200\): entry je:test:2: /),
    ]);
    expect(server.fake.journalEntries()).toEqual([]);
  });

  it('closed books (6210) refuse the entry with a LockedPeriodError naming it and the BookCloseDate', async () => {
    const { server, harness } = await start({ bookCloseDate: '2024-01-31' });
    const client = quickbooksClientFor(server, harness, REFRESH);
    await client.lockDate();
    const outcomes = await client.send([entry(1, '2024-01-31'), entry(2, '2024-02-01')], 'request-closed');
    const refused = outcomes.get('je:test:1');
    expect(refused?.status === 'refused' && refused.error).toBeInstanceOf(LockedPeriodError);
    expect(refused?.status === 'refused' && refused.error.message).toBe(
      'QuickBooks: entry je:test:1 dated 2024-01-31 falls in a closed period (books locked through 2024-01-31); it stays unposted until the lock date is moved',
    );
    expect(outcomes.get('je:test:2')?.status).toBe('posted');
  });

  it('a 429 without Retry-After waits Intuit’s 60 seconds on the injected clock; with Retry-After it waits that long', async () => {
    const { server, harness } = await start();
    const client = quickbooksClientFor(server, harness, REFRESH);
    server.fake.injectFault({ kind: 'rate-limit' });
    server.fake.injectFault({ kind: 'rate-limit', retryAfterSeconds: 9 });
    const outcomes = await client.send([entry(1)], 'request-throttled');
    expect(outcomes.get('je:test:1')?.status).toBe('posted');
    expect(harness.clock.sleeps.filter((ms) => ms >= 1000)).toEqual([60_000, 9_000]);
    expect(server.fake.journalEntries()).toHaveLength(1);
  });

  it('paces batches to the writes-a-minute allowance: the call past it waits until the first leaves the rolling minute', async () => {
    const { server, harness } = await start();
    const client = quickbooksClientFor(server, harness, REFRESH, { limits: { writesPerMinute: 3 } });
    for (const seq of [1, 2, 3]) {
      await client.send([entry(seq)], `request-paced-${seq}`);
      harness.clock.advance(10_000);
    }
    await client.send([entry(4)], 'request-paced-4');
    // Sent at 0, 10 and 20 s; at 30 s the fourth waits 30 s, until the first is a minute old.
    expect(harness.clock.sleeps).toEqual([30_000]);
    expect(server.fake.journalEntries().map((journal) => journal.createdAt - harness.clock.now())).toEqual([
      -60_000, -50_000, -40_000, 0,
    ]);
  });

  it('an expired access token is renewed on 401, and the rotated refresh token is stored (0600) and used by the next run', async () => {
    const { server, harness } = await start({ refreshTokenGraceMs: 0 });
    const client = quickbooksClientFor(server, harness, REFRESH);
    await client.lockDate();
    const first = harness.tokenStore.read('quickbooks');
    server.fake.expireAccessTokens();

    await client.send([entry(1)], 'request-renewed');

    const second = harness.tokenStore.read('quickbooks');
    expect(second?.refreshToken).not.toBe(first?.refreshToken);
    expect(fileMode(harness.tokenStore.path)).toBe(0o600);
    expect(harness.secrets).toEqual([
      first?.accessToken,
      first?.refreshToken,
      second?.accessToken,
      second?.refreshToken,
    ]);

    // Rotated tokens leave no grace here: the next run works only because it starts from the stored token.
    server.fake.expireAccessTokens();
    const nextRun = quickbooksClientFor(server, harness, REFRESH);
    expect(await nextRun.lockDate()).toBeUndefined();
    expect(
      server.fake
        .requestLog()
        .filter((record) => record.path === '/oauth2/v1/tokens/bearer')
        .map((record) => record.outcome),
    ).toEqual([200, 200, 200]);
  });

  it('a refresh token that no longer works is a lapsed consent naming QuickBooks, saying to connect again', async () => {
    const { server, harness } = await start();
    server.fake.revokeTokens();
    const client = quickbooksClientFor(server, harness, REFRESH);
    await expect(client.lockDate()).rejects.toThrow(ConsentLapsedError);
    await expect(client.lockDate()).rejects.toThrow(
      'QuickBooks: the authorization was revoked or has lapsed at QuickBooks (its token endpoint refused the stored refresh token); run `ledgerline connect quickbooks` to authorize again',
    );
  });

  it('a connection dropped after the batch was stored is an unknown outcome; the look-up by DocNumber finds the entries', async () => {
    const { server, harness } = await start();
    const client = quickbooksClientFor(server, harness, REFRESH);
    server.fake.injectFault({ kind: 'drop-after-commit' });
    const entries = [entry(1), entry(2)];
    await expect(client.send(entries, 'request-dropped')).rejects.toThrow(OutcomeUnknownError);

    const stored = server.fake.journalEntries();
    expect(Object.fromEntries(await client.findPosted([...entries, entry(3)]))).toEqual({
      'je:test:1': stored[0]?.id,
      'je:test:2': stored[1]?.id,
    });
  });

  it('an entry refused as a duplicate journal number (6140) is looked up and counts as posted when the number is its own', async () => {
    // Only a company with the duplicate-number preference on refuses the number.
    const { server, harness } = await start({ rejectDuplicateDocNumber: true });
    const client = quickbooksClientFor(server, harness, REFRESH);
    await client.send([entry(1)], 'request-first');
    const outcomes = await client.send([entry(1), entry(2)], 'request-second');
    expect(outcomes.get('je:test:1')).toEqual({ status: 'posted', remoteId: server.fake.journalEntries()[0]?.id });
    expect(outcomes.get('je:test:2')?.status).toBe('posted');
    expect(server.fake.journalEntries()).toHaveLength(2);
  });
});
