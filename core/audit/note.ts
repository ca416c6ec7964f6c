// C2SP signed notes (the golang.org/x/mod/sumdb/note format): Ed25519 key ids, verifier keys, signing and opening.
import type { Sha256 } from '../shared/sha256.ts';
import {
  base64ToBytes,
  bytesEqual,
  bytesToBase64,
  bytesToHex,
  concatBytes,
  utf8Bytes,
  utf8TextStrict,
} from './bytes.ts';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from './ed25519.ts';
import type { Ed25519Seed, Ed25519Verifier } from './ed25519.ts';

const ALG_ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 '; // "— ", an em dash and a space
const MAX_SIGNATURES = 100;

/** A public key a verifier accepts signatures from, as the note format names it. */
export type NoteVerifierKey = {
  readonly name: string;
  /** The 4-byte key id: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4]. */
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
};

export type NoteSigner = { readonly name: string; readonly seed: Ed25519Seed };

export type NoteSignature = {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
  /** The signature line exactly as it appears in the note. */
  readonly line: string;
};

export type ParsedNote = { readonly text: string; readonly signatures: readonly NoteSignature[] };

/** A key name is non-empty, valid text, without spaces or "+". */
export const isValidKeyName = (name: string): boolean =>
  name.length > 0 &&
  name.isWellFormed() &&
  !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);

export const noteKeyId = (name: string, publicKey: Uint8Array, sha256: Sha256): Uint8Array =>
  sha256(concatBytes(utf8Bytes(name), Uint8Array.of(0x0a, ALG_ED25519), publicKey)).slice(0, 4);

export const noteVerifierKeyFromSeed = (name: string, seed: Ed25519Seed, sha256: Sha256): NoteVerifierKey => {
  const publicKey = ed25519PublicKey(seed);
  return { name, keyId: noteKeyId(name, publicKey, sha256), publicKey };
};

/** The verifier key string: <name>+<key id hex>+<base64(0x01 ‖ public key)>. */
export const formatVerifierKey = (key: NoteVerifierKey): string =>
  `${key.name}+${bytesToHex(key.keyId)}+${bytesToBase64(concatBytes(Uint8Array.of(ALG_ED25519), key.publicKey))}`;

/** The signer key string Go's note.NewSigner reads: PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 ‖ seed)>. */
export const formatSignerKey = (signer: NoteSigner, sha256: Sha256): string => {
  const key = noteVerifierKeyFromSeed(signer.name, signer.seed, sha256);
  return `PRIVATE+KEY+${signer.name}+${bytesToHex(key.keyId)}+${bytesToBase64(concatBytes(Uint8Array.of(ALG_ED25519), signer.seed))}`;
};

export type VerifierKeyProblem = { readonly reason: string };

export const parseVerifierKey = (
  text: string,
  sha256: Sha256,
): { ok: true; value: NoteVerifierKey } | { ok: false; error: VerifierKeyProblem } => {
  // Split at the first two "+" only: the base64 key may itself contain "+".
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return { ok: false, error: { reason: 'a verifier key is <name>+<key id>+<base64 key>' } };
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const keyBase64 = text.slice(second + 1);
  if (!isValidKeyName(name)) return { ok: false, error: { reason: `invalid key name ${JSON.stringify(name)}` } };
  if (!/^[0-9a-f]{8}$/.test(idHex))
    return { ok: false, error: { reason: 'the key id must be 8 lower-case hex digits' } };
  const raw = base64ToBytes(keyBase64);
  if (!raw) return { ok: false, error: { reason: 'the key is not canonical base64' } };
  if (raw.length !== 33 || raw[0] !== ALG_ED25519)
    return { ok: false, error: { reason: 'only Ed25519 keys (algorithm 1, 32 bytes) are supported' } };
  const publicKey = raw.slice(1);
  const keyId = noteKeyId(name, publicKey, sha256);
  if (bytesToHex(keyId) !== idHex)
    return { ok: false, error: { reason: 'the key id does not match the name and key' } };
  return { ok: true, value: { name, keyId, publicKey } };
};

/** Signs note text (which must end in a newline) and returns the whole signed note. */
export const signNote = (text: string, signers: readonly NoteSigner[], sha256: Sha256): string => {
  if (!text.endsWith('\n')) throw new RangeError('note text must end with a newline');
  const message = utf8Bytes(text);
  let lines = '';
  for (const signer of signers) {
    if (!isValidKeyName(signer.name)) throw new RangeError(`invalid key name ${JSON.stringify(signer.name)}`);
    const key = noteVerifierKeyFromSeed(signer.name, signer.seed, sha256);
    const signature = ed25519Sign(message, signer.seed);
    lines += `${SIGNATURE_PREFIX}${signer.name} ${bytesToBase64(concatBytes(key.keyId, signature))}\n`;
  }
  return `${text}\n${lines}`;
};

/**
 * Splits a signed note into text and signature lines under the note format's rules: valid UTF-8, no control
 * characters but newline, a blank line before the signature block, each line "— <name> <base64(id ‖ sig)>".
 */
export const parseNote = (bytes: Uint8Array): { ok: true; value: ParsedNote } | { ok: false; error: string } => {
  const message = utf8TextStrict(bytes);
  if (message === null) return { ok: false, error: 'the note is not valid UTF-8' };
  for (let i = 0; i < message.length; i++) {
    const code = message.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return { ok: false, error: `control character at offset ${i}` };
  }
  const split = message.lastIndexOf('\n\n');
  if (split < 0) return { ok: false, error: 'no blank line before the signatures' };
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n'))
    return { ok: false, error: 'the signature block must end with a newline' };
  const signatures: NoteSignature[] = [];
  for (const line of block.slice(0, -1).split('\n')) {
    if (!line.startsWith(SIGNATURE_PREFIX))
      return { ok: false, error: `signature line does not start with "— ": ${line}` };
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const encoded = space < 0 ? '' : rest.slice(space + 1);
    const raw = base64ToBytes(encoded);
    if (!isValidKeyName(name) || encoded === '' || raw === null || raw.length < 5)
      return { ok: false, error: `malformed signature line: ${line}` };
    signatures.push({ name, keyId: raw.slice(0, 4), signature: raw.slice(4), line });
    if (signatures.length > MAX_SIGNATURES) return { ok: false, error: 'too many signatures' };
  }
  return { ok: true, value: { text, signatures } };
};

export const signatureMatchesKey = (signature: NoteSignature, key: NoteVerifierKey): boolean =>
  signature.name === key.name && bytesEqual(signature.keyId, key.keyId);

export const verifyNoteSignature = (
  text: string,
  signature: NoteSignature,
  key: NoteVerifierKey,
  verify: Ed25519Verifier = ed25519Verify,
): boolean => signatureMatchesKey(signature, key) && verify(signature.signature, utf8Bytes(text), key.publicKey);
