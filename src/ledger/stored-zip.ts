import { crc32 } from 'node:zlib';

/** One file inside an archive: its name (forward slashes) and its bytes. */
export interface ZipMember {
  name: string;
  bytes: Uint8Array;
}

/** The fixed time every member carries: 1980-01-01 00:00, the first a zip can say, as MS-DOS date 0x0021 and time 0. */
const DOS_DATE = 0x0021;
/** General-purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;
const VERSION = 20;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;

/** The bytes a member takes in an archive beyond its own: its local header, its central header and its name twice. */
export function zipMemberOverhead(name: string): number {
  return LOCAL_HEADER + CENTRAL_HEADER + 2 * Buffer.byteLength(name, 'utf8');
}

/** The bytes an archive takes beyond its members' (the end record). */
export const ZIP_END_BYTES = END_RECORD;

/**
 * A zip archive of `members`, in the order given, each stored (method 0, not compressed) with a fixed time and
 * no extra fields, so the same members always give the same bytes, on any machine and any zlib: deflate's output
 * is not promised to be the same across zlib versions, a stored member's is its input. Evidence is JSON text and
 * the replies as received, small enough under the destinations' 3 MB that compression buys nothing that matters.
 * Example: one member "a.txt" holding "hi" → 30 + 5 + 2 + 46 + 5 + 22 = 110 bytes.
 */
export function storedZip(members: readonly ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const name = Buffer.from(member.name, 'utf8');
    const fields = { crc: crc32(member.bytes), size: member.bytes.length, nameLength: name.length };
    const local = Buffer.alloc(LOCAL_HEADER);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommon(local, 4, fields);
    locals.push(local, name, Buffer.from(member.bytes.buffer, member.bytes.byteOffset, member.bytes.length));
    const central = Buffer.alloc(CENTRAL_HEADER);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION, 4);
    writeCommon(central, 6, fields);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += LOCAL_HEADER + name.length + member.bytes.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(END_RECORD);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The fields a local and a central header share, from `at`: version needed, flags, method, time, date, CRC, sizes, name length. */
function writeCommon(header: Buffer, at: number, fields: { crc: number; size: number; nameLength: number }): void {
  header.writeUInt16LE(VERSION, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(0, at + 4);
  header.writeUInt16LE(0, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(fields.crc, at + 10);
  header.writeUInt32LE(fields.size, at + 14);
  header.writeUInt32LE(fields.size, at + 18);
  header.writeUInt16LE(fields.nameLength, at + 22);
}
