import { z } from 'zod';
import { configFields, type Config, type ConnectionSubject } from '../../config/index.js';
import type { ConnectionSetup } from '../connection-state.js';
import { bankDocumentsSetting } from '../bank-document-client.js';
import { evidenceSetting } from '../evidence-setting.js';

const { text, httpUrl, apiRoot, secret, wholeNumber, currencyCode } = configFields;

const QUICKBOOKS_ENVIRONMENTS = ['production', 'sandbox'] as const;

/**
 * `destinations.quickbooks` in ledgerline.yaml, built when first parsed or unwrapped (the kind's sectionSchema, to check a
 * file): a command whose configuration check was kept builds none of it (issue 56).
 */
export const quickbooksSection = z.lazy(() => {
  built ??= quickbooksSectionBuilt();
  return built;
});
let built: ReturnType<typeof quickbooksSectionBuilt> | undefined;

const quickbooksSectionBuilt = () =>
  z.strictObject({
    /** The company; `ledgerline connect quickbooks` stores it in the token store, which wins. */
    realmId: text.optional(),
    clientId: text,
    clientSecret: secret,
    /** For those who paste a token (first use only); `ledgerline connect quickbooks` keeps tokens in the token store instead. */
    refreshToken: secret.optional(),
    /** The redirect URI registered for the app; Intuit's production keys need an https one (paste mode). */
    redirectUri: httpUrl.optional(),
    environment: z.enum(QUICKBOOKS_ENVIRONMENTS).default('production'),
    /** Host root; the client adds /v3/company/{realmId}/…; overrides `environment`. */
    apiUrl: apiRoot.optional(),
    tokenUrl: httpUrl.optional(),
    authorizeUrl: httpUrl.optional(),
    revokeUrl: httpUrl.optional(),
    /** The company's home currency (USD unless given): entries in another go with CurrencyRef and ExchangeRate. */
    baseCurrency: currencyCode.optional(),
    /** Journal entries per /batch request (30 unless given, Intuit's recommended maximum); smaller batches follow a refusal for size. */
    batchSize: wholeNumber(1, 30).optional(),
    /** A Transfer per payout and top-up, from the clearing accounts of mappings/quickbooks.yaml. */
    transit: bankDocumentsSetting.optional(),
    /** attach: each posted journal names its evidence's manifest hash and carries the file (see evidence-setting.ts); off unless given. */
    evidence: evidenceSetting.optional(),
  });

export type QuickBooksDestinationConfig = z.output<ReturnType<typeof quickbooksSectionBuilt>>;

/** The configuration's QuickBooks section, when it has one. */
export function quickbooksSectionOf(config: Pick<Config, 'destinations'>): QuickBooksDestinationConfig | undefined {
  // loadConfig admitted the section only through quickbooksSection (the QuickBooks kind's sectionSchema), whose output it kept.
  return config.destinations.quickbooks as QuickBooksDestinationConfig | undefined;
}

/** QuickBooks as the connection's advice names it. */
export const QUICKBOOKS_SUBJECT: ConnectionSubject = {
  destination: 'quickbooks',
  service: 'QuickBooks',
  holds: 'company',
};

/** What the QuickBooks section says of its connection: it has no custom connection. */
export function quickbooksConnectionSetup(config: QuickBooksDestinationConfig): ConnectionSetup {
  return { ...QUICKBOOKS_SUBJECT, configRefreshToken: config.refreshToken, customConnection: false };
}
