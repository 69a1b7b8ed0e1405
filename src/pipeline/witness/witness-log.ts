import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { ConfigError } from '../../errors.js';

/** Where the witness is kept: its file, and the URL witness when the configuration names one. */
export type WitnessPlace = Config['witness'];

const HASH = z.string().regex(/^[0-9a-f]{64}$/);
const HEAD = { position: z.number().int().nonnegative(), entryId: z.string(), hash: HASH };
const WHEN = { at: z.string(), date: z.string(), command: z.string(), runId: z.string().optional() };

/** What the witness keeps, one JSON object a line: each head of the chain a run left, each certificate, each restore. */
export const WITNESS_RECORD = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('head'), ...WHEN, ...HEAD }),
  z.strictObject({ kind: z.literal('certificate'), ...WHEN, period: z.string(), sha256: HASH }),
  z.strictObject({
    kind: z.literal('restore'),
    ...WHEN,
    ...HEAD,
    from: z.string(),
    reason: z.string(),
    by: z.string(),
    removed: z.strictObject({
      entries: z.array(z.strictObject({ id: z.string(), date: z.string(), sourceId: z.string() })),
      deliveries: z.array(z.strictObject({ entryId: z.string(), destination: z.string(), remoteId: z.string() })),
      acknowledgements: z.array(z.string()),
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
  const records: WitnessRecord[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
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
