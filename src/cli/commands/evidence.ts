import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { printable } from '../../log/printable.js';
import { entryEvidence, evidenceMappings } from '../../pipeline/operations/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor, writeJson } from '../load.js';

export const evidenceCommand: Command = withFlags({
  usage: 'ledgerline evidence ENTRY_ID --out FILE [--json]',
  arguments: 'ENTRY_ID',
  flags: z.object({
    out: flag.requiredText('FILE', 'the zip file to write (split by day into FILE-part-N-of-M.zip when over 3 MB)', 'name the zip file to write the evidence to'),
  }),
  examples: [
    'ledgerline evidence je:smm-panel:2026-03-02 --out march-2.zip   # its replies, events, lines and manifest, for CSV, hledger and Beancount books',
    'ledgerline evidence je:smm-panel:2026-03-02 --out e.zip --json  # the files written and the manifest hash, for a script',
  ],
  async run(context) {
    const [entryId, ...rest] = context.positionals;
    if (entryId === undefined || rest.length > 0) throw new UsageError('evidence takes one entry id: ledgerline evidence ENTRY_ID --out FILE');
    const config = loadConfigFor(context);
    const mappings = evidenceMappings(config.mappings);
    const evidence = await withBooksFor(config, { forReading: true }, (books) => entryEvidence({ books: books.evidenceBooks, ledger: books.ledger, mappings }, entryId));
    const out = resolve(context.cwd, context.flags.out);
    const files = evidence.files.map((file, index) => {
      const path = evidence.files.length === 1 ? out : partPath(out, index + 1, evidence.files.length);
      writeFileSync(path, file.bytes);
      return { file: path, bytes: file.bytes.length, name: file.fileName };
    });
    if (context.json) writeJson(context, { entryId, manifestSha256: evidence.manifestSha256, files });
    else context.stdout.write([`evidence of ${printable(entryId)}: manifest sha256:${evidence.manifestSha256}`, ...files.map((file) => `  ${file.file} (${file.bytes} bytes)`), ''].join('\n'));
    return EXIT.ok;
  },
});

/** out.zip → out-part-2-of-3.zip. */
function partPath(out: string, part: number, parts: number): string {
  const extension = extname(out);
  return `${out.slice(0, out.length - extension.length)}-part-${part}-of-${parts}${extension}`;
}
