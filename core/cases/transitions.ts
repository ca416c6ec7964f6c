// Case transitions: claim, release, decide (maker), approve or return (checker). Pure; failures are values.
import { hasPermission } from '../access/roles.ts';
import type { User } from '../access/roles.ts';
import { err, ok } from '../shared/result.ts';
import type { Result } from '../shared/result.ts';
import { DISPOSITIONS_BY_CASE_TYPE, FINAL_DISPOSITIONS, requiresFourEyes } from './case.ts';
import type { Assignment, Case, CasePolicy, Disposition } from './case.ts';
import type { HitId } from '../screening/case-hits.ts';

export type CaseErrorCode =
  | 'forbidden'
  | 'not_open'
  | 'claimed_by_other'
  | 'not_claimed_by_you'
  | 'disposition_not_allowed'
  | 'reason_required'
  | 'assignment_required'
  | 'not_awaiting_approval'
  | 'maker_cannot_check';

export type CaseError = { readonly code: CaseErrorCode; readonly message: string };

const fail = (code: CaseErrorCode, message: string): Result<never, CaseError> => err({ code, message });

export const MIN_REASON_LENGTH = 5;

const reasonProblem = (reason: string): Result<never, CaseError> | null =>
  reason.trim().length < MIN_REASON_LENGTH
    ? fail('reason_required', `a reason of at least ${MIN_REASON_LENGTH} characters is required`)
    : null;

/** How long a claim holds when the policy does not say (decision 0246). */
export const DEFAULT_CLAIM_LEASE_HOURS = 8;

/** Whether a claim taken at `claimedAt` still holds at `at`: claims are leases, so one taken offline cannot block forever. */
export const claimHolds = (claimedAt: string | null, at: string, leaseHours: number): boolean =>
  claimedAt !== null && Date.parse(at) < Date.parse(claimedAt) + leaseHours * 3_600_000;

/**
 * Two officers never work the same case at once: a claim holds until the decision, a release, or the end of its lease
 * (`leaseHours`, decision 0246); an expired claim does not block another officer, who takes the case over.
 */
export const claimCase = (
  kase: Case,
  user: User,
  at: string,
  leaseHours: number = DEFAULT_CLAIM_LEASE_HOURS,
): Result<Case, CaseError> => {
  if (!hasPermission(user, 'case.claim')) return fail('forbidden', `${user.id} may not claim cases`);
  if (kase.status === 'claimed' && kase.claimedBy !== user.id && claimHolds(kase.claimedAt, at, leaseHours))
    return fail('claimed_by_other', `case ${kase.id} is being worked by ${kase.claimedBy}`);
  if (kase.status !== 'open' && kase.status !== 'claimed') return fail('not_open', `case ${kase.id} is ${kase.status}`);
  return ok({ ...kase, status: 'claimed', claimedBy: user.id, claimedAt: at });
};

export const releaseCase = (kase: Case, user: User): Result<Case, CaseError> => {
  if (kase.status !== 'claimed' || kase.claimedBy !== user.id)
    return fail('not_claimed_by_you', `case ${kase.id} is not claimed by ${user.id}`);
  return ok({ ...kase, status: 'open', claimedBy: null, claimedAt: null });
};

export type DecisionInput = {
  readonly disposition: Disposition;
  readonly reason: string;
  readonly assignment?: Assignment | undefined;
  /** Licensing-map violations of the requested assignment, found by the service's re-check; recorded as an override. */
  readonly violations?: readonly string[] | undefined;
  /** Screening cases: the hits this decision clears or confirms (the service checks they are the case's). */
  readonly hits?: readonly HitId[] | undefined;
};

/** The maker's decision: final at once, or awaiting a second officer where the policy asks for four eyes. */
export const decideCase = (
  kase: Case,
  user: User,
  input: DecisionInput,
  policy: CasePolicy,
  at: string,
): Result<Case, CaseError> => {
  if (!hasPermission(user, 'case.decide')) return fail('forbidden', `${user.id} may not decide cases`);
  if (kase.status !== 'claimed' || kase.claimedBy !== user.id)
    return fail('not_claimed_by_you', `claim case ${kase.id} before deciding it`);
  if (!DISPOSITIONS_BY_CASE_TYPE[kase.type].includes(input.disposition))
    return fail('disposition_not_allowed', `${input.disposition} is not a disposition of a ${kase.type} case`);
  const reasonError = reasonProblem(input.reason);
  if (reasonError) return reasonError;
  if (input.disposition === 'approve_assignment' && input.assignment === undefined)
    return fail('assignment_required', 'approving an assignment names the entity, team and rep');
  const maker = {
    userId: user.id,
    at,
    disposition: input.disposition,
    reason: input.reason.trim(),
    assignment: input.assignment ?? null,
    override: input.violations && input.violations.length > 0 ? { violations: input.violations } : null,
    ...(input.hits === undefined ? {} : { hits: input.hits }),
  };
  if (!FINAL_DISPOSITIONS.has(input.disposition))
    return ok({ ...kase, status: 'open', claimedBy: null, claimedAt: null, maker, checker: null });
  // An override of the licensing map always needs a second officer, whatever the policy says.
  if (requiresFourEyes(policy, kase) || maker.override !== null)
    return ok({ ...kase, status: 'awaiting_approval', maker, checker: null });
  return ok({ ...kase, status: 'closed', maker, checker: null, resolution: input.disposition, closedAt: at });
};

/** What every checker verdict requires: the approver role, a decision awaiting one, a checker who is not its maker. */
const checkerProblem = (kase: Case, user: User, reason: string): Result<never, CaseError> | null => {
  if (!hasPermission(user, 'case.approve')) return fail('forbidden', `${user.id} may not approve or return decisions`);
  if (kase.status !== 'awaiting_approval' || kase.maker === null)
    return fail('not_awaiting_approval', `case ${kase.id} is ${kase.status}`);
  if (kase.maker.userId === user.id)
    return fail('maker_cannot_check', 'the maker of a decision can never be its checker');
  return reasonProblem(reason);
};

/** The checker approves: never the maker, not even an administrator. */
export const approveCase = (kase: Case, user: User, reason: string, at: string): Result<Case, CaseError> =>
  checkerProblem(kase, user, reason) ??
  ok({
    ...kase,
    status: 'closed',
    checker: { userId: user.id, at, verdict: 'approved', reason: reason.trim() },
    resolution: kase.maker!.disposition,
    closedAt: at,
  });

/** The checker sends the decision back: the case reopens for a new decision. */
export const returnCase = (kase: Case, user: User, reason: string, at: string): Result<Case, CaseError> =>
  checkerProblem(kase, user, reason) ??
  ok({
    ...kase,
    status: 'open',
    claimedBy: null,
    claimedAt: null,
    checker: { userId: user.id, at, verdict: 'returned', reason: reason.trim() },
  });
