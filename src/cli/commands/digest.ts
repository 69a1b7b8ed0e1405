import { z } from 'zod';
import { alertText } from '../../alerts/alert.js';
import { EXIT } from '../../errors.js';
import type { Command } from '../command.js';
import { composeDigest, sendDigest } from '../../app/digest-sending.js';
import { flag, withFlags } from '../flags.js';
import { loadEachEntityConfigFor } from '../../app/configured-books.js';

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
    const alert = await composeDigest(context, configs);
    context.stdout.write(`${alertText(alert)}\n`);
    if (context.flags['dry-run']) return EXIT.ok;
    const delivered = await sendDigest(context, configs[0]!, alert);
    if (delivered === undefined)
      context.logger.warn(
        'no alert channel is configured (alerts.webhookUrl or alerts.command): the digest was printed only',
      );
    // A channel that did not take it is logged by the sender; the exit says so too.
    return delivered === false ? EXIT.external : EXIT.ok;
  },
});
