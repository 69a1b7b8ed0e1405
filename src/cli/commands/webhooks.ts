import { z } from 'zod';
import { ConfigError, EXIT } from '../../errors.js';
import { landingBooks, webhookInbox } from '../../pipeline/landing/index.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { startWebhookReceiver } from '../../sources/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, openBooksFor } from '../../app/configured-books.js';
import { holdLedger } from '../../app/ledger-holders.js';
import { requestClock } from '../../app/books-days.js';
import { holdLedgerUntilStop } from '../../app/hold-until-stop.js';

export const webhooksCommand: Command = withFlags({
  usage: 'ledgerline webhooks [--port N] [--host 127.0.0.1]',
  flags: z.object({
    port: flag.port('N', 'listen on this port (default: webhooks.port, 8788)'),
    host: flag.text('ADDR', 'listen on this address (default 127.0.0.1)').default('127.0.0.1'),
  }),
  examples: ['ledgerline webhooks                # the receiver on 127.0.0.1:8788', 'ledgerline webhooks --port 9000'],
  async run(context) {
    const config = loadConfigFor(context, { webhooks: true });
    if (!config.webhooks) {
      throw new ConfigError([
        {
          file: config.file,
          path: 'webhooks',
          message: 'is missing: set webhooks.secret (and optionally port, mode, maxBodyBytes) to receive webhooks',
        },
      ]);
    }
    const port = context.flags.port ?? config.webhooks.port;
    const { host } = context.flags;
    // Registered before anything is opened: refused while `migrate --to` moves the file.
    const hold = holdLedger(context, config.ledger, 'webhooks');
    try {
      const books = await openBooksFor(config, context.ledger);
      const receiver = await startWebhookReceiver({
        inbox: webhookInbox(books.of(landingBooks)),
        sources: sourceKinds.webhookSources(config.sources),
        auth:
          config.webhooks.mode === 'hmac'
            ? { mode: 'hmac', secret: config.webhooks.secret }
            : { mode: 'path-token', token: config.webhooks.secret },
        host,
        port,
        maxBodyBytes: config.webhooks.maxBodyBytes,
        // On a sandbox trial a delivery is dated on the sandbox's day, or no close of the trial would ever take it.
        clock: requestClock(config, context.now),
        logger: context.logger,
      });
      const route =
        config.webhooks.mode === 'hmac'
          ? '/webhooks/<source id>  (header X-Ledgerline-Signature: sha256=<hex HMAC of the body>)'
          : '/webhooks/<source id>/<secret>';
      context.stdout.write(
        `receiving webhooks on ${receiver.url}${route}\nsources: ` +
          `${config.sources.map((source) => `${source.id} (${source.kind})`).join(', ')}\nStop with Ctrl-C.\n`,
      );
      await holdLedgerUntilStop(context, config.ledger, `webhooks on ${receiver.url}`, hold);
      await receiver.close();
      await books.close();
    } finally {
      hold.release();
    }
    return EXIT.ok;
  },
});
