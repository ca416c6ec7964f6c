// Sync conflicts (decisions 0243–0245): two decisions taken offline on the same case version, held in a conflict case
// in the `sync_conflict` queue until a senior officer resolves it. Reading one and resolving it go through the door.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { statement } from '../../store/statements.ts';
import { regimeOfSubject } from '../../audit/audit-log.ts';
import type { AuditEntry } from '../../../../core/audit/entry.ts';
import { EVENT_TYPE_DOCS } from '../../../../core/audit/event-types.ts';
import type { AuditEventType } from '../../../../core/audit/event-types.ts';
import { auditLogIdentity } from '../../audit/audit-log.ts';
import type { Database } from '../../store/database.ts';
import type { ConflictDecision, ConflictResolution, EntryRef } from '../projection/case-sync-projection.ts';
import type { Permission } from '../../../../core/access/roles.ts';
import { loadVisibleCase } from './cases.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

/** An entry on the conflict's lead after its first decision: a stage change, a contact, a KYC step (decision 0267). */
export type ConflictFollowUp = {
  readonly sequence: string;
  readonly type: string;
  readonly actor: string;
  readonly time: string;
};

export type SyncConflict = {
  readonly id: string;
  readonly caseId: string;
  readonly leadId: string;
  /** concurrent_decisions, or superseded_resolution (decisions after a resolution that lost, decision 0268). */
  readonly reason: string;
  /** The case version both decisions saw. */
  readonly seenVersion: number;
  /** Every decision involved, by origin and sequence: actor, time, decision, reason, the state and effect it had. */
  readonly decisions: readonly ConflictDecision[];
  readonly status: 'open' | 'resolved';
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly chosen: EntryRef | null;
  /** Resolutions of this conflict taken concurrently elsewhere that lost to the one that stands (decision 0268). */
  readonly superseded: readonly ConflictResolution[];
  /** What was recorded on the lead after the first decision in conflict: kept applied, shown here (decision 0267). */
  readonly followUps: readonly ConflictFollowUp[];
};

type ConflictRow = {
  id: string;
  case_id: string;
  seen_version: number;
  entries: string;
  resolved_by: string | null;
  resolved_at: string | null;
  chosen: string | null;
  resolved_seq: number | null;
  superseded: string;
};

// Follow-ups are the lead's lifecycle: conduct (stages, contacts, checklists), KYC and screening clearances.
const FOLLOW_UP_CATEGORIES: ReadonlySet<string> = new Set(['conduct', 'kyc']);
const isFollowUpType = (type: string): boolean =>
  type in EVENT_TYPE_DOCS &&
  (FOLLOW_UP_CATEGORIES.has(EVENT_TYPE_DOCS[type as AuditEventType].category) || type.startsWith('screening.'));

/**
 * The entries on the lead after the first decision in conflict (by this log's order: a decision of another device is
 * at its receipt), read through receipts to the entry they applied (its type, actor and time).
 */
const followUpsOf = (db: Database, leadId: string, decisions: readonly ConflictDecision[]): ConflictFollowUp[] => {
  const own = auditLogIdentity(db).origin;
  const localOf = statement<[string, number], number | null>(
    db,
    'SELECT applied_seq FROM sync_inbox WHERE origin = ? AND seq = ?',
  ).pluck();
  const places = decisions
    .map((decision) => (decision.origin === own ? decision.seq : localOf.get(decision.origin, decision.seq)))
    .filter((place): place is number => typeof place === 'number');
  if (places.length === 0) return [];
  const rows = statement<[string, number], { sequence: number; canonical: Buffer }>(
    db,
    `SELECT e.sequence, e.canonical FROM audit_entry_subjects s JOIN audit_entries e ON e.sequence = s.sequence
     WHERE s.subject = ? AND s.sequence > ? ORDER BY e.sequence LIMIT 200`,
  ).all(`lead:${leadId}`, Math.min(...places));
  const inbox = statement<[string, number], Buffer>(
    db,
    'SELECT bytes FROM sync_inbox WHERE origin = ? AND seq = ?',
  ).pluck();
  const followUps: ConflictFollowUp[] = [];
  for (const row of rows) {
    let entry = JSON.parse(row.canonical.toString('utf8')) as AuditEntry;
    if (entry.type === 'sync.applied') {
      const applied = entry.payload as { origin: string; seq: number };
      const bytes = inbox.get(applied.origin, applied.seq);
      if (!bytes) continue;
      entry = JSON.parse(bytes.toString('utf8')) as AuditEntry;
    }
    if (isFollowUpType(entry.type))
      followUps.push({ sequence: String(row.sequence), type: entry.type, actor: entry.actor, time: entry.time });
  }
  return followUps;
};

/** The case a conflict id names (`SC-<case id>-v<version>`, decision 0245), or null when it is no conflict id. */
export const caseOfConflictId = (conflictId: string): string | null =>
  /^SC-(.+)-v\d{1,9}$/u.exec(conflictId)?.[1] ?? null;

/**
 * A sync conflict the user may see (its case in their markets, with `permission`): both decisions and their entries.
 * The case is checked first, by the id the conflict's own id names, so a user outside its market is answered as for
 * an unknown case whether or not the case has a conflict.
 */
export const loadSyncConflict = (
  session: Session,
  conflictId: string,
  permission: Permission = 'case.read',
): SyncConflict => {
  const caseId = caseOfConflictId(conflictId);
  if (caseId === null)
    throw new WorkstationError('invalid_input', `conflictId: ${conflictId} is not a sync conflict id (SC-<case>-v<n>)`);
  const kase = loadVisibleCase(session, caseId, permission);
  const row = statement<[string], ConflictRow>(session.workstation.db, 'SELECT * FROM case_conflicts WHERE id = ?').get(
    conflictId,
  );
  if (!row || row.case_id !== caseId) throw new WorkstationError('not_found', `no sync conflict ${conflictId}`);
  const decisions = JSON.parse(row.entries) as ConflictDecision[];
  const reason =
    statement<[string], string>(session.workstation.db, 'SELECT reason FROM cases WHERE id = ?').pluck().get(row.id) ??
    'concurrent_decisions';
  return {
    id: row.id,
    caseId: row.case_id,
    leadId: kase.leadId,
    reason,
    seenVersion: row.seen_version,
    decisions,
    status: row.resolved_seq === null ? 'open' : 'resolved',
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    chosen: row.chosen === null ? null : (JSON.parse(row.chosen) as EntryRef),
    superseded: JSON.parse(row.superseded) as ConflictResolution[],
    followUps: followUpsOf(session.workstation.db, kase.leadId, decisions),
  };
};

/**
 * A senior officer resolves a conflict: one of the decisions taken on the version in conflict stands (`chosen`, by its
 * entry), or none does (`null`: the case is open again for a new decision). A reason is required. The resolution is a
 * `case.conflict_resolved` entry, synced like any other, so every device applies the same outcome.
 */
export const resolveSyncConflict = (
  session: Session,
  conflictId: string,
  input: { readonly chosen: EntryRef | null; readonly reason: string },
): SyncConflict => {
  if (!session.user.active)
    throw new WorkstationError('forbidden', `${session.user.id} is not active`, { reason: 'inactive' });
  // The permission is checked on the case itself, with the user's markets (an out-of-market case looks unknown).
  const conflict = loadSyncConflict(session, conflictId, 'case.resolve_conflict');
  if (conflict.status !== 'open')
    throw new WorkstationError('conflict', `sync conflict ${conflictId} was resolved by ${conflict.resolvedBy}`);
  const reason = input.reason.trim();
  if (reason.length < 5)
    throw new WorkstationError('invalid_input', 'reason: a reason of at least 5 characters is required');
  if (input.chosen !== null) {
    const { origin, seq } = input.chosen;
    const candidate = conflict.decisions.find((decision) => decision.origin === origin && decision.seq === seq);
    if (!candidate)
      throw new WorkstationError('invalid_input', `chosen: conflict ${conflictId} holds no decision ${origin}#${seq}`);
    if (candidate.caseVersion !== conflict.seenVersion)
      throw new WorkstationError(
        'invalid_input',
        `chosen: ${origin}#${seq} was taken on version ${candidate.caseVersion}, not the version in conflict (${conflict.seenVersion})`,
      );
  }
  const subject = `lead:${conflict.leadId}`;
  commit(session.workstation, (append) =>
    append({
      actor: actorOf(session.user),
      type: 'case.conflict_resolved',
      subjects: [`case:${conflictId}`, `case:${conflict.caseId}`, subject],
      payload: {
        pv: PAYLOAD_VERSION,
        conflictId,
        caseId: conflict.caseId,
        chosen: input.chosen === null ? null : { origin: input.chosen.origin, seq: input.chosen.seq },
      },
      personalData: { subject, regime: regimeOfSubject(session.workstation.db, subject), data: { reason } },
    }),
  );
  return loadSyncConflict(session, conflictId);
};
