import { join } from 'node:path';
import { z } from 'zod';
import { configFields, type ConfiguredSource, type EntryPlacement } from '../../config/index.js';

const { text, sourceId, httpUrl, secret, wholeNumber, currencyCode } = configFields;

/** The word a panel's entry names under sources: (`kind: panel`). */
export const PANEL_KIND = 'panel';

/**
 * A panel's entry under `sources:` as written (`kind: panel`). Built when first asked for (a file checked), then
 * kept: a command whose file's check was kept (config/checked-cache.ts) builds none of it.
 */
export function panelSourceEntry() {
  entrySchema ??= entrySchemaBuilt();
  return entrySchema;
}
let entrySchema: ReturnType<typeof entrySchemaBuilt> | undefined;

const entrySchemaBuilt = () =>
  z.strictObject({
    id: sourceId,
    kind: z.literal(PANEL_KIND),
    /** The full API URL (…/api/v2) that every action is POSTed to. */
    url: httpUrl,
    apiKey: secret,
    ordersFile: text.optional(),
    /** Where `panel-proxy` keeps what the ledger cannot take at once, for the next sync. Default: <source id>.proxy-spool.jsonl beside the ledger. */
    proxySpool: text.optional(),
    rateLimitPerMinute: wholeNumber(1, 100_000).optional(),
    unknownOrderRetentionDays: wholeNumber(0, 3650).default(7),
    /** After this many days open, `reconcile` lists an order as stuck. */
    stuckAfterDays: wholeNumber(1, 3650).default(30),
    /** The panel account's currency; a reply in another is refused for this source. Default: the top-level currency. */
    currency: currencyCode.optional(),
  });

/** A panel entry made ready to use: the orders file's path absolute, the proxy spool's path decided. */
/**
 * What a bank writes on a top-up's card line: `SMMPANEL`, or the panel's host name as card statements print the
 * merchant (`CARD 4411 SMMPANEL`, `CARD 4411 PANEL.EXAMPLE.COM`). Example: https://panel.example.com/api/v2 →
 * `SMMPANEL|panel\.example\.com`.
 */
function panelBankWords(url: string): string {
  const host = new URL(url).hostname.replace(/^www\./, '');
  return host === '' ? 'SMMPANEL' : `SMMPANEL|${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
}

export function resolvePanelSource(entry: z.output<ReturnType<typeof panelSourceEntry>>, placement: EntryPlacement) {
  return {
    ...entry,
    ...(entry.ordersFile === undefined ? {} : { ordersFile: placement.pathInFile(entry.ordersFile) }),
    bankWords: panelBankWords(entry.url),
    /** Beside the ledger file (a postgres ledger: beside the configuration), where a sync finds it. */
    proxySpool:
      entry.proxySpool === undefined
        ? join(placement.ledgerFolder, `${entry.id}.proxy-spool.jsonl`)
        : placement.pathInFile(entry.proxySpool),
  };
}

export type PanelSourceConfig = ReturnType<typeof resolvePanelSource>;

/** Whether a configured source is a panel (the panel proxy and the panel's own parts take only those). */
export function isPanelSource(source: ConfiguredSource): boolean {
  return source.kind === PANEL_KIND;
}

/** A configured source as a panel's: the registry hands the panel's kind only the sources that name it, which resolvePanelSource made. */
export function asPanelSource(source: ConfiguredSource): PanelSourceConfig {
  if (!isPanelSource(source))
    throw new Error(`source ${source.id} of kind ${source.kind} was handed to the panel's kind`);
  return source as PanelSourceConfig;
}
