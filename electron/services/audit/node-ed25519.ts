// A native (OpenSSL) Ed25519 signature check for the verifier: the same answer as the portable one, much faster.
import { createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Ed25519Verifier } from '../../../core/audit/ed25519.ts';

// DER SubjectPublicKeyInfo prefix for a raw 32-byte Ed25519 key (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keyCache = new Map<string, KeyObject>();

const publicKeyObject = (raw: Uint8Array): KeyObject => {
  const id = Buffer.from(raw).toString('hex');
  let key = keyCache.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    keyCache.set(id, key);
  }
  return key;
};

export const nodeEd25519Verify: Ed25519Verifier = (signature, message, publicKey) => {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
};
