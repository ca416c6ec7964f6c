// Saved queue views: a user's named queue + filters + sort + search, kept per user in the encrypted store. A view is a
// preference, not a compliance record: it is not audited and not a projection (decision 0095). Every statement is
// scoped to the signed-in user, so nobody can list, change or delete another user's views.
import { inTransaction } from '../../store/transaction.ts';
import { randomUUID } from 'node:crypto';
import { hasPermission } from '../../../../core/access/roles.ts';
import { CaseListRequestSchema } from '../../../../core/api/contract.ts';
import type { ApiParsedRequest } from '../../../../core/api/contract.ts';
import { describeIssues } from '../../../../core/api/envelope.ts';
import { statement } from '../../store/statements.ts';
import { WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

export type CaseListFilter = ApiParsedRequest<'cases.list'>;
export type SavedView = {
  readonly id: string;
  readonly name: string;
  readonly filter: CaseListFilter;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** Enough for any officer's working set; a bound so one user cannot fill the store. */
export const MAX_VIEWS_PER_USER = 50;

type Row = { id: string; name: string; filter: string; created_at: string; updated_at: string };

const mayUseViews = (session: Session): void => {
  // Views are views of the queues: whoever may read cases may keep them.
  if (!hasPermission(session.user, 'case.read'))
    throw new WorkstationError('forbidden', `${session.user.id} has no queues to keep views of`);
};

const toView = (row: Row): SavedView => {
  // Re-validated on the way out: a stored filter that no longer fits the contract is reported, not passed on.
  const parsed = CaseListRequestSchema.safeParse(JSON.parse(row.filter));
  if (!parsed.success)
    throw new WorkstationError('invalid_input', `saved view ${row.name}: ${describeIssues(parsed.error)}`);
  return { id: row.id, name: row.name, filter: parsed.data, createdAt: row.created_at, updatedAt: row.updated_at };
};

/** What a view keeps: the filter as cases.list reads it, always from its first page. */
const normalise = (filter: CaseListFilter): CaseListFilter => {
  const parsed = CaseListRequestSchema.safeParse({ ...filter, page: 0 });
  if (!parsed.success)
    throw new WorkstationError('invalid_input', `the view's filter: ${describeIssues(parsed.error)}`);
  const { search, ...rest } = parsed.data;
  return search?.trim() ? { ...rest, search: search.trim() } : rest;
};

export const listViews = (session: Session): SavedView[] => {
  mayUseViews(session);
  return statement<[string], Row>(
    session.workstation.db,
    'SELECT id, name, filter, created_at, updated_at FROM saved_views WHERE user_id = ? ORDER BY name COLLATE NOCASE, id',
  )
    .all(session.user.id)
    .map(toView);
};

const findView = (session: Session, id: string): Row | undefined =>
  statement<[string, string], Row>(
    session.workstation.db,
    'SELECT id, name, filter, created_at, updated_at FROM saved_views WHERE user_id = ? AND id = ?',
  ).get(session.user.id, id);

/** Creates a view, or (with an id of yours) renames it and replaces its filter. Names are unique per user. */
export const saveView = (session: Session, request: ApiParsedRequest<'views.save'>): SavedView => {
  mayUseViews(session);
  const { db } = session.workstation;
  const userId = session.user.id;
  const name = request.name.trim();
  const filter = JSON.stringify(normalise(request.filter));
  const now = session.workstation.deps.now().toISOString();
  return inTransaction(db, () => {
    const clash = statement<[string, string], { id: string }>(
      db,
      'SELECT id FROM saved_views WHERE user_id = ? AND name = ? COLLATE NOCASE',
    ).get(userId, name);
    if (clash && clash.id !== request.id)
      throw new WorkstationError('conflict', `you already have a view named ${name}`);
    if (request.id !== undefined) {
      // Someone else's view id looks exactly like an unknown one.
      if (!findView(session, request.id)) throw new WorkstationError('not_found', `no saved view ${request.id}`);
      statement(db, 'UPDATE saved_views SET name = ?, filter = ?, updated_at = ? WHERE user_id = ? AND id = ?').run(
        name,
        filter,
        now,
        userId,
        request.id,
      );
      return toView(findView(session, request.id)!);
    }
    const count =
      statement<[string], { n: number }>(db, 'SELECT count(*) AS n FROM saved_views WHERE user_id = ?').get(userId)
        ?.n ?? 0;
    if (count >= MAX_VIEWS_PER_USER)
      throw new WorkstationError('conflict', `you have ${MAX_VIEWS_PER_USER} saved views already: delete one first`);
    const id = `V-${randomUUID()}`;
    statement(
      db,
      'INSERT INTO saved_views (user_id, id, name, filter, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(userId, id, name, filter, now, now);
    return toView(findView(session, id)!);
  });
};

export const deleteView = (session: Session, id: string): { id: string } => {
  mayUseViews(session);
  const deleted = statement(session.workstation.db, 'DELETE FROM saved_views WHERE user_id = ? AND id = ?').run(
    session.user.id,
    id,
  );
  if (deleted.changes === 0) throw new WorkstationError('not_found', `no saved view ${id}`);
  return { id };
};
