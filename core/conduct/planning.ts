// Warnings for a planned step: the same gates, evaluated at the planned time, before anyone acts on the plan.
import type { Channel } from '../policy/conduct.ts';
import { gatesOf, unmetGates } from './gates.ts';
import type { Guard } from './gates.ts';
import type { DisclosureRef, PathState } from './model.ts';
import type { ConductPolicy, RuleRef } from './rules.ts';
import { msOf, utcText } from './time-text.ts';

/** A step an owner schedules: a contact on a channel (with the disclosures it will carry), or the proposal. */
export type PlannedStep =
  | {
      readonly kind: 'outreach';
      readonly at: string;
      readonly channel: Channel;
      readonly disclosures?: readonly DisclosureRef[] | undefined;
    }
  | { readonly kind: 'proposal'; readonly at: string };

export type PlanWarning = {
  /**
   * outside_outreach_window: the contact would fall outside the prospect's hours. cooling_off_not_over: the proposal
   * would come before cooling-off ends. would_be_refused: another gate would refuse it as things stand now.
   */
  readonly kind: 'outside_outreach_window' | 'cooling_off_not_over' | 'would_be_refused';
  readonly rule: RuleRef;
  readonly message: string;
  /** The first time the timed gate allows the step, when there is one. */
  readonly safeFrom: string | null;
};

/**
 * What would stand in the way of a planned step at its planned time, judged on the path's facts as they are now.
 * Empty when the step would pass; a service shows these before the plan is saved and again as it comes due.
 */
export const warningsForPlan = (state: PathState, conduct: ConductPolicy, plan: PlannedStep): PlanWarning[] => {
  const guard: Guard = plan.kind === 'outreach' ? 'outbound_contact' : 'PROPOSAL';
  const gates = gatesOf(
    state,
    conduct,
    plan.at,
    plan.kind === 'outreach' ? { channel: plan.channel, including: plan.disclosures } : {},
  );
  const when = utcText(msOf(plan.at));
  return unmetGates(gates, guard).map((gate) => {
    const safeFrom = gate.unblock?.kind === 'wait_until' ? gate.unblock.at : null;
    const kind =
      gate.kind === 'outreach_window' && gate.status === 'pending'
        ? 'outside_outreach_window'
        : gate.kind === 'cooling_off' && gate.status === 'pending'
          ? 'cooling_off_not_over'
          : 'would_be_refused';
    const step =
      plan.kind === 'outreach' ? `the ${plan.channel} contact planned for ${when}` : `the proposal planned for ${when}`;
    return {
      kind,
      rule: gate.rule,
      message: `${step} would breach ${gate.rule.id} (${gate.rule.citation}): ${gate.why}${gate.unblock ? `; ${gate.unblock.text}` : ''}`,
      safeFrom,
    };
  });
};
