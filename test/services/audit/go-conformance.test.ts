// Conformance: Go's golang.org/x/mod/sumdb/note and sumdb/tlog accept our checkpoints and proofs, and reject tampering.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../../../core/audit/bytes.ts';
import { consistencyProof, inclusionProof } from '../../../core/audit/merkle.ts';
import {
  formatSignerKey,
  formatVerifierKey,
  noteVerifierKeyFromSeed,
  parseNote,
  verifyNoteSignature,
} from '../../../core/audit/note.ts';
import { parseVerifierKey } from '../../../core/audit/note.ts';
import { formatTlogProof } from '../../../core/audit/tlog-proof.ts';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { buildTestLog, seedFrom } from '../../core/audit/fixtures.ts';
import { GO_X_MOD } from '../../../scripts/prerequisites.ts';
import { tempDir } from '../store/temp.ts';

const goAvailable = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
const xModAvailable = existsSync(GO_X_MOD);
const source = join(import.meta.dirname, '..', '..', 'conformance', 'go', 'main.go');

type GoResult = { ok: boolean; error?: string; size?: number; root?: string; signatures?: number };
type GoResponse = {
  checkpoints: GoResult[] | null;
  proofs: GoResult[] | null;
  consistency: GoResult[] | null;
  signed?: string;
};

describe('conformance with Go (golang.org/x/mod/sumdb)', () => {
  // Never skipped: the tool can always be had (npm test installs it, or names the command), so its absence is a failure.
  if (!goAvailable || !xModAvailable) {
    it('needs Go and golang.org/x/mod', () => {
      expect.fail(
        `${goAvailable ? `${GO_X_MOD} is missing` : 'go is not installed'}: ` +
          'apt-get install -y --no-install-recommends golang-go golang-golang-x-mod-dev (npm test does it as root)',
      );
    });
    return;
  }

  const dir = tempDir('go');
  const binary = join(dir, 'conformance');
  const build = spawnSync('go', ['build', '-o', binary, source], {
    encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(dir, 'cache'), GOFLAGS: '' },
  });

  const run = (request: object): GoResponse => {
    const result = spawnSync(binary, [], { input: JSON.stringify(request), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`conformance binary failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as GoResponse;
  };

  const log = buildTestLog({ entries: 37, checkpointEvery: 5, rotateAfter: [18], label: 'go' });
  const verified = verifyAuditBundle(log.files, { sha256: nodeSha256 });
  const verifierKeys = log.seeds.map((seed) =>
    formatVerifierKey(noteVerifierKeyFromSeed(log.identity.origin, seed, nodeSha256)),
  );
  const checkpoints = verified.log.checkpoints;
  const notes = checkpoints.map((checkpoint) => new TextDecoder().decode(checkpoint.note));

  it('builds the Go checker offline against the Debian package', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(verified.report.verdict).toBe('valid');
  });

  it('opens every checkpoint note and reads the same size and root', () => {
    const response = run({ verifierKeys, checkpoints: notes, proofs: [], consistency: [] });
    expect(response.checkpoints).toHaveLength(checkpoints.length);
    response.checkpoints!.forEach((result, i) => {
      expect(result.error ?? '').toBe('');
      expect(result.size).toBe(checkpoints[i]!.body.size);
      expect(result.root).toBe(bytesToBase64(checkpoints[i]!.body.root));
    });
    // The hand-over checkpoint carries both keys' signatures, and Go verifies both.
    expect(Math.max(...response.checkpoints!.map((result) => result.signatures ?? 0))).toBe(2);
  });

  it('verifies our inclusion proofs (C2SP tlog-proof) for every entry against several checkpoints', () => {
    const proofs: string[] = [];
    for (const checkpoint of [checkpoints[2]!, checkpoints.at(-1)!])
      for (let index = 0; index < checkpoint.body.size; index++)
        proofs.push(
          formatTlogProof({
            extra: verified.log.entryBytes(index),
            index,
            proof: inclusionProof(verified.log.tree.read, nodeSha256, index, checkpoint.body.size),
            checkpoint: checkpoint.note,
          }),
        );
    const response = run({ verifierKeys, checkpoints: [], proofs, consistency: [] });
    expect(response.proofs!.filter((result) => !result.ok)).toEqual([]);
    expect(response.proofs).toHaveLength(proofs.length);
  });

  it('verifies our consistency proofs between every pair of checkpoints', () => {
    const consistency = [];
    for (const older of checkpoints)
      for (const newer of checkpoints)
        if (older.body.size < newer.body.size)
          consistency.push({
            oldSize: older.body.size,
            oldRoot: bytesToBase64(older.body.root),
            newSize: newer.body.size,
            newRoot: bytesToBase64(newer.body.root),
            proof: consistencyProof(verified.log.tree.read, nodeSha256, older.body.size, newer.body.size).map(
              bytesToBase64,
            ),
          });
    const response = run({ verifierKeys, checkpoints: [], proofs: [], consistency });
    expect(consistency.length).toBeGreaterThan(20);
    expect(response.consistency!.filter((result) => !result.ok)).toEqual([]);
  });

  it('rejects what we tamper with: a checkpoint root, a proof hash, an index, a consistency proof', () => {
    const last = checkpoints.at(-1)!;
    const lines = notes.at(-1)!.split('\n');
    lines[2] = bytesToBase64(nodeSha256(new Uint8Array([1])));
    const proof = formatTlogProof({
      extra: verified.log.entryBytes(3),
      index: 3,
      proof: inclusionProof(verified.log.tree.read, nodeSha256, 3, last.body.size),
      checkpoint: last.note,
    });
    const proofLines = proof.split('\n');
    proofLines[3] = bytesToBase64(nodeSha256(new Uint8Array([2])));
    const response = run({
      verifierKeys,
      checkpoints: [lines.join('\n')],
      proofs: [proofLines.join('\n'), proof.replace('index 3', 'index 4')],
      consistency: [
        {
          oldSize: checkpoints[0]!.body.size,
          oldRoot: bytesToBase64(checkpoints[1]!.body.root),
          newSize: last.body.size,
          newRoot: bytesToBase64(last.body.root),
          proof: consistencyProof(verified.log.tree.read, nodeSha256, checkpoints[0]!.body.size, last.body.size).map(
            bytesToBase64,
          ),
        },
      ],
    });
    expect(response.checkpoints![0]!.ok).toBe(false);
    expect(response.proofs!.map((result) => result.ok)).toEqual([false, false]);
    expect(response.consistency![0]!.ok).toBe(false);
  });

  it('reads a note Go signed with a key we formatted', () => {
    const seed = seedFrom('go-signer');
    const name = 'perimeter.test/go';
    const response = run({
      verifierKeys: [],
      checkpoints: [],
      proofs: [],
      consistency: [],
      signerKey: formatSignerKey({ name, seed }, nodeSha256),
      signText: 'perimeter.test/go\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n',
    });
    const note = parseNote(new TextEncoder().encode(response.signed));
    const key = parseVerifierKey(formatVerifierKey(noteVerifierKeyFromSeed(name, seed, nodeSha256)), nodeSha256);
    expect(note.ok && key.ok).toBe(true);
    if (note.ok && key.ok)
      expect(verifyNoteSignature(note.value.text, note.value.signatures[0]!, key.value)).toBe(true);
  });
});
