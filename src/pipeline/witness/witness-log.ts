import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { ConfigError, messageOf } from '../../errors.js';
import { cleanRead } from '../../log/index.js';

/** Where the witness is kept: its file, and the URL witness when the configuration names one. */
export type WitnessPlace = Config['witness'];

/**
 * A record's text, read back from a file or a URL anyone may have written: a control or bidirectional character
 * (which `verify` would hand a terminal; cleanRead would replace it) makes the line no witness record.
 */
const TEXT = z.string().refine((text) => cleanRead(text) === text, 'holds a control character');
const HASH = z.string().regex(/^[0-9a-f]{64}$/);
const HEAD = { position: z.number().int().nonnegative(), entryId: TEXT, hash: HASH };
const WHEN = { at: TEXT, date: TEXT, command: TEXT, runId: TEXT.optional() };

/**
 * What the witness keeps, one JSON object a line: each head of the chain a run left, each certificate, each restore,
 * and each VAT return filed (`vat file`: its period, the return's SHA-256 and the seals' head with its row sealed),
 * which moves no chain head, so only this record holds it outside the ledger.
 */
export const WITNESS_RECORD = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('head'), ...WHEN, ...HEAD }),
  z.strictObject({ kind: z.literal('certificate'), ...WHEN, period: TEXT, sha256: HASH }),
  z.strictObject({
    kind: z.literal('filing'),
    ...WHEN,
    period: TEXT,
    sha256: HASH,
    sealsHead: z.strictObject({ position: z.number().int().nonnegative(), link: HASH }),
  }),
  z.strictObject({
    kind: z.literal('restore'),
    ...WHEN,
    ...HEAD,
    from: TEXT,
    reason: TEXT,
    by: TEXT,
    removed: z.strictObject({
      entries: z.array(z.strictObject({ id: TEXT, date: TEXT, sourceId: TEXT })),
      deliveries: z.array(z.strictObject({ entryId: TEXT, destination: TEXT, remoteId: TEXT })),
      acknowledgements: z.array(TEXT),
    }),
  }),
]);
export type WitnessRecord = z.output<typeof WITNESS_RECORD>;

/** The witness as read: its records, or why it could not be read (missing, or a line that is not a record). */
export type WitnessRead = { file: string; records: WitnessRecord[]; unread?: string };

/**
 * The place checked before anything is witnessed there: a witness file inside the ledger's own folder would be
 * put back with a copy of that folder, and witness nothing. Example: ledger data/ledger.sqlite, witness.file
 * data/witness.jsonl → refused (exit 2) naming both.
 */
export function checkedWitnessPlace(place: WitnessPlace): WitnessPlace {
  const inside = place.ledgerFolder !== undefined && isInside(place.file, place.ledgerFolder);
  if (inside)
    throw new ConfigError([
      {
        file: place.configFile,
        path: 'witness.file',
        message:
          `${place.file} is inside the ledger's folder ${place.ledgerFolder ?? ''}: a copy of that folder put back ` +
          'would bring its witness back with it; name a file on another path (another disk or a mounted share)',
      },
    ]);
  return place;
}

function isInside(file: string, folder: string): boolean {
  const path = relative(folder, file);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/** Every record of the witness file; a missing file, or a line that is not a record, is said in `unread`. */
export function readWitness(place: WitnessPlace): WitnessRead {
  const { file } = place;
  if (!existsSync(file)) return { file, records: [], unread: `${file} does not exist` };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { file, records: [], unread: `${file} could not be read (${messageOf(error)})` };
  }
  const records: WitnessRecord[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    const record = WITNESS_RECORD.safeParse(parsed);
    if (!record.success) return { file, records, unread: `line ${index + 1} of ${file} is not a witness record` };
    records.push(record.data);
  }
  return { file, records };
}

/** Appends records to the witness, each a line, and syncs the file to disk before returning. */
export function appendWitness(place: WitnessPlace, records: readonly WitnessRecord[]): void {
  if (records.length === 0) return;
  checkedWitnessPlace(place);
  mkdirSync(dirname(place.file), { recursive: true });
  const fd = openSync(place.file, 'a', 0o600);
  try {
    writeSync(fd, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
