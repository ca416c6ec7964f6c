// Reads of the product-path lifecycle (issue 14): "My leads" for reps and field reps, the due-soon list, the held and
// waiting paths with what each waits for, and one path's gates. Gates are evaluated live under the active policy at
// the workstation's clock; the stored columns only pick the rows (decision 0204).
import { hasPermission, inScope } from '../../../../core/access/roles.ts';
import { coolingOffOf, dueSoon } from '../../../../core/conduct/cooling-off.ts';
import type { CoolingOff, DueItem } from '../../../../core/conduct/cooling-off.ts';
import { holdOf } from '../../../../core/conduct/decide.ts';
import { gatesOf, unmetGates } from '../../../../core/conduct/gates.ts';
import type { Gate, Guard } from '../../../../core/conduct/gates.ts';
import type { PathState } from '../../../../core/conduct/model.ts';
import type { ConductPolicy } from '../../../../core/conduct/rules.ts';
import type { PlanWarning } from '../../../../core/conduct/planning.ts';
import { durationText, utcText } from '../../../../core/conduct/time-text.ts';
import type { Database } from '../../store/database.ts';
import { statement } from '../../store/statements.ts';
import { planWarnings, plannedContactOf } from '../commands/contact-plans.ts';
import { activeConduct, visiblePath } from '../commands/lifecycle.ts';
import type { PathRef } from '../commands/lifecycle.ts';
import { WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

const requireAny = (
  session: Session,
  permissions: readonly ('path.work' | 'path.supervise' | 'lead.update_facts')[],
  what: string,
): void => {
  if (!permissions.some((permission) => hasPermission(session.user, permission)))
    throw new WorkstationError('forbidden', `${session.user.id} may not ${what} (needs ${permissions.join(' or ')})`);
};

/** Whose paths a list shows: a rep's own; a supervisor may name a rep. */
const ownerFor = (session: Session, owner: string | undefined, what: string): string | null => {
  requireAny(session, ['path.work', 'path.supervise'], what);
  if (owner === undefined || owner === session.user.id)
    return hasPermission(session.user, 'path.work') || owner !== undefined ? session.user.id : null;
  if (!hasPermission(session.user, 'path.supervise'))
    throw new WorkstationError('forbidden', `${session.user.id} may not ${what} of ${owner} (needs path.supervise)`);
  return owner;
};

export const gateDto = (gate: Gate) => ({
  kind: gate.kind,
  rule: { id: gate.rule.id, citation: gate.rule.citation, source: gate.rule.source },
  status: gate.status,
  why: gate.why,
  unblock: gate.unblock
    ? {
        kind: gate.unblock.kind,
        at: gate.unblock.kind === 'wait_until' ? gate.unblock.at : null,
        text: gate.unblock.text,
      }
    : null,
});

const coolingOffDto = (coolingOff: CoolingOff | null) =>
  coolingOff === null
    ? null
    : {
        rule: coolingOff.rule.id,
        status: coolingOff.status,
        endsAt: coolingOff.endsAt,
        remainingMs: coolingOff.remainingMs,
        text: coolingOff.text,
      };

export const planWarningDto = (warning: PlanWarning) => ({
  kind: warning.kind,
  rule: { id: warning.rule.id, citation: warning.rule.citation, source: warning.rule.source },
  message: warning.message,
  safeFrom: warning.safeFrom,
});

/** A path's planned contact with its warnings evaluated now for the planned time; null when none is planned. */
const plannedDto = (db: Database, state: PathState, conduct: ConductPolicy) => {
  const plan = plannedContactOf(db, state.leadId, state.productId);
  return plan && { ...plan, warnings: planWarnings(state, conduct, plan).map(planWarningDto) };
};

const NEXT: Readonly<Record<string, { guard: Guard; text: string } | null>> = {
  NEW: { guard: 'outbound_contact', text: 'first contact' },
  CONTACTED: { guard: 'QUALIFIED', text: 'QUALIFIED' },
  QUALIFIED: { guard: 'PROPOSAL', text: 'PROPOSAL' },
  PROPOSAL: { guard: 'WON', text: 'WON' },
};

const rowOf = (db: Database, state: PathState, subject: string, conduct: ConductPolicy, now: string) => {
  const next = NEXT[state.stage] ?? null;
  const gates = gatesOf(state, conduct, now);
  return {
    leadId: state.leadId,
    productId: state.productId,
    subject,
    jurisdiction: state.jurisdiction,
    stage: state.stage,
    openedAt: state.openedAt,
    stageChangedAt: state.stageChangedAt,
    next: next?.text ?? 'nothing: the path has ended',
    blockedBy: next ? unmetGates(gates, next.guard).map(gateDto) : [],
    held: [...holdOf(state, conduct)],
    coolingOff: coolingOffDto(coolingOffOf(state, conduct, now)),
    planned: plannedDto(db, state, conduct),
  };
};

/** "My leads": a rep's open paths, a page at a time, with what is due and what blocks each next step. */
export const myLeads = (
  session: Session,
  request: {
    page: number;
    pageSize: number;
    owner?: string | undefined;
    sort: 'stage_changed_desc' | 'stage_changed_asc';
  },
) => {
  const owner = ownerFor(session, request.owner, 'list product paths');
  if (owner === null) return { total: 0, page: request.page, pageSize: request.pageSize, rows: [] };
  const { db } = session.workstation;
  const { conduct } = activeConduct(session.workstation);
  const now = session.workstation.deps.now().toISOString();
  const total = statement<[string], { n: number }>(
    db,
    'SELECT count(*) AS n FROM path_lifecycle WHERE owner = ? AND open = 1',
  ).get(owner)!.n;
  const order = request.sort === 'stage_changed_asc' ? 'ASC' : 'DESC';
  // The page's keys from the index alone (it holds owner, open, stage changed and the key), then its 50 rows: a deep
  // page skips index entries, not states.
  const rows = statement<[string, number, number], { state: string; subject: string; jurisdiction: string }>(
    db,
    `SELECT p.state, l.subject, p.jurisdiction
     FROM (SELECT lead_id, product_id FROM path_lifecycle INDEXED BY path_lifecycle_by_owner
           WHERE owner = ? AND open = 1
           ORDER BY stage_changed_at ${order}, lead_id ${order}, product_id ${order} LIMIT ? OFFSET ?) k
     JOIN path_lifecycle p ON p.lead_id = k.lead_id AND p.product_id = k.product_id
     JOIN leads l ON l.id = p.lead_id
     ORDER BY p.stage_changed_at ${order}, p.lead_id ${order}, p.product_id ${order}`,
  ).all(owner, request.pageSize, request.page * request.pageSize);
  const vocabulary = session.workstation.policy().compiled.vocabulary;
  return {
    total,
    page: request.page,
    pageSize: request.pageSize,
    rows: rows
      // A supervisor sees another rep's paths only inside their own markets.
      .filter((row) => owner === session.user.id || inScope(session.user, row.jurisdiction, vocabulary))
      .map((row) => rowOf(db, JSON.parse(row.state) as PathState, row.subject, conduct, now)),
  };
};

/** Open paths whose cooling-off ends within the horizon, soonest first: a rep's own, or (supervisor) all in market. */
export const dueSoonList = (
  session: Session,
  request: { horizonHours: number; owner?: string | undefined; limit: number },
): { items: DueSoonItem[] } => {
  requireAny(session, ['path.work', 'path.supervise'], 'list what is due');
  const owner =
    request.owner === undefined && !hasPermission(session.user, 'path.work')
      ? null
      : ownerFor(session, request.owner, 'list what is due');
  const { db } = session.workstation;
  const { conduct } = activeConduct(session.workstation);
  const nowMs = session.workstation.deps.now().getTime();
  const now = new Date(nowMs).toISOString();
  const until = new Date(nowMs + request.horizonHours * 3_600_000).toISOString();
  const rows =
    owner === null
      ? statement<[string, string, number], { state: string }>(
          db,
          `SELECT state FROM path_lifecycle WHERE open = 1 AND cooling_off_ends_at > ? AND cooling_off_ends_at <= ?
           ORDER BY cooling_off_ends_at LIMIT ?`,
        ).all(now, until, request.limit * 2)
      : statement<[string, string, string, number], { state: string }>(
          db,
          `SELECT state FROM path_lifecycle INDEXED BY path_lifecycle_owner_cooling_off
           WHERE owner = ? AND open = 1 AND cooling_off_ends_at > ? AND cooling_off_ends_at <= ?
           ORDER BY cooling_off_ends_at LIMIT ?`,
        ).all(owner, now, until, request.limit * 2);
  const vocabulary = session.workstation.policy().compiled.vocabulary;
  const states = rows
    .map((row) => JSON.parse(row.state) as PathState)
    .filter((state) => owner === session.user.id || inScope(session.user, state.jurisdiction, vocabulary));
  // Re-checked under the policy in force now: the stored end only picks the candidates.
  const coolingOffEnds: DueSoonItem[] = dueSoon(states, conduct, now, request.horizonHours * 3_600_000).map((item) => ({
    ...item,
    warnings: [],
  }));
  // Planned contacts within the horizon, on open paths, with their warnings evaluated now (decision 0239).
  const planned = statement<[string, string, string | null, string | null, number], { state: string }>(
    db,
    `SELECT p.state FROM planned_contacts c
     JOIN path_lifecycle p ON p.lead_id = c.lead_id AND p.product_id = c.product_id
     WHERE c.at >= ? AND c.at <= ? AND p.open = 1 AND (? IS NULL OR p.owner = ?)
     ORDER BY c.at LIMIT ?`,
  )
    .all(now, until, owner, owner, request.limit)
    .map((row) => JSON.parse(row.state) as PathState)
    .filter((state) => owner === session.user.id || inScope(session.user, state.jurisdiction, vocabulary))
    .flatMap((state): DueSoonItem[] => {
      const plan = plannedContactOf(db, state.leadId, state.productId);
      if (plan === null) return [];
      const warnings = planWarnings(state, conduct, plan);
      const remainingMs = Date.parse(plan.at) - nowMs;
      const warned = warnings.length === 0 ? '' : `; warning: ${warnings.map((warning) => warning.message).join('; ')}`;
      return [
        {
          leadId: state.leadId,
          productId: state.productId,
          owner: state.owner,
          kind: 'planned_contact',
          at: plan.at,
          remainingMs,
          rule: warnings[0]?.rule ?? {
            id: 'lifecycle.planned-contact',
            citation: 'a contact its owner planned',
            source: 'lifecycle',
          },
          text: `${plan.channel} contact planned for ${utcText(Date.parse(plan.at))} (in ${durationText(remainingMs)})${warned}`,
          warnings: warnings.map(planWarningDto),
        },
      ];
    });
  const byTime = (a: DueSoonItem, b: DueSoonItem): number =>
    Date.parse(a.at) - Date.parse(b.at) || (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0);
  return { items: [...coolingOffEnds, ...planned].sort(byTime).slice(0, request.limit) };
};

/** A due-soon item: a cooling-off that ends, or a planned contact that comes, with its warnings. */
export type DueSoonItem = Omit<DueItem, 'kind'> & {
  readonly kind: DueItem['kind'] | 'planned_contact';
  readonly warnings: ReturnType<typeof planWarningDto>[];
};

const WAITS_FOR: Readonly<Record<string, string>> = {
  kyc_not_verified: 'KYC verified',
  aml_documentation_incomplete: 'AML documentation complete',
};

/** Held and waiting paths in the user's markets, oldest first, with what each waits for. */
export const heldAndWaiting = (session: Session, request: { page: number; pageSize: number }) => {
  requireAny(session, ['path.supervise', 'lead.update_facts'], 'list held and waiting paths');
  const { db } = session.workstation;
  const vocabulary = session.workstation.policy().compiled.vocabulary;
  type Row = {
    lead_id: string;
    product_id: string;
    kind: 'held' | 'waiting_for_capacity' | 'engagement_held';
    since: string;
    owner: string | null;
    reasons: string;
    entity: string | null;
    jurisdiction: string | null;
  };
  // Held and waiting paths of both kinds, in one stable order (the decision's or the hold's audit sequence, then the
  // lead and product ids), paged in SQL. The user's markets become a plain IN list: the few jurisdictions these paths
  // carry are each tested once against the markets, as scopeClause does for cases.
  const waiting = `SELECT p.lead_id, p.product_id, p.outcome AS kind, e.time AS since, NULL AS owner,
       json_array(coalesce(p.reason, '')) AS reasons, p.entity_id AS entity, coalesce(l.jurisdiction, l.scope) AS jurisdiction,
       p.decided_seq AS seq
     FROM product_paths p JOIN leads l ON l.id = p.lead_id JOIN audit_entries e ON e.sequence = p.decided_seq
     WHERE p.outcome IN ('held', 'waiting_for_capacity')
     UNION ALL
     SELECT c.lead_id, c.product_id, 'engagement_held', c.stage_changed_at, c.owner, c.hold_reasons, NULL, c.jurisdiction,
       c.updated_seq
     FROM path_lifecycle c WHERE c.held = 1`;
  let scope = '1';
  let params: (string | number)[] = [];
  if (!session.user.markets.includes('*')) {
    const carried = statement<[], { jurisdiction: string | null }>(db, `SELECT DISTINCT jurisdiction FROM (${waiting})`)
      .all()
      .map((row) => row.jurisdiction);
    // A path without a jurisdiction is in no market: only an every-market user sees it (inScope).
    const visible = carried.filter((code): code is string => code !== null && inScope(session.user, code, vocabulary));
    scope = visible.length === 0 ? '0' : `jurisdiction IN (${visible.map(() => '?').join(',')})`;
    params = visible;
  }
  const total = statement<(string | number)[], number>(db, `SELECT count(*) FROM (${waiting}) WHERE ${scope}`)
    .pluck()
    .get(...params)!;
  const page = statement<(string | number)[], Row>(
    db,
    `SELECT * FROM (${waiting}) WHERE ${scope} ORDER BY seq, lead_id, product_id LIMIT ? OFFSET ?`,
  ).all(...params, request.pageSize, request.page * request.pageSize);
  return {
    total,
    rows: page.map((row) => ({
      leadId: row.lead_id,
      productId: row.product_id,
      kind: row.kind,
      since: row.since,
      owner: row.owner,
      waitsFor:
        row.kind === 'waiting_for_capacity'
          ? [`a rep with capacity at ${row.entity ?? 'a licensed entity'}`]
          : (JSON.parse(row.reasons) as string[]).map((reason) => WAITS_FOR[reason] ?? reason),
    })),
  };
};

/** One path: every gate with its state, the cooling-off countdown, disclosures sent, the outreach record, the ending. */
export const pathDetail = (session: Session, ref: PathRef) => {
  requireAny(session, ['path.work', 'path.supervise', 'lead.update_facts'], 'read a product path');
  const state = visiblePath(session, ref);
  if (
    !hasPermission(session.user, 'path.supervise') &&
    !hasPermission(session.user, 'lead.update_facts') &&
    state.owner !== session.user.id
  )
    throw new WorkstationError('forbidden', `${session.user.id} may not read ${state.owner}'s path`);
  const { conduct } = activeConduct(session.workstation);
  const now = session.workstation.deps.now().toISOString();
  return {
    leadId: state.leadId,
    productId: state.productId,
    owner: state.owner,
    stage: state.stage,
    jurisdiction: state.jurisdiction,
    openedAt: state.openedAt,
    stageChangedAt: state.stageChangedAt,
    gates: gatesOf(state, conduct, now).map(gateDto),
    coolingOff: coolingOffDto(coolingOffOf(state, conduct, now)),
    held: [...holdOf(state, conduct)],
    kycStatus: state.facts.kycStatus,
    amlDocumentation: state.facts.amlDocumentation,
    disclosures: state.disclosures.map((sent) => ({ ...sent })),
    // What was said stays beside the log: the list names a template, or says a summary is on record.
    outreach: state.outreach.map((record) => ({
      at: record.at,
      channel: record.channel,
      direction: record.direction,
      by: record.by,
      content:
        record.content.kind === 'template'
          ? `${record.content.template} v${record.content.version}`
          : 'summary on record',
      disclosures: record.disclosures.map((ref) => `${ref.template} v${ref.version}`),
      authorisation: record.authorisation,
    })),
    checklist: state.checklist.map((item) => ({ ...item })),
    planned: plannedDto(session.workstation.db, state, conduct),
    ending: state.ending
      ? {
          stage: state.ending.stage,
          at: state.ending.at,
          by: state.ending.by,
          reason: 'reason' in state.ending ? state.ending.reason : null,
        }
      : null,
  };
};
