// Key slots: the random database key wrapped per user (scrypt-derived key, AES-256-GCM) in <db>.keys.json.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { passphraseProblem } from '../../../core/access/passphrase.ts';
import { writeJsonAtomically } from './atomic-file.ts';
import { DATABASE_KEY_BYTES } from './database.ts';
import { StoreError } from './errors.ts';

export const KEY_SLOTS_FORMAT = 'perimeter-key-slots';

export type ScryptCost = { readonly N: number; readonly r: number; readonly p: number };
/** 2^17 × 8 × 128 bytes = 128 MiB of memory per derivation: the OWASP recommendation for scrypt. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const Base64 = (bytes: number): z.ZodString =>
  z
    .string()
    .refine(
      (text) => Buffer.from(text, 'base64').toString('base64') === text && Buffer.from(text, 'base64').length === bytes,
      {
        message: `${bytes} bytes in base64`,
      },
    );

const SlotSchema = z.strictObject({
  user: z.string().min(1).max(100),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(2 ** 10)
      .max(2 ** 22)
      .refine((n) => (n & (n - 1)) === 0, 'N is a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: Base64(16),
    keyLength: z.literal(32),
  }),
  wrap: z.strictObject({
    name: z.literal('aes-256-gcm'),
    iv: Base64(12),
    ciphertext: Base64(DATABASE_KEY_BYTES),
    tag: Base64(16),
  }),
});
type Slot = z.infer<typeof SlotSchema>;

const KeySlotsFileSchema = z
  .strictObject({ format: z.literal(KEY_SLOTS_FORMAT), version: z.literal(1), slots: z.array(SlotSchema).min(1) })
  .refine((file) => new Set(file.slots.map((slot) => slot.user)).size === file.slots.length, {
    message: 'each user has at most one slot',
    path: ['slots'],
  });
type KeySlotsFile = z.infer<typeof KeySlotsFileSchema>;

export const keySlotsPath = (databasePath: string): string => `${databasePath}.keys.json`;

const aad = (user: string): Buffer => Buffer.from(`${KEY_SLOTS_FORMAT}:v1:${user}`, 'utf8');

const deriveKey = (passphrase: string, salt: Buffer, cost: ScryptCost): Buffer =>
  scryptSync(passphrase.normalize('NFC'), salt, 32, { ...cost, maxmem: 128 * cost.N * cost.r * 2 + 2 ** 20 });

// The one rule (core/access/passphrase.ts), checked again here so no way of writing a slot can skip it.
const checkPassphrase = (passphrase: string, path: string): void => {
  const problem = passphraseProblem(passphrase);
  if (problem !== null) throw new StoreError('weak-passphrase', `${path}: ${problem}`, path);
};

const wrapKey = (user: string, passphrase: string, databaseKey: Uint8Array, cost: ScryptCost): Slot => {
  const salt = randomBytes(16);
  const kek = deriveKey(passphrase, salt, cost);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(user));
  const ciphertext = Buffer.concat([cipher.update(databaseKey), cipher.final()]);
  kek.fill(0);
  return {
    user,
    kdf: { name: 'scrypt', ...cost, salt: salt.toString('base64'), keyLength: 32 },
    wrap: {
      name: 'aes-256-gcm',
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    },
  };
};

const unwrapKey = (slot: Slot, passphrase: string, path: string): Uint8Array => {
  const kek = deriveKey(passphrase, Buffer.from(slot.kdf.salt, 'base64'), slot.kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.wrap.iv, 'base64'));
    decipher.setAAD(aad(slot.user));
    decipher.setAuthTag(Buffer.from(slot.wrap.tag, 'base64'));
    return new Uint8Array(
      Buffer.concat([decipher.update(Buffer.from(slot.wrap.ciphertext, 'base64')), decipher.final()]),
    );
  } catch {
    throw new StoreError('wrong-passphrase', `${path}: wrong passphrase for user ${slot.user}`, path);
  } finally {
    kek.fill(0);
  }
};

const readSlots = (path: string): KeySlotsFile => {
  if (!existsSync(path)) throw new StoreError('key-slots', `${path}: no key slots file`, path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new StoreError(
      'key-slots',
      `${path}: not JSON (${error instanceof Error ? error.message : String(error)})`,
      path,
    );
  }
  const parsed = KeySlotsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StoreError(
      'key-slots',
      `${path}: ${issue?.path.join('.') || '(file)'}: ${issue?.message ?? 'invalid'}`,
      path,
    );
  }
  return parsed.data;
};

// Written next to the database and renamed into place, so a crash never leaves a half-written slots file.
const writeSlots = (path: string, file: KeySlotsFile): void => writeJsonAtomically(path, file);

const slotOf = (file: KeySlotsFile, user: string, path: string): Slot => {
  const slot = file.slots.find((candidate) => candidate.user === user);
  if (!slot) throw new StoreError('unknown-user', `${path}: no key slot for user ${user}`, path);
  return slot;
};

/** Makes a new random database key and its first slot. Refuses if a slots file exists: it is never overwritten. */
export const createKeySlots = (
  databasePath: string,
  user: string,
  passphrase: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Uint8Array => {
  const path = keySlotsPath(databasePath);
  if (existsSync(path)) throw new StoreError('already-exists', `${path}: key slots exist already`, path);
  if (!existsSync(dirname(path)))
    throw new StoreError('not-found', `${dirname(path)}: no such folder to create the database in`, path);
  checkPassphrase(passphrase, path);
  const databaseKey = new Uint8Array(randomBytes(DATABASE_KEY_BYTES));
  writeSlots(path, { format: KEY_SLOTS_FORMAT, version: 1, slots: [wrapKey(user, passphrase, databaseKey, cost)] });
  return databaseKey;
};

/** The database key, unwrapped in memory with this user's passphrase. */
export const unlockDatabaseKey = (databasePath: string, user: string, passphrase: string): Uint8Array => {
  const path = keySlotsPath(databasePath);
  return unwrapKey(slotOf(readSlots(path), user, path), passphrase, path);
};

/** A new slot's preconditions: the user has none yet and the passphrase is strong enough. */
const checkNewSlot = (
  file: KeySlotsFile,
  added: { readonly user: string; readonly passphrase: string },
  path: string,
): void => {
  if (file.slots.some((slot) => slot.user === added.user))
    throw new StoreError('already-exists', `${path}: user ${added.user} has a slot already`, path);
  checkPassphrase(added.passphrase, path);
};

/** Gives another user a slot; an existing user's passphrase unlocks the key to wrap. */
export const addKeySlot = (
  databasePath: string,
  by: { readonly user: string; readonly passphrase: string },
  added: { readonly user: string; readonly passphrase: string },
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): void => {
  const path = keySlotsPath(databasePath);
  const file = readSlots(path);
  checkNewSlot(file, added, path);
  const databaseKey = unwrapKey(slotOf(file, by.user, path), by.passphrase, path);
  writeSlots(path, { ...file, slots: [...file.slots, wrapKey(added.user, added.passphrase, databaseKey, cost)] });
  databaseKey.fill(0);
};

/** Re-wraps one user's slot under a new passphrase; every other slot is untouched. */
export const changePassphrase = (
  databasePath: string,
  user: string,
  oldPassphrase: string,
  newPassphrase: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): void => {
  const path = keySlotsPath(databasePath);
  const file = readSlots(path);
  const databaseKey = unwrapKey(slotOf(file, user, path), oldPassphrase, path);
  checkPassphrase(newPassphrase, path);
  const replaced = wrapKey(user, newPassphrase, databaseKey, cost);
  databaseKey.fill(0);
  writeSlots(path, { ...file, slots: file.slots.map((slot) => (slot.user === user ? replaced : slot)) });
};

/** Removes a user's slot (the last slot cannot go: the database would be lost). */
export const removeKeySlot = (
  databasePath: string,
  by: { readonly user: string; readonly passphrase: string },
  user: string,
): void => {
  const path = keySlotsPath(databasePath);
  const file = readSlots(path);
  unwrapKey(slotOf(file, by.user, path), by.passphrase, path).fill(0);
  slotOf(file, user, path);
  if (file.slots.length === 1) throw new StoreError('key-slots', `${path}: the last key slot cannot be removed`, path);
  writeSlots(path, { ...file, slots: file.slots.filter((slot) => slot.user !== user) });
};

/**
 * Drops a user's slot without anyone's passphrase: for a signed-in operations admin deactivating a leaver (decision
 * 0039). Removing a slot grants nothing, so no secret is needed to prove it; the services check the admin's
 * `user.manage`. False when the user has no slot. The last slot never goes: the database would be lost.
 */
export const dropKeySlot = (databasePath: string, user: string): boolean => {
  const path = keySlotsPath(databasePath);
  const file = readSlots(path);
  if (!file.slots.some((slot) => slot.user === user)) return false;
  if (file.slots.length === 1) throw new StoreError('key-slots', `${path}: the last key slot cannot be removed`, path);
  writeSlots(path, { ...file, slots: file.slots.filter((slot) => slot.user !== user) });
  return true;
};

export const keySlotUsers = (databasePath: string): string[] =>
  readSlots(keySlotsPath(databasePath)).slots.map((slot) => slot.user);

/**
 * Gives a new user a slot from the database key already unlocked in memory (a signed-in administrator adding an
 * officer), so the administrator does not retype a passphrase. The key never leaves memory.
 */
export const addKeySlotWithKey = (
  databasePath: string,
  databaseKey: Uint8Array,
  added: { readonly user: string; readonly passphrase: string },
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): void => {
  const path = keySlotsPath(databasePath);
  const file = readSlots(path);
  checkNewSlot(file, added, path);
  writeSlots(path, { ...file, slots: [...file.slots, wrapKey(added.user, added.passphrase, databaseKey, cost)] });
};

/** A slot wrapped (the slow scrypt done) but not yet written: for writing inside a short transaction. */
export type PreparedKeySlot = { readonly user: string; readonly slot: Slot };

/** Wraps the key for a new slot without writing it; the passphrase rule is checked here. */
export const prepareKeySlot = (
  databasePath: string,
  databaseKey: Uint8Array,
  added: { readonly user: string; readonly passphrase: string },
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): PreparedKeySlot => {
  checkPassphrase(added.passphrase, keySlotsPath(databasePath));
  return { user: added.user, slot: wrapKey(added.user, added.passphrase, databaseKey, cost) };
};

/**
 * Writes a prepared slot; `replacing` lets it take the place of the user's existing slot (else that is refused). Returns
 * the undo: it puts back what the user had before (no slot, or the replaced one), for a caller whose transaction then
 * fails to commit, so no slot outlives the audit entry that gave it.
 */
export const installKeySlot = (
  databasePath: string,
  prepared: PreparedKeySlot,
  options: { readonly replacing: boolean },
): (() => void) => {
  const path = keySlotsPath(databasePath);
  const file = readSlots(path);
  const previous = file.slots.find((slot) => slot.user === prepared.user);
  if (previous && !options.replacing)
    throw new StoreError('already-exists', `${path}: user ${prepared.user} has a slot already`, path);
  const others = file.slots.filter((slot) => slot.user !== prepared.user);
  writeSlots(path, { ...file, slots: [...others, prepared.slot] });
  return () => {
    const now = readSlots(path);
    const rest = now.slots.filter((slot) => slot.user !== prepared.user);
    writeSlots(path, { ...now, slots: previous ? [...rest, previous] : rest });
  };
};

/**
 * Writes, at `path` (the re-key's `<db>.keys.json.rekey`), a slots file holding one slot: `user`'s passphrase wrapping
 * the NEW database key (fresh salt and IV). Every other slot is left behind: it wraps the old key (decision 0037).
 */
export const writeRotatedKeySlots = (
  path: string,
  user: { readonly user: string; readonly passphrase: string },
  newKey: Uint8Array,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): void => {
  checkPassphrase(user.passphrase, path);
  writeSlots(path, {
    format: KEY_SLOTS_FORMAT,
    version: 1,
    slots: [wrapKey(user.user, user.passphrase, newKey, cost)],
  });
};
