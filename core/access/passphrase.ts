// The one passphrase rule, for every way a passphrase is set: workstation init, users.create, re-enrolment,
// reactivation, changing one's own, and a key rotation's new slot. The api, the CLI, the store and the renderer use it.
import * as z from 'zod';

/** At least this many characters (Unicode code points of the NFC form), as NIST SP 800-63B asks of a user-chosen secret. */
export const MIN_PASSPHRASE_LENGTH = 12;
/** A bound on what is fed to the key derivation. */
export const MAX_PASSPHRASE_LENGTH = 1024;

export const PASSPHRASE_RULE = `a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`;

/** Its length as the rule counts it: code points of the NFC form (so "é" typed either way counts once). */
export const passphraseLength = (passphrase: string): number => [...passphrase.normalize('NFC')].length;

/** Null when the passphrase may be set, else what is wrong with it. */
export const passphraseProblem = (passphrase: string): string | null => {
  const length = passphraseLength(passphrase);
  if (length < MIN_PASSPHRASE_LENGTH) return PASSPHRASE_RULE;
  if (length > MAX_PASSPHRASE_LENGTH) return `a passphrase has at most ${MAX_PASSPHRASE_LENGTH} characters`;
  return null;
};

/** A new passphrase at an api boundary. */
export const NewPassphraseSchema = z
  .string()
  .max(MAX_PASSPHRASE_LENGTH * 4)
  .superRefine((passphrase, context) => {
    const problem = passphraseProblem(passphrase);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });
