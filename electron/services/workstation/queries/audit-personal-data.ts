// The personal data one audit entry committed to, for an auditor reading the log in the app: since names, reasons and
// purposes live beside the log (decision 0141), the entry alone no longer says why. Shown only on request with a
// purpose, and the read is itself a `personal_data.read` entry (decision 0177).
import type { ApiParsedRequest, ApiResponse } from '../../../../core/api/contract.ts';
import { readPersonalData } from '../../audit/audit-log.ts';
import { statement } from '../../store/statements.ts';
import { visibleLead } from '../commands/users.ts';
import { requirePermission } from '../session/access.ts';
import { actorOf, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

type Row = { subject: string; regime: string; held: number };

export const entryPersonalData = (
  session: Session,
  request: ApiParsedRequest<'audit.personalData'>,
): ApiResponse<'audit.personalData'> => {
  requirePermission(session, 'audit.read', "read the audit log's personal data");
  requirePermission(session, 'lead.read_personal', "read the audit log's personal data");
  const { workstation, user } = session;
  const sequence = Number(request.sequence);
  const row = statement<[number], Row>(
    workstation.db,
    'SELECT subject, regime, data IS NOT NULL AS held FROM audit_personal_data WHERE sequence = ?',
  ).get(sequence);
  if (!row) throw new WorkstationError('not_found', `entry ${request.sequence} committed to no personal data`);
  // A lead's data only inside the reader's markets (outside: "not found", and a logged refusal); what the log holds
  // about staff and policies is the workstation's own record, read by any auditor.
  if (row.subject.startsWith('lead:')) visibleLead(session, row.subject.slice('lead:'.length));
  const base = { sequence: request.sequence, subject: row.subject, regime: row.regime };
  // Erased or purged: nothing personal is read, so nothing is recorded.
  if (row.held === 0) return { ...base, data: null, erased: true };
  const records = readPersonalData(
    workstation.db,
    {
      subject: row.subject,
      actor: actorOf(user),
      now: workstation.deps.now(),
      purpose: request.purpose,
      sequences: [sequence],
    },
    workstation.deps,
  );
  const record = records.find((candidate) => candidate.sequence === sequence);
  return { ...base, data: (record?.data as Record<string, unknown> | undefined) ?? null, erased: record === undefined };
};
