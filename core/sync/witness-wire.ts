// The C2SP tlog-witness add-checkpoint request body: "old N", consistency proof lines, a blank line, the checkpoint.
import { base64ToBytes, bytesToBase64, utf8Bytes, utf8TextStrict } from '../audit/bytes.ts';
import type { MerkleHash } from '../audit/merkle.ts';

export const MAX_PROOF_LINES = 63;

export type AddCheckpointRequest = {
  readonly oldSize: number;
  readonly proof: readonly MerkleHash[];
  /** The signed checkpoint, verbatim. */
  readonly checkpoint: Uint8Array;
};

export const formatAddCheckpoint = (request: AddCheckpointRequest): Uint8Array => {
  const checkpoint = utf8TextStrict(request.checkpoint);
  if (checkpoint === null) throw new RangeError('the checkpoint is not UTF-8');
  const lines = [`old ${request.oldSize}`, ...request.proof.map((hash) => bytesToBase64(hash))];
  return utf8Bytes(`${lines.join('\n')}\n\n${checkpoint}`);
};

export const parseAddCheckpoint = (
  body: Uint8Array,
): { ok: true; value: AddCheckpointRequest } | { ok: false; error: string } => {
  const text = utf8TextStrict(body);
  if (text === null) return { ok: false, error: 'the request body is not UTF-8' };
  const split = text.indexOf('\n\n');
  if (split < 0) return { ok: false, error: 'no blank line between the proof and the checkpoint' };
  const lines = text.slice(0, split).split('\n');
  const old = /^old (0|[1-9][0-9]*)$/.exec(lines[0] ?? '');
  if (!old) return { ok: false, error: 'the first line must be "old <decimal size>"' };
  const oldSize = Number(old[1]);
  if (!Number.isSafeInteger(oldSize)) return { ok: false, error: 'the old size is too large' };
  const proofLines = lines.slice(1);
  if (proofLines.length > MAX_PROOF_LINES) return { ok: false, error: `more than ${MAX_PROOF_LINES} proof lines` };
  const proof: MerkleHash[] = [];
  for (const line of proofLines) {
    const hash = base64ToBytes(line);
    if (!hash || hash.length !== 32) return { ok: false, error: `proof line ${JSON.stringify(line)} is not a hash` };
    proof.push(hash);
  }
  return { ok: true, value: { oldSize, proof, checkpoint: utf8Bytes(text.slice(split + 2)) } };
};

/** The 409 body of add-checkpoint (Content-Type text/x.tlog.size): the witness's size for the origin. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';
export const parseTlogSize = (text: string): number | null => {
  const match = /^(0|[1-9][0-9]*)\n$/.exec(text);
  return match && Number.isSafeInteger(Number(match[1])) ? Number(match[1]) : null;
};
