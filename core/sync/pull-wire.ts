// The pull reply, format 2 (decision 0280): binary entries instead of JSON with base64. A device asks for it with
// `format=2` in the (signed) pull target; without it the hub answers format 1, JSON. The layout:
//
//   "PPL2" ‖ u32 header length ‖ header (UTF-8 JSON: origin, from, to, size, checkpoint, personalData)
//          ‖ for each entry of [from, to): u8 kind ‖ kind 0: u32 length ‖ the entry's canonical bytes
//                                                    kind 1: the 32-byte leaf hash of an entry the hub withholds
//
// Integers are big-endian. The header is zod-checked by the device (the same fields as format 1 less `entries`); the
// entries are checked by their hashes against the mirror checkpoint's root, as in format 1.
import { utf8Bytes, utf8TextStrict } from '../audit/bytes.ts';

export const PULL_FORMAT_2 = 2;
export const PULL_V2_CONTENT_TYPE = 'application/vnd.perimeter.pull.v2';
const MAGIC = utf8Bytes('PPL2');
const LEAF_HASH_BYTES = 32;

export type PullV2Entry = { readonly bytes: Uint8Array } | { readonly withheld: Uint8Array };

/** Formats a reply; `header` is any JSON value the caller built (its fields are the contract, checked by the device). */
export const formatPullV2 = (header: unknown, entries: readonly PullV2Entry[]): Uint8Array => {
  const head = utf8Bytes(JSON.stringify(header));
  let length = MAGIC.length + 4 + head.length;
  for (const entry of entries) length += 'bytes' in entry ? 1 + 4 + entry.bytes.length : 1 + LEAF_HASH_BYTES;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, head.length);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const entry of entries) {
    if ('bytes' in entry) {
      out[at] = 0;
      view.setUint32(at + 1, entry.bytes.length);
      out.set(entry.bytes, at + 5);
      at += 5 + entry.bytes.length;
    } else {
      if (entry.withheld.length !== LEAF_HASH_BYTES) throw new RangeError('a leaf hash is 32 bytes');
      out[at] = 1;
      out.set(entry.withheld, at + 1);
      at += 1 + LEAF_HASH_BYTES;
    }
  }
  return out;
};

export type ParsedPullV2 = { readonly header: unknown; readonly entries: PullV2Entry[] };

/**
 * Reads a reply: the header as parsed JSON (for the caller's schema), then exactly `count` entries, which must end the
 * body. Entries are views into `body`, not copies.
 */
export const parsePullV2 = (
  body: Uint8Array,
  count: (header: unknown) => number | null,
): { ok: true; value: ParsedPullV2 } | { ok: false; error: string } => {
  if (body.length < 8 || !MAGIC.every((byte, i) => body[i] === byte))
    return { ok: false, error: 'not a format 2 pull reply' };
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const headLength = view.getUint32(4);
  if (8 + headLength > body.length) return { ok: false, error: 'the body ends inside the header' };
  const text = utf8TextStrict(body.subarray(8, 8 + headLength));
  if (text === null) return { ok: false, error: 'the header is not UTF-8' };
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the header is not JSON' };
  }
  const expected = count(header);
  if (expected === null) return { ok: true, value: { header, entries: [] } };
  const entries: PullV2Entry[] = [];
  let at = 8 + headLength;
  for (let i = 0; i < expected; i++) {
    const kind = body[at];
    if (kind === 0 && at + 5 <= body.length) {
      const length = view.getUint32(at + 1);
      if (at + 5 + length > body.length) return { ok: false, error: `entry ${i}: the body ends inside it` };
      entries.push({ bytes: body.subarray(at + 5, at + 5 + length) });
      at += 5 + length;
    } else if (kind === 1 && at + 1 + LEAF_HASH_BYTES <= body.length) {
      entries.push({ withheld: body.subarray(at + 1, at + 1 + LEAF_HASH_BYTES) });
      at += 1 + LEAF_HASH_BYTES;
    } else return { ok: false, error: `entry ${i}: ${kind === undefined ? 'missing' : 'a bad kind or a short body'}` };
  }
  if (at !== body.length) return { ok: false, error: `${body.length - at} bytes after the last entry` };
  return { ok: true, value: { header, entries } };
};
