import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { printable } from '../../log/index.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { checkSources, sourcesTable } from '../../pipeline/operations/index.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadConfigFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';

export const sourcesCommand: Command = withFlags({
  usage: 'ledgerline sources test [ID ...] [--json]',
  arguments: 'test [ID ...]',
  flags: z.object({}),
  examples: [
    'ledgerline sources test                  # one read-only call to every configured source, as a table',
    'ledgerline sources test panel-3 panel-7  # only these',
    'ledgerline sources test --json           # [{source, kind, status, subject, detail, fix, elapsedMs}]',
  ],
  async run(context) {
    const [verb, ...ids] = context.positionals;
    if (verb !== 'test')
      throw new UsageError(
        `sources takes "test [ID ...]"${verb === undefined ? '' : `, not "${printable(verb)}"`}: ledgerline sources test`,
      );
    const config = loadConfigFor(context, { sources: ids.length === 0 ? 'all' : ids });
    // An id the file lacks is refused by the configuration's own check, with a did-you-mean.
    const sources = ids.length === 0 ? config.sources : config.sources.filter((source) => ids.includes(source.id));
    const checks = await checkSources(sources, {
      timezone: config.timezone,
      clock: context.clock,
      redact: context.redact,
      probes: sourceKinds.of,
    });
    const rows = checks.map((check, index) => ({ source: check.area, kind: sources[index]!.kind, ...check }));
    if (context.json)
      writeJson(
        context,
        rows.map(({ area: _area, ...row }) => row),
      );
    else context.stdout.write(sourcesTable(rows));
    return checks.some((check) => check.status === 'fail') ? EXIT.external : EXIT.ok;
  },
});
