import { z } from 'zod';
import { type HttpClient, readJson, readWire } from '../../http/index.js';
import { UsageError } from '../../errors.js';
import { tokensAfterGrant } from '../access-tokens.js';
import type { StoredConnection, TokenStore } from '../token-store.js';
import { exchangeCode } from './code-exchange.js';
import { newConsentRequest } from './consent-request.js';
import { CALLBACK_PATH, openLoopbackListener } from './loopback-listener.js';
import { readConsentCallback } from './redirect-callback.js';
import type { VendorConsent } from './vendor-consent.js';
import { chooseXeroConnection, listXeroConnections, type XeroConnection } from './xero-connections.js';

/** The port of the loopback redirect URI unless --port or the configured redirectUri says another: register http://localhost:5110/callback. */
const DEFAULT_CALLBACK_PORT = 5110;

/** How the redirect comes back: to the loopback listener, or pasted by the person (servers; Intuit's production keys). */
export type CallbackMode =
  | { kind: 'loopback'; port: number | undefined }
  | { kind: 'paste'; port: number | undefined; readPastedUrl(): Promise<string> };

export interface ConnectOptions {
  vendor: VendorConsent;
  store: TokenStore;
  http: HttpClient;
  now(): number;
  mode: CallbackMode;
  timeoutMs: number;
  signal: AbortSignal;
  /** --tenant: the Xero organisation by name or id. */
  tenant: string | undefined;
  /** Asks on a terminal which organisation to use; undefined where nobody can answer. */
  askTenant: ((choices: readonly XeroConnection[]) => Promise<XeroConnection | undefined>) | undefined;
  /** Shows the person the URL to open (and opens a browser where one is wanted). */
  showUrl(url: string, redirectUri: string): void;
  onSecrets(values: readonly string[]): void;
}

/** What connect tells the person: which organisation, and until when the authorization lasts unused. */
export interface ConnectOutcome {
  connection: StoredConnection;
  refreshTokenExpiresAt: string | undefined;
}

/**
 * The authorization-code flow with state and PKCE, end to end: the URL, one
 * callback (loopback or pasted), the state check, the code exchange, the
 * organisation (Xero's connections, QuickBooks' realmId, or the grant's own), and one write to the
 * token store. Nothing is stored unless every step succeeded.
 */
export async function connectDestination(options: ConnectOptions): Promise<ConnectOutcome> {
  const { vendor, mode } = options;
  refuseHttpRedirect(vendor, mode.port);
  const listener = mode.kind === 'loopback' ? await openLoopbackListener(loopbackPort(vendor, mode.port)) : undefined;
  let callbackUrl: string;
  let request;
  try {
    const redirectUri =
      listener?.redirectUri ??
      vendor.redirectUri ??
      `http://localhost:${mode.port ?? DEFAULT_CALLBACK_PORT}${CALLBACK_PATH}`;
    request = newConsentRequest(vendor, redirectUri);
    options.onSecrets([request.codeVerifier]);
    options.showUrl(request.url, redirectUri);
    callbackUrl = listener
      ? await listener.callback(options.timeoutMs, options.signal)
      : await (mode as Extract<CallbackMode, { kind: 'paste' }>).readPastedUrl();
  } finally {
    await listener?.close();
  }
  const callback = readConsentCallback(vendor.service, callbackUrl, request);
  options.onSecrets([callback.code]);
  const grant = await exchangeCode(options.http, vendor, {
    code: callback.code,
    redirectUri: request.redirectUri,
    codeVerifier: request.codeVerifier,
  });
  options.onSecrets([grant.accessToken, ...(grant.refreshToken === undefined ? [] : [grant.refreshToken])]);
  const now = options.now();
  const connection = await chosenOrganisation(
    options,
    grant.accessToken,
    callback.realmId,
    new Date(now).toISOString(),
    grant.scope,
  );
  const received = {
    ...grant,
    refreshTokenExpiresInSeconds: grant.refreshTokenExpiresInSeconds ?? vendor.refreshTokenUnusedSeconds,
  };
  // importedFrom: newer than any refreshToken the configuration holds now, so the store wins until someone pastes another.
  const tokens = { ...tokensAfterGrant(received, undefined, undefined, vendor.configRefreshToken, now), connection };
  options.store.write(vendor.destination, tokens);
  return { connection, refreshTokenExpiresAt: tokens.refreshTokenExpiresAt };
}

async function chosenOrganisation(
  options: ConnectOptions,
  accessToken: string,
  realmId: string | undefined,
  connectedAt: string,
  scope: string | undefined,
): Promise<StoredConnection> {
  const granted = scope === undefined ? {} : { scope };
  if (options.vendor.tenancy === undefined) return { connectedAt, ...granted };
  if (options.vendor.tenancy === 'realmId') {
    if (realmId === undefined)
      throw new UsageError(
        `${options.vendor.service}: the redirect carries no realmId, so which company was connected is unknown; run connect again`,
      );
    const name = await quickbooksCompanyName(options.http, options.vendor, realmId, accessToken);
    return { realmId, ...(name === undefined ? {} : { organisationName: name }), connectedAt, ...granted };
  }
  const connections = await listXeroConnections(options.http, options.vendor.connectionsUrl ?? '', accessToken);
  const chosen = await chooseXeroConnection(
    connections,
    { tenant: options.tenant, configured: options.vendor.configuredTenantId },
    options.askTenant,
  );
  return {
    tenantId: chosen.tenantId,
    connectionId: chosen.id,
    organisationName: chosen.tenantName,
    connectedAt,
    ...granted,
  };
}

const companyInfoSchema = z.object({ CompanyInfo: z.object({ CompanyName: z.string() }) });

/** The company's name for status and doctor; best effort: a company whose name cannot be read is still connected. */
async function quickbooksCompanyName(
  http: HttpClient,
  vendor: VendorConsent,
  realmId: string,
  accessToken: string,
): Promise<string | undefined> {
  if (vendor.companyInfoUrl === undefined) return undefined;
  try {
    const reply = await http.request({
      method: 'GET',
      url: vendor.companyInfoUrl(realmId),
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      idempotent: true,
      what: 'reading the company name',
    });
    const json = reply.status === 200 ? readJson(reply.bodyText) : undefined;
    const info = json?.ok ? readWire(companyInfoSchema, json.value) : undefined;
    return info?.ok ? info.value.CompanyInfo.CompanyName : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Production keys that take only an https redirect URI, with an http one (the loopback listener's, or one configured):
 * refused before a browser is opened or anything is sent, naming the setting and what to set instead.
 */
function refuseHttpRedirect(vendor: VendorConsent, port: number | undefined): void {
  if (vendor.httpsRedirectOnly === undefined || vendor.redirectUri?.startsWith('https://') === true) return;
  const used = vendor.redirectUri ?? `http://localhost:${port ?? DEFAULT_CALLBACK_PORT}${CALLBACK_PATH}`;
  throw new UsageError(
    `${vendor.service}: ${vendor.httpsRedirectOnly.setting} takes only an https redirect URI, and this connect would use ${used}; ` +
      `set destinations.${vendor.destination}.redirectUri to the https address registered for your ` +
      `app and run "ledgerline connect ${vendor.destination} --paste" ` +
      `(development keys: environment: sandbox); nothing was opened or sent`,
  );
}

/** --port, else the configured loopback redirect URI's port, else DEFAULT_CALLBACK_PORT; a configured https redirect needs paste mode. */
function loopbackPort(vendor: VendorConsent, port: number | undefined): number {
  if (port !== undefined) return port;
  if (vendor.redirectUri === undefined) return DEFAULT_CALLBACK_PORT;
  const configured = new URL(vendor.redirectUri);
  if (
    configured.protocol !== 'http:' ||
    !['localhost', '127.0.0.1'].includes(configured.hostname) ||
    configured.pathname !== CALLBACK_PATH
  ) {
    throw new UsageError(
      `${vendor.service}: the configured redirectUri is not a loopback address (http://localhost:PORT${CALLBACK_PATH}), ` +
        `so nothing here can receive the redirect; run connect with --paste`,
    );
  }
  return Number(configured.port || 80);
}
