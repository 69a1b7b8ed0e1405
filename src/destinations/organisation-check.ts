import type { ConfigProblem } from '../errors.js';

/**
 * One line of `ledgerline doctor`'s checklist about a destination's
 * organisation, and what `post` refuses to start with. The checks themselves
 * are pure (xero/xero-organisation-checks.ts,
 * quickbooks/quickbooks-organisation-checks.ts): the organisation's facts and
 * the configuration in, these out.
 */

export const CHECK_STATUSES = ['pass', 'fail', 'warn'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const ORGANISATION_CHECK_KINDS = ['currency', 'region', 'lock-date', 'account', 'tax', 'tracking', 'class', 'location', 'name', 'bank-documents', 'evidence'] as const;
export type OrganisationCheckKind = (typeof ORGANISATION_CHECK_KINDS)[number];

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
}

/**
 * The failures `post` refuses to start with, as configuration problems
 * naming the file and key. A lock date is not among them: post holds back
 * each entry in a locked period and delivers the others (DESIGN §5).
 */
export function blockingProblems(checks: readonly OrganisationCheck[], destination: string): ConfigProblem[] {
  return checks
    .filter((check) => check.status === 'fail' && check.kind !== 'lock-date')
    .map((check) => ({
      file: check.where?.file ?? `${destination} organisation`,
      path: check.where?.path ?? '',
      message: `${check.subject} ${check.detail}${check.fix ? `: ${check.fix}` : ''}`,
    }));
}

/** The lock-date line: a failure when entries still to be posted fall on or before it. */
export function lockDateCheck(destination: string, lockDate: string | undefined, unpostedDates: readonly string[], fix: string): OrganisationCheck {
  if (lockDate === undefined) return { kind: 'lock-date', status: 'pass', subject: 'lock date', detail: `no period is locked in ${destination}` };
  const held = unpostedDates.filter((date) => date <= lockDate);
  if (held.length === 0) return { kind: 'lock-date', status: 'pass', subject: 'lock date', detail: `books locked through ${lockDate}; no entry waiting to be posted is dated on or before it` };
  const earliest = [...held].sort()[0];
  return {
    kind: 'lock-date',
    status: 'fail',
    subject: 'lock date',
    detail: `books locked through ${lockDate}; ${held.length} entr${held.length === 1 ? 'y' : 'ies'} waiting to be posted (from ${earliest}) fall on or before it and will be held back`,
    fix,
  };
}
