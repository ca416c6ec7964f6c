// Reads a bundle zip with node:zlib (native inflate, capped at each member's declared size, CRC-32 checked): the CLI's
// fast path. The zip's structure is judged by core's strict reader (bundle-zip.ts), the same one the browser uses.
import { crc32, inflateRawSync } from 'node:zlib';
import { readBundleZip } from '../../../core/audit/bundle-zip.ts';
import type { InflateOutcome, ZipInflatePort, ZipReadResult } from '../../../core/audit/bundle-zip.ts';

/** zlib stops as soon as its output passes maxOutputLength (it works in 16 KiB steps), so a bomb is cut short. */
const inflateCappedNative = (compressed: Uint8Array, declaredSize: number): InflateOutcome => {
  let content: Buffer;
  try {
    content = inflateRawSync(compressed, { maxOutputLength: Math.max(1, declaredSize) });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, problem: 'past-declared' };
    return { ok: false, problem: 'corrupt', detail: error instanceof Error ? error.message : String(error) };
  }
  if (content.length > declaredSize) return { ok: false, problem: 'past-declared' };
  if (content.length < declaredSize) return { ok: false, problem: 'short' };
  return { ok: true, bytes: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) };
};

export const NATIVE_ZIP_INFLATE: ZipInflatePort = { inflate: inflateCappedNative, crc32: (bytes) => crc32(bytes) };

export const unzipBundleNative = (zip: Uint8Array, limits: { readonly maxTotalBytes?: number } = {}): ZipReadResult =>
  readBundleZip(zip, { ...limits, inflate: NATIVE_ZIP_INFLATE });
