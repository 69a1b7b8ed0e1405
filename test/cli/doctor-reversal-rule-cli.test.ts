import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, XERO_UK_TAX_RATES, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { assertBuilt, runCli, SECRETS, ukXeroWorkspace } from './post-cli-harness.js';

/**
 * Issue 83 item 2, "What was seen" 5: after a dated rule on order_charge (INPUT2 from 2026-05-03), refunds of orders
 * charged at INPUT2 were booked as reverse charges because order_refund had a rule of its own (REVERSECHARGES), and
 * `doctor` said ✓. It now warns, naming both rules and the day they part; a reversal whose own rule follows its
 * original's on every day still passes.
 */
const tempDir = useTempDir('ledgerline-doctor-reversal-');
const closers: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function ukOrganisation(): Promise<RunningXeroFake> {
  const xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    countryCode: 'GB',
    baseCurrency: 'GBP',
    organisationName: 'Ledgerline UK Ltd',
    taxRates: XERO_UK_TAX_RATES,
  });
  closers.push(xero.close);
  return xero;
}

/** The chart's tax: with order_charge dated INPUT2 from 05-03 and order_refund's own rules as given. */
function chartTax(orderRefund: string[]): string {
  return [
    'tax:',
    '  order_charge:',
    '    - { code: REVERSECHARGES, rate: 20, reverseCharge: true }',
    '    - { code: INPUT2, rate: 20, from: 2026-05-03 }',
    '  order_refund:',
    ...orderRefund.map((rule) => `    - ${rule}`),
    '',
  ].join('\n');
}

async function doctorWith(orderRefund: string[]): Promise<{ code: number | null; stdout: string }> {
  const dir = tempDir();
  const { config } = ukXeroWorkspace(dir, await ukOrganisation(), { xeroTax: '', chartTax: chartTax(orderRefund) });
  return runCli(['doctor', '--to', 'xero', '--config', config], { cwd: dir });
}

describe("doctor names a reversal whose own rule parts from its original's (issue 83)", () => {
  it('warns with both rules and the day: refunds from 2026-05-03 would be booked as reverse charges', async () => {
    const doctor = await doctorWith(['{ code: REVERSECHARGES, rate: 20, reverseCharge: true }']);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain(
      '! the reversal order_refund of order_charge: its own rule tax.order_refund (REVERSECHARGES) differs from ' +
        'tax.order_charge[1].code (INPUT2), in force for order_charge from 2026-05-03: order_refund lines from ' +
        '2026-05-03 are booked REVERSECHARGES, not as the order_charge they reverse\n',
    );
    expect(doctor.stdout).toContain(
      'fix: remove tax.order_refund, so that order_refund takes the code of tax.order_charge in force on the ' +
        "original's date, or give it the same rule from 2026-05-03 (your accountant's call)",
    );
  });

  it('passes a reversal whose own rules follow its original on every day', async () => {
    const doctor = await doctorWith([
      '{ code: REVERSECHARGES, rate: 20, reverseCharge: true }',
      '{ code: INPUT2, rate: 20, from: 2026-05-03 }',
    ]);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain('✓ the reversal order_refund of order_charge: is coded by tax.order_refund\n');
  });
});
