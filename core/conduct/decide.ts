// The one decision of the lifecycle: a command on a path, checked by the conduct gates at `now`. Pure; refusals are values.
import type { Channel, ContactBasis } from '../policy/conduct.ts';
import type { HoldReason } from '../routing/outcome.ts';
import type { ConductCommand, FactChanges, InboundOutreach, OutboundOutreach } from './commands.ts';
import { LIFECYCLE_RULES, basesOnRecord, gatesOf, holdReasonsOf, unmetGates } from './gates.ts';
import type { Gate, GateKind, Guard, Unblock } from './gates.ts';
import { isTimeZone } from './local-time.ts';
import { STAGE_RANK, isOpenStage } from './model.ts';
import type {
  OutreachAuthorisation,
  OutreachRecord,
  PathEnding,
  PathFacts,
  PathState,
  SentDisclosure,
  Stage,
} from './model.ts';
import { rulesFor } from './rules.ts';
import type { ConductPolicy, RuleRef } from './rules.ts';

/**
 * What a service does besides storing the new state. `workload_freed` and `workload_taken` keep the rep's count of
 * open paths (routing's capacity); `kyc_initiation_due` is the KYC hand-off; `path_held` and `path_unheld` follow the
 * product's KYC and AML holds as facts change.
 */
export type ConductEffect =
  | { readonly kind: 'stage_changed'; readonly from: Stage; readonly to: Stage }
  | { readonly kind: 'workload_freed'; readonly repId: string }
  | { readonly kind: 'workload_taken'; readonly repId: string }
  | { readonly kind: 'kyc_initiation_due' }
  | { readonly kind: 'path_held'; readonly reasons: readonly HoldReason[] }
  | { readonly kind: 'path_unheld' }
  | { readonly kind: 'outreach_recorded'; readonly record: OutreachRecord }
  | { readonly kind: 'disclosures_sent'; readonly disclosures: readonly SentDisclosure[] }
  | { readonly kind: 'checklist_item_done'; readonly item: string }
  | { readonly kind: 'facts_updated'; readonly fields: readonly (keyof PathFacts)[] };

export type Refusal = {
  /** The rule that refused: the first gate standing in the way (blocked before pending), or a lifecycle rule. */
  readonly rule: RuleRef;
  readonly gate: GateKind | 'stage_order' | 'checklist_item' | 'contact_basis' | 'facts';
  /** "PROPOSAL refused by CO-PS23-6 (FCA PS23/6, COBS 4.12A): the 24 hours cooling-off … until 2026-12-08 14:02 UTC". */
  readonly message: string;
  /** What would allow it: machine-readable, with `text` for people ("cooling-off ends 2026-12-08 14:02 UTC"). */
  readonly unblock: Unblock;
  /** Every gate standing in the way, the one named first. Empty for a refusal by a lifecycle rule that is not a gate. */
  readonly gates: readonly Gate[];
};

export type Decision =
  | { readonly ok: true; readonly state: PathState; readonly effects: readonly ConductEffect[] }
  | { readonly ok: false; readonly refusal: Refusal };

const accept = (state: PathState, effects: readonly ConductEffect[]): Decision => ({ ok: true, state, effects });

const refuseByGates = (action: string, gates: readonly Gate[]): Decision => {
  const first = gates[0]!;
  return {
    ok: false,
    refusal: {
      rule: first.rule,
      gate: first.kind,
      message: `${action} refused by ${first.rule.id} (${first.rule.citation}): ${first.why}`,
      unblock: first.unblock ?? { kind: 'none', text: 'nothing' },
      gates,
    },
  };
};

const refuseByRule = (
  action: string,
  gate: Refusal['gate'],
  rule: RuleRef,
  why: string,
  unblock: Unblock,
): Decision => ({
  ok: false,
  refusal: { rule, gate, message: `${action} refused by ${rule.id} (${rule.citation}): ${why}`, unblock, gates: [] },
});

/** The path's open check, which every command but an inbound record and a fact update passes first. */
const endedRefusal = (state: PathState, conduct: ConductPolicy, now: string, action: string): Decision | null => {
  if (isOpenStage(state.stage)) return null;
  const gate = gatesOf(state, conduct, now).find((candidate) => candidate.kind === 'path_open')!;
  return refuseByGates(action, [gate]);
};

const moveTo = (state: PathState, to: Stage, now: string): { state: PathState; effect: ConductEffect } => ({
  state: { ...state, stage: to, stageChangedAt: now },
  effect: { kind: 'stage_changed', from: state.stage, to },
});

const end = (state: PathState, ending: PathEnding, now: string): { state: PathState; effects: ConductEffect[] } => {
  const moved = moveTo(state, ending.stage, now);
  return {
    state: { ...moved.state, ending },
    effects: [moved.effect, { kind: 'workload_freed', repId: state.owner }],
  };
};

const recordInbound = (state: PathState, command: InboundOutreach, now: string): Decision => {
  const record: OutreachRecord = {
    at: now,
    channel: command.channel,
    direction: 'inbound',
    by: command.by,
    content: command.content,
    disclosures: [],
    authorisation: 'inbound_request',
  };
  const recorded = { ...state, outreach: [...state.outreach, record] };
  const effects: ConductEffect[] = [{ kind: 'outreach_recorded', record }];
  if (state.stage !== 'NEW') return accept(recorded, effects);
  const moved = moveTo(recorded, 'CONTACTED', now);
  return accept(moved.state, [...effects, moved.effect]);
};

/** The basis an outbound contact is recorded under: the one it claims, else the first a rule permits that is on record. */
const authorisationOf = (
  state: PathState,
  conduct: ConductPolicy,
  channel: Channel,
  claimed: ContactBasis | undefined,
): OutreachAuthorisation => {
  if (claimed !== undefined) return claimed;
  const onRecord = basesOnRecord(state, channel);
  for (const rule of rulesFor(state, conduct).coldContact) {
    if (!rule.channels.includes(channel)) continue;
    const basis = rule.permittedBy.find((candidate) => onRecord.includes(candidate));
    if (basis !== undefined) return basis;
  }
  return 'unrestricted';
};

const recordOutbound = (state: PathState, command: OutboundOutreach, conduct: ConductPolicy, now: string): Decision => {
  const action = `outbound ${command.channel} contact`;
  const ended = endedRefusal(state, conduct, now, action);
  if (ended) return ended;
  if (command.basis !== undefined && !basesOnRecord(state, command.channel).includes(command.basis))
    return refuseByRule(
      action,
      'contact_basis',
      LIFECYCLE_RULES.contactBasis,
      `the contact claims ${command.basis.replaceAll('_', ' ')}, which is not on record for ${command.channel}`,
      { kind: 'contact_basis', channel: command.channel, bases: [command.basis], text: 'record the basis first' },
    );
  const gates = gatesOf(state, conduct, now, {
    channel: command.channel,
    including: command.disclosures,
    basis: command.basis,
  });
  const unmet = unmetGates(gates, 'outbound_contact');
  if (unmet.length > 0) return refuseByGates(action, unmet);

  const record: OutreachRecord = {
    at: now,
    channel: command.channel,
    direction: 'outbound',
    by: command.by,
    content: command.content,
    disclosures: command.disclosures,
    authorisation: authorisationOf(state, conduct, command.channel, command.basis),
  };
  const sent: SentDisclosure[] = command.disclosures.map((ref) => ({ ...ref, at: now, channel: command.channel }));
  const recorded: PathState = {
    ...state,
    outreach: [...state.outreach, record],
    disclosures: [...state.disclosures, ...sent],
  };
  const effects: ConductEffect[] = [{ kind: 'outreach_recorded', record }];
  if (sent.length > 0) effects.push({ kind: 'disclosures_sent', disclosures: sent });
  if (state.stage !== 'NEW') return accept(recorded, effects);
  const moved = moveTo(recorded, 'CONTACTED', now);
  return accept(moved.state, [...effects, moved.effect]);
};

const PREVIOUS: Readonly<Record<'QUALIFIED' | 'PROPOSAL' | 'WON', Stage>> = {
  QUALIFIED: 'CONTACTED',
  PROPOSAL: 'QUALIFIED',
  WON: 'PROPOSAL',
};

const stageOrderRefusal = (state: PathState, to: 'QUALIFIED' | 'PROPOSAL' | 'WON'): Decision | null => {
  const from = PREVIOUS[to];
  if (state.stage === from) return null;
  const action = `${to}`;
  if (STAGE_RANK[state.stage] >= STAGE_RANK[to])
    return refuseByRule(action, 'stage_order', LIFECYCLE_RULES.stageOrder, `the path is already ${state.stage}`, {
      kind: 'none',
      text: `nothing: the path is past ${from}`,
    });
  const text =
    from === 'CONTACTED' ? 'record the first contact with the prospect' : `the path must reach ${from} first`;
  return refuseByRule(
    action,
    'stage_order',
    LIFECYCLE_RULES.stageOrder,
    `${to} follows ${from}, and the path is ${state.stage}`,
    { kind: 'reach_stage', stage: from, text },
  );
};

const advanceTo = (
  state: PathState,
  to: 'QUALIFIED' | 'PROPOSAL' | 'WON',
  by: string,
  conduct: ConductPolicy,
  now: string,
): Decision => {
  const ended = endedRefusal(state, conduct, now, to);
  if (ended) return ended;
  const outOfOrder = stageOrderRefusal(state, to);
  if (outOfOrder) return outOfOrder;
  const unmet = unmetGates(gatesOf(state, conduct, now), to satisfies Guard);
  if (unmet.length > 0) return refuseByGates(to, unmet);
  if (to === 'WON') {
    const ended = end(state, { stage: 'WON', at: now, by }, now);
    return accept(ended.state, ended.effects);
  }
  const moved = moveTo(state, to, now);
  const effects: ConductEffect[] = [moved.effect];
  if (to === 'QUALIFIED' && state.facts.kycStatus === 'not_started') effects.push({ kind: 'kyc_initiation_due' });
  return accept(moved.state, effects);
};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const updateFacts = (
  state: PathState,
  changes: FactChanges,
  by: string,
  conduct: ConductPolicy,
  now: string,
): Decision => {
  if (changes.timeZone !== undefined && changes.timeZone !== null && !isTimeZone(changes.timeZone))
    return refuseByRule(
      'fact update',
      'facts',
      LIFECYCLE_RULES.facts,
      `"${changes.timeZone}" is not an IANA time zone`,
      { kind: 'record_time_zone', text: 'give an IANA time zone such as Europe/London or America/New_York' },
    );
  const facts: PathFacts = { ...state.facts };
  const fields: (keyof PathFacts)[] = [];
  for (const [key, value] of Object.entries(changes) as [keyof PathFacts, unknown][]) {
    if (value === undefined || sameValue(facts[key], value)) continue;
    (facts as Record<keyof PathFacts, unknown>)[key] = value;
    fields.push(key);
  }
  if (fields.length === 0) return accept(state, []);
  const updated: PathState = { ...state, facts };
  const effects: ConductEffect[] = [{ kind: 'facts_updated', fields }];
  if (!isOpenStage(state.stage)) return accept(updated, effects);

  if (facts.kycStatus === 'failed') {
    const closed = end(updated, { stage: 'CLOSED', at: now, by, reason: 'kyc_failed' }, now);
    return accept(closed.state, [...effects, ...closed.effects]);
  }
  const before = holdReasonsOf(state, conduct);
  const after = holdReasonsOf(updated, conduct);
  if (after.length > 0 && !sameValue(before, after)) effects.push({ kind: 'path_held', reasons: after });
  if (after.length === 0 && before.length > 0) effects.push({ kind: 'path_unheld' });
  return accept(updated, effects);
};

const completeChecklistItem = (
  state: PathState,
  item: string,
  by: string,
  conduct: ConductPolicy,
  now: string,
): Decision => {
  const action = `checklist item ${item}`;
  const ended = endedRefusal(state, conduct, now, action);
  if (ended) return ended;
  const items = rulesFor(state, conduct).checklists.flatMap((rule) => rule.items.map((entry) => entry.id));
  if (!items.includes(item))
    return refuseByRule(
      action,
      'checklist_item',
      LIFECYCLE_RULES.checklistItem,
      items.length === 0
        ? 'no checklist applies to this path'
        : `"${item}" is not an item of the checklists that apply (${[...new Set(items)].join(', ')})`,
      { kind: 'none', text: 'nothing: name an item of an applicable checklist' },
    );
  if (state.checklist.some((entry) => entry.item === item)) return accept(state, []);
  return accept({ ...state, checklist: [...state.checklist, { item, at: now, by }] }, [
    { kind: 'checklist_item_done', item },
  ]);
};

/**
 * Decides one command on one path at `now` (an ISO 8601 UTC instant) under the policy's conduct rules. Either the new
 * state and the effects a service applies in the same transaction, or a refusal naming the rule and what would allow
 * it. Ending a path (lose, close) is never refused while it is open; recording an inbound communication and updating
 * facts are never refused for the path's stage.
 */
export const decide = (state: PathState, command: ConductCommand, conduct: ConductPolicy, now: string): Decision => {
  switch (command.kind) {
    case 'record_outreach':
      return command.direction === 'inbound'
        ? recordInbound(state, command, now)
        : recordOutbound(state, command, conduct, now);
    case 'advance':
      return advanceTo(state, command.to, command.by, conduct, now);
    case 'win':
      return advanceTo(state, 'WON', command.by, conduct, now);
    case 'lose':
    case 'close': {
      const ended = endedRefusal(state, conduct, now, command.kind);
      if (ended) return ended;
      const ending: PathEnding =
        command.kind === 'lose'
          ? { stage: 'LOST', at: now, by: command.by, reason: command.reason }
          : { stage: 'CLOSED', at: now, by: command.by, reason: command.reason };
      const result = end(state, ending, now);
      return accept(result.state, result.effects);
    }
    case 'complete_checklist_item':
      return completeChecklistItem(state, command.item, command.by, conduct, now);
    case 'update_facts':
      return updateFacts(state, command.changes, command.by, conduct, now);
    case 'reassign': {
      const ended = endedRefusal(state, conduct, now, 'reassignment');
      if (ended) return ended;
      if (command.to === state.owner) return accept(state, []);
      return accept({ ...state, owner: command.to }, [
        { kind: 'workload_freed', repId: state.owner },
        { kind: 'workload_taken', repId: command.to },
      ]);
    }
  }
};

/** Whether engagement with the path is held (routing's hold reasons), and why. */
export const holdOf = (state: PathState, conduct: ConductPolicy): readonly HoldReason[] =>
  isOpenStage(state.stage) ? holdReasonsOf(state, conduct) : [];
