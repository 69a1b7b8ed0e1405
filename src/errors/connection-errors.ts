import { EXIT, failure } from './ledgerline-error.js';

// The errors of a destination's connection: its consent, its scopes, the organisation it reaches (re-exported by src/errors.ts).

/**
 * A destination refused a call because the connection lacks the scope it needs (Xero answers 401
 * "AuthorizationUnsuccessful"): renewing the token cannot help; connect again with the scope.
 */
export class MissingScopeError extends failure('MissingScopeError', EXIT.external) {
  constructor(
    readonly service: string,
    readonly what: string,
    readonly scope: string,
  ) {
    super(
      `${service}: ${what} was refused because the connection lacks the scope ${scope}; add it to ` +
        `the app if needed and run \`ledgerline connect ${service.toLowerCase()}\` again`,
    );
  }
}

/** The person at the consent screen said no, or the vendor refused the request (error=access_denied, invalid_scope …). Nothing was stored. */
export class ConsentRefusedError extends failure('ConsentRefusedError', EXIT.external) {
  constructor(
    readonly service: string,
    readonly code: string,
    detail: string | undefined,
  ) {
    super(
      `${service}: the authorization was not given (${code}${detail ? `: ${detail}` : ''}); nothing was stored. ` +
        (code === 'access_denied'
          ? 'Run connect again and choose Allow'
          : "check the app's scopes and redirect URI in the developer portal, then run connect again"),
    );
  }
}

/**
 * The callback's `state` is not the one this run sent: the redirect belongs to another attempt (an old tab)
 * or to someone else. The code was not exchanged and nothing was stored.
 */
export class ConsentStateMismatchError extends failure('ConsentStateMismatchError', EXIT.external) {}

/** No callback came within the wait: the consent was never completed. The listener is closed and its port free. */
export class ConsentTimeoutError extends failure('ConsentTimeoutError', EXIT.usage) {}

/** The URL pasted back is not a redirect this run can use (not a URL, another redirect URI, no code). Nothing was exchanged. */
export class PastedRedirectError extends failure('PastedRedirectError', EXIT.usage) {}

/** Which organisation to use cannot be decided: several are connected and --tenant is missing or matches none. */
export class OrganisationChoiceError extends failure('OrganisationChoiceError', EXIT.usage) {}

/** No organisation or company is connected (before `connect`, after `disconnect`); worded by config/connection-advice.ts. Nothing was sent. */
export class NotConnectedError extends failure('NotConnectedError', EXIT.external) {
  constructor(
    readonly service: string,
    readonly problem: string,
    readonly nextStep: string,
  ) {
    super(`${service}: ${problem}; ${nextStep}`);
  }
}

/** The consent was revoked at the vendor, or its refresh token expired unused: only a new consent mends it. */
export class ConsentLapsedError extends NotConnectedError {
  override readonly name: string = 'ConsentLapsedError';
}
