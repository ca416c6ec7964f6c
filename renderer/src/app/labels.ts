// Words the screens show for the contract's codes: queues, statuses, dispositions (with their triage keys), risks.
import type { CaseRow, UserDto } from '../../../core/api/contract.ts';
import { hasPermission } from '../../../core/access/roles.ts';
import type { Permission } from '../../../core/access/roles.ts';
import type { Disposition } from '../../../core/cases/case.ts';

export type Queue = CaseRow['type'];
export type CaseStatus = CaseRow['status'];
export type Role = UserDto['roles'][number];

export const QUEUES: readonly Queue[] = [
  'screening_review',
  'enhanced_due_diligence',
  'compliance_review',
  'expansion_review',
  'suitability_review',
];

export const QUEUE_LABEL: Readonly<Record<Queue, string>> = {
  screening_review: 'Screening review',
  enhanced_due_diligence: 'Enhanced due diligence',
  compliance_review: 'Compliance review',
  expansion_review: 'Expansion review',
  suitability_review: 'Suitability review',
  sync_conflict: 'Sync conflict',
};

export const STATUS_LABEL: Readonly<Record<CaseStatus, string>> = {
  open: 'Open',
  claimed: 'Claimed',
  awaiting_approval: 'Awaiting approval',
  closed: 'Closed',
};

/** Each disposition's label and the single key that picks it during triage (shown beside it). */
export const DISPOSITION: Readonly<Record<Disposition, { readonly label: string; readonly key: string }>> = {
  approve_assignment: { label: 'Approve assignment', key: 'a' },
  reject: { label: 'Reject', key: 'r' },
  clear_false_positive: { label: 'Clear false positive', key: 'f' },
  confirm_match: { label: 'Confirm match', key: 'm' },
  escalate: { label: 'Escalate', key: 'e' },
  request_information: { label: 'Request information', key: 'i' },
  pursue_expansion: { label: 'Pursue expansion', key: 'p' },
  decline_expansion: { label: 'Decline expansion', key: 'd' },
};

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  compliance_officer: 'Compliance officer',
  senior_officer: 'Senior officer',
  operations_admin: 'Operations admin',
  auditor: 'Auditor',
  field_rep: 'Field rep',
};

export const humanise = (code: string): string => {
  const words = code.replace(/[_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const formatTime = (iso: string): string => {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return time.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
};

/** What the screens offer a user: the services' own permission table, so the UI never offers what they refuse. */
export const may = (user: UserDto, permission: Permission): boolean => hasPermission(user, permission);
