// A test double of Electron's safeStorage (Electron's API is not ours, and its binary is not installed here): it really
// encrypts (AES-256-GCM under a per-double secret, as the OS keychain would) and its backend can be switched.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/main/keychain-slot.ts';

export type TestSafeStorage = SafeStorageLike & {
  /** Linux's selected backend; set 'basic_text' to play the plaintext keychain. */
  backend: string;
  available: boolean;
  shouldReEncrypt: boolean;
  encryptions: number;
  decryptions: number;
  /** Resolves before each encryption when set: lets a test act while a seal is in flight. */
  beforeEncrypt: (() => Promise<void>) | null;
};

export const testSafeStorage = (
  options: { available?: boolean; backend?: string; shouldReEncrypt?: boolean } = {},
): TestSafeStorage => {
  const secret = randomBytes(32);
  const keychain: TestSafeStorage = {
    backend: options.backend ?? 'gnome_libsecret',
    available: options.available ?? true,
    shouldReEncrypt: options.shouldReEncrypt ?? false,
    encryptions: 0,
    decryptions: 0,
    beforeEncrypt: null,
    isAsyncEncryptionAvailable: async () => keychain.available,
    getSelectedStorageBackend: () => keychain.backend,
    encryptStringAsync: async (text: string) => {
      if (keychain.beforeEncrypt !== null) await keychain.beforeEncrypt();
      keychain.encryptions += 1;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptStringAsync: async (sealed: Buffer) => {
      keychain.decryptions += 1;
      const decipher = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const result = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
      return { shouldReEncrypt: keychain.shouldReEncrypt, result };
    },
  };
  return keychain;
};
