import { z } from 'zod';
import { XERO_JOURNAL_STATUSES, configFields, type Config, type ConnectionSubject } from '../../config/index.js';
import type { ConnectionSetup } from '../connection-state.js';
import { bankDocumentsSetting } from '../bank-document-client.js';
import { evidenceSetting } from '../evidence-setting.js';

const { text, httpUrl, apiRoot, secret, currencyCode } = configFields;

/** The Xero organisation's region: it decides the date format Xero's CSV import reads. */
export const XERO_REGIONS = ['US', 'UK', 'NZ', 'AU'] as const;
export type XeroRegion = (typeof XERO_REGIONS)[number];

/**
 * `destinations.xero` in ledgerline.yaml, built when first parsed or unwrapped (the kind's sectionSchema, to check a
 * file): a command whose configuration check was kept builds none of it (issue 56).
 */
export const xeroSection = z.lazy(() => {
  built ??= xeroSectionBuilt();
  return built;
});
let built: ReturnType<typeof xeroSectionBuilt> | undefined;

const xeroSectionBuilt = () =>
  z.strictObject({
    /** The organisation; `ledgerline connect xero` stores it in the token store, which wins. Empty or absent for a custom connection. */
    tenantId: z.string().optional(),
    clientId: text,
    /**
     * custom: a Xero custom connection (client credentials for one organisation, no consent); oauth: an app that
     * `ledgerline connect xero` connects. Unless given, a section with a tenantId and a clientSecret but no
     * refreshToken is a custom connection (as files written before this setting are), any other an oauth app.
     */
    connection: z.enum(['custom', 'oauth']).optional(),
    /** Absent for an app created without a secret (Xero's PKCE apps): it posts with what `ledgerline connect xero` stored. */
    clientSecret: secret.optional(),
    /** For those who paste a token; `ledgerline connect xero` keeps it in the token store instead. */
    refreshToken: secret.optional(),
    /** granular (the default) for apps created on or after 2 March 2026, broad for older ones (until September 2027). */
    scopes: z.enum(['granular', 'broad']).optional(),
    /** The redirect URI registered for the app; http://localhost:PORT/callback (the loopback listener) unless given. */
    redirectUri: httpUrl.optional(),
    apiUrl: apiRoot.optional(),
    tokenUrl: httpUrl.optional(),
    authorizeUrl: httpUrl.optional(),
    revokeUrl: httpUrl.optional(),
    connectionsUrl: httpUrl.optional(),
    /** Overrides mappings/xero.yaml's status. */
    status: z.enum(XERO_JOURNAL_STATUSES).optional(),
    /** Decides the CSV import's dates unless export.dateFormat.xero is set. */
    region: z.enum(XERO_REGIONS).optional(),
    /** The organisation's base currency (USD unless given): entries in another are converted at destinations.rates. */
    baseCurrency: currencyCode.optional(),
    /**
     * A BankTransaction (RECEIVE or SPEND) per payout's and top-up's bank leg (scope accounting.banktransactions),
     * coded to the clearing accounts of mappings/xero.yaml.
     */
    transit: bankDocumentsSetting.optional(),
    /** attach: each posted journal names its evidence's manifest hash and carries the file (see evidence-setting.ts); off unless given. */
    evidence: evidenceSetting.optional(),
  });

export type XeroDestinationConfig = z.output<ReturnType<typeof xeroSectionBuilt>>;

/** The configuration's Xero section, when it has one. */
export function xeroSectionOf(config: Pick<Config, 'destinations'>): XeroDestinationConfig | undefined {
  // loadConfig admitted the section only through xeroSection (the Xero kind's sectionSchema), whose output it kept.
  return config.destinations.xero as XeroDestinationConfig | undefined;
}

/**
 * The organisation's region: destinations.xero.region, else export.region.xero (a CSV-only set-up, which has no Xero
 * section: a UK accountant's lines then read "No VAT", not the US "Tax Exempt").
 */
export function xeroRegionOf(config: Pick<Config, 'destinations' | 'export'>): XeroRegion | undefined {
  return xeroSectionOf(config)?.region ?? (config.export.region['xero'] as XeroRegion | undefined);
}

/** Xero as the connection's advice names it. */
export const XERO_SUBJECT: ConnectionSubject = { destination: 'xero', service: 'Xero', holds: 'organisation' };

/** Whether the section configures a custom connection (see `connection`). */
export function isXeroCustomConnection(config: XeroDestinationConfig): boolean {
  if (config.connection !== undefined) return config.connection === 'custom';
  return (config.tenantId ?? '') !== '' && config.clientSecret !== undefined && config.refreshToken === undefined;
}

/** What the Xero section says of its connection. */
export function xeroConnectionSetup(config: XeroDestinationConfig): ConnectionSetup {
  return { ...XERO_SUBJECT, configRefreshToken: config.refreshToken, customConnection: isXeroCustomConnection(config) };
}
