// Reads a bundle zip strictly: one reading only. Every member named once, local headers that agree with the central
// directory, no bytes that no member accounts for, and no member inflated past the size it declares.
import { Inflate } from 'fflate';
import {
  CHECKPOINT_FILE_PATTERN,
  CSV_FILE,
  ENTRIES_FILE,
  KEYS_FILE,
  MANIFEST_FILE,
  PERSONAL_DATA_FILE,
  README_FILE,
  ZIP_MAX_CONTENT_BYTES,
} from './bundle-format.ts';
import type { BundleFiles } from './bundle-assemble.ts';

/** Whether a path is one the bundle format defines (anything else in a zip is reported, not read). */
export const isBundlePath = (path: string): boolean =>
  path === MANIFEST_FILE ||
  path === ENTRIES_FILE ||
  path === CSV_FILE ||
  path === KEYS_FILE ||
  path === PERSONAL_DATA_FILE ||
  path === README_FILE ||
  CHECKPOINT_FILE_PATTERN.test(path) ||
  /^schema\/[a-z-]+\.schema\.json$/.test(path);

export type UnzippedBundle = { readonly files: BundleFiles; readonly unexpected: readonly string[] };

export type ZipReadResult = { ok: true; value: UnzippedBundle } | { ok: false; error: string };

/** What inflating one member came to: never more bytes than it declared. */
export type InflateOutcome =
  /** crc32: the content's CRC-32 when the inflater computed it on the way (else the port's crc32 computes it). */
  | { readonly ok: true; readonly bytes: Uint8Array; readonly crc32?: number }
  | { readonly ok: false; readonly problem: 'past-declared' }
  | { readonly ok: false; readonly problem: 'short' }
  | { readonly ok: false; readonly problem: 'corrupt'; readonly detail: string };

/**
 * How members are inflated: raw DEFLATE, stopped as soon as the output would pass `declaredSize` (so a member that
 * lies about its size costs at most its declared bytes, whatever it would inflate to), and a CRC-32 when the port has
 * one (the native one does; the portable one leaves damage to the verifier, which checks every byte's content).
 */
export type ZipInflatePort = {
  readonly inflate: (compressed: Uint8Array, declaredSize: number) => InflateOutcome;
  readonly crc32: ((bytes: Uint8Array) => number) | null;
};

export type ZipReadOptions = {
  readonly inflate?: ZipInflatePort;
  /** The most bytes the bundle's members may declare in total (a plain zip's bundle holds less than 4 GiB). */
  readonly maxTotalBytes?: number;
};

/** DEFLATE cannot expand one byte to more than 1032 (a 258-byte match in two one-bit codes). */
const DEFLATE_MAX_RATIO = 1032;
/** Compressed bytes handed to the portable inflater at once while little room is left: it bounds one step's output. */
const MIN_PUSH_BYTES = 1 << 14;

/** fflate's streaming inflater, fed in steps small enough that no step's output goes far past the room left. */
export const inflateCappedPortable = (compressed: Uint8Array, declaredSize: number): InflateOutcome => {
  const out = new Uint8Array(declaredSize);
  let written = 0;
  let past = false;
  const inflater = new Inflate((chunk) => {
    if (past) return;
    if (written + chunk.length > declaredSize) {
      past = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    let at = 0;
    do {
      // While much room is left a step may be large (fewer steps, the same bound): its output is at most 1032 times it.
      const step = Math.max(MIN_PUSH_BYTES, Math.floor((declaredSize - written) / DEFLATE_MAX_RATIO));
      const end = Math.min(compressed.length, at + step);
      inflater.push(compressed.subarray(at, end), end === compressed.length);
      at = end;
    } while (at < compressed.length && !past);
  } catch (error) {
    return { ok: false, problem: 'corrupt', detail: error instanceof Error ? error.message : String(error) };
  }
  if (past) return { ok: false, problem: 'past-declared' };
  if (written < declaredSize) return { ok: false, problem: 'short' };
  return { ok: true, bytes: out };
};

export const PORTABLE_ZIP_INFLATE: ZipInflatePort = { inflate: inflateCappedPortable, crc32: null };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;

type CentralRecord = {
  readonly name: string;
  readonly nameBytes: Uint8Array;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly local: number;
};

class ZipRefusal extends Error {}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

type PlannedMember = {
  readonly name: string;
  readonly method: number;
  readonly raw: Uint8Array;
  readonly size: number;
  readonly crc: number;
};

type ZipPlan =
  { ok: true; members: readonly PlannedMember[]; unexpected: readonly string[] } | { ok: false; error: string };

/** Everything about a zip that can be judged without inflating: its structure, names, headers and declared sizes. */
const planBundleZip = (zip: Uint8Array, maxTotalBytes: number): ZipPlan => {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number): number => {
    if (at < 0 || at + 2 > zip.length) throw new ZipRefusal('the file ends inside a zip record');
    return view.getUint16(at, true);
  };
  const u32 = (at: number): number => {
    if (at < 0 || at + 4 > zip.length) throw new ZipRefusal('the file ends inside a zip record');
    return view.getUint32(at, true);
  };
  const unreadable = (reason: string): ZipPlan => ({ ok: false, error: `not a readable zip file (${reason})` });
  const ambiguous = (reason: string): ZipPlan => ({
    ok: false,
    error: `refused: ${reason}; unzip tools could extract other files than the ones verified`,
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });

  try {
    // The end record is the one whose comment runs exactly to the end of the file (a lookalike inside a comment is not).
    let eocd = -1;
    for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--)
      if (u32(at) === EOCD && at + 22 + u16(at + 20) === zip.length) {
        eocd = at;
        break;
      }
    if (eocd < 0) return unreadable('no end of central directory');
    if (eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR) return unreadable('ZIP64 archives are not supported');
    const count = u16(eocd + 10);
    const directorySize = u32(eocd + 12);
    const directoryOffset = u32(eocd + 16);
    if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff)
      return unreadable('ZIP64 archives are not supported');
    if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0 || u16(eocd + 8) !== count)
      return unreadable('multi-part archives are not supported');
    if (directoryOffset + directorySize !== eocd)
      return ambiguous('the central directory does not end where the end record begins');

    // --- the central directory: what the archive says it holds -------------------------------------------------
    const records: CentralRecord[] = [];
    const names = new Set<string>();
    let at = directoryOffset;
    for (let i = 0; i < count; i++) {
      if (u32(at) !== CENTRAL) return unreadable('broken central directory');
      const nameLength = u16(at + 28);
      const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
      let name: string;
      try {
        name = decoder.decode(nameBytes);
      } catch {
        return unreadable(`member ${i + 1}'s name is not UTF-8`);
      }
      const flags = u16(at + 8);
      if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) return unreadable(`member ${name} is encrypted`);
      if (u16(at + 34) !== 0) return unreadable('multi-part archives are not supported');
      if (names.has(name)) return ambiguous(`the zip holds two members named ${name}`);
      names.add(name);
      records.push({
        name,
        nameBytes,
        flags,
        method: u16(at + 10),
        crc: u32(at + 16),
        compressedSize: u32(at + 20),
        size: u32(at + 24),
        local: u32(at + 42),
      });
      at += 46 + nameLength + u16(at + 30) + u16(at + 32);
    }
    if (at !== eocd) return ambiguous('the central directory holds more than its members');

    // --- local headers: each must say what the directory says, and the members must tile the file ----------------
    const dataStart = new Map<CentralRecord, number>();
    const byOffset = [...records].sort((a, b) => a.local - b.local);
    let expected = 0;
    for (const record of byOffset) {
      const { name, local } = record;
      if (local !== expected)
        return ambiguous(
          local < expected
            ? `member ${name} overlaps the member before it`
            : `${local - expected} bytes before member ${name} belong to no member`,
        );
      if (u32(local) !== LOCAL) return unreadable(`no local header for ${name}`);
      const localNameLength = u16(local + 26);
      const localName = zip.subarray(local + 30, local + 30 + localNameLength);
      if (!sameBytes(localName, record.nameBytes))
        return ambiguous(
          `member ${name} is named ${JSON.stringify(new TextDecoder().decode(localName))} in its local header`,
        );
      const flags = u16(local + 6);
      if (flags !== record.flags || u16(local + 8) !== record.method)
        return ambiguous(`member ${name}'s local header disagrees with the central directory (flags or method)`);
      const described = (flags & FLAG_DESCRIPTOR) !== 0;
      const localSizes = [u32(local + 14), u32(local + 18), u32(local + 22)];
      const centralSizes = [record.crc, record.compressedSize, record.size];
      const zeroes = localSizes.every((value) => value === 0);
      if (!sameSizes(localSizes, centralSizes) && !(described && zeroes))
        return ambiguous(`member ${name}'s local header declares other sizes or CRC than the central directory`);
      const start = local + 30 + localNameLength + u16(local + 28);
      let end = start + record.compressedSize;
      if (end > directoryOffset) return unreadable(`${name} is cut short`);
      if (described) {
        const signed = end + 4 <= directoryOffset && u32(end) === DESCRIPTOR ? 4 : 0;
        const descriptor = [u32(end + signed), u32(end + signed + 4), u32(end + signed + 8)];
        if (!sameSizes(descriptor, centralSizes))
          return ambiguous(`member ${name}'s data descriptor disagrees with the central directory`);
        end += signed + 12;
      }
      dataStart.set(record, start);
      expected = end;
    }
    if (expected !== directoryOffset)
      return ambiguous(`${directoryOffset - expected} bytes before the central directory belong to no member`);

    // --- the members: declared sizes checked before anything is inflated ---------------------------------------
    const members: PlannedMember[] = [];
    const unexpected: string[] = [];
    let total = 0;
    for (const record of records) {
      const { name, size, compressedSize, method } = record;
      if (name.endsWith('/')) continue;
      if (!isBundlePath(name)) {
        unexpected.push(name);
        continue;
      }
      total += size;
      if (total > maxTotalBytes)
        return { ok: false, error: `refused: the bundle's members declare more than ${maxTotalBytes} bytes in all` };
      const start = dataStart.get(record)!;
      const raw = zip.subarray(start, start + compressedSize);
      if (method === 0) {
        if (compressedSize !== size)
          return ambiguous(`stored member ${name} declares ${size} bytes but holds ${compressedSize}`);
      } else if (method === 8) {
        if (size > compressedSize * DEFLATE_MAX_RATIO + 1024)
          return {
            ok: false,
            error: `refused: member ${name} declares ${size} bytes, more than its ${compressedSize} compressed bytes can inflate to`,
          };
      } else return unreadable(`${name} uses compression method ${method}`);
      members.push({ name, method, raw, size, crc: record.crc });
    }
    return { ok: true, members, unexpected };
  } catch (error) {
    if (error instanceof ZipRefusal) return unreadable(error.message);
    throw error;
  }
};

/** A member's content from what inflating it came to, or why the bundle is refused. */
const memberContent = (
  member: PlannedMember,
  inflated: InflateOutcome | null,
  crc32: ((bytes: Uint8Array) => number) | null,
): { ok: true; bytes: Uint8Array } | { ok: false; error: string } => {
  const { name, size } = member;
  if (inflated && !inflated.ok) {
    if (inflated.problem === 'past-declared')
      return { ok: false, error: `refused: member ${name} inflates past its declared ${size} bytes` };
    if (inflated.problem === 'short')
      return {
        ok: false,
        error: `not a readable zip file (member ${name} inflates to fewer than its declared ${size} bytes: damaged in transit)`,
      };
    return {
      ok: false,
      error: `not a readable zip file (member ${name} is not valid DEFLATE data: ${inflated.detail})`,
    };
  }
  const bytes = inflated ? inflated.bytes : member.raw;
  const crc = inflated?.crc32 ?? (crc32 ? crc32(bytes) : null);
  if (crc !== null && crc >>> 0 !== member.crc)
    return { ok: false, error: `not a readable zip file (${name} fails its CRC-32 (damaged in transit))` };
  return { ok: true, bytes };
};

/**
 * Reads a bundle zip. A zip that different readers could read differently (two members of one name, a local header
 * naming another file than the directory, sizes or CRCs that disagree, members overlapping or bytes hidden between
 * them) is refused, and so is a member that inflates past its declared size: the verdict must be about the one set of
 * files every unzip tool extracts. Files outside the format are named and not inflated.
 */
export const readBundleZip = (zip: Uint8Array, options: ZipReadOptions = {}): ZipReadResult => {
  const port = options.inflate ?? PORTABLE_ZIP_INFLATE;
  const plan = planBundleZip(zip, options.maxTotalBytes ?? ZIP_MAX_CONTENT_BYTES);
  if (!plan.ok) return plan;
  const files = new Map<string, Uint8Array>();
  for (const member of plan.members) {
    const content = memberContent(
      member,
      member.method === 8 ? port.inflate(member.raw, member.size) : null,
      port.crc32,
    );
    if (!content.ok) return content;
    files.set(member.name, content.bytes);
  }
  return { ok: true, value: { files, unexpected: plan.unexpected } };
};

/** An inflater that works asynchronously (the browser's DecompressionStream), with the same cap and outcomes. */
export type AsyncZipInflatePort = {
  /** `name`: the member's name, for an inflater that hands one member's bytes on while they arrive. */
  readonly inflate: (compressed: Uint8Array, declaredSize: number, name: string) => Promise<InflateOutcome>;
  readonly crc32: ((bytes: Uint8Array) => number) | null;
};

/** Members inflated at once: the two large ones of a bundle (entries and CSV) side by side, and no pile-up of many. */
const CONCURRENT_INFLATES = 3;

/**
 * readBundleZip with an asynchronous inflater: the same checks, the same refusals (the first in member order). The
 * members are inflated concurrently (a native inflater runs them on as many threads), each still capped at its
 * declared size, so memory stays within the declared sizes as before.
 */
export const readBundleZipAsync = async (
  zip: Uint8Array,
  options: { readonly inflate: AsyncZipInflatePort; readonly maxTotalBytes?: number },
): Promise<ZipReadResult> => {
  const plan = planBundleZip(zip, options.maxTotalBytes ?? ZIP_MAX_CONTENT_BYTES);
  if (!plan.ok) return plan;
  const inflating: Promise<InflateOutcome | null>[] = [];
  const start = (index: number): void => {
    const member = plan.members[index];
    if (!member || inflating[index]) return;
    const promise =
      member.method === 8 ? options.inflate.inflate(member.raw, member.size, member.name) : Promise.resolve(null);
    // A member whose inflation is never awaited below (an earlier one failed) must not reject unobserved.
    promise.catch(() => undefined);
    inflating[index] = promise;
  };
  const files = new Map<string, Uint8Array>();
  for (const [index, member] of plan.members.entries()) {
    for (let ahead = index; ahead < index + CONCURRENT_INFLATES; ahead++) start(ahead);
    const inflated = await inflating[index]!;
    const content = memberContent(member, inflated, options.inflate.crc32);
    if (!content.ok) return content;
    files.set(member.name, content.bytes);
  }
  return { ok: true, value: { files, unexpected: plan.unexpected } };
};

const sameSizes = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);
