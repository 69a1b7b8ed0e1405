import {
  connectionNextStep,
  connectionProblem,
  type ConnectionState,
  type ConnectionSubject,
} from '../config/index.js';
import { ConsentLapsedError, NotConnectedError } from '../errors.js';
import { usableStoredTokens, type StoredTokens } from './token-store.js';

/** What the configuration says of a destination's connection: who it is, a pasted refresh token, a custom connection. */
export interface ConnectionSetup extends ConnectionSubject {
  configRefreshToken: string | undefined;
  /** A Xero custom connection (client credentials, no consent): it needs no `connect`. */
  customConnection: boolean;
}

/** A connection's state from the store and the configuration alone, with its wording. */
interface ConnectionReading {
  state: ConnectionState;
  problem: string;
  nextStep: string;
}

/**
 * The connection as the token store and the configuration hold it, before anything is asked of the vendor:
 * no tokens and no pasted refresh token (and no custom connection) is "not-connected"; a refresh token past
 * its expiry (Xero: 60 days unused) is "expired"; anything else is "connected" until the vendor says otherwise.
 */
export function readConnection(setup: ConnectionSetup, stored: StoredTokens | undefined, now: Date): ConnectionReading {
  const usable = usableStoredTokens(stored, setup.configRefreshToken);
  const expiredAt = usable?.refreshToken === undefined ? undefined : usable.refreshTokenExpiresAt;
  const state: ConnectionState =
    expiredAt !== undefined && Date.parse(expiredAt) <= now.getTime()
      ? 'expired'
      : usable === undefined && setup.configRefreshToken === undefined && !setup.customConnection
        ? 'not-connected'
        : 'connected';
  return {
    state,
    problem: connectionProblem(state, setup, expiredAt),
    nextStep: connectionNextStep(state, setup.destination),
  };
}

/** The error that stops a call in `state`: not connected, or a consent that lapsed (expired or revoked). */
export function connectionError(
  subject: ConnectionSubject,
  state: 'not-connected' | 'expired' | 'revoked',
  expiredAt?: string,
): NotConnectedError | ConsentLapsedError {
  const problem = connectionProblem(state, subject, expiredAt);
  const nextStep = connectionNextStep(state, subject.destination);
  return state === 'not-connected'
    ? new NotConnectedError(subject.service, problem, nextStep)
    : new ConsentLapsedError(subject.service, problem, nextStep);
}
