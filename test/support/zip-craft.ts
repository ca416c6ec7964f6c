// Writes zip files byte by byte, as an attacker would: duplicate names, local headers that disagree with the central
// directory, sizes that lie, members that inflate far past what they declare.
import { crc32, deflateRawSync, constants } from 'node:zlib';

export type CraftedMember = {
  /** The name in the central directory. */
  readonly name: string;
  /** The content, stored or deflated as `method` says (ignored when `raw` is given). */
  readonly data?: Uint8Array;
  readonly method?: 0 | 8;
  /** The member's compressed bytes exactly as written (a hand-made deflate stream). */
  readonly raw?: Uint8Array;
  /** The uncompressed size both headers declare (default: the content's length). */
  readonly declaredSize?: number;
  readonly crc?: number;
  /** The name in the local header, when it should differ from the central directory's. */
  readonly localName?: string;
  /** Write sizes and CRC in a data descriptor after the data (local header zeroes), as streaming zip tools do. */
  readonly descriptor?: boolean;
};

const u16 = (value: number): Buffer => {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
};
const u32 = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
};

/** A zip of these members in this order, as zip writers lay it out (local headers, central directory, end record). */
export const craftZip = (members: readonly CraftedMember[]): Uint8Array => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const data = member.data ?? new Uint8Array(0);
    const method = member.method ?? 8;
    const raw = member.raw ?? (method === 8 ? deflateRawSync(data) : data);
    const crc = member.crc ?? crc32(data);
    const size = member.declaredSize ?? data.length;
    const name = Buffer.from(member.name, 'utf8');
    const localName = Buffer.from(member.localName ?? member.name, 'utf8');
    const flags = member.descriptor ? 0x0808 : 0x0800;
    const common = (nameLength: number, sizes: boolean): Buffer[] => [
      u16(flags),
      u16(method),
      u16(0),
      u16(0x21),
      u32(sizes ? crc : 0),
      u32(sizes ? raw.length : 0),
      u32(sizes ? size : 0),
      u16(nameLength),
      u16(0),
    ];
    const descriptor = member.descriptor
      ? Buffer.concat([u32(0x08074b50), u32(crc), u32(raw.length), u32(size)])
      : Buffer.alloc(0);
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(20),
      ...common(localName.length, !member.descriptor),
      localName,
      raw,
      descriptor,
    ]);
    centrals.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(20),
        u16(20),
        ...common(name.length, true),
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(offset),
        name,
      ]),
    );
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(members.length),
    u16(members.length),
    u32(directory.length),
    u32(offset),
    u16(0),
  ]);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
};

/** The members of a bundle's files, deflated, in the map's order. */
export const membersOf = (files: ReadonlyMap<string, Uint8Array>): CraftedMember[] =>
  [...files].map(([name, data]) => ({ name, data }));

/**
 * A raw deflate stream that inflates to `mebibytes` MiB of zeros from about a thousandth of that: one fully flushed
 * block of 1 MiB of zeros (byte-aligned, independent of what came before) repeated, then an empty final block.
 */
export const zeroBomb = (mebibytes: number): Uint8Array => {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const parts: Buffer[] = [];
  for (let i = 0; i < mebibytes; i++) parts.push(block);
  parts.push(Buffer.from([0x03, 0x00]));
  return new Uint8Array(Buffer.concat(parts));
};
