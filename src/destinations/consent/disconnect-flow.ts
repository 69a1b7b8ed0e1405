import { requestXeroGrant } from '../xero/xero-token-endpoint.js';
import { revokeRefreshToken } from './revoke-tokens.js';
import type { ConnectOptions } from './connect-flow.js';
import { deleteXeroConnection } from './xero-connections.js';

/** What connect is handed that undoing it needs: the vendor's app, the token store, the HTTP client, the clock and the redaction. */
type DisconnectOptions = Pick<ConnectOptions, 'vendor' | 'store' | 'http' | 'now' | 'onSecrets'>;

/** What was undone: which organisation, and whether a grant was revoked at the vendor (false when nothing was stored). */
interface DisconnectOutcome {
  organisation: string | undefined;
  revoked: boolean;
}

/**
 * Undoes `connect`: Xero first loses the organisation's connection (DELETE
 * /connections/{id}, with a fresh access token if the stored one is stale),
 * then the refresh token is revoked at the vendor, then the store entry goes.
 * Each step must succeed before the next, so a failure leaves the tokens in
 * the store for a second try instead of an orphaned grant nobody can revoke.
 */
export async function disconnectDestination(options: DisconnectOptions): Promise<DisconnectOutcome> {
  const { vendor, store } = options;
  const stored = store.read(vendor.destination);
  if (stored === undefined) return { organisation: undefined, revoked: false };
  options.onSecrets([stored.accessToken, ...(stored.refreshToken === undefined ? [] : [stored.refreshToken])]);
  const organisation = stored.connection?.organisationName || stored.connection?.tenantId || stored.connection?.realmId;
  let refreshToken = stored.refreshToken;
  const connectionId = stored.connection?.connectionId;
  if (vendor.tenancy === 'connections' && connectionId !== undefined && vendor.connectionsUrl !== undefined) {
    let accessToken = stored.accessToken;
    if (Date.parse(stored.accessTokenExpiresAt) - 60_000 <= options.now() && refreshToken !== undefined) {
      const grant = await requestXeroGrant(options.http, vendor, refreshToken);
      options.onSecrets([grant.accessToken, ...(grant.refreshToken === undefined ? [] : [grant.refreshToken])]);
      accessToken = grant.accessToken;
      refreshToken = grant.refreshToken ?? refreshToken;
      store.write(vendor.destination, {
        ...stored,
        accessToken,
        accessTokenExpiresAt: new Date(options.now() + grant.expiresInSeconds * 1000).toISOString(),
        refreshToken,
      });
    }
    await deleteXeroConnection(options.http, vendor.connectionsUrl, accessToken, connectionId);
  }
  if (refreshToken !== undefined) await revokeRefreshToken(options.http, vendor, refreshToken);
  store.remove(vendor.destination);
  return { organisation, revoked: refreshToken !== undefined };
}
