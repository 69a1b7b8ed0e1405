import { describe, expect, it } from 'vitest';
import { xeroConsentScopes, xeroScopeFor } from '../../../src/destinations/xero/xero-scopes.js';

describe('Xero scopes for bank documents', () => {
  it('connect asks for accounting.banktransactions only when ledgerline creates bank documents', () => {
    expect(xeroConsentScopes('granular')).not.toContain('accounting.banktransactions');
    expect(xeroConsentScopes('granular', { bankDocuments: true })).toEqual([
      'offline_access',
      'accounting.manualjournals',
      'accounting.settings.read',
      'accounting.reports.trialbalance.read',
      'accounting.banktransactions',
    ]);
    // The broad family covers journals and bank transactions with one scope, asked for once.
    expect(xeroConsentScopes('broad', { bankDocuments: true })).toEqual([
      'offline_access',
      'accounting.transactions',
      'accounting.settings.read',
      'accounting.reports.read',
    ]);
  });

  it('a refused bank-transfer call names the scope it lacked', () => {
    expect(xeroScopeFor('creating the bank transaction for po-7', 'granular')).toBe('accounting.banktransactions');
    expect(xeroScopeFor('looking up bank transactions by reference', 'granular')).toBe('accounting.banktransactions');
  });
});

describe('Xero scopes for evidence attachments', () => {
  it('connect asks for accounting.attachments only when evidence is attached, in either family; a refused attachment names it', () => {
    expect(xeroConsentScopes('granular')).not.toContain('accounting.attachments');
    expect(xeroConsentScopes('granular', { evidence: true }).at(-1)).toBe('accounting.attachments');
    expect(xeroConsentScopes('broad', { evidence: true }).at(-1)).toBe('accounting.attachments');
    expect(xeroScopeFor('attaching the evidence of je:smm-panel:2026-03-02', 'granular')).toBe(
      'accounting.attachments',
    );
  });
});
