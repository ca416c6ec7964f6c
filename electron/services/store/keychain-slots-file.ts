// The OS keychain slots file <db>.keychain.json, free of Electron: its format, reading, writing and removing one user's
// slot. Sealing and opening a slot needs the OS keychain and lives in electron/main/keychain-slot.ts; removing one does
// not, so the services can drop a deactivated user's slot here (decision 0039).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as z from 'zod';
import { writeJsonAtomically } from './atomic-file.ts';

export const KEYCHAIN_SLOTS_FORMAT = 'perimeter-keychain-slots';

const Base64Text = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
const KeychainSlotSchema = z.strictObject({
  user: z.string().min(1).max(100),
  backend: z.string(),
  sealed: Base64Text,
});
const KeychainFileSchema = z.strictObject({
  format: z.literal(KEYCHAIN_SLOTS_FORMAT),
  version: z.literal(1),
  slots: z.array(KeychainSlotSchema),
});
export type KeychainFile = z.infer<typeof KeychainFileSchema>;

export const keychainSlotsPath = (databasePath: string): string => `${databasePath}.keychain.json`;

/** The file's slots (none when there is no file), or why it cannot be read. */
export const readKeychainSlots = (
  path: string,
):
  | { readonly ok: true; readonly value: KeychainFile }
  | { readonly ok: false; readonly problem: 'not-json' | 'invalid' } => {
  if (!existsSync(path)) return { ok: true, value: { format: KEYCHAIN_SLOTS_FORMAT, version: 1, slots: [] } };
  try {
    const parsed = KeychainFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: 'invalid' };
  } catch {
    return { ok: false, problem: 'not-json' };
  }
};

// Written beside the database and renamed into place, so a crash never leaves half a file.
export const writeKeychainSlots = (path: string, file: KeychainFile): void => writeJsonAtomically(path, file);

/**
 * Forgets this user's keychain slot on this device (sign-out everywhere, a passphrase change, a deactivation); true
 * when there was one. A damaged slots file is removed whole: it could not open anything, and the passphrase slots are
 * elsewhere.
 */
export const removeKeychainSlot = (databasePath: string, user: string): boolean => {
  const path = keychainSlotsPath(databasePath);
  const file = readKeychainSlots(path);
  if (!file.ok) {
    rmSync(path, { force: true });
    return true;
  }
  const slots = file.value.slots.filter((one) => one.user !== user);
  if (slots.length === file.value.slots.length) return false;
  if (slots.length === 0) rmSync(path, { force: true });
  else writeKeychainSlots(path, { ...file.value, slots });
  return true;
};
