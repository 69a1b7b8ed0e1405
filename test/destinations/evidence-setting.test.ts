import { describe, expect, it } from 'vitest';
import { quickbooksSection, xeroSection } from '../../src/destinations/index.js';

const xero = { tenantId: 't', clientId: 'c', clientSecret: 's' };
const quickbooks = { realmId: '9130', clientId: 'c', clientSecret: 's', environment: 'sandbox' };

describe("evidence in a destination's section", () => {
  it('takes attach, local or off on Xero and QuickBooks, and is absent (off) unless given', () => {
    for (const evidence of ['attach', 'local', 'off']) {
      expect(xeroSection.parse({ ...xero, evidence }).evidence).toBe(evidence);
      expect(quickbooksSection.parse({ ...quickbooks, evidence }).evidence).toBe(evidence);
    }
    expect(xeroSection.parse(xero).evidence).toBeUndefined();
  });

  it('refuses any other word, naming the three', () => {
    const parsed = xeroSection.safeParse({ ...xero, evidence: 'yes' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/attach.*local.*off/);
  });
});
