// Sealing personal data under the region key (AES-256-GCM), bound to its origin and sequence so it cannot be moved.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const aad = (origin: string, sequence: number): Buffer =>
  Buffer.from(`perimeter-hub-personal/v1\n${origin}\n${sequence}\n`);

export const sealPersonalData = (key: Uint8Array, origin: string, sequence: number, data: Uint8Array): Uint8Array => {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(origin, sequence));
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]));
};

export const openPersonalData = (key: Uint8Array, origin: string, sequence: number, sealed: Uint8Array): Uint8Array => {
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad(origin, sequence));
  decipher.setAuthTag(tag);
  return new Uint8Array(
    Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]),
  );
};
