// Bulk decisions: several cases, each with its own disposition and reason, each through the same service path as one
// decision (claim if open, then decide) in its own transaction, so a failure undoes only its own item (decision 0096).
import { inTransaction } from '../../store/transaction.ts';
import type { ApiParsedRequest, ApiResponse } from '../../../../core/api/contract.ts';
import { claim, decide, loadVisibleCase } from './cases.ts';
import { apiErrorOf } from '../api/api-errors.ts';
import { caseDetail } from '../queries/queries.ts';
import { denialOf, recordAccessDenied } from '../session/access.ts';
import type { Session } from '../session/workstation.ts';

type Item = ApiParsedRequest<'cases.decideMany'>['items'][number];
type Result = ApiResponse<'cases.decideMany'>[number];

// The api's one error mapping, per item.
const failure = (caseId: string, error: unknown): Result => ({ caseId, ok: false, error: apiErrorOf(error) });

const decideOne = (session: Session, item: Item): Result => {
  try {
    // Nested commits become savepoints of this one transaction: the claim and the decision land or vanish together.
    inTransaction(session.workstation.db, () => {
      // Claiming is a no-op on a case you hold, and names the holder of a case someone else holds.
      loadVisibleCase(session, item.caseId, 'case.decide');
      claim(session, item.caseId);
      decide(session, item.caseId, item);
    });
    return { caseId: item.caseId, ok: true, case: caseDetail(session, item.caseId).case };
  } catch (error) {
    // Each item is its own command: a refused item is logged like a refused call, after its transaction rolled back.
    const denial = denialOf(error);
    if (denial !== null) recordAccessDenied(session, 'cases.decideMany', denial);
    return failure(item.caseId, error);
  }
};

/** Decides every item in order and answers one result per item; never stops at the first failure. */
export const decideMany = (session: Session, items: readonly Item[]): Result[] =>
  items.map((item) => decideOne(session, item));
