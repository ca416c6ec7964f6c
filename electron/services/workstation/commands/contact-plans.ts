// A path owner's planned contact (issue 14, decision 0239): a channel and a time, checked against the conduct rules at
// that time with the path's facts as they are now (core/conduct warningsForPlan). The warnings are given when the plan
// is made and recorded with it, and shown again, re-evaluated, in My leads, the timeline and the due-soon list until
// the contact is recorded, the plan is withdrawn or the path ends. A plan is a warning device, never a permission:
// the contact itself passes the gates when it is recorded.
import * as z from 'zod';
import { hasPermission } from '../../../../core/access/roles.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { Instant, isOpenStage } from '../../../../core/conduct/model.ts';
import type { PathState } from '../../../../core/conduct/model.ts';
import { warningsForPlan } from '../../../../core/conduct/planning.ts';
import type { PlanWarning } from '../../../../core/conduct/planning.ts';
import type { ConductPolicy } from '../../../../core/conduct/rules.ts';
import { CHANNELS } from '../../../../core/policy/conduct.ts';
import type { Channel } from '../../../../core/policy/conduct.ts';
import type { Database } from '../../store/database.ts';
import { statement } from '../../store/statements.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';
import { activeConduct, visiblePath } from './lifecycle.ts';
import type { PathRef } from './lifecycle.ts';

/** How far ahead a contact may be planned. */
export const PLAN_HORIZON_DAYS = 90;

export const ContactPlanSchema = z.strictObject({
  channel: z.enum(CHANNELS),
  at: Instant.describe('the planned time, ISO 8601 in UTC'),
});
export type ContactPlanInput = z.input<typeof ContactPlanSchema>;

/** A path's planned contact as the services read it. */
export type PlannedContact = {
  readonly channel: Channel;
  readonly at: string;
  readonly plannedBy: string;
};

export type ContactPlanResult = {
  readonly leadId: string;
  readonly productId: string;
  readonly plan: PlannedContact | null;
  readonly warnings: readonly PlanWarning[];
  readonly sequence: number;
};

export const plannedContactOf = (db: Database, leadId: string, productId: string): PlannedContact | null => {
  const row = statement<[string, string], { channel: string; at: string; planned_by: string }>(
    db,
    'SELECT channel, at, planned_by FROM planned_contacts WHERE lead_id = ? AND product_id = ?',
  ).get(leadId, productId);
  return row ? { channel: row.channel as Channel, at: row.at, plannedBy: row.planned_by } : null;
};

/** What would stand in the way of the planned contact at its time, judged on the path as it is now. */
export const planWarnings = (state: PathState, conduct: ConductPolicy, plan: PlannedContact): PlanWarning[] =>
  warningsForPlan(state, conduct, { kind: 'outreach', at: plan.at, channel: plan.channel });

const requireOwnerOrSupervisor = (session: Session, state: PathState, what: string): void => {
  const { user } = session;
  const owner = hasPermission(user, 'path.work') && user.id === state.owner;
  if (!owner && !hasPermission(user, 'path.supervise'))
    throw new WorkstationError(
      'forbidden',
      `${user.id} may not ${what} on ${state.leadId}/${state.productId}: it is ${state.owner}'s path (needs path.supervise)`,
    );
};

/**
 * Plans a contact on an open path (its owner, or a supervisor), or withdraws the plan (`plan: null`): one
 * `path.contact_planned` entry with the warnings for the planned time. A time in the past or beyond the horizon is
 * refused; a warning is not a refusal.
 */
export const planContact = (session: Session, ref: PathRef, input: ContactPlanInput | null): ContactPlanResult => {
  const parsed = input === null ? null : ContactPlanSchema.safeParse(input);
  if (parsed && !parsed.success)
    throw new WorkstationError(
      'invalid_input',
      `plan: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const { workstation, user } = session;
  if (!hasPermission(user, 'path.work') && !hasPermission(user, 'path.supervise'))
    throw new WorkstationError('forbidden', `${user.id} may not plan contacts (needs path.work or path.supervise)`);
  return commit(workstation, (append) => {
    const state = visiblePath(session, ref);
    requireOwnerOrSupervisor(session, state, input === null ? 'withdraw a planned contact' : 'plan a contact');
    if (!isOpenStage(state.stage))
      throw new WorkstationError('conflict', `${ref.leadId}/${ref.productId} ended ${state.stage}: nothing to plan`);
    const { policy, conduct } = activeConduct(workstation);
    const nowMs = workstation.deps.now().getTime();
    let plan: PlannedContact | null = null;
    if (parsed) {
      const atMs = Date.parse(parsed.data.at);
      if (atMs < nowMs)
        throw new WorkstationError('invalid_input', `plan: at: ${parsed.data.at} is in the past; plan a time to come`);
      if (atMs > nowMs + PLAN_HORIZON_DAYS * 86_400_000)
        throw new WorkstationError('invalid_input', `plan: at: more than ${PLAN_HORIZON_DAYS} days ahead`);
      plan = { channel: parsed.data.channel, at: new Date(atMs).toISOString(), plannedBy: user.id };
    } else if (plannedContactOf(workstation.db, ref.leadId, ref.productId) === null)
      throw new WorkstationError('conflict', `${ref.leadId}/${ref.productId} has no planned contact to withdraw`);
    const warnings = plan ? planWarnings(state, conduct, plan) : [];
    const appended = append({
      actor: actorOf(user),
      type: 'path.contact_planned',
      subjects: [`lead:${ref.leadId}`, `rep:${state.owner}`],
      payload: {
        pv: PAYLOAD_VERSION,
        leadId: ref.leadId,
        productId: ref.productId,
        ruleVersion: policy.loaded.version,
        plan: plan && { channel: plan.channel, at: plan.at },
        warnings: warnings.map((warning) => ({
          kind: warning.kind,
          rule: warning.rule.id,
          safeFrom: warning.safeFrom,
        })),
      },
    });
    return { leadId: ref.leadId, productId: ref.productId, plan, warnings, sequence: appended.sequence };
  });
};
