// The sync wire formats in core: subtree consistency proofs against the audit log's verifier, tlog-cosignature/v1,
// the add-checkpoint and add-entries bodies (a cut body keeps only its complete packages), and signed request bytes.
import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../../core/audit/bytes.ts';
import {
  createMemoryMerkleTree,
  hashLeaf,
  isValidSubtree,
  rangeHash,
  verifySubtreeConsistency,
} from '../../../core/audit/merkle.ts';
import { subtreeConsistencyProof } from '../../../core/audit/subtree-proof.ts';
import { portableSha256 as sha256 } from '../../../core/shared/sha256.ts';
import {
  cosignCheckpoint,
  cosignerKey,
  formatCosignerKey,
  parseCosignerKey,
  verifyCosignature,
} from '../../../core/sync/cosignature.ts';
import {
  formatAddEntriesHeader,
  formatEntryPackage,
  packageIntervals,
  parseAddEntries,
  parseMirrorInfo,
  formatMirrorInfo,
} from '../../../core/sync/mirror-wire.ts';
import { freshnessProblem, requestSigningBytes } from '../../../core/sync/request-auth.ts';
import { formatAddCheckpoint, parseAddCheckpoint, parseTlogSize } from '../../../core/sync/witness-wire.ts';

const tree = (size: number) => {
  const t = createMemoryMerkleTree(sha256);
  for (let i = 0; i < size; i++) t.append(hashLeaf(sha256, Uint8Array.of(i & 0xff, i >> 8)));
  return t;
};

describe('subtree consistency proofs', () => {
  it('verify for every valid subtree of trees up to 40 leaves, and fail for a wrong subtree hash', () => {
    const t = tree(40);
    let checked = 0;
    for (let size = 1; size <= 40; size++)
      for (let start = 0; start < size; start++)
        for (let end = start + 1; end <= size; end++) {
          if (!isValidSubtree(start, end)) continue;
          const proof = subtreeConsistencyProof(t.read, sha256, start, end, size);
          const hash = rangeHash(t.read, sha256, start, end);
          expect(verifySubtreeConsistency(sha256, start, end, size, proof, hash, t.root(size)).ok).toBe(true);
          const wrong = Uint8Array.from(hash);
          wrong[0]! ^= 1;
          expect(verifySubtreeConsistency(sha256, start, end, size, proof, wrong, t.root(size)).ok).toBe(false);
          checked++;
        }
    expect(checked).toBeGreaterThan(500);
  });

  it('refuses a range that is no valid subtree', () => {
    expect(() => subtreeConsistencyProof(tree(8).read, sha256, 1, 3, 8)).toThrow(RangeError);
  });
});

describe('tlog-cosignature/v1', () => {
  const cosigner = { name: 'perimeter-hub/eu-west/witness', seed: new Uint8Array(32).fill(3) };
  const key = cosignerKey(cosigner, sha256);
  const text = 'perimeter/audit/dev-1\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

  it('signs with a timestamp and verifies; another text, time or key fails', () => {
    const line = cosignCheckpoint(text, cosigner, 1_765_000_000, sha256);
    expect(line).toMatch(/^— perimeter-hub\/eu-west\/witness [A-Za-z0-9+/]+=*\n$/);
    expect(verifyCosignature(text, line, key)).toBe(1_765_000_000);
    expect(verifyCosignature(text.replace('12', '13'), line, key)).toBeNull();
    const other = cosignerKey({ ...cosigner, seed: new Uint8Array(32).fill(4) }, sha256);
    expect(verifyCosignature(text, line, other)).toBeNull();
  });

  it('round-trips its vkey with the 0x04 algorithm byte, and refuses a wrong key id', () => {
    const vkey = formatCosignerKey(key);
    expect(parseCosignerKey(vkey, sha256)).toEqual(key);
    expect(parseCosignerKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'), sha256)).toBeNull();
  });
});

describe('add-checkpoint body', () => {
  it('round-trips, and refuses what the spec forbids', () => {
    const checkpoint = utf8Bytes('o\n2\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— o AAAA\n');
    const body = formatAddCheckpoint({ oldSize: 1, proof: [new Uint8Array(32)], checkpoint });
    expect(parseAddCheckpoint(body)).toMatchObject({ ok: true, value: { oldSize: 1, proof: [new Uint8Array(32)] } });
    expect(parseAddCheckpoint(utf8Bytes('old 01\n\nx'))).toMatchObject({ ok: false });
    const tooLong = `old 1\n${Array.from({ length: 64 }, () => 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=').join('\n')}\n\nx`;
    expect(parseAddCheckpoint(utf8Bytes(tooLong))).toMatchObject({ ok: false, error: 'more than 63 proof lines' });
    expect(parseTlogSize('42\n')).toBe(42);
    expect(parseTlogSize('42')).toBeNull();
  });
});

describe('add-entries body', () => {
  it('aligns packages at multiples of 256', () => {
    expect(packageIntervals(250, 700)).toEqual([
      { start: 250, end: 256 },
      { start: 256, end: 512 },
      { start: 512, end: 700 },
    ]);
    expect(packageIntervals(5, 5)).toEqual([]);
  });

  it('keeps only the complete packages of a cut body', () => {
    const header = formatAddEntriesHeader({ origin: 'o', uploadStart: 250, uploadEnd: 300, ticket: new Uint8Array(0) });
    const first = formatEntryPackage({
      start: 250,
      end: 256,
      entries: Array.from({ length: 6 }, (_, i) => utf8Bytes(`e${i}`)),
      proof: [new Uint8Array(32)],
    });
    const second = formatEntryPackage({
      start: 256,
      end: 300,
      entries: Array.from({ length: 44 }, (_, i) => utf8Bytes(`f${i}`)),
      proof: [],
    });
    const whole = new Uint8Array([...header, ...first, ...second]);
    const parsed = parseAddEntries(whole);
    expect(parsed.ok && parsed.value.packages.map((p) => p.entries.length)).toEqual([6, 44]);
    const cut = parseAddEntries(whole.subarray(0, whole.length - 10));
    expect(cut.ok && cut.value.packages.map((p) => p.entries.length)).toEqual([6]);
    expect(parseAddEntries(header.subarray(0, 5))).toMatchObject({ ok: false });
  });

  it('writes and reads the mirror-info reply', () => {
    const info = { size: 700, next: 512, ticket: new Uint8Array(0) };
    expect(formatMirrorInfo(info)).toBe('700\n512\n\n');
    expect(parseMirrorInfo(formatMirrorInfo(info))).toEqual(info);
  });
});

describe('signed device requests', () => {
  const fields = {
    method: 'post',
    target: '/add-entries',
    region: 'eu-west',
    deviceId: 'd',
    timeSeconds: 100,
    nonce: 'n'.repeat(22),
    body: utf8Bytes('x'),
  };
  it('cover every field, the body by its hash', () => {
    const bytes = new TextDecoder().decode(requestSigningBytes(fields, sha256));
    expect(bytes.split('\n').slice(0, 7)).toEqual([
      'perimeter-sync-request/v1',
      'POST',
      '/add-entries',
      'eu-west',
      'd',
      '100',
      'n'.repeat(22),
    ]);
    expect(requestSigningBytes({ ...fields, body: utf8Bytes('y') }, sha256)).not.toEqual(
      requestSigningBytes(fields, sha256),
    );
    expect(requestSigningBytes({ ...fields, region: 'ap-south' }, sha256)).not.toEqual(
      requestSigningBytes(fields, sha256),
    );
  });
  it('are fresh within 300 seconds either way', () => {
    expect(freshnessProblem(1000, 1300)).toBeNull();
    expect(freshnessProblem(1000, 1301)).toEqual({ reason: 'clock_skew', skewSeconds: -301 });
  });
});
