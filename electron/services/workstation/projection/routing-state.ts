// The routing state (round-robin cursors per team, open assignments per rep) as routing reads it: read from its tables
// once per write transaction and kept in step by the projector, which is their only writer. A fact file re-routing a
// thousand held paths reads it once instead of once per path.
import type { Database } from '../../store/database.ts';
import type { RoutingState } from '../../../../core/routing/route.ts';
import { openTransactionMemo, transactionMemo } from '../../store/transaction.ts';
import { statement } from '../../store/statements.ts';

type LiveRoutingState = { cursors: Record<string, number>; openAssignments: Record<string, number> };

const ROUTING_STATE = { memo: 'routing state' };

const readRoutingState = (db: Database): LiveRoutingState => ({
  cursors: Object.fromEntries(
    statement<[], { team_id: string; cursor: number }>(db, 'SELECT team_id, cursor FROM routing_cursors')
      .all()
      .map((row) => [row.team_id, row.cursor]),
  ),
  openAssignments: Object.fromEntries(
    statement<[], { rep_id: string; open: number }>(db, 'SELECT rep_id, open FROM rep_load')
      .all()
      .map((row) => [row.rep_id, row.open]),
  ),
});

/**
 * The routing state now. Inside a write transaction it is the transaction's one copy, which routing runs copy before
 * they change anything (startRoutingRun); outside one it is read afresh.
 */
export const currentRoutingState = (db: Database): RoutingState =>
  transactionMemo(db, ROUTING_STATE, () => readRoutingState(db));

/** The projector changed a rep's open count in rep_load (by one, never below zero, as the SQL does). */
export const noteRepLoad = (db: Database, repId: string, by: 1 | -1): void => {
  const live = openTransactionMemo<LiveRoutingState>(db, ROUTING_STATE);
  if (!live) return;
  const open = live.openAssignments[repId];
  if (by === 1) live.openAssignments[repId] = (open ?? 0) + 1;
  else if (open !== undefined && open > 0) live.openAssignments[repId] = open - 1;
};

/** The projector set a team's round-robin cursor in routing_cursors. */
export const noteCursor = (db: Database, teamId: string, cursor: number): void => {
  const live = openTransactionMemo<LiveRoutingState>(db, ROUTING_STATE);
  if (live) live.cursors[teamId] = cursor;
};
