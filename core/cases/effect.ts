// What a closed case does to its product path or lead: the effect written in the entry that closes it (pure).
import type { z } from 'zod';
import type { CaseEffectSchema, CaseStateSchema } from '../audit/events/case.ts';
import type { Case } from './case.ts';

export type CaseEffect = z.infer<typeof CaseEffectSchema>;
export type LoggedCaseState = z.infer<typeof CaseStateSchema>;

const unassigned = { entityId: null, teamId: null, repId: null, override: false } as const;

/** The effect a closed case has on its path or lead; undefined while it is open or when it changes neither. */
export const effectOf = (kase: Case): CaseEffect | undefined => {
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
        entityId: assignment.entityId,
        teamId: assignment.teamId,
        repId: assignment.repId,
        override: kase.maker.override !== null,
      };
    }
    case 'reject':
      return { kind: 'path', ...base, outcome: 'rejected', reason: 'rejected_by_review', ...unassigned };
    case 'decline_expansion':
      return { kind: 'path', ...base, outcome: 'rejected', reason: 'expansion_declined', ...unassigned };
    case 'pursue_expansion':
      return { kind: 'path', ...base, outcome: 'expansion_pursued', reason: 'expansion_pursued', ...unassigned };
    case 'confirm_match':
      return { kind: 'lead_blocked', leadId: kase.leadId };
    default:
      return undefined;
  }
};

/** The case's state as the hashed entry records it: the reasons the maker and checker gave stay beside the log. */
export const loggedStateOf = (kase: Case): LoggedCaseState => ({
  status: kase.status,
  claimedBy: kase.claimedBy,
  claimedAt: kase.claimedAt,
  maker: kase.maker && {
    userId: kase.maker.userId,
    at: kase.maker.at,
    disposition: kase.maker.disposition,
    assignment: kase.maker.assignment && { ...kase.maker.assignment },
    override: kase.maker.override && { violations: [...kase.maker.override.violations] },
  },
  checker: kase.checker && { userId: kase.checker.userId, at: kase.checker.at, verdict: kase.checker.verdict },
  resolution: kase.resolution,
  closedAt: kase.closedAt,
});
