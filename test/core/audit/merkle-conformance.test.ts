// Every RFC 6962 / RFC 9162 probe in ../shared/data/conformance/rfc6962-merkle: happy paths verify, wantErr ones fail.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { portableSha256 } from '../../../core/shared/sha256.ts';
import {
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from '../../../core/audit/merkle.ts';
import { sha256 as nativeSha256 } from './fixtures.ts';

const probesRoot = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'conformance', 'rfc6962-merkle');

const listJson = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listJson(path);
    return name.endsWith('.json') ? [path] : [];
  });

type Probe = Record<string, unknown> & { wantErr: boolean; desc: string; proof: string[] | null };

const bytes = (value: unknown): Uint8Array => Buffer.from(String(value), 'base64');
const proofOf = (probe: Probe): Uint8Array[] => (probe.proof ?? []).map((item) => bytes(item));
const num = (value: unknown): number => Number(value);

const check = (kind: string, probe: Probe, sha = portableSha256): boolean => {
  switch (kind) {
    case 'inclusion':
      return verifyInclusion(
        sha,
        num(probe.leafIdx),
        num(probe.treeSize),
        bytes(probe.leafHash),
        proofOf(probe),
        bytes(probe.root),
      ).ok;
    case 'consistency':
      return verifyConsistency(
        sha,
        num(probe.size1),
        num(probe.size2),
        proofOf(probe),
        bytes(probe.root1),
        bytes(probe.root2),
      ).ok;
    case 'subtreeinclusion':
      return verifySubtreeInclusion(
        sha,
        num(probe.leafIdx),
        num(probe.start),
        num(probe.end),
        bytes(probe.leafHash),
        proofOf(probe),
        bytes(probe.root),
      ).ok;
    case 'subtreeconsistency':
      return verifySubtreeConsistency(
        sha,
        num(probe.start),
        num(probe.end),
        num(probe.size),
        proofOf(probe),
        bytes(probe.root1),
        bytes(probe.root2),
      ).ok;
    default:
      throw new Error(`unknown probe kind ${kind}`);
  }
};

const files = listJson(probesRoot);

describe('RFC 6962 Merkle conformance probes', () => {
  it('finds the probe corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(500);
  });

  for (const kind of ['inclusion', 'consistency', 'subtreeinclusion', 'subtreeconsistency']) {
    it(`${kind}: every probe verifies or fails as it says`, () => {
      const mine = files.filter((file) => relative(probesRoot, file).split('/')[0] === kind);
      expect(mine.length).toBeGreaterThan(50);
      const wrong: string[] = [];
      for (const file of mine) {
        const probe = JSON.parse(readFileSync(file, 'utf8')) as Probe;
        for (const sha of [portableSha256, nativeSha256]) {
          const verified = check(kind, probe, sha);
          if (verified === probe.wantErr) wrong.push(`${relative(probesRoot, file)}: wantErr=${probe.wantErr}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
