// The firm's publisher key file (decision 0253): the Ed25519 seed that signs distribution statements, kept by the
// operations admins who publish, never on the hub. Devices pin its verifier key at enrolment.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { base64ToBytes, bytesToBase64 } from '../core/audit/bytes.ts';
import { formatVerifierKey, isValidKeyName, noteVerifierKeyFromSeed } from '../core/audit/note.ts';
import type { NoteSigner } from '../core/audit/note.ts';
import { HubKeyError } from './keys.ts';
import { nodeSha256 } from './service.ts';

const PublisherKeyFileSchema = z.strictObject({
  format: z.literal('perimeter-publisher-key'),
  version: z.literal(1),
  name: z.string().refine(isValidKeyName, { message: 'a signed-note key name (no spaces or "+")' }),
  seed: z
    .string()
    .refine((text) => base64ToBytes(text)?.length === 32, { message: 'must be 32 bytes of canonical base64' }),
});

export const publisherVerifierKey = (signer: NoteSigner): string =>
  formatVerifierKey(noteVerifierKeyFromSeed(signer.name, signer.seed, nodeSha256));

/** Writes a new publisher key file (mode 0600, never over an existing file); returns its verifier key. */
export const writeNewPublisherKey = (path: string, name: string): string => {
  if (!isValidKeyName(name)) throw new HubKeyError(`key name ${JSON.stringify(name)}: no spaces or "+"`);
  const seed = new Uint8Array(randomBytes(32));
  const file = { format: 'perimeter-publisher-key', version: 1, name, seed: bytesToBase64(seed) };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return publisherVerifierKey({ name, seed });
};

export const readPublisherKey = (path: string): NoteSigner => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HubKeyError(
      `${path}: cannot read the publisher key file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = PublisherKeyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubKeyError(`${path}: field ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return { name: parsed.data.name, seed: base64ToBytes(parsed.data.seed)! };
};
