import type { SourceKind } from '../../../pipeline/kinds/index.js';
import { proxyBooks } from '../books/proxy-books-store.js';
import { asPanelSource } from '../panel-config.js';
import { panelProxyLedger } from './panel-proxy-ledger.js';
import { startPanelProxy } from './panel-proxy.js';
import { proxySpool } from './proxy-spool.js';

/**
 * `ledgerline panel-proxy` for a panel source (the kind's `startProxy`): the proxy in front of its url, keeping each
 * `add` in the books or, when the ledger cannot take it at once, in the source's spool file.
 */
export const startProxy: NonNullable<SourceKind['startProxy']> = async (options) => {
  const source = asPanelSource(options.source);
  const proxy = await startPanelProxy({
    sourceId: source.id,
    url: source.url,
    apiKey: source.apiKey,
    ledger: panelProxyLedger(options.books.booksOf(proxyBooks), {
      sourceId: source.id,
      timezone: options.timezone,
      now: options.now,
      spool: proxySpool(source.proxySpool),
      writeRefusal: options.writeRefusal,
    }),
    host: options.host,
    port: options.port,
    requestTime: options.requestTime,
    clock: options.now,
    logger: options.logger,
  });
  return { url: proxy.url, forwardsTo: source.url, spool: source.proxySpool, close: () => proxy.close() };
};
