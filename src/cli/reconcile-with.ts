import { EXIT, type ExitCode } from '../errors.js';
import { tieOutWithDestination } from '../pipeline/status/index.js';
import { renderTieOutWith } from '../reads/index.js';
import { openApiClient } from '../app/api-client.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor, withBooksFor } from '../app/configured-books.js';
import { writeJson } from './write-json.js';

/** `reconcile --with`: the destination's journals and balances against what the ledger posted there. */
export async function tieOutWith(context: CommandProcess, to: string, asOf: string): Promise<ExitCode> {
  const config = loadConfigFor(context, { destinations: [to] });
  const client = await openApiClient(context, config, to);
  try {
    const { report, changes } = await withBooksFor(config, { forReading: true }, (books) =>
      tieOutWithDestination(books, config, { client, asOf }),
    );
    if (context.json)
      writeJson(context, changes.length === 0 ? report : { ...report, clean: false, closedPeriodChanges: changes });
    else context.stdout.write(context.redact(renderTieOutWith(client.name, report, changes)));
    return report.clean && changes.length === 0 ? EXIT.ok : EXIT.attention;
  } finally {
    await client.close();
  }
}
