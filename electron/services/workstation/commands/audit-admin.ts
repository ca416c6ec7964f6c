// Running the log as a signed-in user (decision 0131): exports (with or without personal data), checkpoints, signing
// keys, erasure and retention purges, each permitted per action and market. The CLI's `perimeter audit` commands call
// these; none of them opens the database itself.
import { hasPermission } from '../../../../core/access/roles.ts';
import { auditSigningKeys, rotateAuditKey, signAuditCheckpoint } from '../../audit/audit-log.ts';
import type { SigningKeyInfo } from '../../audit/audit-log.ts';
import type { StoredCheckpoint } from '../../../../core/audit/log-engine.ts';
import { exportAuditBundle } from '../../audit/export.ts';
import type { ExportResult } from '../../audit/export.ts';
import { requireEveryMarket, requirePermission } from '../session/access.ts';
import { eraseLead } from './erasure.ts';
import { leadNamed } from '../queries/queries.ts';
import type { ErasureOutcome } from './erasure.ts';
import { actorOf, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

/**
 * The whole log as a regulator bundle. With personal data it needs `lead.read_personal` too, and every market: the
 * bundle opens the commitments of every subject of the log, so a user scoped to some markets is refused outright.
 */
export const exportLogBundle = (
  session: Session,
  input: { readonly includePersonalData: boolean; readonly csv?: boolean },
): ExportResult => {
  requirePermission(session, 'audit.export', 'export the audit log');
  if (input.includePersonalData) {
    requirePermission(session, 'lead.read_personal', 'export personal data');
    requireEveryMarket(session, 'export personal data');
  }
  const { workstation } = session;
  return exportAuditBundle(
    workstation.db,
    {
      now: workstation.deps.now(),
      actor: actorOf(session.user),
      includePersonalData: input.includePersonalData,
      csv: input.csv === true,
    },
    workstation.deps,
  );
};

/** The log's verifier keys: public, but only for those who read or run the log. */
export const logSigningKeys = (session: Session): SigningKeyInfo[] => {
  if (!hasPermission(session.user, 'audit.read')) requirePermission(session, 'audit.keys', 'read the log keys');
  return auditSigningKeys(session.workstation.db);
};

export const signLogCheckpoint = (session: Session): StoredCheckpoint => {
  requirePermission(session, 'audit.keys', 'sign a checkpoint');
  return signAuditCheckpoint(session.workstation.db, session.workstation.deps);
};

export const rotateLogKey = (
  session: Session,
  input: { readonly reason: string; readonly validityDays: number },
): { readonly sequence: number; readonly verifierKey: string } => {
  requirePermission(session, 'audit.keys', 'rotate the log signing key');
  const { workstation } = session;
  return rotateAuditKey(
    workstation.db,
    { now: workstation.deps.now(), actor: actorOf(session.user), ...input },
    workstation.deps,
  );
};

/**
 * Erases one data subject from the CLI: a lead (`lead:<id>`), through the one erasure command (`lead.erase`, inside
 * the user's markets, projections included, required retention periods obeyed; decision 0150).
 */
export const eraseDataSubject = (session: Session, subject: string, basis: string): ErasureOutcome => {
  const leadId = /^lead:(.+)$/.exec(subject)?.[1];
  if (leadId === undefined)
    throw new WorkstationError('invalid_input', `--subject ${subject}: only a lead (lead:<id>) can be erased`);
  return eraseLead(session, { leadId: leadNamed(session, leadId), reason: basis });
};
