// Electron glue for the keychain slot: binds keychain-slot.ts to Electron's safeStorage and this platform.
import { safeStorage } from 'electron';
import { keychainKeystore } from './keychain-slot.ts';
import type { Keystore } from './keychain-slot.ts';

export type { Keystore };

export const electronKeystore = (): Keystore => keychainKeystore(safeStorage, process.platform);
