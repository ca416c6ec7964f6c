// The people of the e2e workstation: roles and markets chosen so each scenario has the right actors.
export type E2eUser = {
  readonly id: string;
  readonly roles: readonly ('compliance_officer' | 'senior_officer' | 'operations_admin' | 'auditor' | 'field_rep')[];
  readonly markets: readonly string[];
  readonly passphrase: string;
};

const user = (id: string, roles: E2eUser['roles'], markets: string[]): E2eUser => ({
  id,
  roles,
  markets,
  passphrase: `${id} passphrase 123`,
});

export const E2E_USERS: readonly E2eUser[] = [
  // createTestWorkstation's first user (ADMIN_PASSPHRASE): operations admin and senior officer, every market.
  {
    id: 'ada',
    roles: ['operations_admin', 'senior_officer'],
    markets: ['*'],
    passphrase: 'correct horse battery staple',
  },
  user('olga', ['compliance_officer'], ['UK', 'EU-Passported']),
  user('sam', ['senior_officer'], ['*']),
  user('sue', ['senior_officer'], ['*']),
  user('uma', ['compliance_officer'], ['US-CA']),
  // audit-viewer.spec.ts: the audit log screen, exports and the dashboard.
  user('aud', ['auditor'], ['*']),
  user('avery', ['auditor'], ['*']),
  // intake.spec.ts: a field rep (lead.create only) adds leads by hand.
  user('fiona', ['field_rep'], ['UK']),
];

export const e2eUser = (id: string): E2eUser => {
  const found = E2E_USERS.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no e2e user ${id}`);
  return found;
};
