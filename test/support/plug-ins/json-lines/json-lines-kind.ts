import { finished } from 'node:stream/promises';
import { z } from 'zod';
import type { DestinationKind } from '../../../../src/destinations/index.js';
import { jsonLinesRecord } from './json-lines-record.js';

/** `destinations.json-lines` in ledgerline.yaml: whether entries with no line to deliver (every line rounds to 0.00) are kept. */
const jsonLinesSection = z.strictObject({ keepEmptyEntries: z.boolean().default(false) });

/**
 * A destination added from docs/adding-a-destination.md as a folder of its own (this one: the bundle and the record
 * it writes), registered in one line: newline-delimited JSON, one journal entry a line, in the chart's accounts.
 */
export const jsonLinesDestination: DestinationKind = {
  name: 'json-lines',
  config: { kind: 'json-lines', sectionSchema: jsonLinesSection },
  exportFormat: {
    description: 'newline-delimited JSON, one journal entry a line (a test plug-in in a folder of its own)',
    fileExtension: 'jsonl',
    async write(reads, request, out, endOut) {
      const { from, to, config } = request;
      const { keepEmptyEntries } = jsonLinesSection.parse(config.destinations['json-lines'] ?? {});
      let entries = 0;
      for await (const entry of reads.journal.renderedEntries({ from, to })) {
        if (entry.lines.length === 0 && !keepEmptyEntries) continue;
        out.write(`${jsonLinesRecord(entry)}\n`);
        entries += 1;
      }
      if (endOut) {
        out.end();
        await finished(out);
      }
      return `${entries} entries`;
    },
  },
};
