import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeRequestRecord } from '../../sandbox/fake-kit/exchange.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { SECRETS, bookEntries, runCli, writeConfig } from './post-cli-harness.js';

const tempDir = useTempDir('ledgerline-dry-run-calls-');

/** The API calls a run made, as the fake logged them: a token grant is neither (the estimate counts the API's allowance). */
function callsIn(log: readonly FakeRequestRecord[]): { reads: number; writes: number } {
  const api = log.filter((request) => !/token/.test(request.path));
  return {
    reads: api.filter((request) => request.method === 'GET').length,
    writes: api.filter((request) => request.method !== 'GET').length,
  };
}

describe('post --dry-run estimates the calls the post then makes', () => {
  let xero: RunningXeroFake;
  let quickbooks: RunningQuickBooksFake;
  beforeAll(async () => {
    const charts = shippedChartsForFakes();
    xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      accounts: charts.xero,
    });
    quickbooks = await startQuickBooksFake({
      clientId: SECRETS.QBO_CLIENT_ID,
      clientSecret: SECRETS.QBO_CLIENT_SECRET,
      refreshToken: SECRETS.QBO_REFRESH_TOKEN,
      refreshTokenGraceMs: 0,
      accounts: charts.quickbooks,
    });
  });
  afterAll(async () => {
    await xero?.close();
    await quickbooks?.close();
  });

  it("counts the reads of the destination's settings, the look-ups and the writes, as the fakes log them for the real post", async () => {
    const dir = tempDir();
    const config = writeConfig(dir, { xero, quickbooks });
    await bookEntries(dir, [spendEntry(1, '2024-02-01'), spendEntry(2, '2024-02-02')]);
    for (const [name, fake] of [
      ['xero', xero.fake],
      ['quickbooks', quickbooks.fake],
    ] as const) {
      const dry = await runCli(['post', name, '--dry-run', '--json', '--config', config], { cwd: dir });
      const estimate = (JSON.parse(dry.stdout) as { calls: { reads: number; writes: number } }).calls;
      const before = fake.requestLog().length;
      const real = await runCli(['post', name, '--config', config], { cwd: dir });
      expect(real.code, real.stderr).toBe(0);
      const made = callsIn(fake.requestLog().slice(before));
      expect({ destination: name, ...estimate }).toMatchObject({ destination: name, ...made });
      expect(made.writes).toBe(1);
    }
  });
});
