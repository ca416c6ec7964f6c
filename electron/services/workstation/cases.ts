// Case commands: claim, release, decide (maker), approve or return (checker). Access is checked here, in the service:
// role permissions and the user's market scope, whatever the UI shows.
import { hasPermission, inScope } from '../../../core/access/roles.ts';
import type { Permission, User } from '../../../core/access/roles.ts';
import type { Case, CaseStatus, Disposition } from '../../../core/cases/case.ts';
import { approveCase, claimCase, decideCase, releaseCase, returnCase } from '../../../core/cases/transitions.ts';
import type { CaseError } from '../../../core/cases/transitions.ts';
import type { JsonObject } from '../../../core/audit/entry.ts';
import type { JsonValue } from '../../../core/shared/canonical-json.ts';
import type { Result } from '../../../core/shared/result.ts';
import { checkAssignment } from '../../../core/routing/route.ts';
import type { ScreeningHit } from '../../../core/routing/lead.ts';
import { hitsDecided, hitsForQueue, isScreeningCase, sameHit } from '../../../core/screening/case-hits.ts';
import type { HitId } from '../../../core/screening/case-hits.ts';
import { statement } from '../store/statements.ts';
import { leadFromStore, reroutePaths } from './intake.ts';
import { personConflict } from './duties.ts';
import { actorOf, commit, WorkstationError } from './workstation.ts';
import type { Appender, Session } from './workstation.ts';

type CaseRow = {
  id: string;
  type: Case['type'];
  lead_id: string;
  product_id: string;
  reason: Case['reason'];
  risk: Case['risk'];
  jurisdiction: string | null;
  rule_version: string;
  opened_at: string;
  sla_due_at: string;
  status: CaseStatus;
  claimed_by: string | null;
  claimed_at: string | null;
  maker: string | null;
  checker: string | null;
  resolution: Disposition | null;
  closed_at: string | null;
};

const caseFromRow = (row: CaseRow): Case => ({
  id: row.id,
  type: row.type,
  leadId: row.lead_id,
  productId: row.product_id,
  reason: row.reason,
  risk: row.risk,
  jurisdiction: row.jurisdiction,
  ruleVersion: row.rule_version,
  openedAt: row.opened_at,
  slaDueAt: row.sla_due_at,
  status: row.status,
  claimedBy: row.claimed_by,
  claimedAt: row.claimed_at,
  maker: row.maker ? JSON.parse(row.maker) : null,
  checker: row.checker ? JSON.parse(row.checker) : null,
  resolution: row.resolution,
  closedAt: row.closed_at,
});

/** Loads a case the user may see: unknown and out-of-scope cases look the same (no probing for ids). */
export const loadVisibleCase = (session: Session, caseId: string, permission: Permission = 'case.read'): Case => {
  const { user, workstation } = session;
  if (!hasPermission(user, permission)) throw new WorkstationError('forbidden', `${user.id} lacks ${permission}`);
  const row = workstation.db.prepare<[string], CaseRow>('SELECT * FROM cases WHERE id = ?').get(caseId);
  if (!row) throw new WorkstationError('not_found', `no case ${caseId}`);
  // Out of the user's markets looks like an unknown case to the caller, but is a logged refusal (decision 0130).
  if (!inScope(user, row.jurisdiction, workstation.policy().compiled.vocabulary))
    throw new WorkstationError('not_found', `no case ${caseId}`, {
      reason: 'out_of_market',
      subject: `case:${caseId}`,
    });
  return caseFromRow(row);
};

const unwrap = (result: Result<Case, CaseError>): Case => {
  if (result.ok) return result.value;
  const code =
    result.error.code === 'forbidden' || result.error.code === 'maker_cannot_check'
      ? 'forbidden'
      : result.error.code === 'reason_required' ||
          result.error.code === 'disposition_not_allowed' ||
          result.error.code === 'assignment_required'
        ? 'invalid_input'
        : 'conflict';
  throw new WorkstationError(code, result.error.message);
};

const stateOf = (kase: Case): JsonObject =>
  JSON.parse(
    JSON.stringify({
      status: kase.status,
      claimedBy: kase.claimedBy,
      claimedAt: kase.claimedAt,
      maker: kase.maker,
      checker: kase.checker,
      resolution: kase.resolution,
      closedAt: kase.closedAt,
    }),
  ) as JsonObject;

const subjectsOf = (kase: Case): string[] => [`case:${kase.id}`, `lead:${kase.leadId}`];

/** The effect a closed case has on its path or lead, written in the same entry that closes it. */
const effectOf = (kase: Case): JsonObject | undefined => {
  if (kase.status !== 'closed' || kase.maker === null) return undefined;
  const base = { leadId: kase.leadId, productId: kase.productId };
  switch (kase.resolution) {
    case 'approve_assignment': {
      const assignment = kase.maker.assignment!;
      return {
        kind: 'path',
        ...base,
        outcome: 'assigned',
        reason: kase.maker.override ? 'assigned_by_override' : 'assigned_by_review',
        ...assignment,
        override: kase.maker.override !== null,
      };
    }
    case 'reject':
      return {
        kind: 'path',
        ...base,
        outcome: 'rejected',
        reason: 'rejected_by_review',
        entityId: null,
        teamId: null,
        repId: null,
        override: false,
      };
    case 'decline_expansion':
      return {
        kind: 'path',
        ...base,
        outcome: 'rejected',
        reason: 'expansion_declined',
        entityId: null,
        teamId: null,
        repId: null,
        override: false,
      };
    case 'pursue_expansion':
      return {
        kind: 'path',
        ...base,
        outcome: 'expansion_pursued',
        reason: 'expansion_pursued',
        entityId: null,
        teamId: null,
        repId: null,
        override: false,
      };
    case 'confirm_match':
      return { kind: 'lead_blocked', leadId: kase.leadId };
    default:
      return undefined;
  }
};

/** After a screening hit is cleared for good: the hits are marked cleared and the lead's screening-refused paths are routed again. */
const followUp = (session: Session, append: Appender, kase: Case): void => {
  if (kase.status !== 'closed' || kase.resolution !== 'clear_false_positive') return;
  const { workstation, user } = session;
  const lead = leadFromStore(workstation.db, kase.leadId);
  if (lead.screening) {
    // The hits the decision named (decision 0180); a decision recorded before it named them cleared every hit.
    const decided = kase.maker?.hits;
    const clears = (hit: ScreeningHit): boolean => decided === undefined || decided.some((id) => sameHit(id, hit));
    const screening = {
      ...lead.screening,
      hits: lead.screening.hits.map((hit) => (clears(hit) ? { ...hit, cleared: true } : hit)),
    };
    append({
      actor: actorOf(user),
      type: 'lead.screened',
      subjects: [`lead:${kase.leadId}`, `case:${kase.id}`],
      payload: {
        leadId: kase.leadId,
        outcome: 'cleared',
        clearedBy: kase.id,
        screening: screening as unknown as JsonValue,
      },
    });
    const refused = workstation.db
      .prepare<[string], { product_id: string }>(
        "SELECT product_id FROM product_paths WHERE lead_id = ? AND outcome = 'refused' AND queue IN ('screening_review', 'enhanced_due_diligence') ORDER BY product_id",
      )
      .all(kase.leadId)
      .map((row) => row.product_id);
    if (refused.length > 0) reroutePaths(workstation, append, { ...lead, screening }, refused, actorOf(user));
  }
};

const record = (
  session: Session,
  kase: Case,
  type: 'case.claimed' | 'case.decided' | 'case.approved',
  extra: JsonObject,
): Case =>
  commit(session.workstation, (append) => {
    append({
      actor: actorOf(session.user),
      type,
      subjects: subjectsOf(kase),
      payload: {
        caseId: kase.id,
        ...extra,
        state: stateOf(kase),
        ...(effectOf(kase) ? { effect: effectOf(kase)! } : {}),
      },
    });
    followUp(session, append, kase);
    return kase;
  });

const now = (session: Session): string => session.workstation.deps.now().toISOString();

export const claim = (session: Session, caseId: string): Case => {
  const kase = loadVisibleCase(session, caseId, 'case.claim');
  if (kase.status === 'claimed' && kase.claimedBy === session.user.id) return kase;
  return record(session, unwrap(claimCase(kase, session.user, now(session))), 'case.claimed', { action: 'claim' });
};

export const release = (session: Session, caseId: string): Case =>
  record(session, unwrap(releaseCase(loadVisibleCase(session, caseId, 'case.claim'), session.user)), 'case.claimed', {
    action: 'release',
  });

/**
 * Releases every case `holder` has claimed back to its queue, as `session.user` (an operations admin deactivating a
 * leaver, decision 0039), inside the caller's command: one `case.claimed` entry per case with action "release", as
 * `cases.release` writes, naming whose claim it was and why. Market scope is not checked: the release is part of a
 * workstation-wide meta-action, and it reveals nothing the audit log does not already say. Returns the case ids.
 */
export const releaseClaimsOf = (session: Session, append: Appender, holder: User, reason: string): string[] => {
  const rows = session.workstation.db
    .prepare<[string], CaseRow>("SELECT * FROM cases WHERE status = 'claimed' AND claimed_by = ? ORDER BY opened_seq")
    .all(holder.id);
  return rows.map((row) => {
    const released = unwrap(releaseCase(caseFromRow(row), holder));
    append({
      actor: actorOf(session.user),
      type: 'case.claimed',
      subjects: subjectsOf(released),
      payload: { caseId: released.id, action: 'release', claimedBy: holder.id, reason, state: stateOf(released) },
    });
    return released.id;
  });
};

export type DecideInput = {
  readonly disposition: Disposition;
  readonly reason: string;
  readonly assignment?: { readonly entityId: string; readonly teamId: string; readonly repId: string } | undefined;
  /** Screening cases: the hits decided; absent, every open hit of the case. Refused on other cases. */
  readonly hits?: readonly HitId[] | undefined;
};

/** The lead's screening hits a case reviews (those of the list kinds its queue takes); none for other cases. */
export const caseScreeningHits = (session: Session, kase: Case): ScreeningHit[] => {
  if (!isScreeningCase(kase)) return [];
  const row = statement<[string], { screening: string | null }>(
    session.workstation.db,
    'SELECT screening FROM leads WHERE id = ?',
  ).get(kase.leadId);
  const hits = row?.screening ? ((JSON.parse(row.screening) as { hits?: ScreeningHit[] }).hits ?? []) : [];
  return hitsForQueue(kase.type, hits);
};

const decidedHits = (session: Session, kase: Case, named: readonly HitId[] | undefined): HitId[] | undefined => {
  if (!isScreeningCase(kase)) {
    if (named !== undefined && named.length > 0)
      throw new WorkstationError('invalid_input', `hits: case ${kase.id} is not about a screening hit`);
    return undefined;
  }
  const found = hitsDecided(caseScreeningHits(session, kase), named);
  if (!found.ok) throw new WorkstationError('invalid_input', `case ${kase.id}: ${found.message}`);
  return found.hits;
};

export const decide = (session: Session, caseId: string, input: DecideInput): Case => {
  const kase = loadVisibleCase(session, caseId, 'case.decide');
  const at = now(session);
  const violations =
    input.disposition === 'approve_assignment' && input.assignment
      ? checkAssignment(
          session.workstation.policy().compiled,
          leadFromStore(session.workstation.db, kase.leadId),
          kase.productId,
          input.assignment,
          at,
        )
      : [];
  const hits = decidedHits(session, kase, input.hits);
  const decided = unwrap(
    decideCase(
      kase,
      session.user,
      { ...input, violations, hits },
      session.workstation.policy().loaded.policy.cases,
      at,
    ),
  );
  return record(session, decided, 'case.decided', {
    decision: input.disposition,
    reason: input.reason.trim(),
    violations,
    ...(hits === undefined ? {} : { hits: hits.map((hit) => ({ ...hit })) }),
  });
};

/** Maker ≠ checker by person (decision 0161): an account tied to the maker's cannot check their decision. */
const refuseTiedChecker = (session: Session, kase: Case): void => {
  if (kase.status !== 'awaiting_approval' || kase.maker === null || kase.maker.userId === session.user.id) return;
  const conflict = personConflict(session.workstation, kase.maker.userId, session.user);
  if (conflict !== null) throw new WorkstationError('forbidden', `case ${kase.id}: ${conflict}`);
};

export const approve = (session: Session, caseId: string, reason: string): Case => {
  const kase = loadVisibleCase(session, caseId, 'case.approve');
  refuseTiedChecker(session, kase);
  const approved = unwrap(approveCase(kase, session.user, reason, now(session)));
  return record(session, approved, 'case.approved', {
    decision: approved.resolution ?? 'approved',
    verdict: 'approved',
    reason: reason.trim(),
  });
};

export const returnForRework = (session: Session, caseId: string, reason: string): Case => {
  const kase = loadVisibleCase(session, caseId, 'case.approve');
  refuseTiedChecker(session, kase);
  const returned = unwrap(returnCase(kase, session.user, reason, now(session)));
  return record(session, returned, 'case.approved', {
    decision: kase.maker?.disposition ?? 'returned',
    verdict: 'returned',
    reason: reason.trim(),
  });
};
