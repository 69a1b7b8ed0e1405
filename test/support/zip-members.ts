import { crc32 } from 'node:zlib';

/**
 * The members of a stored (uncompressed) zip, read from its local headers in order, each checked against its CRC,
 * and the central directory's count checked against them: enough to read back what stored-zip.ts writes.
 */
export function zipMembers(zip: Buffer): Map<string, Buffer> {
  const members = new Map<string, Buffer>();
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    if (zip.readUInt16LE(at + 8) !== 0) throw new Error(`member at ${at} is compressed`);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const bytes = zip.subarray(at + 30 + nameLength, at + 30 + nameLength + size);
    if (crc32(bytes) !== zip.readUInt32LE(at + 14)) throw new Error(`${name}: CRC does not match`);
    members.set(name, Buffer.from(bytes));
    at += 30 + nameLength + size;
  }
  const end = zip.length - 22;
  if (
    zip.readUInt32LE(end) !== 0x06054b50 ||
    zip.readUInt16LE(end + 10) !== members.size ||
    zip.readUInt32LE(end + 16) !== at
  )
    throw new Error('the end record does not match the members');
  return members;
}
