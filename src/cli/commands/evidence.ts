import { rmSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { printable } from '../../log/index.js';
import { entryEvidence, evidenceBooks, evidenceMappings } from '../../pipeline/operations/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import { writeNewFile } from '../output-file.js';
import { refuseBooksFiles } from '../export-file.js';
import { booksFiles } from '../../app/books-files.js';

export const evidenceCommand: Command = withFlags({
  usage: 'ledgerline evidence ENTRY_ID --out FILE [--force] [--json]',
  arguments: 'ENTRY_ID',
  flags: z.object({
    out: flag.requiredText(
      'FILE',
      'the zip file to write (split by day into FILE-part-N-of-M.zip when over 3 MB); a new file: never a folder, a symbolic link or stdout',
      'name the zip file to write the evidence to',
    ),
    force: flag.boolean('replace the file (and its parts) if it exists'),
  }),
  examples: [
    'ledgerline evidence je:smm-panel:2026-03-02 --out march-2.zip   # its replies, events, lines and manifest, for CSV, hledger and Beancount books',
    'ledgerline evidence je:smm-panel:2026-03-02 --out e.zip --json  # the files written and the manifest hash, for a script',
    'ledgerline evidence je:smm-panel:2026-03-02 --out e.zip --force # replace e.zip (never through a symbolic link)',
  ],
  async run(context) {
    const [entryId, ...rest] = context.positionals;
    if (entryId === undefined || rest.length > 0)
      throw new UsageError('evidence takes one entry id: ledgerline evidence ENTRY_ID --out FILE');
    // A zip is bytes a terminal must not be sent: "-" is refused, not taken for stdout nor for a file named "-".
    if (context.flags.out === '-')
      throw new UsageError(
        '--out - : evidence is a zip file, not text for stdout; name the file to write, e.g. --out evidence.zip',
      );
    const config = loadConfigFor(context);
    const mappings = evidenceMappings(config.mappings);
    const evidence = await withBooksFor(config, context.ledger, (books) =>
      entryEvidence({ books: books.of(evidenceBooks), ledger: books.ledger, mappings }, entryId),
    );
    const out = resolve(context.cwd, context.flags.out);
    const paths = evidence.files.map((_, index) =>
      evidence.files.length === 1 ? out : partPath(out, index + 1, evidence.files.length),
    );
    // Before any part is written: --force replaces a file, never one the books depend on (issue 84).
    for (const path of paths) refuseBooksFiles(path, booksFiles(config), 'evidence.zip');
    const files: { file: string; bytes: number; name: string }[] = [];
    try {
      for (const [index, file] of evidence.files.entries()) {
        const path = paths[index]!;
        writeNewFile(path, file.bytes, { what: '--out', force: context.flags.force });
        files.push({ file: path, bytes: file.bytes.length, name: file.fileName });
      }
    } catch (error) {
      // All the parts or none: a part that could not be written takes those before it away.
      for (const written of files) rmSync(written.file, { force: true });
      throw error;
    }
    if (context.json) writeJson(context, { entryId, manifestSha256: evidence.manifestSha256, files });
    else
      context.stdout.write(
        [
          `evidence of ${printable(entryId)}: manifest sha256:${evidence.manifestSha256}`,
          ...files.map((file) => `  ${file.file} (${file.bytes} bytes)`),
          '',
        ].join('\n'),
      );
    return EXIT.ok;
  },
});

/** out.zip → out-part-2-of-3.zip. */
function partPath(out: string, part: number, parts: number): string {
  const extension = extname(out);
  return `${out.slice(0, out.length - extension.length)}-part-${part}-of-${parts}${extension}`;
}
