// Read side: queue pages, counts, case detail and notifications, filtered to the user's markets in SQL.
import { hasPermission, inScope } from '../../../../core/access/roles.ts';
import type { User } from '../../../../core/access/roles.ts';
import type { CaseRow } from '../../../../core/api/contract.ts';
import type { Vocabulary } from '../../../../core/policy/vocabulary.ts';
import { parsePolicyText } from '../../../../core/policy/parse.ts';
import type { PolicyBundle } from '../../../../core/policy/schema.ts';
import { QUEUE_FOR_REFUSAL } from '../../../../core/routing/outcome.ts';
import { stringsIn, traceNamesOf } from '../../../../core/routing/trace-names.ts';
import { intakeTraceOf } from '../../../../core/routing/intake-paths.ts';
import type { TraceNames } from '../../../../core/routing/trace-names.ts';
import { nodeSha256 } from '../../audit/node-sha256.ts';
import { loadVisibleCase } from '../commands/cases.ts';
import { WorkstationError } from '../session/workstation.ts';
import { tiedAccounts } from '../commands/duties.ts';
import { statement } from '../../store/statements.ts';
import type { Session } from '../session/workstation.ts';

const QUEUES = [...new Set(Object.values(QUEUE_FOR_REFUSAL))];
const OPEN_STATUSES = ['open', 'claimed', 'awaiting_approval'] as const;

type Row = {
  id: string;
  type: CaseRow['type'];
  lead_id: string;
  product_id: string;
  reason: string;
  risk: CaseRow['risk'];
  jurisdiction: string | null;
  status: CaseRow['status'];
  opened_at: string;
  sla_due_at: string;
  claimed_by: string | null;
  maker_id: string | null;
  checker_id: string | null;
  resolution: string | null;
  subject: string;
};

const toCaseRow = (row: Row, now: string): CaseRow => ({
  id: row.id,
  type: row.type,
  leadId: row.lead_id,
  productId: row.product_id,
  reason: row.reason,
  risk: row.risk,
  jurisdiction: row.jurisdiction,
  status: row.status,
  openedAt: row.opened_at,
  slaDueAt: row.sla_due_at,
  overdue: row.status !== 'closed' && row.sla_due_at < now,
  claimedBy: row.claimed_by,
  makerId: row.maker_id,
  checkerId: row.checker_id,
  resolution: row.resolution,
  subject: row.subject,
});

const COLUMNS =
  'id, type, lead_id, product_id, reason, risk, jurisdiction, status, opened_at, sla_due_at, claimed_by, maker_id, checker_id, resolution, subject';

/**
 * The jurisdictions a scoped user may see, as a SQL condition. Every jurisdiction that cases carry is tested against
 * the user's markets once (a few hundred at most), so the page query filters by a plain IN list on an index.
 */
export const scopeClause = (
  db: Session['workstation']['db'],
  user: User,
  vocabulary: Vocabulary,
): { sql: string; params: string[]; jurisdictions: string[] | null } => {
  if (user.markets.includes('*')) return { sql: '1', params: [], jurisdictions: null };
  const jurisdictions = statement<[], { jurisdiction: string }>(
    db,
    "SELECT DISTINCT jurisdiction FROM case_counts WHERE jurisdiction <> ''",
  )
    .all()
    .map((row) => row.jurisdiction)
    .filter((code) => inScope(user, code, vocabulary));
  if (jurisdictions.length === 0) return { sql: '0', params: [], jurisdictions };
  return { sql: `jurisdiction IN (${jurisdictions.map(() => '?').join(',')})`, params: jurisdictions, jurisdictions };
};

/**
 * Active (not closed) cases per queue within a scope, and how many of them await approval: a sum over the maintained
 * case_counts counters, never a scan of cases.
 */
export const activeCasesByQueue = (
  db: Session['workstation']['db'],
  scope: ReturnType<typeof scopeClause>,
): Map<string, { open: number; awaiting: number }> => {
  const counted = new Map<string, { open: number; awaiting: number }>();
  const counters =
    scope.jurisdictions === null
      ? statement<[], { type: string; status: string; n: number }>(
          db,
          "SELECT type, status, sum(count) AS n FROM case_counts WHERE status <> 'closed' GROUP BY type, status",
        ).all()
      : scope.jurisdictions.length === 0
        ? []
        : statement<string[], { type: string; status: string; n: number }>(
            db,
            `SELECT type, status, sum(count) AS n FROM case_counts WHERE status <> 'closed' AND jurisdiction IN (${scope.jurisdictions.map(() => '?').join(',')}) GROUP BY type, status`,
          ).all(...scope.jurisdictions);
  for (const row of counters) {
    const entry = counted.get(row.type) ?? { open: 0, awaiting: 0 };
    entry.open += row.n;
    if (row.status === 'awaiting_approval') entry.awaiting += row.n;
    counted.set(row.type, entry);
  }
  return counted;
};

export type CaseListQuery = {
  readonly queue?: CaseRow['type'] | undefined;
  readonly status?: readonly CaseRow['status'][] | undefined;
  readonly overdueOnly?: boolean | undefined;
  readonly awaitingMyApproval?: boolean | undefined;
  readonly search?: string | undefined;
  readonly sort: 'slaDueAt' | 'openedAt' | 'risk' | 'jurisdiction';
  readonly direction: 'asc' | 'desc';
  readonly page: number;
  readonly pageSize: number;
};

const SORT_COLUMNS: Readonly<Record<CaseListQuery['sort'], string>> = {
  slaDueAt: 'sla_due_at',
  openedAt: 'opened_at',
  risk: 'risk_rank',
  jurisdiction: 'jurisdiction',
};

export const TOTAL_COUNT_CAP = 10_000;

/**
 * The index a work-queue page walks, named so the plan never depends on table statistics: a queue's open cases in
 * the sort order, reading the jurisdiction from the index to apply a market scope without fetching rows.
 */
const pageIndex = (query: CaseListQuery, openOnly: boolean): string => {
  if (!openOnly || query.search?.trim() || query.awaitingMyApproval) return '';
  if (!query.queue) return query.sort === 'slaDueAt' ? 'INDEXED BY cases_open_by_due' : '';
  const index = {
    slaDueAt: 'cases_open_by_queue_due',
    openedAt: 'cases_open_by_queue_opened',
    risk: 'cases_open_by_queue_risk',
    jurisdiction: '',
  }[query.sort];
  return index ? `INDEXED BY ${index}` : '';
};

export const listCases = (
  session: Session,
  query: CaseListQuery,
): { rows: CaseRow[]; total: number; totalCapped: boolean } => {
  const { user, workstation } = session;
  if (!hasPermission(user, 'case.read')) throw new WorkstationError('forbidden', `${user.id} may not read cases`);
  const db = workstation.db;
  const now = workstation.deps.now().toISOString();
  const where: string[] = [];
  const params: (string | number)[] = [];
  const scope = scopeClause(db, user, workstation.policy().compiled.vocabulary);
  // No case carries a jurisdiction in the user's markets: nothing to page (and no index hint can plan "WHERE 0").
  if (scope.jurisdictions?.length === 0) return { rows: [], total: 0, totalCapped: false };
  if (scope.sql !== '1') {
    where.push(scope.sql);
    params.push(...scope.params);
  }
  if (query.queue) {
    where.push('type = ?');
    params.push(query.queue);
  }
  const statuses = query.awaitingMyApproval ? ['awaiting_approval'] : (query.status ?? OPEN_STATUSES);
  const defaultStatuses = !query.awaitingMyApproval && query.status === undefined;
  // "status <> 'closed'" is the condition of the partial indexes work queues read.
  if (query.awaitingMyApproval) where.push("status = 'awaiting_approval'");
  else if (!statuses.includes('closed')) where.push("status <> 'closed'");
  if (!defaultStatuses && !query.awaitingMyApproval) {
    where.push(`status IN (${statuses.map(() => '?').join(',')})`);
    params.push(...statuses);
  }
  if (query.awaitingMyApproval) {
    // Not mine, nor made by an account tied to mine (the person rule, decision 0161).
    const tied = tiedAccounts(session.workstation, user.id);
    where.push(`maker_id NOT IN (${tied.map(() => '?').join(',')})`);
    params.push(...tied);
  }
  if (query.overdueOnly) {
    where.push('sla_due_at < ?');
    params.push(now);
  }
  if (query.search && query.search.trim() !== '') {
    const term = query.search.trim();
    // An exact case id, lead id or source system's lead id finds that; anything else is a prefix of the subject
    // (company name or initials).
    const leadIds = /\s/.test(term)
      ? []
      : statement<[string, string], { id: string }>(db, 'SELECT id FROM leads WHERE id = ? OR source_id = ?')
          .all(term, term)
          .map((row) => row.id);
    const isId =
      leadIds.length > 0 ||
      (!/\s/.test(term) &&
        statement<[string], { one: number }>(db, 'SELECT 1 AS one FROM cases WHERE id = ? LIMIT 1').get(term) !==
          undefined);
    if (isId) {
      where.push(`(id = ? OR lead_id IN (${leadIds.map(() => '?').join(',') || 'NULL'}))`);
      params.push(term, ...leadIds);
    } else {
      where.push('subject_key >= ? AND subject_key < ?');
      params.push(term.toLowerCase(), `${term.toLowerCase()}\uffff`);
    }
  }
  const whereSql = where.length === 0 ? '1' : where.join(' AND ');
  const direction = query.direction === 'desc' ? 'DESC' : 'ASC';
  const order = `${SORT_COLUMNS[query.sort]} ${direction}, id ${direction}`;
  const rows = statement<(string | number)[], Row>(
    db,
    // Deferred join: the page's ids come from the index alone (skipped rows are never fetched), then 50 rows are read.
    `SELECT ${COLUMNS} FROM cases WHERE id IN (SELECT id FROM cases ${pageIndex(query, defaultStatuses)} WHERE ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?) ORDER BY ${order}`,
  ).all(...params, query.pageSize, query.page * query.pageSize);
  // Exact totals come from the maintained counters when nothing narrows the queue; otherwise counting stops at a cap.
  const simple =
    scope.sql === '1' && defaultStatuses && !query.overdueOnly && !query.search?.trim() && !query.awaitingMyApproval;
  if (simple) {
    const total = statement<string[], { n: number | null }>(
      db,
      `SELECT sum(count) AS n FROM case_counts WHERE status <> 'closed'${query.queue ? ' AND type = ?' : ''}`,
    ).get(...(query.queue ? [query.queue] : []))?.n;
    return { rows: rows.map((row) => toCaseRow(row, now)), total: total ?? 0, totalCapped: false };
  }
  const counted =
    statement<(string | number)[], { n: number }>(
      db,
      `SELECT count(*) AS n FROM (SELECT 1 FROM cases WHERE ${whereSql} LIMIT ?)`,
    ).get(...params, TOTAL_COUNT_CAP + 1)?.n ?? 0;
  return {
    rows: rows.map((row) => toCaseRow(row, now)),
    total: Math.min(counted, TOTAL_COUNT_CAP),
    totalCapped: counted > TOTAL_COUNT_CAP,
  };
};

export const caseCounts = (
  session: Session,
): {
  queues: { queue: CaseRow['type']; open: number; overdue: number; awaitingApproval: number }[];
  awaitingMyApproval: number;
} => {
  const { user, workstation } = session;
  if (!hasPermission(user, 'case.read')) throw new WorkstationError('forbidden', `${user.id} may not read cases`);
  const now = workstation.deps.now().toISOString();
  const db = workstation.db;
  const scope = scopeClause(db, user, workstation.policy().compiled.vocabulary);
  if (scope.jurisdictions?.length === 0)
    return {
      queues: QUEUES.map((queue) => ({ queue, open: 0, overdue: 0, awaitingApproval: 0 })),
      awaitingMyApproval: 0,
    };
  const counted = activeCasesByQueue(db, scope);
  // Overdue per queue (decision 0050): the active cases due on an earlier UTC day, summed from the case_due_counts
  // counters, plus those due earlier today, a short range on the queue's open-cases index.
  const today = now.slice(0, 10);
  const overdue = new Map(
    statement<(string | number)[], { type: string; n: number }>(
      db,
      `SELECT type, sum(count) AS n FROM case_due_counts WHERE due_day < ? AND ${scope.sql} GROUP BY type`,
    )
      .all(today, ...scope.params)
      .map((row) => [row.type, row.n]),
  );
  // The sync conflict queue (decision 0244) is counted once the device has had a conflict: never on a lone device.
  const queues: CaseRow['type'][] = statement<[], number>(
    db,
    "SELECT 1 FROM case_counts WHERE type = 'sync_conflict' LIMIT 1",
  )
    .pluck()
    .get()
    ? [...QUEUES, 'sync_conflict']
    : [...QUEUES];
  for (const queue of queues) {
    const dueToday =
      statement<(string | number)[], { n: number }>(
        db,
        `SELECT count(*) AS n FROM cases INDEXED BY cases_open_by_queue_due
         WHERE type = ? AND status <> 'closed' AND sla_due_at >= ? AND sla_due_at < ? AND ${scope.sql}`,
      ).get(queue, today, now, ...scope.params)?.n ?? 0;
    overdue.set(queue, (overdue.get(queue) ?? 0) + dueToday);
  }
  // Awaiting my approval = every decision awaiting a checker in scope, less the ones I made or an account tied to mine
  // made (the person rule, decision 0161; a short index range per account).
  const awaitingInScope = [...counted.values()].reduce((sum, entry) => sum + entry.awaiting, 0);
  const tied = tiedAccounts(workstation, user.id);
  const awaitingMine = hasPermission(user, 'case.approve')
    ? awaitingInScope -
      (statement<string[], { n: number }>(
        db,
        `SELECT count(*) AS n FROM cases INDEXED BY cases_awaiting_by_maker WHERE status = 'awaiting_approval' AND maker_id IN (${tied.map(() => '?').join(',')}) AND ${scope.sql}`,
      ).get(...tied, ...scope.params)?.n ?? 0)
    : 0;
  return {
    queues: queues.map((queue) => ({
      queue,
      open: counted.get(queue)?.open ?? 0,
      overdue: overdue.get(queue) ?? 0,
      awaitingApproval: counted.get(queue)?.awaiting ?? 0,
    })),
    awaitingMyApproval: awaitingMine,
  };
};

// Published bundles parsed once per database and rule version (a published policy never changes).
const publishedBundles = new WeakMap<object, Map<string, PolicyBundle | null>>();

/** The policy bundle a rule version names, from this workstation's publications (null when it has none). */
const publishedBundle = (session: Session, ruleVersion: string): PolicyBundle | null => {
  const { db } = session.workstation;
  const active = session.workstation.policy().loaded;
  if (active.version === ruleVersion) return active.policy;
  let bundles = publishedBundles.get(db);
  if (bundles === undefined) publishedBundles.set(db, (bundles = new Map()));
  if (bundles.has(ruleVersion)) return bundles.get(ruleVersion) ?? null;
  const row = statement<[string], { bundle: string }>(db, 'SELECT bundle FROM policies WHERE rule_version = ?').get(
    ruleVersion,
  );
  const parsed = row ? parsePolicyText(row.bundle, nodeSha256) : null;
  const bundle = parsed?.ok && parsed.value.version === ruleVersion ? parsed.value.policy : null;
  bundles.set(ruleVersion, bundle);
  return bundle;
};

/**
 * The names of what a trace mentions (reps, teams, entities, products, licences, rules, the policy's label), from the
 * policy its rule version cites, at read time: the audit entry keeps ids only (decision 0115).
 */
const traceNames = (session: Session, trace: Record<string, unknown>): TraceNames | null => {
  const ruleVersion = trace.ruleVersion;
  if (typeof ruleVersion !== 'string') return null;
  const bundle = publishedBundle(session, ruleVersion);
  if (bundle === null) return null;
  const mentioned = stringsIn(trace);
  // A trace with rules lists those that applied; the others are the rest of the policy's, so all are named.
  if ('rules' in trace) for (const rule of bundle.rules) mentioned.add(rule.id);
  return traceNamesOf(bundle, (id) => mentioned.has(id));
};

/** Of a lead.intake payload, the lead's fields and the one product path asked for (without its trace). */
const intakePathOf = (payload: Record<string, unknown>, productId: string): Record<string, unknown> => {
  const { paths, facts: _facts, screening: _screening, ...lead } = payload;
  const path = (paths as Record<string, unknown>[]).find((candidate) => candidate.productId === productId);
  const { trace: _trace, ...decided } = path ?? {};
  return { ...lead, ...decided };
};

/**
 * The format-3 trace of the decision that opened a case: a routing.decided entry's own, or the path's of a lead.intake
 * entry, expanded with the bundle its rule version cites (decision 0264). Unchanged (format 4) when that bundle is
 * not here, so nothing is made up.
 */
const decisionTrace = (
  session: Session,
  entry: { type: string; payload: Record<string, unknown> },
  productId: string,
): Record<string, unknown> => {
  if (entry.type !== 'lead.intake') return (entry.payload.trace as Record<string, unknown> | undefined) ?? {};
  const path = (entry.payload.paths as Record<string, unknown>[]).find(
    (candidate) => candidate.productId === productId,
  );
  const bundle = publishedBundle(session, entry.payload.ruleVersion as string);
  if (bundle === null) return (path?.trace as Record<string, unknown> | undefined) ?? {};
  return intakeTraceOf(entry.payload, productId, bundle) ?? {};
};

/**
 * The entry a row of this log stands for: itself, or, for this device's receipt of another device's entry
 * (`sync.applied`, decision 0242), that entry as the inbox holds it. So a case applied from another device shows its
 * trace and its history as the device that recorded them does (the sequence stays this log's, the receipt's).
 */
const appliedEntryOf = (db: Session['workstation']['db'], canonical: Buffer): Buffer => {
  const entry = JSON.parse(canonical.toString('utf8')) as { type: string; payload: { origin?: string; seq?: number } };
  if (entry.type !== 'sync.applied') return canonical;
  return (
    db
      .prepare<[string, number], Buffer>('SELECT bytes FROM sync_inbox WHERE origin = ? AND seq = ?')
      .pluck()
      .get(entry.payload.origin ?? '', entry.payload.seq ?? -1) ?? canonical
  );
};

export const caseDetail = (session: Session, caseId: string) => {
  const kase = loadVisibleCase(session, caseId);
  const db = session.workstation.db;
  const row = db
    .prepare<[string], Row & { decision_seq: number; opened_seq: number }>(
      `SELECT ${COLUMNS}, decision_seq, opened_seq FROM cases WHERE id = ?`,
    )
    .get(caseId)!;
  const decision = db
    .prepare<[number], { canonical: Buffer }>('SELECT canonical FROM audit_entries WHERE sequence = ?')
    .get(row.decision_seq);
  const trace = decision
    ? decisionTrace(session, JSON.parse(appliedEntryOf(db, decision.canonical).toString('utf8')), row.product_id)
    : {};
  // A case a lead.intake entry opened is not among its subjects (the entry names the lead): that entry comes first.
  const history = db
    .prepare<[string, number], { canonical: Buffer }>(
      `SELECT e.canonical FROM audit_entries e WHERE e.sequence IN
         (SELECT s.sequence FROM audit_entry_subjects s WHERE s.subject = ? UNION SELECT ?) ORDER BY e.sequence`,
    )
    .all(`case:${caseId}`, row.opened_seq)
    .map((stored) => {
      const sequence = (JSON.parse(stored.canonical.toString('utf8')) as { sequence: string }).sequence;
      const entry = { canonical: appliedEntryOf(db, stored.canonical) };
      const parsed = JSON.parse(entry.canonical.toString('utf8')) as {
        sequence: string;
        time: string;
        actor: string;
        type: string;
        payload: Record<string, unknown>;
      };
      return {
        sequence,
        time: parsed.time,
        actor: parsed.actor,
        type: parsed.type,
        // Of a lead's intake, the path this case is about.
        payload: parsed.type === 'lead.intake' ? intakePathOf(parsed.payload, row.product_id) : parsed.payload,
      };
    });
  const lead = db
    .prepare<[string], { source_system: string; source_id: string; held: number; residency_region: string | null }>(
      `SELECT l.source_system, l.source_id, l.residency_region,
         EXISTS (SELECT 1 FROM audit_personal_data p WHERE p.sequence = l.ingested_seq AND p.data IS NOT NULL) AS held
       FROM leads l WHERE l.id = ?`,
    )
    .get(row.lead_id)!;
  return {
    case: toCaseRow(row, session.workstation.deps.now().toISOString()),
    lead: {
      sourceSystem: lead.source_system,
      sourceId: lead.held ? lead.source_id : null,
      residencyRegion: lead.residency_region,
    },
    maker: kase.maker as unknown as Record<string, unknown> | null,
    checker: kase.checker as unknown as Record<string, unknown> | null,
    trace,
    names: traceNames(session, trace),
    history,
  };
};

export const listNotifications = (session: Session, limit: number) => {
  const { user, workstation } = session;
  // Operations admins read the refusal and expansion notifications; a rep reads their own assignments (issue 14).
  const audiences = [
    ...(hasPermission(user, 'notifications.read') ? ['operations_admin'] : []),
    ...(hasPermission(user, 'path.work') ? [`rep:${user.id}`] : []),
  ];
  if (audiences.length === 0) throw new WorkstationError('forbidden', `${user.id} may not read notifications`);
  return workstation.db
    .prepare<
      [string, string, number],
      { id: string; at: string; kind: string; message: string; lead_id: string | null }
    >(
      'SELECT id, at, kind, message, lead_id FROM notifications WHERE audience IN (?, ?) ORDER BY at DESC, id DESC LIMIT ?',
    )
    .all(audiences[0]!, audiences[1] ?? audiences[0]!, limit)
    .map((row) => ({ id: row.id, at: row.at, kind: row.kind, message: row.message, leadId: row.lead_id }));
};

/**
 * The leads of the user's markets an id names: their internal id, or the id a source system gave them (decision 0178).
 * Matches outside the user's markets are left out; when every match is, the answer is "not found" and a logged refusal,
 * as for a read of such a lead.
 */
export const findLeads = (
  session: Session,
  id: string,
): {
  readonly leads: {
    readonly leadId: string;
    readonly sourceSystem: string;
    readonly jurisdiction: string | null;
    readonly ingestedAt: string;
    readonly erased: boolean;
  }[];
} => {
  const { workstation, user } = session;
  if (!hasPermission(user, 'case.read')) throw new WorkstationError('forbidden', `${user.id} may not look leads up`);
  const rows = statement<
    [string, string],
    {
      id: string;
      source_system: string;
      jurisdiction: string | null;
      scope: string | null;
      ingested_at: string;
      ingested_seq: number;
      held: number;
    }
  >(
    workstation.db,
    `SELECT l.id, l.source_system, l.jurisdiction, l.scope, l.ingested_at, l.ingested_seq,
       EXISTS (SELECT 1 FROM audit_personal_data p WHERE p.sequence = l.ingested_seq AND p.data IS NOT NULL) AS held
     FROM leads l WHERE l.id = ? OR l.source_id = ? ORDER BY l.ingested_seq`,
  ).all(id, id);
  const vocabulary = workstation.policy().compiled.vocabulary;
  const visible = rows.filter((row) => inScope(user, row.jurisdiction ?? row.scope, vocabulary));
  if (visible.length === 0 && rows.length > 0)
    throw new WorkstationError('not_found', `no lead ${id}`, {
      reason: 'out_of_market',
      subject: `lead:${rows[0]!.id}`,
    });
  return {
    leads: visible.map((row) => ({
      leadId: row.id,
      sourceSystem: row.source_system,
      jurisdiction: row.jurisdiction ?? row.scope,
      ingestedAt: row.ingested_at,
      erased: row.held === 0,
    })),
  };
};

/**
 * The lead an operator names by its internal id or by a source system's id (decision 0178), through the same
 * market-scoped lookup as the workstation's lead page. An id two source systems both used is refused with both leads.
 */
export const leadNamed = (session: Session, id: string): string => {
  const { leads } = findLeads(session, id);
  if (leads.length === 1) return leads[0]!.leadId;
  if (leads.length === 0) throw new WorkstationError('not_found', `no lead ${id}`);
  throw new WorkstationError(
    'conflict',
    `${leads.length} leads carry the id ${id}: ${leads.map((lead) => `${lead.leadId} (from ${lead.sourceSystem})`).join(', ')}; name one by its internal id`,
  );
};
