// Taking a cleared false positive off the allow-list by hand (decision 0197): an officer who may decide screening
// cases, within their markets, with a reason; re-screening raises the hit again from then on.
import { inScope } from '../../../../core/access/roles.ts';
import { regimeOfSubject } from '../../audit/audit-log.ts';
import { statement } from '../../store/statements.ts';
import { requirePermission } from '../session/access.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

export type AllowListRowRef = {
  readonly leadId: string;
  readonly listId: string;
  readonly entryId: string;
  readonly entryVersion: string;
};

/** Shortest reason the workstation accepts for taking a row off the allow-list. */
export const MIN_REMOVAL_REASON = 10;

type RowFound = { case_id: string; jurisdiction: string | null; scope: string | null };

/** Removes one allow-list row; returns the sequence of its `screening.allow_list_removed` entry. */
export const removeFromAllowList = (session: Session, row: AllowListRowRef, reason: string): { sequence: number } => {
  requirePermission(session, 'case.decide', 'take a cleared false positive off the allow-list');
  const { workstation, user } = session;
  const trimmed = reason.trim();
  if (trimmed.length < MIN_REMOVAL_REASON)
    throw new WorkstationError('invalid_input', `a reason of at least ${MIN_REMOVAL_REASON} characters is required`);
  const found = statement<[string, string, string, string], RowFound>(
    workstation.db,
    `SELECT a.case_id, l.jurisdiction, l.scope FROM screening_allow_list a JOIN leads l ON l.id = a.lead_id
     WHERE a.lead_id = ? AND a.list_id = ? AND a.entry_id = ? AND a.entry_version = ?`,
  ).get(row.leadId, row.listId, row.entryId, row.entryVersion);
  const missing = `no allow-list row for lead ${row.leadId}, ${row.listId} entry ${row.entryId}`;
  if (found === undefined) throw new WorkstationError('not_found', missing);
  // Out of the user's markets looks like no row to the caller, and is a logged refusal (decision 0130).
  if (!inScope(user, found.jurisdiction ?? found.scope, workstation.policy().compiled.vocabulary))
    throw new WorkstationError('not_found', missing, { reason: 'out_of_market', subject: `lead:${row.leadId}` });
  const subject = `lead:${row.leadId}`;
  const appended = commit(workstation, (append) =>
    append({
      actor: actorOf(user),
      type: 'screening.allow_list_removed',
      subjects: [subject, `case:${found.case_id}`],
      payload: {
        leadId: row.leadId,
        listId: row.listId,
        entryId: row.entryId,
        entryVersion: row.entryVersion,
        caseId: found.case_id,
      },
      personalData: { subject, regime: regimeOfSubject(workstation.db, subject), data: { reason: trimmed } },
    }),
  );
  return { sequence: appended.sequence };
};
