import { operationsSection, payoutsSection } from './example-config.js';

/** What `init --for` puts in a production configuration: the destination's section and the variables it reads (none for CSV). */
interface ProductionDestination {
  name: string;
  section: string;
  variables: readonly string[];
}

/**
 * The `ledgerline.yaml` that `ledgerline init --for NAME` writes for the real services: no sandbox URL, no
 * sandbox clock, no custom connection unless asked, sources left for the person to add (their addresses are
 * theirs), and the one destination chosen (none for exports: `exportFormats` are the registry's). Every secret is read from the environment.
 */
export function productionConfigText(
  destination: ProductionDestination | undefined,
  exportFormats: readonly string[],
): string {
  const variables = ['PAYELANCER_KEY', 'PANEL_KEY', ...(destination?.variables ?? [])];
  return [
    `# ledgerline configuration for the real services, written by \`ledgerline init --for ${destination?.name ?? 'csv'}\`.
#
# Secrets come only from environment variables, written \${NAME}; never put a key in this file.
# Set: ${variables.join(', ')}.
# Then: \`ledgerline doctor\`${destination === undefined ? ', `ledgerline sync`, `ledgerline export --format generic`' : `, \`ledgerline connect ${destination.name}\`, \`ledgerline doctor --to ${destination.name}\``}.
# Relative paths are relative to the folder of this file.

ledger: ./data/ledger.sqlite            # a SQLite file; or postgres://USER@HOST:PORT/DB (see \`ledgerline migrate --to\`)
timezone: UTC                           # IANA name of the books' day, e.g. Europe/London
currency: USD
# mappings: ./mappings/default.yaml     # your own chart; xero.yaml and quickbooks.yaml beside it
granularity: day                        # one journal entry per source per day; "event": one per event

sources:                                # none yet; add yours: uncomment these and put in your addresses
  # - id: ads-publisher
  #   kind: payelancer
  #   baseUrl: https://YOUR-AD-NETWORK   # the client adds /backend/api/v1/*.php
  #   apiKey: \${PAYELANCER_KEY}
  # - id: smm-panel
  #   kind: panel
  #   url: https://YOUR-PANEL/api/v2
  #   apiKey: \${PANEL_KEY}

`,
    payoutsSection(),
    destination === undefined
      ? `# destinations: none: \`ledgerline export --format ${exportFormats.join('|')}\` writes a file for an accountant\n\n`
      : `destinations:\n${destination.section}\n`,
    operationsSection().replace(
      /^webhooks:[\s\S]*?(?=^export:)/m,
      '# webhooks:                             # `ledgerline webhooks`\n#   port: 8788\n#   secret: ${LEDGERLINE_WEBHOOK_SECRET}\n\n',
    ),
  ].join('');
}
