// The hub's key file (decision 0215): its region, its three Ed25519 seeds, the region key, the store key, the admin token.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { base64ToBytes, bytesToBase64 } from '../core/audit/bytes.ts';
import { isValidRegion } from '../core/sync/hub-identity.ts';

export type HubKeys = {
  readonly region: string;
  readonly witnessSeed: Uint8Array;
  readonly mirrorSeed: Uint8Array;
  readonly logSeed: Uint8Array;
  /** AES-256-GCM key that seals personal data before it reaches the store. */
  readonly regionKey: Uint8Array;
  /** The SQLCipher key of an SQLite store. */
  readonly storeKey: Uint8Array;
  /** The bearer token of the admin api. */
  readonly adminToken: string;
};

const Bytes32 = z
  .string()
  .refine((text) => base64ToBytes(text)?.length === 32, { message: 'must be 32 bytes of canonical base64' });

const KeyFileSchema = z.strictObject({
  format: z.literal('perimeter-hub-keys'),
  version: z.literal(1),
  region: z.string().refine(isValidRegion, { message: '1 to 32 letters, digits or "-"' }),
  witnessSeed: Bytes32,
  mirrorSeed: Bytes32,
  logSeed: Bytes32,
  regionKey: Bytes32,
  storeKey: Bytes32,
  adminToken: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
});

export class HubKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubKeyError';
  }
}

export const newHubKeys = (region: string): HubKeys => {
  if (!isValidRegion(region)) throw new HubKeyError(`region ${JSON.stringify(region)}: 1 to 32 letters, digits or "-"`);
  const r = (): Uint8Array => new Uint8Array(randomBytes(32));
  return {
    region,
    witnessSeed: r(),
    mirrorSeed: r(),
    logSeed: r(),
    regionKey: r(),
    storeKey: r(),
    adminToken: randomBytes(32).toString('base64url'),
  };
};

export const writeHubKeys = (path: string, keys: HubKeys): void => {
  const file = {
    format: 'perimeter-hub-keys',
    version: 1,
    region: keys.region,
    witnessSeed: bytesToBase64(keys.witnessSeed),
    mirrorSeed: bytesToBase64(keys.mirrorSeed),
    logSeed: bytesToBase64(keys.logSeed),
    regionKey: bytesToBase64(keys.regionKey),
    storeKey: bytesToBase64(keys.storeKey),
    adminToken: keys.adminToken,
  };
  // wx: an existing key file is never overwritten (it would orphan the store and the signatures).
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
};

export const readHubKeys = (path: string): HubKeys => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HubKeyError(
      `${path}: cannot read the key file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HubKeyError(`${path}: the key file is not JSON`);
  }
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubKeyError(`${path}: field ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const v = parsed.data;
  return {
    region: v.region,
    witnessSeed: base64ToBytes(v.witnessSeed)!,
    mirrorSeed: base64ToBytes(v.mirrorSeed)!,
    logSeed: base64ToBytes(v.logSeed)!,
    regionKey: base64ToBytes(v.regionKey)!,
    storeKey: base64ToBytes(v.storeKey)!,
    adminToken: v.adminToken,
  };
};
