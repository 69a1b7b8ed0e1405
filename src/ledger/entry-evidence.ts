import { hash } from 'node:crypto';
import { EvidenceTooLargeError } from '../errors.js';
import type { SourceEvent } from '../rules/index.js';
import { storedZip, ZIP_END_BYTES, zipMemberOverhead, type ZipMember } from './stored-zip.js';

/**
 * What the books hold of one posted journal's making (issue 42, item 4), as the evidence port reads it: the
 * entry as booked, the lines its destinations receive, the source's events and its replies as received (with
 * the hashes stored when they landed), and the source's own figures for the day (the tie-out's first leg).
 * Nothing a post writes is in it: the manifest's hash travels inside the journal, so it is known before the post.
 */
export interface EvidenceRecord {
  entry: {
    id: string;
    date: string;
    sourceId: string;
    description: string;
    eventIds: readonly string[];
    contentHash: string;
    chainHash: string | null;
    lines: readonly { account: string; currency: string; amountMicros: bigint; description: string | null }[];
  };
  /** The cents each destination receives, rounding lines included, in line order. */
  renderedLines: readonly { account: string; currency: string; cents: bigint; description: string | null }[];
  /** The source's events behind the entry, each detail as the JSON text stored. */
  events: readonly (Omit<SourceEvent, 'sourceId' | 'detail'> & { detail: string })[];
  replies: readonly {
    id: string;
    action: string;
    request: string;
    asOf: string;
    fetchedAt: string;
    httpStatus: number;
    contentHash: string;
    body: string;
  }[];
  /** The source's close figures for the entry's date: what the ledger tied the entry to. */
  closes: readonly { metric: string; valueMicros: bigint; currency: string; replyId: string | null }[];
}

/** A mapping the lines were mapped through: the chart or a destination's file, by its SHA-256, and what it maps this entry's accounts to. */
export interface EvidenceMapping {
  name: string;
  file: string;
  sha256: string;
  accounts: Readonly<Record<string, unknown>>;
}

interface EvidenceFile {
  fileName: string;
  bytes: Buffer;
}

export interface Evidence {
  /** SHA-256 of manifest.json, the same in every part: what the journal's narration or note carries. */
  manifestSha256: string;
  files: EvidenceFile[];
}

/** Under the smaller of the two per-file limits the sources give for Xero (3 MB; bank-side-facts.md §2), with room to spare. */
export const EVIDENCE_LIMIT_BYTES = 3_000_000;

/** The members every part holds, whatever its replies. */
const COMMON = ['entry.json', 'events.json', 'lines.json', 'tie-out.json', 'replies.json'] as const;

/**
 * The evidence of one entry: zip files (stored-zip.ts: fixed times, members in a fixed order) of JSON members and
 * each reply's body as received, with manifest.json naming every member's SHA-256, size and part. Nothing in it
 * depends on the clock or the machine, so rebuilding it from the same books gives the same bytes.
 * When it would pass `limitBytes` it is split by day: each part holds the common members, the manifest (the same
 * in every part) and the replies of whole days, in day order; a day too large for one part is spread over several.
 * Example: replies of 03-01 (1.2 MB) and 03-02 (2.1 MB) under 3 MB → part 1 holds 03-01, part 2 holds 03-02.
 */
export function buildEvidence(
  record: EvidenceRecord,
  mappings: readonly EvidenceMapping[],
  limitBytes = EVIDENCE_LIMIT_BYTES,
): Evidence {
  const bodies = replyBodies(record);
  const common = commonMembers(record, mappings, bodies);
  const reserve = manifestText(
    record.entry,
    common,
    bodies,
    bodies.map(() => 9999),
    9999,
  ).length;
  const fixed =
    ZIP_END_BYTES +
    zipMemberOverhead('manifest.json') +
    reserve +
    common.reduce((sum, member) => sum + sizeInZip(member), 0);
  if (fixed > limitBytes) throw new EvidenceTooLargeError(record.entry.id, COMMON.join(', '), fixed, limitBytes);
  const partOf = packByDay(record.entry.id, bodies, limitBytes - fixed);
  const parts = Math.max(1, ...partOf);
  const manifest = Buffer.from(manifestText(record.entry, common, bodies, partOf, parts));
  const files: EvidenceFile[] = [];
  for (let part = 1; part <= parts; part += 1) {
    const members = [
      { name: 'manifest.json', bytes: manifest },
      ...common,
      ...bodies.filter((_, index) => partOf[index] === part),
    ];
    const bytes = storedZip(members);
    if (bytes.length > limitBytes)
      throw new EvidenceTooLargeError(record.entry.id, `part ${part}`, bytes.length, limitBytes);
    files.push({ fileName: evidenceFileName(record.entry.id, part, parts), bytes });
  }
  return { manifestSha256: sha256(manifest), files };
}

/** evidence-je-smm-panel-2026-03-02.zip, or …-part-2-of-3.zip: the entry id in the characters every file system and vendor takes. */
function evidenceFileName(entryId: string, part: number, parts: number): string {
  const name = `evidence-${entryId.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
  return parts === 1 ? `${name}.zip` : `${name}-part-${part}-of-${parts}.zip`;
}

interface ReplyBody extends ZipMember {
  day: string;
  reply: EvidenceRecord['replies'][number];
}

function commonMembers(
  record: EvidenceRecord,
  mappings: readonly EvidenceMapping[],
  bodies: readonly ReplyBody[],
): ZipMember[] {
  const { entry } = record;
  // Each object is written field by field, so the bytes never follow the order a reader happened to build it in.
  const values: Record<(typeof COMMON)[number], unknown> = {
    'entry.json': {
      id: entry.id,
      date: entry.date,
      sourceId: entry.sourceId,
      description: entry.description,
      eventIds: entry.eventIds,
      contentHash: entry.contentHash,
      chainHash: entry.chainHash,
      lines: entry.lines.map((line, index) => ({
        lineNo: index + 1,
        account: line.account,
        currency: line.currency,
        amountMicros: line.amountMicros.toString(),
        description: line.description,
      })),
    },
    'events.json': record.events.map((e) => ({
      id: e.id,
      kind: e.kind,
      date: e.date,
      currency: e.currency,
      amountMicros: e.amountMicros.toString(),
      ref: e.ref,
      detail: e.detail,
    })),
    'lines.json': {
      mappings: mappings.map((m) => ({ name: m.name, file: m.file, sha256: m.sha256, accounts: m.accounts })),
      rendered: record.renderedLines.map((line) => ({
        account: line.account,
        currency: line.currency,
        cents: line.cents.toString(),
        description: line.description,
      })),
    },
    'tie-out.json': {
      closes: record.closes.map((c) => ({
        metric: c.metric,
        valueMicros: c.valueMicros.toString(),
        currency: c.currency,
        replyId: c.replyId,
      })),
    },
    'replies.json': bodies.map(({ reply: r }) => ({
      id: r.id,
      action: r.action,
      request: r.request,
      asOf: r.asOf,
      fetchedAt: r.fetchedAt,
      httpStatus: r.httpStatus,
      contentHash: r.contentHash,
      member: replyMemberName(r),
    })),
  };
  return COMMON.map((name) => ({ name, bytes: jsonBytes(values[name]) }));
}

/** Each reply's body as received, in day and then id order: its SHA-256 in the manifest is the content hash stored when it landed. */
function replyBodies(record: EvidenceRecord): ReplyBody[] {
  return [...record.replies]
    .sort((a, b) => (a.asOf === b.asOf ? compareIds(a.id, b.id) : a.asOf < b.asOf ? -1 : 1))
    .map((reply) => ({ name: replyMemberName(reply), bytes: Buffer.from(reply.body, 'utf8'), day: reply.asOf, reply }));
}

/** Reply ids are the landing's row numbers, as decimal text: 9 before 10. */
function compareIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}

function replyMemberName(reply: { asOf: string; id: string }): string {
  return `replies/${reply.asOf}/${reply.id}.txt`;
}

/**
 * The part of each reply body: whole days fill a part while they fit in `capacity` bytes; a day that does not
 * fit starts the next part, and one larger than a part goes reply by reply. A single reply larger than a part is refused.
 */
function packByDay(entryId: string, bodies: readonly ReplyBody[], capacity: number): number[] {
  const partOf: number[] = [];
  let part = 1;
  let used = 0;
  for (let start = 0; start < bodies.length;) {
    let end = start;
    while (end < bodies.length && bodies[end]!.day === bodies[start]!.day) end += 1;
    const day = bodies.slice(start, end);
    const daySize = day.reduce((sum, body) => sum + sizeInZip(body), 0);
    if (used > 0 && used + daySize > capacity) [part, used] = [part + 1, 0];
    for (const body of day) {
      const size = sizeInZip(body);
      if (size > capacity) throw new EvidenceTooLargeError(entryId, body.name, size, capacity);
      if (used + size > capacity) [part, used] = [part + 1, 0];
      partOf.push(part);
      used += size;
    }
    start = end;
  }
  return partOf;
}

/** The manifest: each member's name, SHA-256, size and part ('every' for the common ones), in the order the parts hold them. */
function manifestText(
  entry: EvidenceRecord['entry'],
  common: readonly ZipMember[],
  bodies: readonly ZipMember[],
  partOf: readonly number[],
  parts: number,
): string {
  const members = [
    ...common.map((member) => ({
      name: member.name,
      sha256: sha256(member.bytes),
      bytes: member.bytes.length,
      part: 'every' as const,
    })),
    ...bodies.map((member, index) => ({
      name: member.name,
      sha256: sha256(member.bytes),
      bytes: member.bytes.length,
      part: partOf[index]!,
    })),
  ];
  return jsonText({ format: 'ledgerline-evidence/1', entryId: entry.id, chainHash: entry.chainHash, parts, members });
}

function sizeInZip(member: ZipMember): number {
  return zipMemberOverhead(member.name) + member.bytes.length;
}

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(jsonText(value), 'utf8');
}

function sha256(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}
