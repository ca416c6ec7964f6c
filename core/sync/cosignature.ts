// C2SP tlog-cosignature/v1 (Ed25519): the witness's and the mirror's timestamped signatures on a device checkpoint.
import type { Sha256 } from '../shared/sha256.ts';
import { base64ToBytes, bytesEqual, bytesToBase64, concatBytes, utf8Bytes } from '../audit/bytes.ts';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../audit/ed25519.ts';
import type { Ed25519Seed, Ed25519Verifier } from '../audit/ed25519.ts';
import { isValidKeyName } from '../audit/note.ts';

const ALG_COSIGNATURE_V1 = 0x04;
const SIGNATURE_PREFIX = '\u2014 ';

export type Cosigner = { readonly name: string; readonly seed: Ed25519Seed };
export type CosignerKey = { readonly name: string; readonly keyId: Uint8Array; readonly publicKey: Uint8Array };

/** SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key)[:4]. */
export const cosignerKeyId = (name: string, publicKey: Uint8Array, sha256: Sha256): Uint8Array =>
  sha256(concatBytes(utf8Bytes(name), Uint8Array.of(0x0a, ALG_COSIGNATURE_V1), publicKey)).slice(0, 4);

export const cosignerKey = (cosigner: Cosigner, sha256: Sha256): CosignerKey => {
  const publicKey = ed25519PublicKey(cosigner.seed);
  return { name: cosigner.name, keyId: cosignerKeyId(cosigner.name, publicKey, sha256), publicKey };
};

/** The vkey string: <name>+<key id hex>+<base64(0x04 ‖ public key)>. */
export const formatCosignerKey = (key: CosignerKey): string =>
  `${key.name}+${[...key.keyId].map((b) => b.toString(16).padStart(2, '0')).join('')}+${bytesToBase64(
    concatBytes(Uint8Array.of(ALG_COSIGNATURE_V1), key.publicKey),
  )}`;

const cosignedMessage = (checkpointText: string, timestamp: number): Uint8Array =>
  utf8Bytes(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);

const timestampBytes = (timestamp: number): Uint8Array => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(timestamp));
  return bytes;
};

/** One note signature line "— <name> base64(key id ‖ u64 timestamp ‖ signature)\n" over the checkpoint's text. */
export const cosignCheckpoint = (
  checkpointText: string,
  cosigner: Cosigner,
  timestampSeconds: number,
  sha256: Sha256,
): string => {
  if (!isValidKeyName(cosigner.name)) throw new RangeError(`invalid cosigner name ${JSON.stringify(cosigner.name)}`);
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new RangeError('bad cosignature time');
  const key = cosignerKey(cosigner, sha256);
  const signature = ed25519Sign(cosignedMessage(checkpointText, timestampSeconds), cosigner.seed);
  return `${SIGNATURE_PREFIX}${cosigner.name} ${bytesToBase64(concatBytes(key.keyId, timestampBytes(timestampSeconds), signature))}\n`;
};

/** The cosignature's time if `line` is a valid cosignature by `key` on the checkpoint text, else null. */
export const verifyCosignature = (
  checkpointText: string,
  line: string,
  key: CosignerKey,
  verify: Ed25519Verifier = ed25519Verify,
): number | null => {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (!text.startsWith(SIGNATURE_PREFIX)) return null;
  const rest = text.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0 || rest.slice(0, space) !== key.name) return null;
  const raw = base64ToBytes(rest.slice(space + 1));
  if (!raw || raw.length !== 4 + 8 + 64 || !bytesEqual(raw.subarray(0, 4), key.keyId)) return null;
  const timestamp = Number(new DataView(raw.buffer, raw.byteOffset + 4, 8).getBigUint64(0));
  if (!Number.isSafeInteger(timestamp)) return null;
  return verify(raw.subarray(12), cosignedMessage(checkpointText, timestamp), key.publicKey) ? timestamp : null;
};

/** Reads a cosigner vkey (<name>+<key id hex>+<base64(0x04 ‖ public key)>), checking that the key id matches. */
export const parseCosignerKey = (text: string, sha256: Sha256): CosignerKey | null => {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return null;
  const name = text.slice(0, first);
  const raw = base64ToBytes(text.slice(second + 1));
  if (!isValidKeyName(name) || !raw || raw.length !== 33 || raw[0] !== ALG_COSIGNATURE_V1) return null;
  const publicKey = raw.slice(1);
  const keyId = cosignerKeyId(name, publicKey, sha256);
  const idHex = [...keyId].map((b) => b.toString(16).padStart(2, '0')).join('');
  return idHex === text.slice(first + 1, second) ? { name, keyId, publicKey } : null;
};
