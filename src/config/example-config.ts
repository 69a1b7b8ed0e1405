/** Where `ledgerline sandbox` listens unless told otherwise. */
export const SANDBOX_ORIGIN = 'http://127.0.0.1:8787';

/**
 * The home of a business each region the sandbox can play (`sandbox --region`, `init --sandbox-url … --region`):
 * the currency its organisation keeps its books in, destinations.xero.region, and the fixed rate of one USD in that
 * currency a rehearsal with a USD panel converts at (`--panel-currency USD`: a round figure of the rehearsal's, no
 * market's; real books take a rates file of the days' rates).
 */
export const SANDBOX_REGION_HOMES = {
  uk: { currency: 'GBP', xeroRegion: 'UK', usdRate: '0.79' },
  au: { currency: 'AUD', xeroRegion: 'AU', usdRate: '1.52' },
  nz: { currency: 'NZD', xeroRegion: 'NZ', usdRate: '1.65' },
  us: { currency: 'USD', xeroRegion: 'US', usdRate: '1' },
} as const;
type SandboxRegionName = keyof typeof SANDBOX_REGION_HOMES;

/**
 * The `ledgerline.yaml` that `ledgerline init` writes: every setting shown and
 * explained, pointing at the sandbox (`sandboxOrigin`, e.g. the demo's port),
 * with every secret read from an environment variable. With a `region`, for the
 * sandbox playing it: its currency and destinations.xero.region.
 */
export function exampleConfigText(sandboxOrigin: string = SANDBOX_ORIGIN, region?: SandboxRegionName): string {
  const text = [
    generalSection(sandboxOrigin),
    sourcesSection(sandboxOrigin),
    payoutsSection(),
    destinationsSection(sandboxOrigin),
    operationsSection(),
  ].join('');
  if (region === undefined) return text;
  const home = SANDBOX_REGION_HOMES[region];
  // Each destination converts what is not in its baseCurrency (USD unless set): the organisation keeps the ledger's.
  const base = `    baseCurrency: ${home.currency}                  # the organisation's, as the ledger's currency\n`;
  return text
    .replace(/^currency: USD$/m, `currency: ${home.currency}`)
    .replace(/^( {4}region: )US( +#)/m, `$1${home.xeroRegion}$2`)
    .replace(/^( {4}status: POSTED .*\n)/m, `$1${base}`)
    .replace(/^( {4}environment: production .*\n)/m, `$1${base}`);
}

/** What the file is, where secrets come from, and the ledger's own settings. */
function generalSection(sandboxOrigin: string): string {
  return `# ledgerline configuration, written by \`ledgerline init\`.
#
# As written it talks to the local sandbox: run \`ledgerline sandbox\` in another
# terminal (simulated ad network, SMM panel, Xero and QuickBooks on
# ${sandboxOrigin}), set the variables below, then run \`ledgerline sync\` and
# \`ledgerline export --format generic\`. For the real services, replace the URLs
# and the keys.
#
# Secrets come only from environment variables, written \${NAME}; never put a
# key in this file. A command needs only the variables of the parts it uses
# (export and reconcile need none):
#   sync                   PAYELANCER_KEY, PANEL_KEY
#   post xero              XERO_TENANT_ID, XERO_CLIENT_ID, XERO_CLIENT_SECRET
#   post quickbooks        QBO_REALM_ID, QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REFRESH_TOKEN
#   webhooks               LEDGERLINE_WEBHOOK_SECRET (at least 16 characters)
#
# Relative paths are relative to the folder of this file.

ledger: ./data/ledger.sqlite            # a SQLite file (created and migrated when needed)
timezone: UTC                           # IANA name; a sync "as of" a day takes that day's close here
sandboxClock: ${sandboxOrigin}/__admin/day   # a plain sync takes the sandbox's day, not the machine's
                                        # yesterday; real services: remove this line
currency: USD
# mappings: ./mappings/default.yaml     # your own chart; xero.yaml and quickbooks.yaml beside it
                                        # (default: the mappings shipped with ledgerline)
granularity: day                        # one journal entry per source per day; "event": one per event

`;
}

/** One source of each kind, pointing at the sandbox. */
function sourcesSection(sandboxOrigin: string): string {
  return `sources:
  - id: ads-publisher
    kind: payelancer
    baseUrl: ${sandboxOrigin}/payelancer   # the client adds /backend/api/v1/*.php
    apiKey: \${PAYELANCER_KEY}
    # payouts: { method: wire }         # per source; wins over the top-level payouts
  - id: smm-panel
    kind: panel
    url: ${sandboxOrigin}/panel/api/v2
    apiKey: \${PANEL_KEY}
    # ordersFile: ./orders.csv          # header: order_id,service,quantity,created_at
    # rateLimitPerMinute: 1000
    # unknownOrderRetentionDays: 7      # how long an id the panel does not know is re-polled
    # currency: EUR                     # the panel account's currency, if not the top-level one
    # stuckAfterDays: 30                # reconcile lists an order open longer than this

`;
}

/** The ad network's payout rule. */
export function payoutsSection(): string {
  return `payouts:                                # the ad network pays once at least the minimum is owed
  minimum: "50.00"
  method: paypal                        # paypal | razorpay | wire
  schedule: month-end                   # or a day of the month, as in   schedule: 15
                                        # or a list of dates, as in      schedule: [2026-03-31, 2026-06-30]

`;
}

/** Xero and QuickBooks, pointing at the sandbox's fakes. */
function destinationsSection(sandboxOrigin: string): string {
  return (
    `destinations:                           # only \`post\` needs these; export needs none
  xero:
    tenantId: \${XERO_TENANT_ID}
    clientId: \${XERO_CLIENT_ID}
    clientSecret: \${XERO_CLIENT_SECRET}    # custom connection (client credentials)
    apiUrl: ${sandboxOrigin}/xero/api.xro/2.0        # real Xero: remove this line
    tokenUrl: ${sandboxOrigin}/xero/connect/token    # real Xero: remove this line
    authorizeUrl: ${sandboxOrigin}/xero/identity/connect/authorize   # real Xero: remove (used by \`ledgerline connect xero\`)
    revokeUrl: ${sandboxOrigin}/xero/connect/revocation              # real Xero: remove
    connectionsUrl: ${sandboxOrigin}/xero/connections                # real Xero: remove
    status: POSTED                      # or DRAFT
    region: US                          # US | UK | NZ | AU: the CSV import's dates (US month-first, ` +
    `others day-first) and no-tax rate name (Tax Exempt, No VAT, No GST, BAS Excluded)
  quickbooks:
    realmId: \${QBO_REALM_ID}
    clientId: \${QBO_CLIENT_ID}
    clientSecret: \${QBO_CLIENT_SECRET}
    refreshToken: \${QBO_REFRESH_TOKEN}     # first use only; rotated tokens live in the token store
    environment: production             # or sandbox (Intuit's); apiUrl below overrides both
    apiUrl: ${sandboxOrigin}/quickbooks                              # real QuickBooks: remove
    tokenUrl: ${sandboxOrigin}/quickbooks/oauth2/v1/tokens/bearer    # real QuickBooks: remove
    authorizeUrl: ${sandboxOrigin}/quickbooks/connect/oauth2         # real QuickBooks: remove (used by \`ledgerline connect quickbooks\`)
    revokeUrl: ${sandboxOrigin}/quickbooks/v2/oauth2/tokens/revoke   # real QuickBooks: remove

`
  );
}

/** The token store, the schedule, alerts, webhooks and export dates. */
export function operationsSection(): string {
  return `# tokenStore: ./data/.ledgerline-tokens.json   # default: beside the ledger (mode 0600)

schedule:                               # \`ledgerline schedule\`
  cron: "30 2 * * *"                    # every night at 02:30
  timezone: UTC
  post: []                              # e.g. [xero]: also post the days it synced

alerts:
  # webhookUrl: \${ALERT_WEBHOOK_URL}   # gets each alert as JSON
  # command: ./notify.sh                # gets each alert as JSON on stdin
  tokenExpiryDays: 14                   # warn this long before a refresh token expires

webhooks:                               # \`ledgerline webhooks\`
  port: 8788
  secret: \${LEDGERLINE_WEBHOOK_SECRET}
  mode: path-token                      # or hmac
  maxBodyBytes: 65536

export:
  dateFormat:                           # YYYY-MM-DD | DD/MM/YYYY | MM/DD/YYYY | DD MMM YYYY
    generic: YYYY-MM-DD                 # always: the generic format is ISO
    # xero: DD/MM/YYYY                  # overrides destinations.xero.region; with neither, DD MMM YYYY
    quickbooks: MM/DD/YYYY
`;
}
