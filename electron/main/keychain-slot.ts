// The keychain key slot, free of Electron: the database key sealed by the OS keychain (Electron's safeStorage, passed
// in) in <db>.keychain.json. Fails closed: no keychain, or Linux's plaintext backend, means no keychain slot at all;
// the passphrase slots in <db>.keys.json are untouched and keep working.
import * as z from 'zod';
import {
  keychainSlotsPath,
  readKeychainSlots,
  removeKeychainSlot,
  writeKeychainSlots,
} from '../services/store/keychain-slots-file.ts';
import type { KeychainFile } from '../services/store/keychain-slots-file.ts';

// The file's format and the removal of a slot need no keychain: they live in the services (decision 0039).
export { keychainSlotsPath, removeKeychainSlot };

/** The parts of Electron's safeStorage this module uses (the asynchronous API: the synchronous one is deprecated). */
export type SafeStorageLike = {
  readonly isAsyncEncryptionAvailable: () => Promise<boolean>;
  /** Linux only in Electron; other platforms pass nothing. */
  readonly getSelectedStorageBackend?: () => string;
  readonly encryptStringAsync: (plainText: string) => Promise<Buffer>;
  readonly decryptStringAsync: (encrypted: Buffer) => Promise<{ shouldReEncrypt: boolean; result: string }>;
};

export type KeychainRefusal =
  'keychain-unavailable' | 'keychain-plaintext' | 'keychain-slot-missing' | 'keychain-slot-invalid' | 'keychain-failed';

export type KeychainResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: KeychainRefusal; readonly message: string };

const PASSPHRASE_STILL_WORKS = 'Sign in with your passphrase instead.';
const DATABASE_KEY_BYTES = 32;

/** Backends that keep the secret in a real OS store. Linux's basic_text (and unknown) counts as none. */
const TRUSTED_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

// What is sealed: the key bound to its user, so a slot copied under another user's name in the file does not open.
const SealedSchema = z.strictObject({ user: z.string(), key: z.string() });
const sealedText = (user: string, databaseKey: Uint8Array): string =>
  JSON.stringify({ user, key: Buffer.from(databaseKey).toString('base64') });

const refuse = <T>(reason: KeychainRefusal, message: string): KeychainResult<T> => ({ ok: false, reason, message });

/** Whether a keychain slot may be written or read here, with a message a user can act on when not. */
export const keychainAvailability = async (
  safeStorage: SafeStorageLike,
  platform: string,
): Promise<KeychainResult<{ readonly backend: string }>> => {
  let available: boolean;
  try {
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch {
    available = false;
  }
  if (!available)
    return refuse('keychain-unavailable', `The OS keychain is not available on this device. ${PASSPHRASE_STILL_WORKS}`);
  if (platform !== 'linux') return { ok: true, value: { backend: platform === 'darwin' ? 'keychain' : 'dpapi' } };
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  if (!TRUSTED_LINUX_BACKENDS.has(backend))
    return refuse(
      'keychain-plaintext',
      `No secure keychain was found (Electron selected the "${backend}" backend, which keeps the secret in plain ` +
        `text): the keychain is refused. Install and unlock GNOME Keyring or KWallet, or ${PASSPHRASE_STILL_WORKS.toLowerCase()}`,
    );
  return { ok: true, value: { backend } };
};

const readFile = (path: string): KeychainResult<KeychainFile> => {
  const file = readKeychainSlots(path);
  if (file.ok) return file;
  return refuse(
    'keychain-slot-invalid',
    file.problem === 'not-json'
      ? `${path}: not JSON. ${PASSPHRASE_STILL_WORKS}`
      : `${path}: not a keychain slots file. ${PASSPHRASE_STILL_WORKS}`,
  );
};

const writeFile = writeKeychainSlots;

/** Seals the (already unlocked) database key for this user on this device, replacing an earlier keychain slot. */
export const addKeychainSlot = async (
  safeStorage: SafeStorageLike,
  platform: string,
  databasePath: string,
  user: string,
  databaseKey: Uint8Array,
): Promise<KeychainResult<{ readonly backend: string }>> => {
  const availability = await keychainAvailability(safeStorage, platform);
  if (!availability.ok) return availability;
  if (databaseKey.length !== DATABASE_KEY_BYTES)
    return refuse('keychain-failed', `the database key has ${databaseKey.length} bytes, not ${DATABASE_KEY_BYTES}`);
  const path = keychainSlotsPath(databasePath);
  const file = readFile(path);
  if (!file.ok) return file;
  try {
    const sealed = await safeStorage.encryptStringAsync(sealedText(user, databaseKey));
    const slot = { user, backend: availability.value.backend, sealed: sealed.toString('base64') };
    writeFile(path, { ...file.value, slots: [...file.value.slots.filter((one) => one.user !== user), slot] });
    return availability;
  } catch (error) {
    return refuse(
      'keychain-failed',
      `The keychain could not seal the key (${String(error)}). ${PASSPHRASE_STILL_WORKS}`,
    );
  }
};

/** The database key from this user's keychain slot; re-sealed when the keychain asks for it (a rotated key). */
export const unlockWithKeychain = async (
  safeStorage: SafeStorageLike,
  platform: string,
  databasePath: string,
  user: string,
): Promise<KeychainResult<Uint8Array>> => {
  const availability = await keychainAvailability(safeStorage, platform);
  if (!availability.ok) return availability;
  const path = keychainSlotsPath(databasePath);
  const file = readFile(path);
  if (!file.ok) return file;
  const slot = file.value.slots.find((one) => one.user === user);
  if (!slot)
    return refuse('keychain-slot-missing', `No keychain slot for ${user} on this device. ${PASSPHRASE_STILL_WORKS}`);
  let opened: { shouldReEncrypt: boolean; result: string };
  try {
    opened = await safeStorage.decryptStringAsync(Buffer.from(slot.sealed, 'base64'));
  } catch {
    return refuse('keychain-failed', `The keychain could not open the key slot. ${PASSPHRASE_STILL_WORKS}`);
  }
  let content: z.infer<typeof SealedSchema> | null = null;
  try {
    const parsed = SealedSchema.safeParse(JSON.parse(opened.result));
    if (parsed.success) content = parsed.data;
  } catch {
    content = null;
  }
  const key = content === null ? new Uint8Array(0) : new Uint8Array(Buffer.from(content.key, 'base64'));
  if (content === null || content.user !== user || key.length !== DATABASE_KEY_BYTES)
    return refuse(
      'keychain-slot-invalid',
      `${path}: the keychain slot of ${user} is damaged. ${PASSPHRASE_STILL_WORKS}`,
    );
  if (opened.shouldReEncrypt) await addKeychainSlot(safeStorage, platform, databasePath, user, key);
  return { ok: true, value: key };
};

/** The keychain slot bound to one safeStorage and platform: Electron's in keystore.ts, a test double's in tests. */
export type Keystore = {
  readonly availability: () => Promise<KeychainResult<{ readonly backend: string }>>;
  readonly add: (
    databasePath: string,
    user: string,
    databaseKey: Uint8Array,
  ) => Promise<KeychainResult<{ readonly backend: string }>>;
  readonly unlock: (databasePath: string, user: string) => Promise<KeychainResult<Uint8Array>>;
  readonly remove: (databasePath: string, user: string) => boolean;
};

export const keychainKeystore = (safeStorage: SafeStorageLike, platform: string): Keystore => ({
  availability: () => keychainAvailability(safeStorage, platform),
  add: (databasePath, user, databaseKey) => addKeychainSlot(safeStorage, platform, databasePath, user, databaseKey),
  unlock: (databasePath, user) => unlockWithKeychain(safeStorage, platform, databasePath, user),
  remove: removeKeychainSlot,
});
