/**
 * How a destination's connection stands, as the token store and the configuration say (or as the vendor's
 * token endpoint answered), and the one thing to do about it. `doctor`, `post`, `status`, the alerts and the
 * console all word a connection through here, so they never disagree: an app never connected is told to
 * connect, not to check a secret it has right.
 */
const CONNECTION_STATES = [
  'connected',
  'not-connected',
  'expired',
  'revoked',
  'custom-connection-refused',
  'app-keys-refused',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** The next command for `state` of `destination` (the configuration's name: "xero"). */
export function connectionNextStep(state: ConnectionState, destination: string): string {
  switch (state) {
    case 'connected':
      return `nothing to do; \`ledgerline doctor --to ${destination}\` checks it end to end`;
    case 'not-connected':
      return `run \`ledgerline connect ${destination}\``;
    case 'expired':
    case 'revoked':
      return `run \`ledgerline connect ${destination}\` to authorize again`;
    case 'custom-connection-refused':
      return `check destinations.${destination}.clientId and clientSecret of the custom connection against the app's keys in the developer portal`;
    case 'app-keys-refused':
      return (
        `check destinations.${destination}.clientId and clientSecret against the app's keys in the ` +
        `developer portal, then run \`ledgerline connect ${destination}\``
      );
  }
}

/** Who is speaking and of what: "Xero" and its "organisation", "QuickBooks" and its "company". */
export interface ConnectionSubject {
  destination: string;
  service: string;
  holds: string;
}

/** What is wrong in `state`, for a person: "no Xero organisation is connected". `expiredAt` is an ISO instant. */
export function connectionProblem(state: ConnectionState, subject: ConnectionSubject, expiredAt?: string): string {
  const { service, holds } = subject;
  switch (state) {
    case 'connected':
      return `a ${service} ${holds} is connected`;
    case 'not-connected':
      return `no ${service} ${holds} is connected`;
    case 'expired':
      return `the ${service} authorization expired${expiredAt === undefined ? '' : ` on ${expiredAt}`}`;
    case 'revoked':
      return `the authorization was revoked or has lapsed at ${service} (its token endpoint refused the stored refresh token)`;
    case 'custom-connection-refused':
      return `${service} refused the custom connection's client credentials`;
    case 'app-keys-refused':
      return `${service} refused the app's client id or client secret`;
  }
}
