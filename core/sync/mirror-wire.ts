// The C2SP tlog-mirror add-entries request body: a header, then entry packages aligned at multiples of 256, each with
// a subtree consistency proof to the pending checkpoint; and the text/x.tlog.mirror-info reply of 202 and 409.
import { base64ToBytes, bytesToBase64, utf8Bytes, utf8TextStrict } from '../audit/bytes.ts';
import type { MerkleHash } from '../audit/merkle.ts';

export const PACKAGE_WIDTH = 256;
export const MAX_ENTRY_BYTES = 0xffff;
export const MIRROR_INFO_CONTENT_TYPE = 'text/x.tlog.mirror-info';

export type EntryPackage = {
  readonly start: number;
  readonly end: number;
  readonly entries: readonly Uint8Array[];
  readonly proof: readonly MerkleHash[];
};

export type AddEntriesHeader = {
  readonly origin: string;
  readonly uploadStart: number;
  readonly uploadEnd: number;
  readonly ticket: Uint8Array;
};

/** The canonical sequence of package intervals for [uploadStart, uploadEnd). */
export const packageIntervals = (uploadStart: number, uploadEnd: number): { start: number; end: number }[] => {
  if (uploadStart >= uploadEnd) return [];
  const roundedStart = Math.floor(uploadStart / PACKAGE_WIDTH) * PACKAGE_WIDTH;
  const roundedEnd = Math.ceil(uploadEnd / PACKAGE_WIDTH) * PACKAGE_WIDTH;
  const intervals: { start: number; end: number }[] = [];
  for (let i = 0; i < (roundedEnd - roundedStart) / PACKAGE_WIDTH; i++)
    intervals.push({
      start: Math.max(uploadStart, roundedStart + i * PACKAGE_WIDTH),
      end: Math.min(uploadEnd, roundedStart + (i + 1) * PACKAGE_WIDTH),
    });
  return intervals;
};

/** The first leaf of the subtree a package's proof is about: its start rounded down to the package width. */
export const packageSubtreeStart = (start: number): number => Math.floor(start / PACKAGE_WIDTH) * PACKAGE_WIDTH;

const u16 = (value: number): Uint8Array => Uint8Array.of(value >> 8, value & 0xff);
const u64 = (value: number): Uint8Array => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value));
  return bytes;
};

export const formatAddEntriesHeader = (header: AddEntriesHeader): Uint8Array => {
  const origin = utf8Bytes(header.origin);
  if (origin.length > 0xffff || header.ticket.length > 0xffff) throw new RangeError('origin or ticket too long');
  return concat([
    u16(origin.length),
    origin,
    u64(header.uploadStart),
    u64(header.uploadEnd),
    u16(header.ticket.length),
    header.ticket,
  ]);
};

export const formatEntryPackage = (entryPackage: EntryPackage): Uint8Array => {
  const parts: Uint8Array[] = [];
  for (const entry of entryPackage.entries) {
    if (entry.length > MAX_ENTRY_BYTES) throw new RangeError(`an entry of ${entry.length} bytes is over 65535`);
    parts.push(u16(entry.length), entry);
  }
  if (entryPackage.proof.length > 63) throw new RangeError('more than 63 proof hashes');
  parts.push(Uint8Array.of(entryPackage.proof.length), ...entryPackage.proof);
  return concat(parts);
};

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

export type ParsedAddEntries = {
  readonly header: AddEntriesHeader;
  /** The complete packages in order; bytes after the last complete one are ignored (an interrupted upload). */
  readonly packages: readonly EntryPackage[];
};

/** Reads the header and every complete package; null header fields answer 400. */
export const parseAddEntries = (
  body: Uint8Array,
): { ok: true; value: ParsedAddEntries } | { ok: false; error: string } => {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  const need = (n: number): boolean => at + n <= body.length;
  if (!need(2)) return { ok: false, error: 'the body ends before the origin' };
  const originLength = view.getUint16(at);
  at += 2;
  if (!need(originLength + 18)) return { ok: false, error: 'the body ends inside the header' };
  const origin = utf8TextStrict(body.subarray(at, at + originLength));
  at += originLength;
  if (origin === null || origin.length === 0) return { ok: false, error: 'the origin is not UTF-8 text' };
  const uploadStart = Number(view.getBigUint64(at));
  const uploadEnd = Number(view.getBigUint64(at + 8));
  at += 16;
  if (!Number.isSafeInteger(uploadStart) || !Number.isSafeInteger(uploadEnd) || uploadStart > uploadEnd)
    return { ok: false, error: 'upload_start must not exceed upload_end' };
  const ticketLength = view.getUint16(at);
  at += 2;
  if (!need(ticketLength)) return { ok: false, error: 'the body ends inside the ticket' };
  const ticket = body.slice(at, at + ticketLength);
  at += ticketLength;
  const packages: EntryPackage[] = [];
  for (const interval of packageIntervals(uploadStart, uploadEnd)) {
    const entries: Uint8Array[] = [];
    let complete = true;
    for (let i = interval.start; i < interval.end; i++) {
      if (!need(2)) {
        complete = false;
        break;
      }
      const length = view.getUint16(at);
      if (!need(2 + length)) {
        complete = false;
        break;
      }
      entries.push(body.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    if (!complete || !need(1)) break;
    const hashes = body[at]!;
    if (hashes > 63 || !need(1 + hashes * 32)) break;
    at += 1;
    const proof: MerkleHash[] = [];
    for (let i = 0; i < hashes; i++) proof.push(body.subarray(at + i * 32, at + i * 32 + 32));
    at += hashes * 32;
    packages.push({ ...interval, entries, proof });
  }
  return { ok: true, value: { header: { origin, uploadStart, uploadEnd, ticket }, packages } };
};

export type MirrorInfo = { readonly size: number; readonly next: number; readonly ticket: Uint8Array };

export const formatMirrorInfo = (info: MirrorInfo): string =>
  `${info.size}\n${info.next}\n${bytesToBase64(info.ticket)}\n`;

export const parseMirrorInfo = (text: string): MirrorInfo | null => {
  const match = /^(0|[1-9][0-9]*)\n(0|[1-9][0-9]*)\n([A-Za-z0-9+/=]*)\n$/.exec(text);
  if (!match) return null;
  const ticket = match[3] === '' ? new Uint8Array(0) : base64ToBytes(match[3]!);
  if (!ticket) return null;
  return { size: Number(match[1]), next: Number(match[2]), ticket };
};
