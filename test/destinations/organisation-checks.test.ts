import { describe, expect, it } from 'vitest';
import { blockingProblems, unfitAccounts } from '../../src/destinations/organisation-check.js';
import {
  checkQuickbooksCompany,
  resolveQuickbooksMapping,
  type QuickbooksCompanyFacts,
} from '../../src/destinations/quickbooks/quickbooks-organisation-checks.js';
import {
  checkXeroOrganisation,
  type XeroOrganisationFacts,
} from '../../src/destinations/xero/xero-organisation-checks.js';

const xeroFacts: XeroOrganisationFacts = {
  name: 'Acme Ltd',
  baseCurrency: 'USD',
  countryCode: 'US',
  periodLockDate: undefined,
  endOfYearLockDate: undefined,
  accounts: [
    { code: '410', name: 'SMM Services', status: 'ACTIVE', accountClass: 'EXPENSE', systemAccount: undefined },
    { code: '210', name: 'Ad Revenue', status: 'ACTIVE', accountClass: 'REVENUE', systemAccount: undefined },
    { code: '499', name: 'Old Expenses', status: 'ARCHIVED', accountClass: 'EXPENSE', systemAccount: undefined },
    { code: '610', name: 'Accounts Receivable', status: 'ACTIVE', accountClass: 'ASSET', systemAccount: 'DEBTORS' },
    { code: '860', name: 'Rounding', status: 'ACTIVE', accountClass: 'EXPENSE', systemAccount: 'ROUNDING' },
    {
      code: '960',
      name: 'Retained Earnings',
      status: 'ACTIVE',
      accountClass: 'EQUITY',
      systemAccount: 'RETAINEDEARNINGS',
    },
  ],
  taxRates: [
    { taxType: 'INPUT', name: 'Tax on Purchases', status: 'ACTIVE', canApplyTo: { EXPENSE: true, REVENUE: false } },
    { taxType: 'OLDGST', name: 'Old GST', status: 'DELETED', canApplyTo: {} },
  ],
  trackingCategories: [
    {
      name: 'Channel',
      status: 'ACTIVE',
      options: [
        { name: 'SMM', status: 'ACTIVE' },
        { name: 'Print', status: 'ARCHIVED' },
      ],
    },
  ],
};

const xeroExpected = {
  currency: 'USD',
  region: 'US' as const,
  configFile: 'ledgerline.yaml',
  mappingFile: 'mappings/xero.yaml',
  unpostedDates: [],
};

function xeroCheck(
  key: string,
  account: Parameters<typeof checkXeroOrganisation>[1]['accounts'][string],
  facts: XeroOrganisationFacts = xeroFacts,
) {
  return checkXeroOrganisation(facts, { ...xeroExpected, accounts: { [key]: account } }).slice(3);
}

describe('checkXeroOrganisation', () => {
  it('passes an active ordinary account with no tax, and opens with currency, region and lock date', () => {
    expect(
      checkXeroOrganisation(xeroFacts, {
        ...xeroExpected,
        accounts: { smm_services_expense: { code: '410', taxType: 'NONE' } },
      }),
    ).toEqual([
      { kind: 'currency', status: 'pass', subject: 'base currency', detail: 'USD, as the ledger' },
      { kind: 'region', status: 'pass', subject: 'region', detail: 'US: organisation "Acme Ltd" is in US' },
      { kind: 'lock-date', status: 'pass', subject: 'lock date', detail: 'no period is locked in Xero' },
      {
        kind: 'account',
        status: 'pass',
        subject: 'account 410 (smm_services_expense)',
        detail: '"SMM Services", active',
        account: 'smm_services_expense',
      },
    ]);
  });

  it('fails a missing and an archived account, naming the mapping key and the fix', () => {
    expect(xeroCheck('suspense', { code: '999' })).toEqual([
      {
        kind: 'account',
        status: 'fail',
        subject: 'account 999 (suspense)',
        detail: 'does not exist in Xero',
        fix: 'create account 999 in Xero (Accounting → Chart of accounts → Add Account, code 999), or put the code of an existing account in accounts.suspense of mappings/xero.yaml',
        where: { file: 'mappings/xero.yaml', path: 'accounts.suspense' },
        account: 'suspense',
      },
    ]);
    expect(xeroCheck('smm_services_expense', { code: '499' })).toMatchObject([
      { status: 'fail', detail: '"Old Expenses" is archived in Xero' },
    ]);
  });

  it('fails a system account that takes no manual journal, warns of one no source settles, passes one that takes them', () => {
    expect(xeroCheck('payelancer_receivable', { code: '610' })).toMatchObject([
      {
        status: 'fail',
        detail: '"Accounts Receivable" is a Xero system account (DEBTORS), which does not take manual journals',
      },
    ]);
    expect(xeroCheck('rounding', { code: '860' })).toMatchObject([
      {
        status: 'warn',
        detail: '"Rounding" is a Xero system account (ROUNDING); some organisations refuse manual journals on it',
      },
    ]);
    expect(xeroCheck('opening_balance_equity', { code: '960' })).toMatchObject([{ status: 'pass' }]);
  });

  it('checks a tax type exists, is active and may be used on the account class', () => {
    expect(xeroCheck('smm_services_expense', { code: '410', taxType: 'INPUT' })).toMatchObject([
      { status: 'pass' },
      { kind: 'tax', status: 'pass' },
    ]);
    expect(xeroCheck('ad_revenue', { code: '210', taxType: 'INPUT' })[1]).toMatchObject({
      kind: 'tax',
      status: 'fail',
      detail: 'is a revenue account, and tax rate "Tax on Purchases" (INPUT) cannot be used on revenue accounts',
      where: { path: 'accounts.ad_revenue.taxType' },
    });
    expect(xeroCheck('ad_revenue', { code: '210', taxType: 'OUTPUT9' })[1]).toMatchObject({
      status: 'fail',
      detail: 'has tax type OUTPUT9, which this organisation does not have',
    });
    expect(xeroCheck('ad_revenue', { code: '210', taxType: 'OLDGST' })[1]).toMatchObject({
      status: 'fail',
      detail: 'has tax type OLDGST ("Old GST"), which is deleted in Xero',
    });
  });

  it('checks each tracking category and option', () => {
    const checks = xeroCheck('smm_services_expense', {
      code: '410',
      tracking: [
        { name: 'Channel', option: 'SMM' },
        { name: 'Channel', option: 'Print' },
      ],
    });
    expect(checks.slice(1).map((check) => [check.status, check.subject, check.detail])).toEqual([
      ['pass', 'tracking "Channel: SMM" of account 410 (smm_services_expense)', 'exists and is active'],
      [
        'fail',
        'tracking "Channel: Print" of account 410 (smm_services_expense)',
        'names option "Print", which is archived in Xero',
      ],
    ]);
    expect(
      xeroCheck('smm_services_expense', { code: '410', tracking: [{ name: 'Region', option: 'EU' }] })[1],
    ).toMatchObject({
      status: 'fail',
      detail: 'names a tracking category "Region" that Xero does not have',
    });
  });

  it('fails another base currency or country than the configuration says', () => {
    const checks = checkXeroOrganisation(
      { ...xeroFacts, baseCurrency: 'GBP', countryCode: 'GB' },
      { ...xeroExpected, accounts: {} },
    );
    expect(checks[0]).toMatchObject({
      status: 'fail',
      detail: 'of organisation "Acme Ltd" is GBP, but the ledger keeps USD',
      where: { file: 'ledgerline.yaml', path: 'currency' },
    });
    expect(checks[1]).toMatchObject({
      status: 'fail',
      detail: 'is set to US, but organisation "Acme Ltd" is in GB',
      where: { path: 'destinations.xero.region' },
    });
    expect(
      checkXeroOrganisation({ ...xeroFacts, countryCode: 'GB' }, { ...xeroExpected, region: 'UK', accounts: {} })[1],
    ).toMatchObject({ status: 'pass' });
  });

  it('fails the lock date only when entries waiting to be posted fall on or before it (the later of the two lock dates)', () => {
    const locked = { ...xeroFacts, periodLockDate: '2024-01-31', endOfYearLockDate: '2023-12-31' };
    expect(
      checkXeroOrganisation(locked, { ...xeroExpected, accounts: {}, unpostedDates: ['2024-02-01'] })[2],
    ).toMatchObject({ status: 'pass' });
    expect(
      checkXeroOrganisation(locked, {
        ...xeroExpected,
        accounts: {},
        unpostedDates: ['2024-02-01', '2024-01-31', '2024-01-15'],
      })[2],
    ).toMatchObject({
      status: 'fail',
      detail:
        'books locked through 2024-01-31; 2 entries waiting to be posted (from 2024-01-15) fall on or before it and will be held back',
    });
  });

  it('with bank documents on, names the bank account they go to and the scope they need, and fails for one not in the chart', () => {
    const bank = {
      ...xeroFacts,
      accounts: [
        ...xeroFacts.accounts,
        {
          code: '090',
          name: 'Business Bank Account',
          status: 'ACTIVE',
          accountClass: 'ASSET' as const,
          systemAccount: undefined,
        },
      ],
    };
    const transit = (bankAccount: string) => ({
      ...xeroExpected,
      accounts: {},
      transit: { createBankDocuments: true, bankAccount },
    });
    expect(checkXeroOrganisation(bank, transit('090')).at(-1)).toEqual({
      kind: 'bank-documents',
      status: 'pass',
      subject: 'bank transactions into 090 (Business Bank Account)',
      detail: 'one per payout and top-up; the connection needs the scope accounting.banktransactions',
    });
    expect(checkXeroOrganisation(bank, { ...transit('091'), scopes: 'broad' }).at(-1)).toMatchObject({
      status: 'fail',
      detail: 'is not in the chart of accounts',
      fix: expect.stringContaining('the connection needs the scope accounting.transactions'),
      where: { file: 'ledgerline.yaml', path: 'destinations.xero.transit.bankAccount' },
    });
    expect(
      checkXeroOrganisation(bank, { ...xeroExpected, accounts: {} }).some((check) => check.kind === 'bank-documents'),
    ).toBe(false);
  });

  it('with evidence: attach, doctor names the scope attachments need (accounting.attachments); without it says nothing of evidence', () => {
    expect(
      checkXeroOrganisation(xeroFacts, { ...xeroExpected, accounts: {}, evidence: 'attach' }).at(-1),
    ).toMatchObject({
      kind: 'evidence',
      status: 'pass',
      detail: expect.stringContaining('the connection needs the scope accounting.attachments'),
    });
    expect(
      checkXeroOrganisation(xeroFacts, { ...xeroExpected, accounts: {}, evidence: 'local' }).some(
        (check) => check.kind === 'evidence',
      ),
    ).toBe(false);
  });
});

const qboFacts: QuickbooksCompanyFacts = {
  name: 'Acme Inc',
  country: 'US',
  homeCurrency: 'USD',
  bookCloseDate: undefined,
  classTracking: true,
  locationTracking: true,
  accounts: [
    { id: '2', name: 'Payelancer Receivable', active: true, accountType: 'Accounts Receivable' },
    { id: '11', name: 'SMM Services', active: true, accountType: 'Expense' },
    { id: '15', name: 'Old', active: false, accountType: 'Expense' },
  ],
  classes: [{ id: '5000000000000012', name: 'SMM panels' }],
  departments: [{ id: '7', name: 'Remote' }],
  customers: [{ id: '58', name: 'Payelancer' }],
  vendors: [],
};
const qboExpected = {
  currency: 'USD',
  configFile: 'ledgerline.yaml',
  mappingFile: 'mappings/quickbooks.yaml',
  unpostedDates: [],
};

describe('checkQuickbooksCompany', () => {
  it('passes an active account and finds its class and location by name', () => {
    const accounts = {
      smm_services_expense: { id: '11', name: 'SMM Services', class: 'SMM panels', location: 'Remote' },
    };
    expect(
      checkQuickbooksCompany(qboFacts, { ...qboExpected, accounts })
        .slice(3)
        .map((check) => [check.status, check.subject, check.detail]),
    ).toEqual([
      ['pass', 'account 11 "SMM Services" (smm_services_expense)', '"SMM Services", active, Expense'],
      [
        'pass',
        'class "SMM panels" of account 11 "SMM Services" (smm_services_expense)',
        'exists (id 5000000000000012)',
      ],
      ['pass', 'location "Remote" of account 11 "SMM Services" (smm_services_expense)', 'exists (id 7)'],
    ]);
    expect(resolveQuickbooksMapping(accounts, qboFacts)).toEqual({
      smm_services_expense: {
        id: '11',
        name: 'SMM Services',
        class: { id: '5000000000000012', name: 'SMM panels' },
        location: { id: '7', name: 'Remote' },
      },
    });
  });

  it('fails a missing and an inactive account', () => {
    const checks = checkQuickbooksCompany(qboFacts, {
      ...qboExpected,
      accounts: { suspense: { id: '99', name: 'Suspense' }, rounding: { id: '15', name: 'Old' } },
    }).slice(3);
    expect(checks.map((check) => [check.status, check.detail, check.where?.path])).toEqual([
      ['fail', 'does not exist in QuickBooks', 'accounts.suspense'],
      ['fail', '"Old" is inactive (deleted) in QuickBooks', 'accounts.rounding'],
    ]);
  });

  it('fails an Accounts Receivable line without a customer, and passes it with one', () => {
    const without = checkQuickbooksCompany(qboFacts, {
      ...qboExpected,
      accounts: { payelancer_receivable: { id: '2', name: 'Payelancer Receivable' } },
    }).slice(4);
    expect(without).toMatchObject([
      {
        kind: 'name',
        status: 'fail',
        detail: 'is an Accounts Receivable account: QuickBooks needs a customer on each of its journal lines',
        where: { path: 'accounts.payelancer_receivable.customer' },
      },
    ]);
    const withCustomer = checkQuickbooksCompany(qboFacts, {
      ...qboExpected,
      accounts: { payelancer_receivable: { id: '2', name: 'Payelancer Receivable', customer: 'Payelancer' } },
    }).slice(4);
    expect(withCustomer).toMatchObject([{ kind: 'name', status: 'pass', detail: 'exists (id 58)' }]);
  });

  it('fails a class QuickBooks lacks, one whose id differs, and any class while class tracking is off', () => {
    const check = (facts: QuickbooksCompanyFacts, item: string | { id: string; name: string }) =>
      checkQuickbooksCompany(facts, {
        ...qboExpected,
        accounts: { smm_services_expense: { id: '11', name: 'SMM Services', class: item } },
      })[4];
    expect(check(qboFacts, 'Marketing')).toMatchObject({
      status: 'fail',
      detail: 'is not an active class in QuickBooks',
    });
    expect(check(qboFacts, { id: '12', name: 'SMM panels' })).toMatchObject({
      status: 'fail',
      detail: 'has id 5000000000000012 in QuickBooks, but the mapping says 12',
    });
    expect(check({ ...qboFacts, classTracking: false }, 'SMM panels')).toMatchObject({
      status: 'fail',
      detail: 'cannot be used: class tracking is off in QuickBooks',
    });
  });

  it('fails another home currency', () => {
    expect(
      checkQuickbooksCompany({ ...qboFacts, homeCurrency: 'CAD' }, { ...qboExpected, accounts: {} })[0],
    ).toMatchObject({ status: 'fail', detail: 'of company "Acme Inc" is CAD, but the ledger keeps USD' });
  });

  it('with evidence: attach, says where the hash and the file go and that the accounting scope covers them', () => {
    expect(checkQuickbooksCompany(qboFacts, { ...qboExpected, accounts: {}, evidence: 'attach' }).at(-1)).toMatchObject(
      { kind: 'evidence', status: 'pass', detail: expect.stringContaining('com.intuit.quickbooks.accounting') },
    );
    expect(
      checkQuickbooksCompany(qboFacts, { ...qboExpected, accounts: {} }).some((check) => check.kind === 'evidence'),
    ).toBe(false);
  });
});

describe('blockingProblems', () => {
  it('turns every failure but the lock date and the mapped accounts (held back per entry by post) into a problem naming the file and key', () => {
    const checks = checkXeroOrganisation(
      { ...xeroFacts, periodLockDate: '2024-01-31', countryCode: 'GB' },
      {
        ...xeroExpected,
        unpostedDates: ['2024-01-02'],
        accounts: { rounding: { code: '860' }, suspense: { code: '499' } },
      },
    );
    expect(blockingProblems(checks, 'Xero')).toEqual([
      {
        file: 'ledgerline.yaml',
        path: 'destinations.xero.region',
        message: expect.stringContaining('is set to US, but organisation "Acme Ltd" is in GB'),
      },
    ]);
  });
});

describe('unfitAccounts: what post holds back instead of stopping', () => {
  it('names each failed mapped account by its ledger account, with the mapping file, the key and what to create', () => {
    const checks = checkXeroOrganisation(xeroFacts, {
      ...xeroExpected,
      accounts: { bank_fees: { code: '404' }, suspense: { code: '499' }, smm_services_expense: { code: '410' } },
    });
    const unfit = unfitAccounts(checks);
    expect([...unfit.keys()]).toEqual(['bank_fees', 'suspense']);
    expect(unfit.get('bank_fees')).toBe(
      'account 404 (bank_fees) does not exist in Xero (mappings/xero.yaml at accounts.bank_fees): create account 404 in Xero (Accounting → Chart of accounts → Add Account, code 404), or put the code of an existing account in accounts.bank_fees of mappings/xero.yaml',
    );
  });
});

describe("doctor's weighing by the entries waiting to be posted", () => {
  const accounts = { bank_fees: { code: '404' }, smm_services_expense: { code: '410' } };

  it('a missing account no waiting entry uses is a warning; once one uses it, a failure', () => {
    const unused = checkXeroOrganisation(xeroFacts, {
      ...xeroExpected,
      accounts,
      usedAccounts: new Set(['smm_services_expense']),
    });
    expect(unused.find((check) => check.account === 'bank_fees')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('no entry waiting to be posted is booked to bank_fees'),
    });
    const used = checkXeroOrganisation(xeroFacts, { ...xeroExpected, accounts, usedAccounts: new Set(['bank_fees']) });
    expect(used.find((check) => check.account === 'bank_fees')).toMatchObject({
      status: 'fail',
      detail: 'does not exist in Xero',
    });
  });

  it('an account waiting entries use that the mapping file leaves out fails, naming the file and the key', () => {
    const checks = checkQuickbooksCompany(qboFacts, { ...qboExpected, accounts: {}, usedAccounts: new Set(['bank']) });
    expect(checks.at(-1)).toEqual({
      kind: 'account',
      status: 'fail',
      subject: 'ledger account bank',
      detail: `is booked by entries waiting to be posted, but ${qboExpected.mappingFile} does not map it`,
      fix: `add bank under accounts: in ${qboExpected.mappingFile} (the QuickBooks account it goes to), then run \`ledgerline doctor\` again; until then \`ledgerline post\` stops on it`,
      where: { file: qboExpected.mappingFile, path: 'accounts.bank' },
    });
  });
});
