import { z } from 'zod';
import { EXIT, UsageError } from '../../../errors.js';
import { requestClock } from '../../../app/books-days.js';
import type { Command } from '../../../cli/command.js';
import { flag, withFlags } from '../../../cli/flags.js';
import { loadConfigFor, openBooksFor } from '../../../app/configured-books.js';
import { holdLedger, panelProxyHolder } from '../../../app/ledger-holders.js';
import { holdLedgerUntilStop } from '../../../app/hold-until-stop.js';
import { ledgerWriteRefusal } from '../../../pipeline/operations/index.js';
import { isPanelSource } from '../panel-config.js';
import { proxyBooks } from '../books/proxy-books-store.js';
import { startProxy } from '../proxy/start-proxy.js';

const DEFAULT_PORT = 8789;

export const panelProxyCommand: Command = withFlags({
  usage: 'ledgerline panel-proxy --source ID [--port N] [--host 127.0.0.1]',
  flags: z.object({
    source: flag.requiredText(
      'ID',
      'the panel source to stand in front of: requests go to its url, orders are recorded for it',
      'the panel source whose orders the proxy records',
    ),
    port: flag.port('N', `listen on this port (default ${DEFAULT_PORT})`).default(DEFAULT_PORT),
    host: flag
      .text('ADDR', 'listen on this address (default 127.0.0.1; the key is checked, but anyone who has it can order)')
      .default('127.0.0.1'),
  }),
  examples: [
    'ledgerline panel-proxy --source smm-panel              # on 127.0.0.1:8789; point your scripts at http://127.0.0.1:8789/api/v2',
    'ledgerline panel-proxy --source smm-panel --port 9001 --host 0.0.0.0   # a reseller site on another machine',
  ],
  async run(context) {
    const { source: sourceId, port, host } = context.flags;
    const config = loadConfigFor(context, { sources: [sourceId] });
    const configured = config.sources.find((candidate) => candidate.id === sourceId);
    if (configured === undefined || !isPanelSource(configured)) {
      const panels = config.sources.filter(isPanelSource);
      throw new UsageError(
        `${configured === undefined ? `no source ${JSON.stringify(sourceId)} in ${config.file}` : `source ${sourceId} is not a panel`}; ` +
          `panel sources: ${panels.length === 0 ? 'none' : panels.map((candidate) => candidate.id).join(', ')}`,
      );
    }
    // The proxy never waits for another writer's lock: better-sqlite3 waits synchronously, and every request
    // through the proxy, a balance too, would wait with it. A write refused at once goes to the spool.
    // Registered before anything is opened: refused while `migrate --to` moves the file (its orders would be spooled where no sync reads).
    const hold = holdLedger(context, config.ledger, panelProxyHolder(sourceId));
    const books = await openBooksFor(config, context.ledger, { lockWaitMs: 0 }).catch((error: unknown) => {
      hold.release();
      throw error;
    });
    try {
      const proxy = await startProxy({
        source: configured,
        books: books.of(proxyBooks),
        timezone: config.timezone,
        host,
        port,
        requestTime: requestClock(config, context.now),
        now: context.now,
        writeRefusal: ledgerWriteRefusal(config.ledger),
        logger: context.logger,
      });
      context.stdout.write(
        `panel proxy for ${sourceId} on ${proxy.url} → ${proxy.forwardsTo}\n` +
          `point ordering scripts at ${proxy.url}/api/v2 (any path is sent to the panel's url); every ` +
          `order placed through it is recorded for the next sync.\n` +
          `what the ledger cannot take at once is kept in ${proxy.spool} until then.\n` +
          'Stop with Ctrl-C.\n',
      );
      await holdLedgerUntilStop(context, config.ledger, `${panelProxyHolder(sourceId)} on ${proxy.url}`, hold);
      await proxy.close();
    } finally {
      hold.release();
      await books.close();
    }
    return EXIT.ok;
  },
});
