// Separation of duties for meta-actions: which ones need a second operations admin, and when two accounts are one person.

/** The meta-actions a policy can put under a second operations admin's approval (`approvals.meta`). */
export const META_ACTIONS = [
  'user.create',
  'role.grant',
  'market.grant',
  'user.reactivate',
  'policy.publish',
  // The KYC connector's endpoint, folder and secrets: where a lead's data goes (decision 0240).
  'kyc.configure',
] as const;
export type MetaAction = (typeof META_ACTIONS)[number];

/**
 * An account, who requested its creation, and who chose its current initial passphrase when an admin gave it a new one
 * (re-enrolment, reactivation); null: nobody (created at initialisation by system:setup, or never re-keyed by another).
 */
export type AccountOrigin = {
  readonly id: string;
  readonly requestedBy: string | null;
  readonly passphraseBy: string | null;
};

/** Who, besides the account itself, could sign in as it: whoever asked for it or chose its initial passphrase. */
const controllers = (account: AccountOrigin): string[] =>
  [account.requestedBy, account.passphraseBy].filter((id): id is string => id !== null);

/**
 * Maker ≠ checker by person, not by account: two accounts count as one person when they are the same account or when
 * one was created at the other's request or given its initial passphrase by the other (who could then act as it). Not
 * transitive: two officers created at one admin's request are two people; the admin is neither of them.
 */
export const samePerson = (a: AccountOrigin, b: AccountOrigin): boolean =>
  a.id === b.id || controllers(a).includes(b.id) || controllers(b).includes(a.id);

/** Whether the active policy puts this meta-action under a second operations admin's approval. */
export const needsSecondApproval = (approvals: { readonly meta: readonly MetaAction[] }, action: MetaAction): boolean =>
  approvals.meta.includes(action);
