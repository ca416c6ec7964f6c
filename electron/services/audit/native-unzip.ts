// Reads a bundle zip with node:zlib (native inflate, CRC-32 checked): the CLI's fast path; core's fflate reader is
// the portable one the browser uses, and both give the same files.
import { crc32, inflateRawSync } from 'node:zlib';
import { isBundlePath } from '../../../core/audit/bundle-assemble.ts';
import type { UnzippedBundle } from '../../../core/audit/bundle-assemble.ts';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export const unzipBundleNative = (
  zip: Uint8Array,
  limits: { readonly maxTotalBytes: number } = { maxTotalBytes: 16 * 2 ** 30 },
): { ok: true; value: UnzippedBundle } | { ok: false; error: string } => {
  const data = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const bad = (error: string): { ok: false; error: string } => ({
    ok: false,
    error: `not a readable zip file (${error})`,
  });
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--)
    if (data.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  if (eocd < 0) return bad('no end of central directory');
  const count = data.readUInt16LE(eocd + 10);
  const directoryOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) return bad('ZIP64 archives are not supported');
  const files = new Map<string, Uint8Array>();
  const unexpected: string[] = [];
  let total = 0;
  let at = directoryOffset;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let i = 0; i < count; i++) {
      if (data.readUInt32LE(at) !== CENTRAL) return bad('broken central directory');
      const method = data.readUInt16LE(at + 10);
      const crc = data.readUInt32LE(at + 16);
      const compressedSize = data.readUInt32LE(at + 20);
      const size = data.readUInt32LE(at + 24);
      const nameLength = data.readUInt16LE(at + 28);
      const skip = nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
      const local = data.readUInt32LE(at + 42);
      const name = decoder.decode(data.subarray(at + 46, at + 46 + nameLength));
      at += 46 + skip;
      if (name.endsWith('/')) continue;
      if (!isBundlePath(name)) {
        unexpected.push(name);
        continue;
      }
      total += size;
      if (total > limits.maxTotalBytes)
        return { ok: false, error: `the bundle unpacks to more than ${limits.maxTotalBytes} bytes` };
      if (data.readUInt32LE(local) !== LOCAL) return bad(`no local header for ${name}`);
      const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
      const raw = data.subarray(start, start + compressedSize);
      if (raw.length !== compressedSize) return bad(`${name} is cut short`);
      let content: Buffer;
      if (method === 0) content = raw;
      else if (method === 8) content = inflateRawSync(raw);
      else return bad(`${name} uses compression method ${method}`);
      if (content.length !== size || crc32(content) !== crc)
        return bad(`${name} fails its CRC-32 (damaged in transit)`);
      files.set(name, new Uint8Array(content.buffer, content.byteOffset, content.byteLength));
    }
  } catch (error) {
    return bad(error instanceof Error ? error.message : String(error));
  }
  return { ok: true, value: { files, unexpected } };
};
