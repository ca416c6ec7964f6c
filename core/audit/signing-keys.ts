// Checkpoint signing keys: how a key is announced in the log, and the window in which it may sign.
import type { Sha256 } from '../shared/sha256.ts';
import { bytesToHex } from './bytes.ts';
import type { Ed25519Seed } from './ed25519.ts';
import type { KeyAnnouncement } from './event-types.ts';
import { formatVerifierKey, isValidKeyName, noteVerifierKeyFromSeed } from './note.ts';

/** The announcement (log.created or key.rotated payload.key) for a key; the seed itself never leaves its store. */
export const announceSigningKey = (
  name: string,
  seed: Ed25519Seed,
  window: { readonly validFrom: string; readonly validUntil: string },
  sha256: Sha256,
): KeyAnnouncement => {
  if (!isValidKeyName(name)) throw new RangeError(`invalid key name ${JSON.stringify(name)}`);
  if (window.validUntil < window.validFrom) throw new RangeError('a key window must not end before it starts');
  const key = noteVerifierKeyFromSeed(name, seed, sha256);
  return {
    name,
    keyId: bytesToHex(key.keyId),
    verifierKey: formatVerifierKey(key),
    validFrom: window.validFrom,
    validUntil: window.validUntil,
  };
};

export type KeyTenure = {
  readonly validFrom: string;
  readonly validUntil: string;
  /** The entry that announced the key. */
  readonly announcedAt: number;
  /** The key.rotated entry that retired it, if any. */
  readonly retiredAt: number | null;
};

/**
 * Why a key may not sign a checkpoint of `size` entries whose last entry is at `time`, or null if it may.
 * A key signs only checkpoints that include its announcement, none past the entry that retired it (the hand-over
 * checkpoint that covers the rotation entry is co-signed by old and new key), and only inside its time window.
 */
export const keyWindowProblem = (tenure: KeyTenure, size: number, time: string | null): string | null => {
  if (tenure.announcedAt >= size)
    return `the key is announced at entry ${tenure.announcedAt}, after the checkpoint's last entry`;
  if (tenure.retiredAt !== null && size > tenure.retiredAt + 1)
    return `the key was retired at entry ${tenure.retiredAt}`;
  if (time !== null && (time < tenure.validFrom || time > tenure.validUntil))
    return `the checkpoint time ${time} is outside ${tenure.validFrom} to ${tenure.validUntil}`;
  return null;
};
