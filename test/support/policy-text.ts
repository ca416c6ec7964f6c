// Example policy texts for tests, without importing any service (e2e specs load this too).

/**
 * The example policy without its `approvals` section (the last one in the file), for tests of everything but
 * separation of duties: one admin creates users and publishes at once, as before decision 0160.
 */
export const withoutApprovals = (policyText: string): string => {
  const at = policyText.search(/^(# Separation of duties[^\n]*\n(#[^\n]*\n)*)?approvals:/mu);
  return at < 0 ? policyText : policyText.slice(0, at);
};
