import type { OrganisationCheck } from '../organisation-check.js';
import { codedFlowSides } from '../tax-reversal-checks.js';
import type { XeroAccount } from './xero-payload.js';
import type { XeroAccountClass, XeroOrganisationFacts } from './xero-organisation-checks.js';
import type { XeroTaxSetup } from './xero-tax.js';

/**
 * The checks of xero.yaml's `tax:` flows against the organisation's own tax table (GET TaxRates), before anything
 * is posted: each rule's code must exist (case as Xero writes it: a display name or `input2` is not a code), be
 * ACTIVE, and apply to the class of each Xero account the flow codes (its CanApplyTo flags). A failure names the
 * file, the rule's key path and the codes Xero offers for that class.
 *
 * Example: `order_charge: OUTPUT2` with smm_services_expense on 410 (EXPENSE) → fail, 'tax type OUTPUT2 of
 * order_charge on account 410 (smm_services_expense)', 'is "20% (VAT on Income)", which cannot be used on expense
 * accounts in Xero', naming the codes Xero offers there (INPUT2, …).
 */
export function xeroTaxFlowChecks(
  facts: Pick<XeroOrganisationFacts, 'accounts' | 'taxRates'>,
  tax: XeroTaxSetup,
  expected: { mappingFile: string; accounts: Readonly<Record<string, XeroAccount>> },
): OrganisationCheck[] {
  return codedFlowSides(tax).map(({ kind, rule, account, path }) => {
    const code = expected.accounts[account]?.code;
    const accountClass = facts.accounts.find((candidate) => candidate.code === code)?.accountClass;
    const subject = `tax type ${rule.code} of ${kind} on account ${code ?? '?'} (${account})`;
    return ruleCheck(facts, rule.code, accountClass, subject, { file: expected.mappingFile, path });
  });
}

function ruleCheck(
  facts: Pick<XeroOrganisationFacts, 'taxRates'>,
  taxType: string,
  accountClass: XeroAccountClass | undefined,
  subject: string,
  where: { file: string; path: string },
): OrganisationCheck {
  const usable = facts.taxRates.filter(
    (rate) => rate.status === 'ACTIVE' && (accountClass === undefined || rate.canApplyTo[accountClass] !== false),
  );
  const offered =
    `Xero offers${accountClass === undefined ? '' : ` on ${accountClass.toLowerCase()} accounts`}: ` +
    `${usable.map((rate) => `${rate.taxType} ("${rate.name}")`).join(', ') || 'none'}`;
  const fail = (detail: string): OrganisationCheck => ({
    kind: 'tax',
    status: 'fail',
    subject,
    detail,
    fix: `put one of its codes in ${where.path} of ${where.file} (${offered}); which one is your accountant's call`,
    where,
  });
  const rate = facts.taxRates.find((candidate) => candidate.taxType === taxType);
  if (rate === undefined) {
    const named = facts.taxRates.find(
      (candidate) => candidate.name === taxType || candidate.taxType.toLowerCase() === taxType.toLowerCase(),
    );
    return fail(
      named === undefined
        ? 'is not a tax type of this organisation'
        : `is not a tax type of this organisation (the code of "${named.name}" is ${named.taxType}, written as Xero writes it)`,
    );
  }
  if (rate.status !== 'ACTIVE') return fail(`is "${rate.name}", which is ${rate.status.toLowerCase()} in Xero`);
  if (accountClass !== undefined && rate.canApplyTo[accountClass] === false)
    return fail(`is "${rate.name}", which cannot be used on ${accountClass.toLowerCase()} accounts in Xero`);
  return { kind: 'tax', status: 'pass', subject, detail: `"${rate.name}", active, can be used on it` };
}
