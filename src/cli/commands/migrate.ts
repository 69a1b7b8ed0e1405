import { EXIT } from '../../errors.js';
import type { Command } from '../command.js';
import { loadConfigFor, withLedger, writeJson } from '../load.js';

export const migrateCommand: Command = {
  usage: 'ledgerline migrate [--json]',
  options: {},
  examples: ['ledgerline migrate   # every command does this itself; run it alone after an upgrade'],
  async run(context) {
    const config = loadConfigFor(context);
    const applied = await withLedger(config, async (ledger) => (await ledger.store.migrate()).length);
    // Opening the ledger already migrates; report what the schema is now.
    if (context.json) writeJson(context, { ledger: config.ledger, migrated: true, appliedNow: applied });
    else context.stdout.write(`ledger ${config.ledger} is up to date\n`);
    return EXIT.ok;
  },
};
