// Electron glue for the keychain slot: binds keychain-slot.ts to Electron's safeStorage and this platform.
import { safeStorage } from 'electron';
import { addKeychainSlot, keychainAvailability, removeKeychainSlot, unlockWithKeychain } from './keychain-slot.ts';
import type { KeychainResult } from './keychain-slot.ts';

export type Keystore = {
  readonly availability: () => Promise<KeychainResult<{ readonly backend: string }>>;
  readonly add: (
    databasePath: string,
    user: string,
    databaseKey: Uint8Array,
  ) => Promise<KeychainResult<{ readonly backend: string }>>;
  readonly unlock: (databasePath: string, user: string) => Promise<KeychainResult<Uint8Array>>;
  readonly remove: (databasePath: string, user: string) => void;
};

export const electronKeystore = (): Keystore => ({
  availability: () => keychainAvailability(safeStorage, process.platform),
  add: (databasePath, user, databaseKey) =>
    addKeychainSlot(safeStorage, process.platform, databasePath, user, databaseKey),
  unlock: (databasePath, user) => unlockWithKeychain(safeStorage, process.platform, databasePath, user),
  remove: removeKeychainSlot,
});
