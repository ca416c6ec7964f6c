// C2SP tlog-checkpoint bodies (origin, tree size, base64 RFC 6962 root) and their signed-note form.
import type { Sha256 } from '../shared/sha256.ts';
import { base64ToBytes, bytesToBase64 } from './bytes.ts';
import { parseNote, signNote } from './note.ts';
import type { NoteSigner, ParsedNote } from './note.ts';

export type CheckpointBody = {
  readonly origin: string;
  /** Tree sizes beyond 2^53 are refused when parsed rather than rounded. */
  readonly size: number;
  readonly root: Uint8Array;
};

export type SignedCheckpoint = { readonly body: CheckpointBody; readonly note: ParsedNote };

export const formatCheckpointBody = (body: CheckpointBody): string =>
  `${body.origin}\n${body.size}\n${bytesToBase64(body.root)}\n`;

export const parseCheckpointBody = (
  text: string,
): { ok: true; value: CheckpointBody } | { ok: false; error: string } => {
  if (!text.endsWith('\n')) return { ok: false, error: 'the checkpoint text must end with a newline' };
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return { ok: false, error: 'a checkpoint has an origin, a size and a root hash line' };
  // Extension lines are legal C2SP but Perimeter never writes them, so any that appear were added by someone else.
  if (lines.length > 3) return { ok: false, error: 'unexpected extension lines after the root hash' };
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin.length === 0) return { ok: false, error: 'the origin line is empty' };
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText))
    return { ok: false, error: `tree size ${JSON.stringify(sizeText)} is not a decimal` };
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size))
    return { ok: false, error: `tree size ${sizeText} is beyond what this verifier supports` };
  const root = base64ToBytes(rootText);
  if (root === null || root.length !== 32)
    return { ok: false, error: 'the root hash is not 32 bytes of canonical base64' };
  return { ok: true, value: { origin, size, root } };
};

export const signCheckpoint = (body: CheckpointBody, signers: readonly NoteSigner[], sha256: Sha256): string =>
  signNote(formatCheckpointBody(body), signers, sha256);

/** Parses a signed checkpoint; signatures are checked by the caller, who knows which keys to trust. */
export const parseSignedCheckpoint = (
  bytes: Uint8Array,
): { ok: true; value: SignedCheckpoint } | { ok: false; error: string } => {
  const note = parseNote(bytes);
  if (!note.ok) return note;
  const body = parseCheckpointBody(note.value.text);
  if (!body.ok) return body;
  return { ok: true, value: { body: body.value, note: note.value } };
};
