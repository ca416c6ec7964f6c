// Sync conflicts (decisions 0243–0245): two decisions taken offline on the same case version, held in a conflict case
// in the `sync_conflict` queue until a senior officer resolves it. Reading one and resolving it go through the door.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { statement } from '../../store/statements.ts';
import { regimeOfSubject } from '../../audit/audit-log.ts';
import type { ConflictDecision, EntryRef } from '../projection/case-sync-projection.ts';
import { loadVisibleCase } from './cases.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

export type SyncConflict = {
  readonly id: string;
  readonly caseId: string;
  readonly leadId: string;
  /** The case version both decisions saw. */
  readonly seenVersion: number;
  /** Every decision involved, by origin and sequence: actor, time, decision, reason, the state and effect it had. */
  readonly decisions: readonly ConflictDecision[];
  readonly status: 'open' | 'resolved';
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly chosen: EntryRef | null;
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
};

/** A sync conflict the user may see (its case in their markets): both decisions and their entries. */
export const loadSyncConflict = (session: Session, conflictId: string): SyncConflict => {
  const row = statement<[string], ConflictRow>(session.workstation.db, 'SELECT * FROM case_conflicts WHERE id = ?').get(
    conflictId,
  );
  if (!row) throw new WorkstationError('not_found', `no sync conflict ${conflictId}`);
  const kase = loadVisibleCase(session, row.case_id);
  return {
    id: row.id,
    caseId: row.case_id,
    leadId: kase.leadId,
    seenVersion: row.seen_version,
    decisions: JSON.parse(row.entries) as ConflictDecision[],
    status: row.resolved_seq === null ? 'open' : 'resolved',
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    chosen: row.chosen === null ? null : (JSON.parse(row.chosen) as EntryRef),
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
  const conflict = loadSyncConflict(session, conflictId);
  // The permission is checked on the case itself, with the user's markets (an out-of-market case looks unknown).
  const kase = loadVisibleCase(session, conflict.caseId, 'case.resolve_conflict');
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
  const subject = `lead:${kase.leadId}`;
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
