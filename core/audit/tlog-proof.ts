// C2SP tlog-proof: an offline proof that one entry is in the log, checkable against the checkpoint it carries.
import type { Sha256 } from '../shared/sha256.ts';
import { base64ToBytes, bytesToBase64, utf8Bytes, utf8TextStrict } from './bytes.ts';
import { parseSignedCheckpoint } from './checkpoint.ts';
import type { CheckpointBody } from './checkpoint.ts';
import type { Ed25519Verifier } from './ed25519.ts';
import { hashLeaf, verifyInclusion } from './merkle.ts';
import type { MerkleHash } from './merkle.ts';
import { signatureMatchesKey, verifyNoteSignature } from './note.ts';
import type { NoteVerifierKey } from './note.ts';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export type TlogProof = {
  /** Opaque, unauthenticated context; Perimeter puts the entry's canonical bytes here so the proof stands alone. */
  readonly extra: Uint8Array | null;
  readonly index: number;
  readonly proof: readonly MerkleHash[];
  /** The signed checkpoint, verbatim. */
  readonly checkpoint: Uint8Array;
};

export const formatTlogProof = (proof: TlogProof): string => {
  const checkpoint = utf8TextStrict(proof.checkpoint);
  if (checkpoint === null) throw new RangeError('the checkpoint is not UTF-8');
  const lines = [TLOG_PROOF_HEADER];
  if (proof.extra) lines.push(`extra ${bytesToBase64(proof.extra)}`);
  lines.push(`index ${proof.index}`);
  for (const hash of proof.proof) lines.push(bytesToBase64(hash));
  return `${lines.join('\n')}\n\n${checkpoint}`;
};

export const parseTlogProof = (bytes: Uint8Array): { ok: true; value: TlogProof } | { ok: false; error: string } => {
  const text = utf8TextStrict(bytes);
  if (text === null) return { ok: false, error: 'the proof is not valid UTF-8' };
  const split = text.indexOf('\n\n');
  if (split < 0) return { ok: false, error: 'no blank line between the proof and the checkpoint' };
  const lines = text.slice(0, split).split('\n');
  if (lines[0] !== TLOG_PROOF_HEADER) return { ok: false, error: `the first line must be ${TLOG_PROOF_HEADER}` };
  let at = 1;
  let extra: Uint8Array | null = null;
  if (lines[at]?.startsWith('extra ')) {
    extra = base64ToBytes(lines[at]!.slice('extra '.length));
    if (!extra) return { ok: false, error: 'the extra line is not canonical base64' };
    at++;
  }
  const indexMatch = /^index (0|[1-9][0-9]*)$/.exec(lines[at] ?? '');
  if (!indexMatch) return { ok: false, error: 'expected "index <decimal>"' };
  const index = Number(indexMatch[1]);
  if (!Number.isSafeInteger(index)) return { ok: false, error: 'the index is beyond what this verifier supports' };
  const proof: MerkleHash[] = [];
  for (const line of lines.slice(at + 1)) {
    const hash = base64ToBytes(line);
    if (!hash || hash.length !== 32)
      return { ok: false, error: `proof line ${JSON.stringify(line)} is not a base64 SHA-256 hash` };
    proof.push(hash);
  }
  return { ok: true, value: { extra, index, proof, checkpoint: utf8Bytes(text.slice(split + 2)) } };
};

export type TlogProofCheck = {
  readonly ok: boolean;
  readonly reason: string;
  readonly checkpoint: CheckpointBody | null;
  /** 'verified' when a given key signed the checkpoint, 'unverified' when no key was given. */
  readonly signature: 'verified' | 'unverified' | 'invalid';
};

/** Checks the inclusion proof against the checkpoint root, and the checkpoint signature against the keys given. */
export const verifyTlogProof = (
  bytes: Uint8Array,
  options: {
    readonly sha256: Sha256;
    readonly entry?: Uint8Array;
    readonly keys?: readonly NoteVerifierKey[];
    readonly ed25519Verify?: Ed25519Verifier;
  },
): TlogProofCheck => {
  const parsed = parseTlogProof(bytes);
  if (!parsed.ok) return { ok: false, reason: parsed.error, checkpoint: null, signature: 'unverified' };
  const checkpoint = parseSignedCheckpoint(parsed.value.checkpoint);
  if (!checkpoint.ok)
    return { ok: false, reason: `checkpoint: ${checkpoint.error}`, checkpoint: null, signature: 'unverified' };
  const { body, note } = checkpoint.value;
  const entry = options.entry ?? parsed.value.extra;
  if (!entry)
    return {
      ok: false,
      reason: 'no entry bytes: pass the entry or use a proof with an extra line',
      checkpoint: body,
      signature: 'unverified',
    };
  const leaf = hashLeaf(options.sha256, entry);
  const inclusion = verifyInclusion(options.sha256, parsed.value.index, body.size, leaf, parsed.value.proof, body.root);
  let signature: TlogProofCheck['signature'] = 'unverified';
  const keys = options.keys ?? [];
  if (keys.length > 0) {
    const signed = note.signatures.some((sig) =>
      keys.some(
        (key) => signatureMatchesKey(sig, key) && verifyNoteSignature(note.text, sig, key, options.ed25519Verify),
      ),
    );
    signature = signed ? 'verified' : 'invalid';
  }
  if (!inclusion.ok) return { ok: false, reason: `inclusion: ${inclusion.reason}`, checkpoint: body, signature };
  if (signature === 'invalid')
    return { ok: false, reason: 'the checkpoint is not signed by any of the given keys', checkpoint: body, signature };
  return { ok: true, reason: 'the entry is in the log at the checkpoint', checkpoint: body, signature };
};
