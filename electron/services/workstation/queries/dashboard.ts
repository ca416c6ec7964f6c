// The dashboard's figures (dashboard.summary): open cases per queue by age and overdue, and refused product paths by
// reason, within the caller's markets. Counts come from the maintained counters and index range counts.
import { hasPermission, inScope } from '../../../../core/access/roles.ts';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { QUEUE_FOR_REFUSAL } from '../../../../core/routing/outcome.ts';
import type { ReviewQueue } from '../../../../core/routing/outcome.ts';
import { statement } from '../../store/statements.ts';
import { activeCasesByQueue, scopeClause } from './queries.ts';
import { WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

const QUEUES: readonly ReviewQueue[] = [...new Set(Object.values(QUEUE_FOR_REFUSAL))];
const DAY_MS = 86_400_000;
/** Age bucket edges in days: under 1, 1 to 3, 3 to 7, over 7 (a case exactly 1 day old is in "1 to 3"). */
export const AGE_EDGES_DAYS = [1, 3, 7] as const;

type Summary = ApiResponse<'dashboard.summary'>;

/**
 * Per queue: open cases (every status but closed) from case_counts; how many opened within 1, 3 and 7 days by range
 * counts on the open-cases-by-opening index (the jurisdiction is read from the index, so a market scope costs no row
 * reads); the rest are older than 7 days. Overdue: a range count on the open-cases-by-due index. The cost grows with
 * the open cases of the last week and the overdue ones, never with the closed cases.
 */
const queueAges = (session: Session, now: Date): Summary['queues'] => {
  const { user, workstation } = session;
  const db = workstation.db;
  const scope = scopeClause(db, user, workstation.policy().compiled.vocabulary);
  const active = activeCasesByQueue(db, scope);
  // Nothing in scope: no index query (a constant-false condition would leave INDEXED BY without a plan).
  if (scope.sql === '0')
    return QUEUES.map((queue) => ({
      queue,
      open: 0,
      overdue: 0,
      age: { under1d: 0, from1dTo3d: 0, from3dTo7d: 0, over7d: 0 },
    }));
  const nowText = now.toISOString();
  const openedSince = statement<(string | number)[], { n: number }>(
    db,
    `SELECT count(*) AS n FROM cases INDEXED BY cases_open_by_queue_opened WHERE type = ? AND status <> 'closed' AND opened_at > ? AND ${scope.sql}`,
  );
  const overdue = statement<(string | number)[], { n: number }>(
    db,
    `SELECT count(*) AS n FROM cases INDEXED BY cases_open_by_queue_due WHERE type = ? AND status <> 'closed' AND sla_due_at < ? AND ${scope.sql}`,
  );
  return QUEUES.map((queue) => {
    const open = active.get(queue)?.open ?? 0;
    const [within1, within3, within7] = AGE_EDGES_DAYS.map((days) =>
      open === 0
        ? 0
        : (openedSince.get(queue, new Date(now.getTime() - days * DAY_MS).toISOString(), ...scope.params)?.n ?? 0),
    ) as [number, number, number];
    return {
      queue,
      open,
      overdue: open === 0 ? 0 : (overdue.get(queue, nowText, ...scope.params)?.n ?? 0),
      age: {
        under1d: within1,
        from1dTo3d: within3 - within1,
        from3dTo7d: within7 - within3,
        over7d: open - within7,
      },
    };
  });
};

/**
 * Refused product paths (their current routing decision) by reason, from refusal_counts: a counter per reason, queue
 * and lead jurisdiction that triggers keep exact on every write (migration 0004, decision 0035). A scoped user's sum
 * keeps the jurisdictions inside their markets; a path whose lead has no jurisdiction is seen only by "*" users.
 */
const refusals = (session: Session): Summary['refusals'] => {
  const { user, workstation } = session;
  const db = workstation.db;
  const counts = new Map<string, number>();
  const everywhere = user.markets.includes('*');
  const vocabulary = workstation.policy().compiled.vocabulary;
  const visible = new Map<string, boolean>();
  for (const row of statement<[], { reason: string; queue: string; jurisdiction: string; count: number }>(
    db,
    'SELECT reason, queue, jurisdiction, count FROM refusal_counts WHERE count > 0',
  ).all()) {
    if (!everywhere && !visible.has(row.jurisdiction))
      visible.set(row.jurisdiction, inScope(user, row.jurisdiction === '' ? null : row.jurisdiction, vocabulary));
    if (!everywhere && !visible.get(row.jurisdiction)) continue;
    const key = `${row.reason}|${row.queue}`;
    counts.set(key, (counts.get(key) ?? 0) + row.count);
  }
  return [...counts]
    .map(([key, count]) => {
      const [reason = '', queue = ''] = key.split('|');
      return { reason, queue: queue as ReviewQueue, count };
    })
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
};

/** The dashboard for the signed-in user: needs case.read, like the queues it summarises. */
export const dashboardSummary = (session: Session): Summary => {
  if (!hasPermission(session.user, 'case.read'))
    throw new WorkstationError('forbidden', `${session.user.id} may not read cases`);
  const now = session.workstation.deps.now();
  return { at: now.toISOString(), queues: queueAges(session, now), refusals: refusals(session) };
};
