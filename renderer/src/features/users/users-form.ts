// The users screen's form rules, without a browser: markets as typed, and what a new user needs before it is sent
// (the services validate again, including whether each market exists in the active policy).
import type { Role } from '../../app/labels.ts';
import { MIN_PASSPHRASE_LENGTH, passphraseLength } from '../../../../core/access/passphrase.ts';

export const MIN_REASON = 5;
/** The one passphrase rule (core/access/passphrase.ts). */
export const MIN_PASSPHRASE = MIN_PASSPHRASE_LENGTH;
const USER_ID = /^[a-z][a-z0-9._-]{1,40}$/;

export type NewUserForm = {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** Comma separated, as typed. */
  readonly markets: string;
  readonly passphrase: string;
  readonly confirmation: string;
};

/** Markets as typed ("UK, EU-Passported", "*"): trimmed, empty parts dropped, each once, in the order given. */
export const parseMarkets = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  ),
];

/** What is wrong with the form before it is sent (the services validate again, including the markets themselves). */
export const newUserProblems = (form: NewUserForm): string[] => {
  const problems: string[] = [];
  if (!USER_ID.test(form.id.trim()))
    problems.push(
      'User id: 2 to 41 characters, starting with a lower-case letter; then lower-case letters, digits, ".", "_" or "-".',
    );
  if (form.name.trim() === '') problems.push('Name: required.');
  if (form.roles.length === 0) problems.push('Roles: choose at least one.');
  if (parseMarkets(form.markets).length === 0) problems.push('Markets: at least one (or * for every market).');
  if (passphraseLength(form.passphrase) < MIN_PASSPHRASE)
    problems.push(`Initial passphrase: at least ${MIN_PASSPHRASE} characters.`);
  else if (form.passphrase !== form.confirmation) problems.push('Confirm passphrase: does not match the passphrase.');
  return problems;
};
