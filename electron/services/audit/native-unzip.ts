// Reads a bundle zip with node:zlib (native inflate, capped at each member's declared size, CRC-32 checked): the CLI's
// fast path. The zip's structure is judged by core's strict reader (bundle-zip.ts), the same one the browser uses.
import { createInflateRaw, crc32, inflateRawSync } from 'node:zlib';
import { readBundleZip, readBundleZipAsync } from '../../../core/audit/bundle-zip.ts';
import type {
  AsyncZipInflatePort,
  InflateOutcome,
  ZipInflatePort,
  ZipReadResult,
} from '../../../core/audit/bundle-zip.ts';

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

const STREAM_CHUNK_BYTES = 1 << 20;

/**
 * Inflates on libuv's thread pool, streaming each piece straight into shared memory of the declared size (which the
 * verifier's worker threads then read without a copy), with the CRC-32 taken piece by piece on the way. Stops as
 * soon as the output would pass the declared size.
 */
/** Told of one member's bytes while they arrive: the buffer they go to, how many have arrived, and the end. */
export type InflateWatcher = {
  readonly start: (out: Uint8Array) => void;
  readonly arrived: (out: Uint8Array, written: number) => void;
  /** Every declared byte arrived, with the right CRC-32 or not (the zip reader judges it). */
  readonly inflated: (out: Uint8Array) => void;
};

const inflateStreamingNative = (
  compressed: Uint8Array,
  declaredSize: number,
  watcher: InflateWatcher | null = null,
): Promise<InflateOutcome> =>
  new Promise((resolve) => {
    const out = new Uint8Array(new SharedArrayBuffer(declaredSize));
    watcher?.start(out);
    let written = 0;
    let crc = 0;
    let settled = false;
    const settle = (outcome: InflateOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const inflater = createInflateRaw({ chunkSize: STREAM_CHUNK_BYTES });
    // Each piece is copied, its CRC-32 taken and the watcher told on a later turn of the event loop: by then zlib has
    // started on the next piece, so the inflating thread does not wait for this one (zlib hands out a fresh buffer
    // for every full piece, so a piece held until then stays as it was).
    let received = 0;
    const pending: Buffer[] = [];
    let draining = false;
    const drain = (): void => {
      draining = false;
      if (settled) return;
      for (const piece of pending) {
        out.set(piece, written);
        crc = crc32(piece, crc);
        written += piece.length;
      }
      pending.length = 0;
      watcher?.arrived(out, written);
    };
    inflater.on('data', (piece: Buffer) => {
      if (settled) return;
      if (received + piece.length > declaredSize) {
        settle({ ok: false, problem: 'past-declared' });
        inflater.destroy();
        return;
      }
      received += piece.length;
      pending.push(piece);
      if (!draining) {
        draining = true;
        setImmediate(drain);
      }
    });
    inflater.on('error', (error) => settle({ ok: false, problem: 'corrupt', detail: error.message }));
    inflater.on('end', () => {
      if (settled) return;
      drain();
      if (written < declaredSize) return settle({ ok: false, problem: 'short' });
      watcher?.inflated(out);
      settle({ ok: true, bytes: out, crc32: crc });
    });
    inflater.end(compressed);
  });

export const NATIVE_ZIP_INFLATE_STREAMING: AsyncZipInflatePort = {
  inflate: (compressed, declaredSize) => inflateStreamingNative(compressed, declaredSize),
  crc32: (bytes) => crc32(bytes),
};

/** The CLI's reader, with `watch` told of the bytes of the members it names while they inflate. */
export const unzipBundleNativeWatched = (
  zip: Uint8Array,
  watch: (name: string, declaredSize: number) => InflateWatcher | null,
  limits: { readonly maxTotalBytes?: number } = {},
): Promise<ZipReadResult> =>
  readBundleZipAsync(zip, {
    ...limits,
    inflate: {
      inflate: (compressed, declaredSize, name) =>
        inflateStreamingNative(compressed, declaredSize, watch(name, declaredSize)),
      crc32: (bytes) => crc32(bytes),
    },
  });

/** The CLI's reader: the members inflated side by side on native threads, into shared memory. */
export const unzipBundleNativeAsync = (
  zip: Uint8Array,
  limits: { readonly maxTotalBytes?: number } = {},
): Promise<ZipReadResult> => readBundleZipAsync(zip, { ...limits, inflate: NATIVE_ZIP_INFLATE_STREAMING });
