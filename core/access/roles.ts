// Roles, permissions and market scopes: who may do what to which leads. Enforced by the services, not the UI.
import type { Vocabulary } from '../policy/vocabulary.ts';

export type Role = 'compliance_officer' | 'senior_officer' | 'operations_admin' | 'auditor' | 'field_rep';

export type Permission =
  | 'case.read'
  | 'case.claim'
  | 'case.decide'
  | 'case.approve'
  | 'lead.create'
  | 'lead.read_personal'
  | 'lead.erase'
  | 'user.manage'
  | 'policy.publish'
  | 'lists.import'
  | 'notifications.read'
  | 'audit.read'
  | 'audit.export'
  /** Sign checkpoints, rotate the log's signing key (decision 0131). */
  | 'audit.keys'
  /** Run a retention purge over every market (decision 0131). */
  | 'retention.run'
  /** Work one's own product paths: record contacts, move them on, end them (decision 0201). */
  | 'path.work'
  /** Move, end or reassign any product path in one's markets (decision 0201). */
  | 'path.supervise'
  /** Update a lead's facts after intake: KYC, AML, suitability, customer type, address (decision 0201). */
  | 'lead.update_facts'
  /** See the KYC outbox, send it now, retry a dead letter, import KYC result files (decision 0210). */
  | 'kyc.operate'
  /** Configure the KYC connector: endpoint, folder, secrets (decision 0214). */
  | 'kyc.configure'
  /** Resolve a sync conflict: two decisions taken offline on the same case version (decision 0244). */
  | 'case.resolve_conflict';

export const PERMISSIONS_BY_ROLE: Readonly<Record<Role, readonly Permission[]>> = {
  compliance_officer: [
    'case.read',
    'case.claim',
    'case.decide',
    'lead.create',
    'lead.read_personal',
    'lead.update_facts',
  ],
  senior_officer: [
    'case.read',
    'case.claim',
    'case.decide',
    'case.approve',
    'lead.create',
    'lead.read_personal',
    'lead.erase',
    'retention.run',
    'path.supervise',
    'lead.update_facts',
    'kyc.operate',
    'case.resolve_conflict',
  ],
  operations_admin: [
    'case.read',
    'user.manage',
    'policy.publish',
    'lists.import',
    'notifications.read',
    'lead.create',
    'audit.keys',
    'kyc.operate',
    'kyc.configure',
  ],
  auditor: ['case.read', 'lead.read_personal', 'audit.read', 'audit.export'],
  field_rep: ['lead.create', 'path.work'],
};

/** A user's market scope: market, group or jurisdiction names of the policy, or "*" for every market. */
export type User = {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly markets: readonly string[];
  readonly active: boolean;
};

export const hasPermission = (user: User, permission: Permission): boolean =>
  user.active && user.roles.some((role) => PERMISSIONS_BY_ROLE[role].includes(permission));

/** Whether a lead or case in this jurisdiction is inside the user's markets. Unscoped (null) is for "*" users only. */
export const inScope = (user: User, jurisdiction: string | null, vocabulary: Vocabulary): boolean => {
  if (user.markets.includes('*')) return true;
  if (jurisdiction === null) return false;
  return user.markets.some((market) => vocabulary.within(jurisdiction, market));
};
