import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { SECRETS } from '../cli/post-cli-harness.js';
import { shippedChartsForFakes } from '../pipeline/post-fixtures.js';

/** Closes of the fakes a test started, for its afterEach/afterAll to await. */
export type FakeClosers = (() => Promise<void>)[];

/** A Xero fake holding the shipped chart, on the post harness's credentials; its close is pushed to `closers`. */
export async function startShippedXeroFake(closers: FakeClosers): Promise<RunningXeroFake> {
  const xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: shippedChartsForFakes().xero,
  });
  closers.push(xero.close);
  return xero;
}

/**
 * A QuickBooks fake holding the shipped chart, on the post harness's credentials, with no grace for a rotated
 * refresh token (the old one stops working at once); its close is pushed to `closers`.
 */
export async function startShippedQuickBooksFake(closers: FakeClosers): Promise<RunningQuickBooksFake> {
  const quickbooks = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    refreshTokenGraceMs: 0,
    accounts: shippedChartsForFakes().quickbooks,
  });
  closers.push(quickbooks.close);
  return quickbooks;
}

/** Both destinations' fakes of the shipped chart, as a configuration posting to both needs them. */
export async function startShippedChartFakes(
  closers: FakeClosers,
): Promise<{ xero: RunningXeroFake; quickbooks: RunningQuickBooksFake }> {
  const xero = await startShippedXeroFake(closers);
  const quickbooks = await startShippedQuickBooksFake(closers);
  return { xero, quickbooks };
}
