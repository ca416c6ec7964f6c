// The verifier worker's inflater: the browser's native DecompressionStream, read chunk by chunk and cancelled as soon as
// a member's output would pass its declared size (so memory stays within what the zip declares, whatever it holds).
import type { AsyncZipInflatePort, InflateOutcome } from '../../../../core/audit/bundle-zip.ts';

export const inflateWithStream = async (compressed: Uint8Array, declaredSize: number): Promise<InflateOutcome> => {
  const out = new Uint8Array(declaredSize);
  let written = 0;
  // The bytes come from File.arrayBuffer(), a plain ArrayBuffer (never shared); the Blob takes its own copy.
  const reader = new Blob([compressed as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (written + value.length > declaredSize) {
        await reader.cancel();
        return { ok: false, problem: 'past-declared' };
      }
      out.set(value, written);
      written += value.length;
    }
  } catch (error) {
    return { ok: false, problem: 'corrupt', detail: error instanceof Error ? error.message : String(error) };
  }
  return written < declaredSize ? { ok: false, problem: 'short' } : { ok: true, bytes: out };
};

export const STREAM_ZIP_INFLATE: AsyncZipInflatePort = { inflate: inflateWithStream, crc32: null };
