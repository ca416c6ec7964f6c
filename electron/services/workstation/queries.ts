// Read side: queue pages, counts, case detail and notifications, filtered to the user's markets in SQL.
import { hasPermission } from '../../../core/access/roles.ts';
import type { User } from '../../../core/access/roles.ts';
import type { CaseRow } from '../../../core/api/contract.ts';
import type { Vocabulary } from '../../../core/policy/vocabulary.ts';
import { QUEUE_FOR_REFUSAL } from '../../../core/routing/outcome.ts';
import { loadVisibleCase } from './cases.ts';
import { WorkstationError } from './workstation.ts';
import type { Session } from './workstation.ts';

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
const scopeClause = (
  db: Session['workstation']['db'],
  user: User,
  vocabulary: Vocabulary,
): { sql: string; params: string[] } => {
  if (user.markets.includes('*')) return { sql: '1', params: [] };
  const jurisdictions = db
    .prepare<[], { jurisdiction: string }>('SELECT DISTINCT jurisdiction FROM cases WHERE jurisdiction IS NOT NULL')
    .all()
    .map((row) => row.jurisdiction)
    .filter((code) => user.markets.some((market) => vocabulary.within(code, market)));
  if (jurisdictions.length === 0) return { sql: '0', params: [] };
  return { sql: `jurisdiction IN (${jurisdictions.map(() => '?').join(',')})`, params: jurisdictions };
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

export const listCases = (session: Session, query: CaseListQuery): { rows: CaseRow[]; total: number } => {
  const { user, workstation } = session;
  if (!hasPermission(user, 'case.read')) throw new WorkstationError('forbidden', `${user.id} may not read cases`);
  const now = workstation.deps.now().toISOString();
  const where: string[] = [];
  const params: (string | number)[] = [];
  const scope = scopeClause(workstation.db, user, workstation.policy().compiled.vocabulary);
  where.push(scope.sql);
  params.push(...scope.params);
  if (query.queue) {
    where.push('type = ?');
    params.push(query.queue);
  }
  const statuses = query.awaitingMyApproval ? ['awaiting_approval'] : (query.status ?? OPEN_STATUSES);
  where.push(`status IN (${statuses.map(() => '?').join(',')})`);
  params.push(...statuses);
  if (query.awaitingMyApproval) {
    where.push('maker_id IS NOT ?');
    params.push(user.id);
  }
  if (query.overdueOnly) {
    where.push("sla_due_at < ? AND status <> 'closed'");
    params.push(now);
  }
  if (query.search && query.search.trim() !== '') {
    const term = query.search.trim();
    where.push("(id = ? OR lead_id = ? OR subject LIKE ? ESCAPE '\\' COLLATE NOCASE)");
    params.push(term, term, `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const whereSql = where.join(' AND ');
  const order = `${SORT_COLUMNS[query.sort]} ${query.direction === 'desc' ? 'DESC' : 'ASC'}, id ${query.direction === 'desc' ? 'DESC' : 'ASC'}`;
  const rows = workstation.db
    .prepare<(string | number)[], Row>(
      `SELECT ${COLUMNS} FROM cases WHERE ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...params, query.pageSize, query.page * query.pageSize);
  const total =
    workstation.db
      .prepare<(string | number)[], { n: number }>(`SELECT count(*) AS n FROM cases WHERE ${whereSql}`)
      .get(...params)?.n ?? 0;
  return { rows: rows.map((row) => toCaseRow(row, now)), total };
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
  const scope = scopeClause(workstation.db, user, workstation.policy().compiled.vocabulary);
  const unscoped = user.markets.includes('*');
  const counted = new Map<string, { open: number; awaiting: number }>();
  if (unscoped) {
    for (const row of workstation.db
      .prepare<[], { type: string; status: string; count: number }>('SELECT type, status, count FROM case_counts')
      .all()) {
      const entry = counted.get(row.type) ?? { open: 0, awaiting: 0 };
      if (row.status !== 'closed') entry.open += row.count;
      if (row.status === 'awaiting_approval') entry.awaiting += row.count;
      counted.set(row.type, entry);
    }
  } else {
    const rows = workstation.db
      .prepare<string[], { type: string; status: string; n: number }>(
        `SELECT type, status, count(*) AS n FROM cases WHERE ${scope.sql} AND status <> 'closed' GROUP BY type, status`,
      )
      .all(...scope.params);
    for (const row of rows) {
      const entry = counted.get(row.type) ?? { open: 0, awaiting: 0 };
      entry.open += row.n;
      if (row.status === 'awaiting_approval') entry.awaiting += row.n;
      counted.set(row.type, entry);
    }
  }
  const overdue = new Map(
    workstation.db
      .prepare<(string | number)[], { type: string; n: number }>(
        `SELECT type, count(*) AS n FROM cases WHERE status IN ('open', 'claimed', 'awaiting_approval') AND sla_due_at < ? AND ${scope.sql} GROUP BY type`,
      )
      .all(now, ...scope.params)
      .map((row) => [row.type, row.n]),
  );
  const awaitingMine = hasPermission(user, 'case.approve')
    ? (workstation.db
        .prepare<string[], { n: number }>(
          `SELECT count(*) AS n FROM cases WHERE status = 'awaiting_approval' AND maker_id IS NOT ? AND ${scope.sql}`,
        )
        .get(user.id, ...scope.params)?.n ?? 0)
    : 0;
  return {
    queues: QUEUES.map((queue) => ({
      queue,
      open: counted.get(queue)?.open ?? 0,
      overdue: overdue.get(queue) ?? 0,
      awaitingApproval: counted.get(queue)?.awaiting ?? 0,
    })),
    awaitingMyApproval: awaitingMine,
  };
};

export const caseDetail = (session: Session, caseId: string) => {
  const kase = loadVisibleCase(session, caseId);
  const db = session.workstation.db;
  const row = db
    .prepare<[string], Row & { decision_seq: number }>(`SELECT ${COLUMNS}, decision_seq FROM cases WHERE id = ?`)
    .get(caseId)!;
  const decision = db
    .prepare<[number], { canonical: Buffer }>('SELECT canonical FROM audit_entries WHERE sequence = ?')
    .get(row.decision_seq);
  const trace = decision
    ? ((JSON.parse(decision.canonical.toString('utf8')) as { payload: { trace: Record<string, unknown> } }).payload
        .trace ?? {})
    : {};
  const history = db
    .prepare<[string], { canonical: Buffer }>(
      'SELECT e.canonical FROM audit_entry_subjects s JOIN audit_entries e ON e.sequence = s.sequence WHERE s.subject = ? ORDER BY e.sequence',
    )
    .all(`case:${caseId}`)
    .map((entry) => {
      const parsed = JSON.parse(entry.canonical.toString('utf8')) as {
        sequence: string;
        time: string;
        actor: string;
        type: string;
        payload: Record<string, unknown>;
      };
      return {
        sequence: parsed.sequence,
        time: parsed.time,
        actor: parsed.actor,
        type: parsed.type,
        payload: parsed.payload,
      };
    });
  return {
    case: toCaseRow(row, session.workstation.deps.now().toISOString()),
    maker: kase.maker as unknown as Record<string, unknown> | null,
    checker: kase.checker as unknown as Record<string, unknown> | null,
    trace,
    history,
  };
};

export const listNotifications = (session: Session, limit: number) => {
  const { user, workstation } = session;
  if (!hasPermission(user, 'notifications.read'))
    throw new WorkstationError('forbidden', `${user.id} may not read notifications`);
  return workstation.db
    .prepare<[string, number], { id: string; at: string; kind: string; message: string; lead_id: string | null }>(
      'SELECT id, at, kind, message, lead_id FROM notifications WHERE audience = ? ORDER BY at DESC, id DESC LIMIT ?',
    )
    .all('operations_admin', limit)
    .map((row) => ({ id: row.id, at: row.at, kind: row.kind, message: row.message, leadId: row.lead_id }));
};
