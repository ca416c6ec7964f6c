// Case commands: claim, release, decide (maker), approve or return (checker). Access is checked here, in the service:
// role permissions and the user's market scope, whatever the UI shows.
import { hasPermission, inScope } from '../../../../core/access/roles.ts';
import type { Permission, User } from '../../../../core/access/roles.ts';
import type { Case, CaseStatus, Disposition } from '../../../../core/cases/case.ts';
import { approveCase, claimCase, decideCase, releaseCase, returnCase } from '../../../../core/cases/transitions.ts';
import type { CaseError } from '../../../../core/cases/transitions.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { CASE_DECISION_PAYLOAD_VERSION } from '../../../../core/audit/events/case.ts';
import { DEFAULT_CLAIM_LEASE_HOURS } from '../../../../core/cases/transitions.ts';
import { effectOf, loggedStateOf } from '../../../../core/cases/effect.ts';
import type { Result } from '../../../../core/shared/result.ts';
import { checkAssignment } from '../../../../core/routing/route.ts';
import type { ScreeningHit } from '../../../../core/routing/lead.ts';
import { hitsDecided, hitsForQueue, isScreeningCase, sameHit } from '../../../../core/screening/case-hits.ts';
import type { HitId } from '../../../../core/screening/case-hits.ts';
import { entryContentVersion } from '../../../../core/screening/monitoring.ts';
import { nativeSha256 } from '../../lists/store.ts';
import { statement } from '../../store/statements.ts';
import { regimeOfSubject } from '../../audit/audit-log.ts';
import { leadFromStore, listVersionsInForce, reroutePaths, screenedEntry } from './intake.ts';
import { personConflict } from './duties.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Appender, CommandEvent, Session } from '../session/workstation.ts';

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

const subjectsOf = (kase: Case): string[] => [`case:${kase.id}`, `lead:${kase.leadId}`];

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
    append(
      screenedEntry(workstation.db, actorOf(user), kase.leadId, screening, {
        outcome: 'cleared',
        clearedBy: kase.id,
        extraSubjects: [`case:${kase.id}`],
      }),
    );
    // Remembered: what this decision judged (a decision recorded before decision 0180 named none: the case's hits).
    const judged = decided ?? hitsForQueue(kase.type, lead.screening.hits);
    rememberClearedHits(
      session,
      append,
      kase,
      lead.screening.hits.filter((hit) => judged.some((id) => sameHit(id, hit))),
    );
    const refused = workstation.db
      .prepare<[string], { product_id: string }>(
        "SELECT product_id FROM product_paths WHERE lead_id = ? AND outcome = 'refused' AND queue IN ('screening_review', 'enhanced_due_diligence') ORDER BY product_id",
      )
      .all(kase.leadId)
      .map((row) => row.product_id);
    if (refused.length > 0) reroutePaths(workstation, append, { ...lead, screening }, refused, actorOf(user));
  }
};

/**
 * The allow-list (decision 0195): each hit just cleared as a false positive, with the content version of the listed
 * entry as the officer saw it (read from the list directory at the version screened), so re-screening does not raise
 * it for this lead again until the entry changes. A hit whose version is not in the list directory (a hit an upstream
 * system sent, or no directory at all) cannot be pinned to a content version and is not remembered.
 */
const rememberClearedHits = (
  session: Session,
  append: Appender,
  kase: Case,
  cleared: readonly ScreeningHit[],
): void => {
  const store = session.workstation.deps.listStore;
  if (store === undefined) return;
  const hits: { listId: string; entryId: string; listVersion: string; entryVersion: string }[] = [];
  for (const hit of cleared) {
    const entry = store.version(hit.listId, hit.listVersion)?.entries.get(hit.entryId);
    if (entry === undefined || hits.some((seen) => sameHit(seen, hit))) continue;
    const { listId, entryId, listVersion } = hit;
    hits.push({ listId, entryId, listVersion, entryVersion: entryContentVersion(entry, nativeSha256) });
  }
  if (hits.length === 0) return;
  append({
    actor: actorOf(session.user),
    type: 'screening.allow_listed',
    subjects: [`lead:${kase.leadId}`, `case:${kase.id}`],
    payload: { leadId: kase.leadId, caseId: kase.id, hits },
  });
};

/** What a case event records beyond its case and state, by type. */
type CaseEventFields = {
  readonly 'case.claimed': { readonly action: 'claim' };
  readonly 'case.released': Record<string, never>;
  readonly 'case.decided': {
    readonly decision: string;
    readonly violations: readonly string[];
    readonly hits?: readonly HitId[];
  };
  readonly 'case.approved': { readonly decision: string };
  readonly 'case.returned': { readonly decision: string };
};

/** The reason a person gave, as personal data of the lead the case is about (beside the log, decision 0141). */
const reasonData = (session: Session, kase: Case, reason: string) => {
  const subject = `lead:${kase.leadId}`;
  return { subject, regime: regimeOfSubject(session.workstation.db, subject), data: { reason } };
};

const record = <T extends keyof CaseEventFields>(
  session: Session,
  kase: Case,
  type: T,
  fields: CaseEventFields[T],
  reason: string | null,
): Case =>
  commit(session.workstation, (append) => {
    const decides = type === 'case.decided' || type === 'case.approved';
    const effect = decides ? effectOf(kase) : undefined;
    // A decision names the case version it saw (decision 0243): two taken offline on one version become a conflict.
    const versioned = type === 'case.decided' || type === 'case.approved' || type === 'case.returned';
    append({
      actor: actorOf(session.user),
      type,
      subjects: subjectsOf(kase),
      payload: {
        ...(versioned
          ? { pv: CASE_DECISION_PAYLOAD_VERSION, caseVersion: caseVersionOf(session, kase.id) }
          : { pv: PAYLOAD_VERSION }),
        caseId: kase.id,
        ...fields,
        state: loggedStateOf(kase),
        ...(effect ? { effect } : {}),
        // What the decision was taken under on this device (decision 0255), so the hub can tell an old policy's.
        ...(decides
          ? {
              ruleVersion: session.workstation.policy().loaded.version,
              listVersions: listVersionsInForce(session.workstation).map((list) => ({ ...list })),
            }
          : {}),
      },
      ...(reason === null ? {} : { personalData: reasonData(session, kase, reason) }),
    } as CommandEvent);
    followUp(session, append, kase);
    return kase;
  });

const now = (session: Session): string => session.workstation.deps.now().toISOString();

const caseVersionOf = (session: Session, caseId: string): number =>
  statement<[string], { version: number }>(session.workstation.db, 'SELECT version FROM cases WHERE id = ?').get(caseId)
    ?.version ?? 0;

/**
 * A case held in a sync conflict waits for a senior officer's resolution, and a conflict case is resolved, not decided
 * (decision 0244): refused here, whatever the UI shows.
 */
const refuseInSyncConflict = (session: Session, caseId: string): void => {
  const row = statement<[string], { type: string; conflict_id: string | null }>(
    session.workstation.db,
    'SELECT type, conflict_id FROM cases WHERE id = ?',
  ).get(caseId);
  if (row?.type === 'sync_conflict')
    throw new WorkstationError(
      'invalid_input',
      `case ${caseId} is a sync conflict: a senior officer resolves it (cases.resolveConflict)`,
    );
  if (row?.conflict_id)
    throw new WorkstationError(
      'conflict',
      `case ${caseId} is held in sync conflict ${row.conflict_id}: a senior officer resolves it first`,
    );
};

const leaseHoursOf = (session: Session): number =>
  session.workstation.policy().loaded.policy.cases.claimLeaseHours ?? DEFAULT_CLAIM_LEASE_HOURS;

export const claim = (session: Session, caseId: string): Case => {
  const kase = loadVisibleCase(session, caseId, 'case.claim');
  refuseInSyncConflict(session, caseId);
  if (kase.status === 'claimed' && kase.claimedBy === session.user.id) return kase;
  return record(
    session,
    unwrap(claimCase(kase, session.user, now(session), leaseHoursOf(session))),
    'case.claimed',
    { action: 'claim' },
    null,
  );
};

export const release = (session: Session, caseId: string): Case =>
  record(
    session,
    unwrap(releaseCase(loadVisibleCase(session, caseId, 'case.claim'), session.user)),
    'case.released',
    {},
    null,
  );

/**
 * Releases every case `holder` has claimed back to its queue, as `session.user` (an operations admin deactivating a
 * leaver, decision 0039), inside the caller's command, as `cases.release` writes. Market scope is not checked: the release is part of a
 * workstation-wide meta-action, and it reveals nothing the audit log does not already say. Returns the case ids.
 * (One `case.released` entry per case, naming whose claim it was; the reason beside the log.)
 */
export const releaseClaimsOf = (session: Session, append: Appender, holder: User, reason: string): string[] => {
  const rows = session.workstation.db
    .prepare<[string], CaseRow>("SELECT * FROM cases WHERE status = 'claimed' AND claimed_by = ? ORDER BY opened_seq")
    .all(holder.id);
  return rows.map((row) => {
    const released = unwrap(releaseCase(caseFromRow(row), holder));
    append({
      actor: actorOf(session.user),
      type: 'case.released',
      subjects: subjectsOf(released),
      payload: { pv: PAYLOAD_VERSION, caseId: released.id, claimedBy: holder.id, state: loggedStateOf(released) },
      personalData: reasonData(session, released, reason),
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
  refuseInSyncConflict(session, caseId);
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
  return record(
    session,
    decided,
    'case.decided',
    {
      decision: input.disposition,
      violations,
      ...(hits === undefined ? {} : { hits: hits.map((hit) => ({ ...hit })) }),
    },
    input.reason.trim(),
  );
};

/** Maker ≠ checker by person (decision 0161): an account tied to the maker's cannot check their decision. */
const refuseTiedChecker = (session: Session, kase: Case): void => {
  if (kase.status !== 'awaiting_approval' || kase.maker === null || kase.maker.userId === session.user.id) return;
  const conflict = personConflict(session.workstation, kase.maker.userId, session.user);
  if (conflict !== null) throw new WorkstationError('forbidden', `case ${kase.id}: ${conflict}`);
};

export const approve = (session: Session, caseId: string, reason: string): Case => {
  const kase = loadVisibleCase(session, caseId, 'case.approve');
  refuseInSyncConflict(session, caseId);
  refuseTiedChecker(session, kase);
  const approved = unwrap(approveCase(kase, session.user, reason, now(session)));
  return record(session, approved, 'case.approved', { decision: approved.resolution ?? 'approved' }, reason.trim());
};

export const returnForRework = (session: Session, caseId: string, reason: string): Case => {
  const kase = loadVisibleCase(session, caseId, 'case.approve');
  refuseInSyncConflict(session, caseId);
  refuseTiedChecker(session, kase);
  const returned = unwrap(returnCase(kase, session.user, reason, now(session)));
  return record(session, returned, 'case.returned', { decision: kase.maker?.disposition ?? 'returned' }, reason.trim());
};
