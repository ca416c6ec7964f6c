// The distribution statement (decision 0253): a signed note over one canonical manifest, and every check a device
// makes before it activates what the statement names.
import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../../core/audit/bytes.ts';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../../core/audit/note.ts';
import {
  distributionNoteText,
  readDistributionNote,
  signDistribution,
  verifyDistribution,
} from '../../../core/sync/distribution.ts';
import type { DistributionManifest } from '../../../core/sync/distribution.ts';
import { portableSha256 } from '../../../core/shared/sha256.ts';

const sha256 = portableSha256;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const publisher = { name: 'perimeter-publisher/eu-west', seed: new Uint8Array(32).fill(7) };
const other = { name: 'perimeter-publisher/eu-west', seed: new Uint8Array(32).fill(9) };
const key = (s: typeof publisher): string => formatVerifierKey(noteVerifierKeyFromSeed(s.name, s.seed, sha256));
const content = utf8Bytes('name: example\n');
const manifest: DistributionManifest = {
  region: 'eu-west',
  stream: 'policy',
  sequence: 3,
  kind: 'policy',
  version: 'v3',
  label: '2026.12-1',
  contentSha256: hex(sha256(content)),
  publishedAt: '2026-12-07T10:00:00.000Z',
};
const check = (overrides: Partial<Parameters<typeof verifyDistribution>[0]> = {}) =>
  verifyDistribution({
    note: signDistribution(manifest, publisher, sha256),
    content,
    trustedKeys: [key(publisher)],
    region: 'eu-west',
    stream: 'policy',
    activeSequence: 2,
    sha256,
    ...overrides,
  });

describe('distribution statements', () => {
  it('verify against the pinned key and name the signer and signature', () => {
    const result = check();
    expect(result).toMatchObject({
      ok: true,
      value: { manifest, signer: key(publisher).split('+').slice(0, 2).join('+') },
    });
    expect(distributionNoteText(manifest)).toMatch(/^perimeter-distribution\/v1\n\{"contentSha256":/);
  });

  it('refuse another signer, another region, another stream, other content and an old sequence', () => {
    expect(check({ trustedKeys: [key(other)] })).toMatchObject({ ok: false, problem: 'untrusted_signature' });
    expect(check({ note: signDistribution(manifest, other, sha256) })).toMatchObject({
      problem: 'untrusted_signature',
    });
    expect(check({ region: 'us-east' })).toMatchObject({ problem: 'wrong_region' });
    expect(check({ stream: 'list:internal' })).toMatchObject({ problem: 'wrong_stream' });
    expect(check({ content: utf8Bytes('name: other\n') })).toMatchObject({ problem: 'content_mismatch' });
    expect(check({ activeSequence: 3 })).toMatchObject({ problem: 'not_newer' });
  });

  it('refuse a manifest edited after signing, and text that is not one canonical manifest', () => {
    const note = signDistribution(manifest, publisher, sha256);
    expect(check({ note: note.replace('"sequence":3', '"sequence":9') })).toMatchObject({
      problem: 'untrusted_signature',
    });
    expect(check({ note: note.replace('"kind":"policy",', '"kind": "policy",') })).toMatchObject({
      problem: 'malformed',
    });
    expect(readDistributionNote('perimeter-distribution/v1\n{}\n\n— x AAAA\n')).toMatchObject({ ok: false });
  });
});
