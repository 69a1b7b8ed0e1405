import { z } from 'zod';
import { alertText } from '../../alerts/alert.js';
import { digestAlert } from '../../alerts/digest.js';
import { EXIT } from '../../errors.js';
import type { Command } from '../command.js';
import { alertSender } from '../configured-alerts.js';
import { flag, withFlags } from '../flags.js';
import { loadEachEntityConfigFor } from '../load.js';
import { exceptionsOf, readEntityStatuses } from '../status-exceptions.js';

/**
 * The digest of what needs a person across the entities (status --exceptions), grouped by kind, sent through the
 * alert channels (alerts.webhookUrl, alerts.command) and printed; the scheduler sends it on monitor.digest's cadence.
 */
export const digestCommand: Command = withFlags({
  usage: 'ledgerline digest [--dry-run]',
  flags: z.object({ 'dry-run': flag.boolean('print the digest only; send nothing') }),
  examples: [
    'ledgerline digest --dry-run   # what the morning digest would say',
    'ledgerline digest             # send it now through the alert channels',
  ],
  async run(context) {
    const configs = loadEachEntityConfigFor(context);
    const statuses = await readEntityStatuses(context, configs);
    const first = configs[0]!;
    const alert = digestAlert(first.monitor.digest ?? 'daily', {
      today: statuses[0]?.today ?? context.now().toISOString().slice(0, 10),
      sources: configs.reduce((sum, config) => sum + config.sources.length, 0),
      exceptions: exceptionsOf(statuses),
    });
    context.stdout.write(`${alertText(alert)}\n`);
    if (context.flags['dry-run']) return EXIT.ok;
    if (first.alerts.webhookUrl === undefined && first.alerts.command === undefined) {
      context.logger.warn(
        'no alert channel is configured (alerts.webhookUrl or alerts.command): the digest was printed only',
      );
      return EXIT.ok;
    }
    const deliveries = await alertSender(context, first).send(alert);
    // A channel that did not take it is logged by the sender; the exit says so too.
    return deliveries.every((delivery) => delivery.delivered) ? EXIT.ok : EXIT.external;
  },
});
