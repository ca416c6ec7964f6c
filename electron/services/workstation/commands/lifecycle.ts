// Lifecycle commands on a product path (issue 14): record an outreach, advance / win / lose / close, complete a
// checklist item, reassign. Each is checked by core/conduct's `decide` at the workstation's clock and lands as typed
// audit entries in one transaction; a refusal is an entry too (path.command_refused), naming the rule and the unblock.
import { hasPermission } from '../../../../core/access/roles.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { ConductCommandSchema } from '../../../../core/conduct/commands.ts';
import type { ConductCommand, ConductCommandInput } from '../../../../core/conduct/commands.ts';
import { decide } from '../../../../core/conduct/decide.ts';
import type { ConductEffect, Refusal } from '../../../../core/conduct/decide.ts';
import { conductPolicyOf } from '../../../../core/conduct/rules.ts';
import type { ConductPolicy } from '../../../../core/conduct/rules.ts';
import { isOpenStage } from '../../../../core/conduct/model.ts';
import type { PathState } from '../../../../core/conduct/model.ts';
import { checkAssignment } from '../../../../core/routing/route.ts';
import { regimeOfSubject } from '../../audit/audit-log.ts';
import { statement } from '../../store/statements.ts';
import { readPathState } from '../projection/lifecycle-projection.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { ActivePolicy, Appender, Session, Workstation } from '../session/workstation.ts';
import { visibleLead } from './users.ts';
import { currentLead, retryWaitingForCapacity } from './capacity.ts';
import type { Rerouted } from './capacity.ts';
import { enqueueKycInitiation } from './kyc-outbox.ts';
import type { EnqueueKycInitiation } from './kyc-handoff.ts';

export type PathRef = { readonly leadId: string; readonly productId: string };

/** A lifecycle command as a caller gives it: `by` is always the signed-in user. */
export type PathCommand = ConductCommandInput extends infer C ? (C extends unknown ? Omit<C, 'by'> : never) : never;

/** The outcome of a lifecycle command: the path after it, or the refusal (also an audit entry). */
export type LifecycleResult =
  | {
      readonly ok: true;
      readonly leadId: string;
      readonly productId: string;
      readonly stage: PathState['stage'];
      readonly owner: string;
      /** The entries this command appended (none when it changed nothing). */
      readonly sequences: readonly number[];
      /** Waiting paths the freed capacity assigned (or otherwise re-routed). */
      readonly rerouted: readonly Rerouted[];
      readonly kycInitiationEnqueued: boolean;
    }
  | {
      readonly ok: false;
      readonly leadId: string;
      readonly productId: string;
      readonly refusal: Refusal;
      readonly sequence: number;
    };

const conductCache = new WeakMap<ActivePolicy, ConductPolicy>();
/** The conduct rules of the active policy, compiled once per policy version. */
export const activeConduct = (workstation: Workstation): { policy: ActivePolicy; conduct: ConductPolicy } => {
  const policy = workstation.policy();
  let conduct = conductCache.get(policy);
  if (!conduct) {
    conduct = conductPolicyOf(policy.loaded.policy);
    conductCache.set(policy, conduct);
  }
  return { policy, conduct };
};

/** The hook that enqueues the KYC hand-off: the deps' own (tests, the KYC connector at merge), else the default. */
const kycHook = (workstation: Workstation): EnqueueKycInitiation =>
  workstation.deps.enqueueKycInitiation ?? enqueueKycInitiation;

/**
 * The permission matrix (decision 0201): the path's owner (a field_rep whose user id is the rep id) works the path;
 * a senior officer (path.supervise) may also move, end or reassign it, but only the owner records a contact, since the
 * outreach record names who made it. Both only inside their markets.
 */
const requireMayAct = (session: Session, state: PathState, command: ConductCommand): void => {
  const { user } = session;
  const owner = hasPermission(user, 'path.work') && user.id === state.owner;
  const supervisor = hasPermission(user, 'path.supervise');
  const what = `${command.kind.replaceAll('_', ' ')} on ${state.leadId}/${state.productId}`;
  if (command.kind === 'record_outreach') {
    if (!owner)
      throw new WorkstationError(
        'forbidden',
        `${user.id} may not ${what}: only its owner ${state.owner} records contacts`,
      );
    return;
  }
  if (command.kind === 'reassign') {
    if (!supervisor) throw new WorkstationError('forbidden', `${user.id} may not ${what} (needs path.supervise)`);
    return;
  }
  if (!owner && !supervisor)
    throw new WorkstationError(
      'forbidden',
      `${user.id} may not ${what}: it is ${state.owner}'s path (needs path.supervise to act on another rep's path)`,
    );
};

/** The path, if it is inside the user's markets and has a lifecycle (routing assigned it). */
export const visiblePath = (session: Session, ref: PathRef): PathState => {
  visibleLead(session, ref.leadId);
  const state = readPathState(session.workstation.db, ref.leadId, ref.productId);
  if (!state)
    throw new WorkstationError(
      'not_found',
      `lead ${ref.leadId} has no assigned product path ${ref.productId} (only an assigned path has a lifecycle)`,
    );
  return state;
};

const subjectsOf = (state: PathState, ...more: string[]): string[] => [
  `lead:${state.leadId}`,
  ...[state.owner, ...more].filter((rep, index, all) => all.indexOf(rep) === index).map((rep) => `rep:${rep}`),
];

const loggedRefusal = (
  refusal: Refusal,
): {
  rule: { id: string; citation: string; source: string };
  gate: string;
  unblock: { kind: string; at: string | null; text: string };
  gates: { kind: string; status: string; rule: string }[];
  message: string;
} => ({
  rule: { id: refusal.rule.id, citation: refusal.rule.citation, source: refusal.rule.source },
  gate: refusal.gate,
  unblock: {
    kind: refusal.unblock.kind,
    at: refusal.unblock.kind === 'wait_until' ? refusal.unblock.at : null,
    text: refusal.unblock.text,
  },
  gates: refusal.gates.map((gate) => ({ kind: gate.kind, status: gate.status, rule: gate.rule.id })),
  message: refusal.message,
});

const targetOf = (command: ConductCommand): string | null =>
  command.kind === 'advance'
    ? command.to
    : command.kind === 'record_outreach'
      ? command.channel
      : command.kind === 'reassign'
        ? command.to
        : command.kind === 'complete_checklist_item'
          ? command.item
          : null;

/** Appends a refused command's entry. */
export const appendRefusal = (
  append: Appender,
  state: PathState,
  command: ConductCommand,
  refusal: Refusal,
  ruleVersion: string,
  actor: string,
  time: Date,
): number =>
  append({
    actor,
    time,
    type: 'path.command_refused',
    subjects: subjectsOf(state),
    payload: {
      pv: PAYLOAD_VERSION,
      leadId: state.leadId,
      productId: state.productId,
      ruleVersion,
      command: command.kind,
      target: targetOf(command),
      ...loggedRefusal(refusal),
    },
  }).sequence;

/**
 * Appends the entries of an accepted command's effects, in the caller's transaction, and returns how many open slots
 * it freed (an ended path, or one reassigned away) and whether the KYC hand-off was enqueued.
 */
export const appendAccepted = (
  workstation: Workstation,
  append: Appender,
  before: PathState,
  command: ConductCommand,
  effects: readonly ConductEffect[],
  context: { readonly ruleVersion: string; readonly actor: string; readonly time: Date; readonly teamId?: string },
): { sequences: number[]; freed: number; kycInitiationEnqueued: boolean } => {
  const sequences: number[] = [];
  const { ruleVersion, actor, time } = context;
  const base = { pv: PAYLOAD_VERSION, leadId: before.leadId, productId: before.productId, ruleVersion } as const;
  const stage = effects.find((effect) => effect.kind === 'stage_changed');
  const freed = effects.filter((effect) => effect.kind === 'workload_freed').length;
  let kycInitiationEnqueued = false;
  if (effects.length === 0) return { sequences, freed, kycInitiationEnqueued };
  if (command.kind === 'record_outreach') {
    const recorded = effects.find((effect) => effect.kind === 'outreach_recorded')!.record;
    const subject = `lead:${before.leadId}`;
    sequences.push(
      append({
        actor,
        time,
        type: 'path.outreach_recorded',
        subjects: subjectsOf(before),
        payload: {
          ...base,
          channel: recorded.channel,
          direction: recorded.direction,
          by: recorded.by,
          content:
            recorded.content.kind === 'template'
              ? { kind: 'template', template: recorded.content.template, version: recorded.content.version }
              : { kind: 'summary' },
          disclosures: recorded.disclosures.map((ref) => ({ template: ref.template, version: ref.version })),
          authorisation: recorded.authorisation,
          stage: stage ? { from: stage.from, to: stage.to } : null,
        },
        ...(recorded.content.kind === 'summary'
          ? {
              personalData: {
                subject,
                regime: regimeOfSubject(workstation.db, subject),
                data: { summary: recorded.content.text },
              },
            }
          : {}),
      }).sequence,
    );
  } else if (command.kind === 'complete_checklist_item') {
    sequences.push(
      append({
        actor,
        time,
        type: 'path.checklist_item_done',
        subjects: subjectsOf(before),
        payload: { ...base, item: command.item },
      }).sequence,
    );
  } else if (command.kind === 'reassign') {
    sequences.push(
      append({
        actor,
        time,
        type: 'path.reassigned',
        subjects: subjectsOf(before, command.to),
        payload: { ...base, from: before.owner, to: command.to, teamId: context.teamId ?? '' },
      }).sequence,
    );
  } else if (stage && command.kind !== 'update_facts') {
    const kycInitiationDue = effects.some((effect) => effect.kind === 'kyc_initiation_due');
    const appended = append({
      actor,
      time,
      type: 'path.stage_changed',
      subjects: subjectsOf(before),
      payload: {
        ...base,
        command: command.kind,
        from: stage.from,
        to: stage.to,
        reason: command.kind === 'lose' || command.kind === 'close' ? command.reason : null,
        owner: before.owner,
        kycInitiationDue,
      },
    });
    sequences.push(appended.sequence);
    if (kycInitiationDue) {
      // The KYC hand-off goes into the outbox in this same transaction (issue 14): both land or neither does.
      kycHook(workstation)(
        { db: workstation.db, append },
        {
          leadId: before.leadId,
          productId: before.productId,
          jurisdiction: before.jurisdiction,
          ruleVersion,
          requestedBy: actor,
          at: time.toISOString(),
          pathSequence: appended.sequence,
        },
      );
      kycInitiationEnqueued = true;
    }
  }
  return { sequences, freed, kycInitiationEnqueued };
};

/** The rep's team and entity in the active policy, and why the new owner may not take the path (empty: may). */
const reassignmentCheck = (
  workstation: Workstation,
  policy: ActivePolicy,
  state: PathState,
  to: string,
  at: string,
): { teamId: string | null; violations: string[] } => {
  for (const entity of policy.compiled.entities)
    for (const team of policy.compiled.teamsByEntity.get(entity.entity.id) ?? [])
      if (team.reps.some((rep) => rep.rep.id === to)) {
        const lead = currentLead(workstation, state.leadId);
        const violations = checkAssignment(
          policy.compiled,
          lead,
          state.productId,
          { entityId: entity.entity.id, teamId: team.team.id, repId: to },
          at,
        );
        const rep = team.reps.find((candidate) => candidate.rep.id === to)!;
        const load =
          statement<[string], { open: number }>(workstation.db, 'SELECT open FROM rep_load WHERE rep_id = ?').get(to)
            ?.open ?? 0;
        if (load >= rep.rep.capacity) violations.push(`rep ${to} is at capacity (${load}/${rep.rep.capacity} open)`);
        return { teamId: team.team.id, violations };
      }
  return { teamId: null, violations: [`rep ${to} is not a rep of the active policy`] };
};

/** A rep a supervisor could reassign a path to, and why not when they may not take it (the licensing map, capacity). */
export type ReassignCandidate = {
  readonly repId: string;
  readonly name: string;
  readonly teamId: string;
  readonly eligible: boolean;
  readonly whyNot: readonly string[];
};

/**
 * The reps of the active policy for the reassignment screen: each checked as the reassignment itself checks it (the
 * licensing map for this lead and product, capacity), eligible ones first. Supervisors only (path.supervise).
 */
export const reassignCandidates = (
  session: Session,
  ref: PathRef,
): { readonly owner: string; readonly candidates: ReassignCandidate[] } => {
  if (!hasPermission(session.user, 'path.supervise'))
    throw new WorkstationError('forbidden', `${session.user.id} may not reassign product paths (needs path.supervise)`);
  const state = visiblePath(session, ref);
  const { workstation } = session;
  const policy = workstation.policy();
  const now = workstation.deps.now().toISOString();
  const candidates: ReassignCandidate[] = [];
  for (const entity of policy.compiled.entities)
    for (const team of policy.compiled.teamsByEntity.get(entity.entity.id) ?? [])
      for (const rep of team.reps) {
        if (rep.rep.id === state.owner) continue;
        const check = reassignmentCheck(workstation, policy, state, rep.rep.id, now);
        candidates.push({
          repId: rep.rep.id,
          name: rep.rep.name,
          teamId: team.team.id,
          eligible: check.violations.length === 0,
          whyNot: check.violations,
        });
      }
  candidates.sort((a, b) => Number(b.eligible) - Number(a.eligible) || (a.repId < b.repId ? -1 : 1));
  return { owner: state.owner, candidates };
};

/**
 * Runs one lifecycle command on a path as the signed-in user, at the workstation's clock: the door's checks (market,
 * owner or permitted role), `decide`, then the entries of its effects, the KYC hand-off at QUALIFIED and the retry of
 * waiting paths when capacity came back, all in one transaction; or the refusal's entry.
 */
export const commandPath = (session: Session, ref: PathRef, input: PathCommand): LifecycleResult => {
  const { workstation, user } = session;
  const parsed = ConductCommandSchema.safeParse({ ...input, by: user.id });
  if (!parsed.success)
    throw new WorkstationError(
      'invalid_input',
      `command: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  if (parsed.data.kind === 'update_facts')
    throw new WorkstationError('invalid_input', 'facts are updated through the fact update (leads.updateFacts)');
  const command: ConductCommand = parsed.data;
  if (!hasPermission(user, 'path.work') && !hasPermission(user, 'path.supervise'))
    throw new WorkstationError(
      'forbidden',
      `${user.id} may not act on product paths (needs path.work or path.supervise)`,
    );
  const actor = actorOf(user);
  return commit(workstation, (append) => {
    const state = visiblePath(session, ref);
    requireMayAct(session, state, command);
    const { policy, conduct } = activeConduct(workstation);
    const time = workstation.deps.now();
    const now = time.toISOString();
    let teamId: string | undefined;
    if (command.kind === 'reassign' && command.to !== state.owner && isOpenStage(state.stage)) {
      const check = reassignmentCheck(workstation, policy, state, command.to, now);
      if (check.violations.length > 0)
        throw new WorkstationError(
          'conflict',
          `${ref.leadId}/${ref.productId} may not go to ${command.to}: ${check.violations.join('; ')}`,
        );
      teamId = check.teamId!;
    }
    const decision = decide(state, command, conduct, now);
    if (!decision.ok) {
      const sequence = appendRefusal(append, state, command, decision.refusal, policy.loaded.version, actor, time);
      return { ok: false, leadId: ref.leadId, productId: ref.productId, refusal: decision.refusal, sequence } as const;
    }
    const applied = appendAccepted(workstation, append, state, command, decision.effects, {
      ruleVersion: policy.loaded.version,
      actor,
      time,
      ...(teamId === undefined ? {} : { teamId }),
    });
    const rerouted = retryWaitingForCapacity(workstation, append, actor, applied.freed);
    const after = readPathState(workstation.db, ref.leadId, ref.productId)!;
    return {
      ok: true,
      leadId: ref.leadId,
      productId: ref.productId,
      stage: after.stage,
      owner: after.owner,
      sequences: applied.sequences,
      rerouted,
      kycInitiationEnqueued: applied.kycInitiationEnqueued,
    } as const;
  });
};
