import { z } from 'zod';
import { EXIT } from '../../errors.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadEachEntityConfigFor } from '../../app/configured-books.js';
import { metricsText } from '../../app/entity-status-reads.js';

/**
 * The facts of `status` in Prometheus' text format, for a scraper or node_exporter's textfile collector: every
 * entity's (each sample labelled with its entity), or the one --entity names. It exits 0 whatever the figures say
 * (a damaged ledger is `ledgerline_ledger_healthy 0`): the alert rules judge them. A ledger that is not there is
 * refused (exit 2), never created.
 */
export const metricsCommand: Command = withFlags({
  usage: 'ledgerline metrics [--entity NAME]',
  flags: z.object({}),
  examples: [
    'ledgerline metrics > /var/lib/node_exporter/textfile/ledgerline.prom.tmp && mv …tmp …prom   # every few minutes',
  ],
  async run(context) {
    context.stdout.write(await metricsText(context, loadEachEntityConfigFor(context)));
    return EXIT.ok;
  },
});
