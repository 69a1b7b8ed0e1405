import type { ConfiguredSource } from '../../../config/index.js';
import type { Logger } from '../../../log/index.js';
import type { ProxyBooks } from '../books/proxy-books.js';
import { asPanelSource } from '../panel-config.js';
import { panelProxyLedger } from './panel-proxy-ledger.js';
import { startPanelProxy } from './panel-proxy.js';
import { proxySpool } from './proxy-spool.js';

/** What `ledgerline panel-proxy` hands the proxy: the panel source, where to listen, the books it records in, its clocks. */
export interface PanelProxyOptions {
  source: ConfiguredSource;
  /** The proxy's books in the ledger the command opened. */
  books: ProxyBooks;
  timezone: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** When a request arrived, as the ledger dates orders (on a sandbox trial: moved onto the sandbox's day). */
  requestTime: () => Promise<Date>;
  /** The real clock: when a request was kept and a reply arrived. */
  now: () => Date;
  /** Why the ledger's files cannot safely take a write now (read-only, a full disk); undefined when they can. */
  writeRefusal: () => string | undefined;
  logger: Logger;
}

/** A proxy standing in front of a panel, as the command says it: where it listens, where it sends, where it spools. */
export interface RunningPanelProxy {
  /** e.g. http://127.0.0.1:8789 */
  url: string;
  /** The source's url, where every request goes. */
  forwardsTo: string;
  /** The file that keeps what the ledger cannot take at once, until the next sync. */
  spool: string;
  /** Stops accepting, lets every request in flight finish, then resolves. */
  close(): Promise<void>;
}

/**
 * `ledgerline panel-proxy` for a panel source: the proxy in front of its url, keeping each `add` in the books or,
 * when the ledger cannot take it at once, in the source's spool file.
 */
export async function startProxy(options: PanelProxyOptions): Promise<RunningPanelProxy> {
  const source = asPanelSource(options.source);
  const proxy = await startPanelProxy({
    sourceId: source.id,
    url: source.url,
    apiKey: source.apiKey,
    ledger: panelProxyLedger(options.books, {
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
}
