import type { ConfigProblem } from '../errors.js';

/**
 * One line of `ledgerline doctor`'s checklist about a destination's
 * organisation, and what `post` refuses to start with. The checks themselves
 * are pure (xero/xero-organisation-checks.ts,
 * quickbooks/quickbooks-organisation-checks.ts): the organisation's facts and
 * the configuration in, these out.
 */

const CHECK_STATUSES = ['pass', 'fail', 'warn'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

const ORGANISATION_CHECK_KINDS = [
  'currency',
  'region',
  'lock-date',
  'account',
  'tax',
  'tracking',
  'class',
  'location',
  'name',
  'bank-documents',
  'evidence',
] as const;
type OrganisationCheckKind = (typeof ORGANISATION_CHECK_KINDS)[number];

export interface OrganisationCheck {
  kind: OrganisationCheckKind;
  status: CheckStatus;
  /** What was checked: "account 860 (rounding)". */
  subject: string;
  /** What was found: "is archived in Xero". */
  detail: string;
  /** For a failure or a warning: what to do, in words a finance person can act on. */
  fix?: string;
  /** The file and key a failure is about: the mapping of an account, or the configuration. */
  where?: { file: string; path: string };
  /**
   * The ledger account (chart key) a check of one mapped account is about. Its failure holds back the entries
   * booked to that account, never the whole post (a new chart entry in a release must not stop a night).
   */
  account?: string;
}

/** Ledger accounts whose destination account cannot take journals now: chart key → why, naming the account, the mapping file and what to do. */
export type UnfitAccounts = ReadonlyMap<string, string>;

/**
 * The failures `post` refuses to start with, as configuration problems
 * naming the file and key. A lock date is not among them: post holds back
 * each entry in a locked period and delivers the others (DESIGN §5).
 */
export function blockingProblems(checks: readonly OrganisationCheck[], destination: string): ConfigProblem[] {
  return checks
    .filter((check) => check.status === 'fail' && check.kind !== 'lock-date' && check.account === undefined)
    .map((check) => ({
      file: check.where?.file ?? `${destination} organisation`,
      path: check.where?.path ?? '',
      message: `${check.subject} ${check.detail}${check.fix ? `: ${check.fix}` : ''}`,
    }));
}

/**
 * The failed checks of mapped accounts, by ledger account: `post` holds back each entry booked to one of them
 * and delivers the others. Example: bank_fees → 'account 404 (bank_fees) does not exist in Xero (…/xero.yaml at
 * accounts.bank_fees): create account 404 in Xero …'.
 */
export function unfitAccounts(checks: readonly OrganisationCheck[]): UnfitAccounts {
  const unfit = new Map<string, string>();
  for (const check of checks) {
    if (check.status !== 'fail' || check.account === undefined) continue;
    const where = check.where ? ` (${check.where.file} at ${check.where.path})` : '';
    const reason = `${check.subject} ${check.detail}${where}${check.fix ? `: ${check.fix}` : ''}`;
    const earlier = unfit.get(check.account);
    unfit.set(check.account, earlier === undefined ? reason : `${earlier}; ${reason}`);
  }
  return unfit;
}

/**
 * `doctor`'s weighing of the checks by what waits to be posted (`usedAccounts`: the ledger accounts of those
 * entries; left out, the checks stand as they are): a mapped account that fails while no such entry is booked to it
 * is a warning (nothing is held back yet), and an account those entries use that the mapping file leaves out is a
 * failure naming the file and the key.
 * Example: bank_fees mapped to 404, which Xero lacks, no entry on bank_fees → ! warning; one entry → ✗.
 */
export function weighedByUse(
  checks: readonly OrganisationCheck[],
  expected: {
    mappingFile: string;
    accounts: Readonly<Record<string, unknown>>;
    usedAccounts?: ReadonlySet<string> | undefined;
  },
  destination: string,
): OrganisationCheck[] {
  const { mappingFile: file, usedAccounts: used } = expected;
  if (used === undefined) return [...checks];
  const weighed = checks.map((check): OrganisationCheck => {
    if (check.status !== 'fail' || check.account === undefined || used.has(check.account)) return check;
    return {
      ...check,
      status: 'warn',
      detail: `${check.detail}; no entry waiting to be posted is booked to ${check.account}, so nothing is held back yet`,
      fix: `${check.fix ?? 'correct the mapping'}, before an entry is booked to it (post holds such entries back and delivers the rest)`,
    };
  });
  const unmapped = [...used].filter((account) => !Object.hasOwn(expected.accounts, account)).sort();
  return [
    ...weighed,
    ...unmapped.map((account): OrganisationCheck => ({
      kind: 'account',
      status: 'fail',
      subject: `ledger account ${account}`,
      detail: `is booked by entries waiting to be posted, but ${file} does not map it`,
      fix:
        `add ${account} under accounts: in ${file} (the ${destination} account it ` +
        `goes to), then run \`ledgerline doctor\` again; until then \`ledgerline post\` stops on it`,
      where: { file, path: `accounts.${account}` },
    })),
  ];
}

/** Each mapped account's checks, each about its ledger account: a failure holds back only the entries booked to it. */
export function mappedAccountChecks<Account>(
  accounts: Readonly<Record<string, Account>>,
  check: (key: string, mapped: Account) => OrganisationCheck[],
): OrganisationCheck[] {
  return Object.entries(accounts).flatMap(([key, mapped]) =>
    check(key, mapped).map((found) => ({ ...found, account: key })),
  );
}

/** The lock-date line: a failure when entries still to be posted fall on or before it. */
export function lockDateCheck(
  destination: string,
  lockDate: string | undefined,
  unpostedDates: readonly string[],
  fix: string,
): OrganisationCheck {
  if (lockDate === undefined)
    return { kind: 'lock-date', status: 'pass', subject: 'lock date', detail: `no period is locked in ${destination}` };
  const held = unpostedDates.filter((date) => date <= lockDate);
  if (held.length === 0)
    return {
      kind: 'lock-date',
      status: 'pass',
      subject: 'lock date',
      detail: `books locked through ${lockDate}; no entry waiting to be posted is dated on or before it`,
    };
  const earliest = [...held].sort()[0];
  return {
    kind: 'lock-date',
    status: 'fail',
    subject: 'lock date',
    detail:
      `books locked through ${lockDate}; ${held.length} entr${held.length === 1 ? 'y' : 'ies'} waiting ` +
      `to be posted (from ${earliest}) fall on or before it and will be held back`,
    fix,
  };
}
