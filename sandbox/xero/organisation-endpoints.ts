import { jsonReply, type FakeOutcome, type FakeReply } from '../fake-kit/index.js';
import { formatScaled, parseScaled } from '../../src/money/index.js';
import { JsonNumber } from '../json-text.js';
import { msDate } from './journal-checks.js';
import { WhereParseError, compileWhere, type WhereValue } from './where-parser.js';
import type { XeroTenant } from './tenant.js';
import { renderAccount, accountClass } from './render.js';
import { queryParseError } from './refusals.js';

/** The organisation, its tax rates and its chart of accounts as GET answers them. */

const ACCOUNT_WHERE_FIELDS = ['Code', 'Name', 'Type', 'Status', 'TaxType', 'AccountID', 'Class'] as const;

export function organisation(tenant: XeroTenant): FakeReply {
  const { tenantId, organisationName, baseCurrency, countryCode, createdAt, envelope } = tenant;
  return jsonReply(
    200,
    envelope({
      Organisations: [
        {
          OrganisationID: tenantId,
          APIKey: '',
          Name: organisationName,
          LegalName: organisationName,
          PaysTax: true,
          Version: 'GLOBAL',
          OrganisationType: 'COMPANY',
          BaseCurrency: baseCurrency,
          CountryCode: countryCode,
          IsDemoCompany: false,
          OrganisationStatus: 'ACTIVE',
          FinancialYearEndDay: 31,
          FinancialYearEndMonth: 12,
          SalesTaxBasis: 'ACCRUALS',
          DefaultSalesTax: 'Tax Exclusive',
          DefaultPurchasesTax: 'Tax Exclusive',
          PeriodLockDate: tenant.periodLockDate === undefined ? undefined : msDate(tenant.periodLockDate),
          EndOfYearLockDate: tenant.endOfYearLockDate === undefined ? undefined : msDate(tenant.endOfYearLockDate),
          CreatedDateUTC: `/Date(${createdAt})/`,
          Timezone: 'UTC',
          OrganisationEntityType: 'COMPANY',
          ShortCode: `!${tenantId.slice(0, 5)}`,
          Class: 'STANDARD',
          Edition: 'BUSINESS',
        },
      ],
    }),
  );
}

/** GET TaxRates: each rate with its Status, CanApplyTo flags, ReportTaxType and rates to four decimals (XOAS TaxRate). */
export function taxRatesReply(tenant: XeroTenant): FakeReply {
  const { taxRates, envelope } = tenant;
  const percent = (rate: string): JsonNumber => new JsonNumber(formatScaled(parseScaled(rate, 4), 4));
  return jsonReply(
    200,
    envelope({
      TaxRates: taxRates.map((rate) => ({
        Name: rate.name,
        TaxType: rate.taxType,
        Status: rate.status ?? 'ACTIVE',
        ReportTaxType: rate.reportTaxType ?? rate.taxType,
        CanApplyToAssets: rate.canApplyTo?.includes('ASSET') ?? true,
        CanApplyToEquity: rate.canApplyTo?.includes('EQUITY') ?? true,
        CanApplyToExpenses: rate.canApplyTo?.includes('EXPENSE') ?? true,
        CanApplyToLiabilities: rate.canApplyTo?.includes('LIABILITY') ?? true,
        CanApplyToRevenue: rate.canApplyTo?.includes('REVENUE') ?? true,
        DisplayTaxRate: percent(rate.displayRate ?? rate.rate ?? '0'),
        EffectiveRate: percent(rate.rate ?? '0'),
        TaxComponents: (rate.components ?? [{ name: 'VAT', rate: rate.rate ?? '0' }]).map((component) => ({
          Name: component.name,
          Rate: percent(component.rate),
          IsCompound: false,
          IsNonRecoverable: false,
        })),
      })),
    }),
  );
}

export function listAccounts(tenant: XeroTenant, query: URLSearchParams): FakeOutcome {
  const { accounts, accountId, envelope } = tenant;
  let selected = accounts;
  const where = query.get('where');
  if (where) {
    try {
      const predicate = compileWhere(where, ACCOUNT_WHERE_FIELDS, 'Account');
      selected = accounts.filter((account) => {
        const fields: Record<string, WhereValue> = {
          code: account.code,
          name: account.name,
          type: account.type,
          status: account.status,
          taxtype: account.taxType,
          accountid: accountId(account.code),
          class: accountClass(account.type),
        };
        return predicate((field) => fields[field]);
      });
    } catch (error) {
      if (error instanceof WhereParseError) return { reply: queryParseError(error.message), note: 'bad where' };
      throw error;
    }
  }
  return {
    reply: jsonReply(200, envelope({ Accounts: selected.map((account) => renderAccount(tenant, account)) })),
    note: `listed ${selected.length} accounts`,
  };
}
