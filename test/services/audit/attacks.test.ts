// The attack suite: random mutations of an exported bundle, each of which must be detected and located.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToBase64, bytesToHex } from '../../../core/audit/bytes.ts';
import {
  CHECKPOINT_FILE_PATTERN,
  CSV_FILE,
  ENTRIES_FILE,
  KEYS_FILE,
  MANIFEST_FILE,
  PERSONAL_DATA_FILE,
  README_FILE,
  checkpointFileName,
} from '../../../core/audit/bundle-format.ts';
import { unzipBundle } from '../../../core/audit/bundle-assemble.ts';
import { signCheckpoint } from '../../../core/audit/checkpoint.ts';
import { csvHeader, csvRow } from '../../../core/audit/csv.ts';
import type { AuditEntry } from '../../../core/audit/entry.ts';
import { createMemoryMerkleTree, hashLeaf } from '../../../core/audit/merkle.ts';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../../core/audit/note.ts';
import { parseTrustedKeys, verifyAuditBundle } from '../../../core/audit/verify.ts';
import type { AuditVerification } from '../../../core/audit/verify.ts';
import { canonicalJson } from '../../../core/shared/canonical-json.ts';
import { nodeEd25519Verify } from '../../../electron/services/audit/node-ed25519.ts';
import { unzipBundleNative, unzipBundleNativeAsync } from '../../../electron/services/audit/native-unzip.ts';
import { craftZip, membersOf, zeroBomb } from '../../support/zip-craft.ts';
import { buildTestLog, bytes, seedFrom, sha256, text } from '../../core/audit/fixtures.ts';
import type { TestLog } from '../../core/audit/fixtures.ts';

type Files = Map<string, Uint8Array>;

const splitLines = (files: Files): Uint8Array[] => {
  const all = files.get(ENTRIES_FILE)!;
  const out: Uint8Array[] = [];
  for (let at = 0; at < all.length;) {
    const end = all.indexOf(0x0a, at);
    out.push(all.slice(at, end < 0 ? all.length : end));
    at = end < 0 ? all.length : end + 1;
  }
  return out;
};

const joinLines = (lines: readonly Uint8Array[]): Uint8Array =>
  Buffer.concat(lines.flatMap((line) => [Buffer.from(line), Buffer.from('\n')]));

const tryParse = (line: Uint8Array): AuditEntry | null => {
  try {
    return JSON.parse(text(line)) as AuditEntry;
  } catch {
    return null;
  }
};

/**
 * What a capable attacker does after changing entries: rebuild everything that is not signed (the CSV view, the
 * manifest's counts, times, tree root and file hashes), so only the chain, the signatures and the log can tell.
 */
const reseal = (files: Files, lines: readonly Uint8Array[] = splitLines(files)): Files => {
  const out = new Map(files);
  out.set(ENTRIES_FILE, joinLines(lines));
  const parsed = lines.map(tryParse);
  const row = (entry: AuditEntry | null, i: number): string => {
    try {
      return entry ? csvRow(entry) : `${text(lines[i])}\r\n`;
    } catch {
      return `${text(lines[i])}\r\n`;
    }
  };
  out.set(CSV_FILE, bytes(csvHeader() + parsed.map(row).join('')));
  const manifest = JSON.parse(text(files.get(MANIFEST_FILE))) as Record<string, unknown> & {
    entries: Record<string, string>;
    files: { path: string; sha256: string; bytes: string }[];
    checkpoints: string[];
  };
  const tree = createMemoryMerkleTree(sha256, lines.length);
  for (const line of lines) tree.append(hashLeaf(sha256, line));
  manifest.entries.count = String(lines.length);
  manifest.entries.treeRoot = bytesToBase64(tree.root());
  manifest.entries.firstTime = parsed[0]?.time ?? manifest.entries.firstTime!;
  manifest.entries.lastTime = parsed.at(-1)?.time ?? manifest.entries.lastTime!;
  manifest.exportEntry = String(lines.length - 1);
  manifest.files = manifest.files
    .filter((file) => out.has(file.path))
    .map((file) => ({
      ...file,
      sha256: bytesToHex(sha256(out.get(file.path)!)),
      bytes: String(out.get(file.path)!.length),
    }));
  manifest.checkpoints = manifest.checkpoints.filter((size) => out.has(checkpointFileName(size)));
  out.set(MANIFEST_FILE, bytes(canonicalJson(manifest)));
  return out;
};

const flipBit = (data: Uint8Array, byte: number, bit: number): Uint8Array => {
  const copy = data.slice();
  copy[byte % copy.length]! ^= 1 << bit;
  return copy;
};

// The native signature check keeps hundreds of verifications fast; test/core/audit/verify.test.ts runs the portable one.
const verify = (files: Files, options: Parameters<typeof verifyAuditBundle>[1] = {}): AuditVerification =>
  verifyAuditBundle(files, { sha256, ed25519Verify: nodeEd25519Verify, ...options }).report;

type Expectation =
  | { readonly sequence: number }
  | { readonly sequenceIn: readonly [number, number] }
  | { readonly files: readonly string[] };

const expectLocated = (report: AuditVerification, expected: Expectation, what: string): void => {
  expect(report.verdict, `${what}: not detected`).toBe('invalid');
  const first = report.firstFailure!;
  const context = `${what}: first failure ${JSON.stringify(first)}`;
  if ('sequence' in expected) expect(first.sequence, context).toBe(String(expected.sequence));
  else if ('sequenceIn' in expected) {
    expect(first.sequence, context).not.toBeNull();
    expect(Number(first.sequence), context).toBeGreaterThanOrEqual(expected.sequenceIn[0]);
    expect(Number(first.sequence), context).toBeLessThanOrEqual(expected.sequenceIn[1]);
  } else {
    expect(first.sequence, context).toBeNull();
    expect(expected.files, context).toContain(first.file);
  }
};

// A fixed seed keeps CI reproducible; ATTACK_RUNS=5000 runs a longer, unseeded campaign locally.
const campaign = process.env.ATTACK_RUNS
  ? { numRuns: Number(process.env.ATTACK_RUNS) }
  : { numRuns: 600, seed: 20250101 };

let base: TestLog;
let baseLines: Uint8Array[];
let checkpointSizes: number[];
const N = (): number => baseLines.length;

beforeAll(() => {
  base = buildTestLog({ entries: 40, checkpointEvery: 6, rotateAfter: [22], withPersonalData: true, label: 'attack' });
  baseLines = splitLines(base.files);
  checkpointSizes = [...base.files.keys()]
    .map((path) => CHECKPOINT_FILE_PATTERN.exec(path)?.[1])
    .filter((size): size is string => size !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
});

describe('the untouched bundle', () => {
  it('verifies, so every failure below comes from the mutation', () => {
    const report = verify(base.files);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(checkpointSizes.length).toBeGreaterThan(5);
    expect(base.files.has(PERSONAL_DATA_FILE)).toBe(true);
  });
});

describe('every field of an entry', () => {
  it('is protected: flipping any bit of the first byte of each field value is detected at that entry', () => {
    const k = 17;
    const line = text(baseLines[k]);
    const fields = Object.keys(JSON.parse(line) as object);
    let tried = 0;
    for (const field of fields) {
      const valueStart = Buffer.byteLength(line.slice(0, line.indexOf(`"${field}":`) + field.length + 3));
      for (let bit = 0; bit < 8; bit++) {
        const lines = [...baseLines];
        lines[k] = flipBit(baseLines[k]!, valueStart, bit);
        expectLocated(verify(reseal(base.files, lines)), { sequence: k }, `field ${field} bit ${bit}`);
        tried++;
      }
    }
    expect(tried).toBe(fields.length * 8);
  });
});

const checkpointFiles = (): string[] => checkpointSizes.map((size) => checkpointFileName(size));

const mutation = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('flip-entry' as const),
      line: fc.nat(),
      byte: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('flip-file' as const),
      file: fc.nat(),
      byte: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
      resealed: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), line: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reorder' as const), a: fc.nat(), b: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('cut-tail' as const), count: fc.nat(), dropCheckpoints: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap-checkpoints' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fork' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rollback-order' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrong-key' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retired-key' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('move-time' as const),
      line: fc.nat(),
      ms: fc.integer({ min: 1, max: 90_000 }),
      rechain: fc.boolean(),
    }),
  },
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

const forgedEntry = (sequence: number, previous: Uint8Array | null, time: string): Uint8Array =>
  bytes(
    canonicalJson({
      actor: 'user:intruder',
      commitment: null,
      log: base.identity.logId,
      payload: { decision: 'approve' },
      previous: previous ? bytesToHex(previous) : null,
      sequence: String(sequence),
      subjects: ['case:C-forged'],
      time,
      type: 'case.decided',
      v: 1,
    }),
  );

const leafOf = (line: Uint8Array): Uint8Array => hashLeaf(sha256, line);

const rechainFrom = (lines: Uint8Array[], from: number): void => {
  for (let i = Math.max(1, from); i < lines.length; i++) {
    const entry = tryParse(lines[i]!);
    if (!entry) continue;
    lines[i] = bytes(canonicalJson({ ...entry, previous: bytesToHex(leafOf(lines[i - 1]!)) }));
  }
};

/** Applies one mutation and says where it must be found. */
const apply = (m: Mutation): { files: Files; expected: Expectation; what: string } => {
  const n = N();
  const lines = [...baseLines];
  switch (m.kind) {
    case 'flip-entry': {
      const k = m.line % n;
      lines[k] = flipBit(baseLines[k]!, m.byte % baseLines[k]!.length, m.bit);
      return {
        files: reseal(base.files, lines),
        expected: { sequence: k },
        what: `flip entry ${k} byte ${m.byte % baseLines[k]!.length} bit ${m.bit}`,
      };
    }
    case 'flip-file': {
      const targets = [...base.files.keys()].filter((path) => path !== ENTRIES_FILE).sort();
      const file = targets[m.file % targets.length]!;
      const out = new Map(base.files);
      out.set(file, flipBit(base.files.get(file)!, m.byte, m.bit));
      const sealed = m.resealed && file !== MANIFEST_FILE && file !== CSV_FILE ? reseal(out) : out;
      return {
        files: sealed,
        expected: { files: [file] },
        what: `flip ${file} byte ${m.byte % base.files.get(file)!.length} bit ${m.bit}${m.resealed ? ' (resealed)' : ''}`,
      };
    }
    case 'delete': {
      const k = m.line % n;
      lines.splice(k, 1);
      return { files: reseal(base.files, lines), expected: { sequence: k }, what: `delete entry ${k}` };
    }
    case 'insert': {
      const k = (m.line % n) + 1; // after log.created, up to appending past the export entry
      const previousLine = lines[k - 1]!;
      lines.splice(k, 0, forgedEntry(k, leafOf(previousLine), tryParse(previousLine)!.time));
      return { files: reseal(base.files, lines), expected: { sequence: k }, what: `insert a forged entry at ${k}` };
    }
    case 'duplicate': {
      const k = m.line % n;
      lines.splice(k + 1, 0, baseLines[k]!);
      return { files: reseal(base.files, lines), expected: { sequence: k }, what: `duplicate entry ${k}` };
    }
    case 'reorder': {
      const a = m.a % n;
      const b = m.b % n;
      if (a === b) return apply({ kind: 'delete', line: a });
      const [i, j] = a < b ? [a, b] : [b, a];
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return { files: reseal(base.files, lines), expected: { sequence: i }, what: `swap entries ${i} and ${j}` };
    }
    case 'cut-tail': {
      const count = (m.count % (n - 1)) + 1;
      const kept = lines.slice(0, n - count);
      const out = new Map(base.files);
      if (m.dropCheckpoints)
        for (const size of checkpointSizes) if (size > kept.length) out.delete(checkpointFileName(size));
      const sealed = reseal(out, kept);
      if (!m.dropCheckpoints)
        return { files: sealed, expected: { sequence: n - count }, what: `cut the last ${count} entries` };
      // With the covering checkpoints gone too, the tail is still missing its checkpoint (found where the cover
      // ends) or, cut right at a checkpoint, its export entry (found at the first entry cut).
      const highest = Math.max(...checkpointSizes.filter((size) => size <= kept.length));
      return {
        files: sealed,
        expected: { sequence: highest < kept.length ? highest : kept.length },
        what: `cut the last ${count} entries and their checkpoints`,
      };
    }
    case 'swap-checkpoints': {
      const names = checkpointFiles();
      const a = names[m.a % names.length]!;
      const b = names[(m.a + 1 + (m.b % (names.length - 1))) % names.length]!;
      const out = new Map(base.files);
      out.set(a, base.files.get(b)!);
      out.set(b, base.files.get(a)!);
      return { files: reseal(out), expected: { files: [a, b] }, what: `swap ${a} and ${b}` };
    }
    case 'fork': {
      // The real key signs a second, different tree head for an earlier size: only a log that forked could.
      const candidates = checkpointSizes.filter((size) => size < 22 && size > 1);
      const size = candidates[m.which % candidates.length]!;
      const root = sha256(bytes(`another history ${size}`));
      const note = signCheckpoint(
        { origin: base.identity.origin, size, root },
        [{ name: base.identity.origin, seed: base.seeds[0]! }],
        sha256,
      );
      const out = new Map(base.files);
      out.set(checkpointFileName(size), bytes(note));
      return { files: reseal(out), expected: { files: [checkpointFileName(size)] }, what: `fork at size ${size}` };
    }
    case 'rollback-order': {
      const manifest = JSON.parse(text(base.files.get(MANIFEST_FILE))) as { checkpoints: string[] };
      const i = m.which % (manifest.checkpoints.length - 1);
      [manifest.checkpoints[i], manifest.checkpoints[i + 1]] = [manifest.checkpoints[i + 1]!, manifest.checkpoints[i]!];
      const out = new Map(base.files);
      out.set(MANIFEST_FILE, bytes(canonicalJson(manifest)));
      return {
        files: out,
        expected: { files: [MANIFEST_FILE] },
        what: `manifest lists checkpoint ${i + 1} before ${i}`,
      };
    }
    case 'wrong-key': {
      const out = new Map(base.files);
      const intruder = seedFrom('intruder');
      for (const size of checkpointSizes) {
        const body = text(base.files.get(checkpointFileName(size)))
          .split('\n\n')[0]!
          .split('\n');
        const root = Buffer.from(body[2]!, 'base64');
        out.set(
          checkpointFileName(size),
          bytes(
            signCheckpoint(
              { origin: base.identity.origin, size, root },
              [{ name: base.identity.origin, seed: intruder }],
              sha256,
            ),
          ),
        );
      }
      return {
        files: reseal(out),
        expected: { files: [checkpointFileName(checkpointSizes[0]!)] },
        what: 'every checkpoint re-signed by another key',
      };
    }
    case 'retired-key': {
      // The first key was retired by the rotation; a stolen copy signs the final checkpoint.
      const size = n;
      const body = text(base.files.get(checkpointFileName(size)))
        .split('\n\n')[0]!
        .split('\n');
      const note = signCheckpoint(
        { origin: base.identity.origin, size, root: Buffer.from(body[2]!, 'base64') },
        [{ name: base.identity.origin, seed: base.seeds[0]! }],
        sha256,
      );
      const out = new Map(base.files);
      out.set(checkpointFileName(size), bytes(note));
      return {
        files: reseal(out),
        expected: { files: [checkpointFileName(size)] },
        what: 'final checkpoint signed by the retired key',
      };
    }
    case 'move-time': {
      const k = m.line % n;
      const entry = tryParse(baseLines[k]!)!;
      const moved = new Date(Date.parse(entry.time) + m.ms).toISOString();
      lines[k] = bytes(canonicalJson({ ...entry, time: moved }));
      if (!m.rechain)
        return {
          files: reseal(base.files, lines),
          expected: { sequence: k },
          what: `move entry ${k}'s time by ${m.ms} ms`,
        };
      rechainFrom(lines, k + 1);
      // A rewritten chain is pinned between the last checkpoint that still matches and the change.
      const from = Math.max(0, ...checkpointSizes.filter((size) => size <= k));
      return {
        files: reseal(base.files, lines),
        expected: { sequenceIn: [from, k] },
        what: `move entry ${k}'s time and rewrite the chain after it`,
      };
    }
  }
};

describe('random mutations of an exported bundle', () => {
  it('are all detected and located', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const { files, expected, what } = apply(m);
        expectLocated(verify(files), expected, what);
      }),
      campaign,
    );
  });

  it('are detected with trusted keys too, and never turn into "trust established"', () => {
    const keys = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(base.identity.origin, base.seeds[1]!, sha256)),
    ]);
    if (!keys.ok) throw new Error(keys.error);
    expect(verify(base.files, { trustedKeys: keys.value }).trust).toBe('trust-established');
    fc.assert(
      fc.property(mutation, (m) => {
        const report = verify(apply(m).files, { trustedKeys: keys.value });
        expect(report.verdict).toBe('invalid');
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe('trust', () => {
  it('a log forged whole, with its own key, passes integrity but not trust', () => {
    const forged = buildTestLog({
      entries: 40,
      checkpointEvery: 6,
      rotateAfter: [22],
      withPersonalData: true,
      label: 'attack',
      keyLabel: 'forger',
    });
    expect(verify(forged.files).verdict).toBe('valid');
    expect(verify(forged.files).trust).toBe('integrity-only');
    const keys = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(base.identity.origin, base.seeds[0]!, sha256)),
    ]);
    if (!keys.ok) throw new Error(keys.error);
    const report = verify(forged.files, { trustedKeys: keys.value });
    expect(report.verdict).toBe('invalid');
    expect(report.trust).toBe('not-trusted');
    expect(report.firstFailure?.code).toBe('untrusted');
  });

  it('trusting only the first key endorses the rotated key through the hand-over checkpoint', () => {
    const keys = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(base.identity.origin, base.seeds[0]!, sha256)),
    ]);
    if (!keys.ok) throw new Error(keys.error);
    const report = verify(base.files, { trustedKeys: keys.value });
    expect(report.trust).toBe('trust-established');
    expect(report.summary.keys.map((key) => [key.trusted, key.endorsed])).toEqual([
      [true, true],
      [false, true],
    ]);
  });
});

describe('checkpoints the auditor saw before', () => {
  it('detect a rollback (the bundle ends before a size already seen) and a fork (same size, other root)', () => {
    const later = buildTestLog({
      entries: 60,
      checkpointEvery: 6,
      rotateAfter: [22],
      withPersonalData: true,
      label: 'attack',
    });
    const laterFinal = [...later.files.keys()]
      .filter((path) => CHECKPOINT_FILE_PATTERN.test(path))
      .sort((a, b) => Number(CHECKPOINT_FILE_PATTERN.exec(b)![1]) - Number(CHECKPOINT_FILE_PATTERN.exec(a)![1]))[0]!;
    const rollback = verify(base.files, { knownCheckpoints: [later.files.get(laterFinal)!] });
    expect(rollback.verdict).toBe('invalid');
    expect(rollback.firstFailure?.code).toBe('rollback');

    const size = checkpointSizes[1]!;
    const forkNote = signCheckpoint(
      { origin: base.identity.origin, size, root: sha256(bytes('elsewhere')) },
      [{ name: base.identity.origin, seed: base.seeds[0]! }],
      sha256,
    );
    const fork = verify(base.files, { knownCheckpoints: [bytes(forkNote)] });
    expect(fork.firstFailure?.code).toBe('fork');
    expect(verify(base.files, { knownCheckpoints: [base.files.get(checkpointFileName(size))!] }).verdict).toBe('valid');
  });
});

describe('a key used outside its time window', () => {
  it('is refused even when the signature itself is good', () => {
    const log = buildTestLog({ entries: 10, label: 'short-key', keyValidMinutes: 5 });
    const report = verify(log.files);
    expect(report.verdict).toBe('invalid');
    expect(report.failures.some((failure) => failure.code === 'checkpoint-key-window')).toBe(true);
    expect(report.firstFailure?.sequence).toBeNull();
    expect(report.firstFailure?.file).toMatch(CHECKPOINT_FILE_PATTERN);
    expect(KEYS_FILE).toBe('keys.json');
  });
});

// Issue 12: the zip around the bundle, the bundle against its own export entry, the auditor's known checkpoints, and
// where findings are located. Each attack is its own case; every zip is read by both readers (the CLI's native one and
// the portable one the verifier screen uses).
describe('the zip around the bundle', () => {
  const readers = [
    ['native', (zip: Uint8Array) => Promise.resolve(unzipBundleNative(zip))],
    ['native streaming', (zip: Uint8Array) => unzipBundleNativeAsync(zip)],
    ['portable', (zip: Uint8Array) => Promise.resolve(unzipBundle(zip))],
  ] as const;
  const expectRefused = async (zip: Uint8Array, reason: RegExp): Promise<void> => {
    for (const [name, read] of readers) {
      const result = await read(zip);
      expect(result.ok, `${name} reader`).toBe(false);
      if (!result.ok) expect(result.error, `${name} reader`).toMatch(reason);
    }
  };
  const trustedKeys = (): NonNullable<Parameters<typeof verify>[1]>['trustedKeys'] => {
    const keys = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(base.identity.origin, base.seeds[0]!, sha256)),
    ]);
    if (!keys.ok) throw new Error(keys.error);
    return keys.value;
  };

  it('is read as the bundle it holds when nothing is wrong with it, by every reader', async () => {
    for (const [, read] of readers) {
      const result = await read(craftZip(membersOf(base.files)));
      if (!result.ok) throw new Error(result.error);
      expect(verify(new Map(result.value.files), { trustedKeys: trustedKeys() }).trust).toBe('trust-established');
    }
  });

  it('reads members whose sizes follow their data in a descriptor, as streaming zip tools write them', async () => {
    for (const [, read] of readers) {
      const result = await read(craftZip(membersOf(base.files).map((member) => ({ ...member, descriptor: true }))));
      if (!result.ok) throw new Error(result.error);
      expect(verify(new Map(result.value.files)).verdict).toBe('valid');
    }
  });

  it('refuses a member declaring more than its compressed bytes can inflate to, or members declaring too much in all', async () => {
    const members = membersOf(base.files).map((member) =>
      member.name === KEYS_FILE ? { ...member, declaredSize: 50_000_000 } : member,
    );
    await expectRefused(
      craftZip(members),
      /refused: member keys\.json declares 50000000 bytes, more than its \d+ compressed bytes can inflate to/,
    );
    const zip = craftZip(membersOf(base.files));
    for (const result of [
      unzipBundleNative(zip, { maxTotalBytes: 1000 }),
      await unzipBundleNativeAsync(zip, { maxTotalBytes: 1000 }),
      unzipBundle(zip, { maxTotalBytes: 1000 }),
    ])
      expect(result).toEqual({ ok: false, error: "refused: the bundle's members declare more than 1000 bytes in all" });
  });

  it('refuses two members named entries.jsonl, a forged one first (readers differ on which they take)', async () => {
    const lines = [...baseLines];
    lines[5] = bytes(text(lines[5]).replace('"actor":"user:u-', '"actor":"user:x-'));
    const forged = joinLines(lines);
    const zip = craftZip([{ name: ENTRIES_FILE, data: forged }, ...membersOf(base.files)]);
    await expectRefused(zip, /refused: the zip holds two members named entries\.jsonl/);
  });

  it('refuses an identical duplicate checkpoint member', async () => {
    const name = checkpointFileName(checkpointSizes[2]!);
    const zip = craftZip([...membersOf(base.files), { name, data: base.files.get(name)! }]);
    await expectRefused(zip, new RegExp(`two members named ${name}`));
  });

  it('refuses a member whose local header names another file than the central directory', async () => {
    const members = membersOf(base.files).map((member) =>
      member.name === CSV_FILE ? { ...member, localName: 'entries.csv.txt' } : member,
    );
    await expectRefused(craftZip(members), /member entries\.csv is named "entries\.csv\.txt" in its local header/);
  });

  it('refuses a member declaring 1,000 bytes that inflates to 1 GiB, having inflated no more than its declared size', async () => {
    const members = membersOf(base.files).map((member) =>
      member.name === README_FILE ? { name: README_FILE, raw: zeroBomb(1024), declaredSize: 1000, crc: 0 } : member,
    );
    await expectRefused(craftZip(members), /^refused: member README\.txt inflates past its declared 1000 bytes$/);
    // Peak memory, for the CLI and for the verifier screen's job: test/cli/audit.test.ts, test/renderer/verifier.test.ts.
  });

  it('refuses bytes hidden between members, which a reader walking local headers would take for a member', async () => {
    const hidden = craftZip([{ name: ENTRIES_FILE, data: bytes('forged\n') }]);
    // Splice a whole forged member in front of the first one; the central directory's offsets move with it.
    const localPart = hidden.subarray(0, hidden.length - 22 - (46 + ENTRIES_FILE.length));
    const spliced = craftZip(membersOf(base.files)).slice();
    const joined = new Uint8Array(localPart.length + spliced.length);
    joined.set(localPart);
    joined.set(spliced, localPart.length);
    const view = new DataView(joined.buffer);
    const eocd = joined.length - 22;
    view.setUint32(eocd + 16, view.getUint32(eocd + 16, true) + localPart.length, true);
    for (let at = view.getUint32(eocd + 16, true); at < eocd;) {
      view.setUint32(at + 42, view.getUint32(at + 42, true) + localPart.length, true);
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    await expectRefused(joined, /bytes before member .* belong to no member/);
  });
});

describe('the bundle against its own signed export entry', () => {
  it('fails when personal-data.jsonl is removed and the manifest rebuilt without it', () => {
    const out = new Map(base.files);
    out.delete(PERSONAL_DATA_FILE);
    const sealed = reseal(out);
    const manifest = JSON.parse(text(sealed.get(MANIFEST_FILE))) as Record<string, unknown>;
    sealed.set(MANIFEST_FILE, bytes(canonicalJson({ ...manifest, personalData: null })));
    const report = verify(sealed);
    expect(report.verdict).toBe('invalid');
    expect(report.firstFailure).toMatchObject({ file: PERSONAL_DATA_FILE, code: 'missing-file' });
    expect(report.firstFailure?.message).toMatch(/says personal data is included/);
  });

  it('fails when personal data is added to an export that said it left personal data out', () => {
    const without = buildTestLog({
      entries: 40,
      checkpointEvery: 6,
      rotateAfter: [22],
      withPersonalData: true,
      exportPersonalData: false,
      label: 'attack',
    });
    expect(verify(without.files).verdict).toBe('valid');
    // The data opens the same commitments (the same log, exported with personal data elsewhere).
    const out = new Map(without.files);
    out.set(PERSONAL_DATA_FILE, base.files.get(PERSONAL_DATA_FILE)!);
    const sealed = reseal(out);
    const manifest = JSON.parse(text(sealed.get(MANIFEST_FILE))) as Record<string, unknown> & {
      files: { path: string; sha256: string; bytes: string }[];
    };
    const data = out.get(PERSONAL_DATA_FILE)!;
    manifest.files = [
      ...manifest.files,
      { path: PERSONAL_DATA_FILE, sha256: bytesToHex(sha256(data)), bytes: String(data.length) },
    ].sort((a, b) => (a.path < b.path ? -1 : 1));
    manifest.personalData = { present: String(text(data).trimEnd().split('\n').length), erased: '0' };
    sealed.set(MANIFEST_FILE, bytes(canonicalJson(manifest)));
    const report = verify(sealed);
    expect(report.verdict).toBe('invalid');
    expect(report.firstFailure).toMatchObject({ file: PERSONAL_DATA_FILE, code: 'unexpected-file' });
    expect(report.firstFailure?.message).toMatch(/says personal data is left out/);
  });
});

describe('a checkpoint the auditor saw before (--known)', () => {
  const finalOf = (log: TestLog): Uint8Array =>
    log.files.get(
      [...log.files.keys()]
        .filter((path) => CHECKPOINT_FILE_PATTERN.test(path))
        .sort((a, b) => Number(CHECKPOINT_FILE_PATTERN.exec(b)![1]) - Number(CHECKPOINT_FILE_PATTERN.exec(a)![1]))[0]!,
    )!;
  const trusted = (): NonNullable<Parameters<typeof verify>[1]>['trustedKeys'] => {
    const keys = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(base.identity.origin, base.seeds[1]!, sha256)),
    ]);
    if (!keys.ok) throw new Error(keys.error);
    return keys.value;
  };

  it('signed by a key nobody trusts is not used: no rollback verdict, and the report says why', () => {
    const fake = signCheckpoint(
      { origin: base.identity.origin, size: 60, root: sha256(bytes('a history that never was')) },
      [{ name: base.identity.origin, seed: seedFrom('intruder') }],
      sha256,
    );
    for (const options of [{ trustedKeys: trusted() }, {}]) {
      const report = verify(base.files, { ...options, knownCheckpoints: [bytes(fake)] });
      expect(report.verdict).toBe('valid');
      expect(report.failures.some((failure) => failure.code === 'rollback')).toBe(false);
      expect(report.known).toEqual([
        expect.objectContaining({ size: 60, signature: 'unverified', outcome: 'not-used', signedBy: [] }),
      ]);
    }
  });

  it('signed by a trusted key is checked and said to be: a later one is a rollback, the bundle’s own consistent', () => {
    const later = buildTestLog({
      entries: 60,
      checkpointEvery: 6,
      rotateAfter: [22],
      withPersonalData: true,
      label: 'attack',
    });
    const rolledBack = verify(base.files, { trustedKeys: trusted(), knownCheckpoints: [finalOf(later)] });
    expect(rolledBack.firstFailure?.code).toBe('rollback');
    expect(rolledBack.known[0]).toMatchObject({ signature: 'trusted', outcome: 'rollback' });
    const same = verify(base.files, { trustedKeys: trusted(), knownCheckpoints: [finalOf(base)] });
    expect(same.verdict).toBe('valid');
    expect(same.known[0]).toMatchObject({ signature: 'trusted', outcome: 'consistent' });
    // Without --key, the log's own key is all there is: used, and labelled integrity only.
    expect(verify(base.files, { knownCheckpoints: [finalOf(later)] }).known[0]).toMatchObject({
      signature: 'log-key',
      outcome: 'rollback',
    });
  });
});

describe('where findings are located', () => {
  it('one deleted line is one finding at the deletion, not an altered sequence field at every later entry', () => {
    const k = 10;
    const lines = baseLines.filter((_, i) => i !== k);
    for (const files of [reseal(base.files, lines), new Map([...base.files, [ENTRIES_FILE, joinLines(lines)]])]) {
      const report = verify(files);
      expect(report.firstFailure).toMatchObject({ code: 'entry-sequence', sequence: String(k), line: k + 1 });
      expect(report.firstFailure?.message).toMatch(/entry 10 is missing \(deleted\)/);
      expect(report.failures.filter((failure) => failure.code === 'entry-sequence')).toHaveLength(1);
      expect(
        report.failures.filter((failure) => failure.file === KEYS_FILE || failure.file === PERSONAL_DATA_FILE),
      ).toEqual([]);
      expect(report.failures.some((failure) => /sequence field was altered/.test(failure.message))).toBe(false);
    }
  });

  it('a reorder is told apart from a deletion: every entry is still there, out of order', () => {
    const lines = [...baseLines];
    [lines[12], lines[15]] = [lines[15]!, lines[12]!];
    const report = verify(reseal(base.files, lines));
    expect(report.firstFailure).toMatchObject({ code: 'entry-sequence', sequence: '12' });
    expect(report.firstFailure?.message).toMatch(/out of order/);
    expect(report.failures.some((failure) => /missing/.test(failure.message))).toBe(false);
  });

  it('a naive rollback (tail and its checkpoints removed, nothing else rebuilt) is first reported at the cut', () => {
    for (const keep of [30, 26]) {
      const out = new Map([...base.files, [ENTRIES_FILE, joinLines(baseLines.slice(0, keep))]]);
      for (const size of checkpointSizes) if (size > keep) out.delete(checkpointFileName(size));
      const report = verify(out);
      const covered = Math.max(...checkpointSizes.filter((size) => size <= keep));
      expect(report.firstFailure).toMatchObject({
        file: ENTRIES_FILE,
        sequence: String(covered < keep ? covered : keep),
      });
      expect(report.firstFailure?.message).toMatch(/cut/);
      const csvAt = report.failures.findIndex((failure) => failure.file === CSV_FILE);
      expect(csvAt).toBeGreaterThan(report.failures.findLastIndex((failure) => failure.file === ENTRIES_FILE));
    }
  });
});
