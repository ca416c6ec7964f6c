// The allow-list (decision 0195): the false positives officers cleared, by lead and listed entry at its content
// version, which re-screening does not raise again until the entry changes; with how often it held a hit back.
// For compliance and senior officers (case.decide), within their markets; the listed entry's name is the one the
// lead's screening shows (erased with the lead), so nothing here is read from beside the log.
import { inScope } from '../../../../core/access/roles.ts';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { DEFAULT_ALLOW_LIST_REVIEW_DAYS } from '../../../../core/policy/schema.ts';
import { statement } from '../../store/statements.ts';
import { requirePermission } from '../session/access.ts';
import type { Session } from '../session/workstation.ts';

type AllowRow = {
  lead_id: string;
  list_id: string;
  entry_id: string;
  entry_version: string;
  list_version: string;
  case_id: string;
  cleared_at: string;
  suppressed: number;
  last_suppressed_at: string | null;
  subject: string;
  jurisdiction: string | null;
  scope: string | null;
  screening: string | null;
};

const entryNameOf = (screening: string | null, row: AllowRow): string | null => {
  if (screening === null) return null;
  const hits = (JSON.parse(screening) as { hits?: { listId: string; entryId: string; entryName?: string }[] }).hits;
  return hits?.find((hit) => hit.listId === row.list_id && hit.entryId === row.entry_id)?.entryName ?? null;
};

export const allowList = (session: Session): ApiResponse<'screening.allowList'> => {
  requirePermission(session, 'case.decide', 'see the allow-list of cleared false positives');
  const { workstation, user } = session;
  const vocabulary = workstation.policy().compiled.vocabulary;
  const rows = statement<[], AllowRow>(
    workstation.db,
    `SELECT a.*, l.subject, l.jurisdiction, l.scope, l.screening FROM screening_allow_list a JOIN leads l ON l.id = a.lead_id
     ORDER BY a.cleared_seq DESC, a.list_id, a.entry_id`,
  ).all();
  const reviewDays = workstation.policy().loaded.policy.screening.allowListReviewDays ?? DEFAULT_ALLOW_LIST_REVIEW_DAYS;
  const reviewBy = (clearedAt: string): string =>
    new Date(Date.parse(clearedAt) + reviewDays * 86_400_000).toISOString();
  return {
    reviewDays,
    rows: rows
      .filter((row) => inScope(user, row.jurisdiction ?? row.scope, vocabulary))
      .map((row) => ({
        leadId: row.lead_id,
        subject: row.subject,
        listId: row.list_id,
        entryId: row.entry_id,
        entryName: entryNameOf(row.screening, row),
        entryVersion: row.entry_version,
        listVersion: row.list_version,
        caseId: row.case_id,
        clearedAt: row.cleared_at,
        suppressed: row.suppressed,
        lastSuppressedAt: row.last_suppressed_at,
        reviewBy: reviewBy(row.cleared_at),
      })),
  };
};
