// Every gate of a path evaluated at an instant: met, pending (time or a third party will meet it) or blocked, with why.
import type { Channel, ContactBasis, DisclosureRule, GatedStage } from '../policy/conduct.ts';
import type { HoldReason } from '../routing/outcome.ts';
import {
  isInsideHours,
  isTimeZone,
  localClockText,
  localTimeOf,
  nextOpening,
  outreachHoursText,
} from './local-time.ts';
import { effectiveCustomerType, isOpenStage } from './model.ts';
import type { AmlDocumentation, DisclosureRef, KycStatus, PathState, Stage } from './model.ts';
import { policyRule, rulesFor } from './rules.ts';
import type { ConductPolicy, RuleRef } from './rules.ts';
import { durationText, hoursAdjective, hoursText, isoOf, msOf, utcText } from './time-text.ts';

/** What a gate stands before: an outbound contact, or reaching a stage (and every later one). */
export type Guard = 'outbound_contact' | 'QUALIFIED' | 'PROPOSAL' | 'WON';

export type GateKind =
  | 'path_open'
  | 'product_known'
  | 'kyc_failed'
  | 'aml_hold'
  | 'kyc_hold'
  | 'do_not_contact'
  | 'outreach_window'
  | 'cold_contact'
  | 'disclosure'
  | 'cooling_off'
  | 'kyc_verified'
  | 'checklist';

/** met: satisfied. pending: time or a third party will meet it (cooling-off running, KYC pending). blocked: needs action. */
export type GateStatus = 'met' | 'pending' | 'blocked';

/** What would meet a gate, for machines; `text` says it for people. */
export type UnblockAction =
  | { readonly kind: 'wait_until'; readonly at: string }
  | {
      readonly kind: 'send_disclosures';
      readonly disclosures: readonly DisclosureRef[];
      readonly with: 'first_contact' | 'next_contact' | 'before_proposal';
    }
  | { readonly kind: 'contact_basis'; readonly channel: Channel; readonly bases: readonly ContactBasis[] }
  | { readonly kind: 'record_request' }
  | { readonly kind: 'record_time_zone' }
  | { readonly kind: 'kyc_verified'; readonly current: KycStatus }
  | { readonly kind: 'aml_documentation_complete'; readonly current: AmlDocumentation }
  | { readonly kind: 'complete_checklist'; readonly items: readonly { readonly id: string; readonly label: string }[] }
  | { readonly kind: 'reach_stage'; readonly stage: Stage }
  | { readonly kind: 'do_not_contact_withdrawn' }
  | { readonly kind: 'none' };
export type Unblock = UnblockAction & { readonly text: string };

export type Gate = {
  readonly kind: GateKind;
  readonly rule: RuleRef;
  readonly guards: readonly Guard[];
  /** For outreach gates: the channels the gate was evaluated for. */
  readonly channels?: readonly Channel[];
  readonly status: GateStatus;
  readonly why: string;
  /** What would meet it; null when it is met. */
  readonly unblock: Unblock | null;
};

/** Narrows the outreach gates to one contact: its channel, the disclosures it carries and the basis it claims. */
export type GateContext = {
  readonly channel?: Channel | undefined;
  readonly including?: readonly DisclosureRef[] | undefined;
  readonly basis?: ContactBasis | undefined;
};

/** The built-in rules of the lifecycle, cited in gates and refusals like policy rules are. */
export const LIFECYCLE_RULES = {
  pathOpen: {
    id: 'lifecycle.path-open',
    citation: 'Perimeter lifecycle: an ended path (WON, LOST, CLOSED) takes no further step',
    source: 'lifecycle',
  },
  stageOrder: {
    id: 'lifecycle.stage-order',
    citation: 'Perimeter lifecycle: NEW → CONTACTED → QUALIFIED → PROPOSAL → WON, one stage at a time',
    source: 'lifecycle',
  },
  productKnown: {
    id: 'lifecycle.product-known',
    citation: 'Perimeter lifecycle: a path is worked only for a product of the active policy',
    source: 'lifecycle',
  },
  kycFailed: {
    id: 'lifecycle.kyc-failed',
    citation: 'Perimeter lifecycle: failed KYC closes the path',
    source: 'lifecycle',
  },
  doNotContact: {
    id: 'lifecycle.do-not-contact',
    citation: "the prospect's do-not-contact instruction (no outbound contact of any kind)",
    source: 'lifecycle',
  },
  checklistItem: {
    id: 'lifecycle.checklist-item',
    citation: 'Perimeter lifecycle: only items of a checklist that applies to the path can be marked done',
    source: 'lifecycle',
  },
  contactBasis: {
    id: 'lifecycle.contact-basis',
    citation: 'Perimeter lifecycle: a contact names as its basis only one that is on record',
    source: 'lifecycle',
  },
  facts: {
    id: 'lifecycle.facts',
    citation: 'Perimeter lifecycle: facts are recorded as valid values',
    source: 'lifecycle',
  },
} as const satisfies Record<string, RuleRef>;

const productRule = (
  productId: string,
  field: 'amlDocumentationRequired' | 'kycRequiredBeforeEngagement',
): RuleRef => ({
  id: `product.${productId}.${field}`,
  citation: `policy products[${productId}].${field}`,
  source: 'policy',
});

const ENGAGEMENT: readonly Guard[] = ['outbound_contact', 'QUALIFIED', 'PROPOSAL', 'WON'];
const STAGES_FROM: Readonly<Record<GatedStage, readonly Guard[]>> = {
  qualified: ['QUALIFIED', 'PROPOSAL', 'WON'],
  proposal: ['PROPOSAL', 'WON'],
  won: ['WON'],
};

const CHANNEL_NOUN: Readonly<Record<Channel, string>> = {
  phone: 'a phone call',
  visit: 'a visit',
  video: 'a video call',
  email: 'an email',
  sms: 'a text message',
  letter: 'a letter',
  chat: 'a chat message',
  web: 'a web message',
};

const basisText = (basis: ContactBasis, channel: Channel): string => {
  switch (basis) {
    case 'inbound_request':
      return 'an inbound request from the prospect';
    case 'consent':
      return `documented consent to ${channel} contact`;
    case 'existing_relationship':
      return 'an existing relationship that envisages such contact';
    case 'professional_client':
      return 'the prospect being a professional client';
  }
};

const customerText = (state: PathState): string => {
  if (state.facts.customerType === 'unknown') return 'a client of unknown type (treated as retail)';
  return {
    retail: 'a retail client',
    professional: 'a professional client',
    eligible_counterparty: 'an eligible counterparty',
  }[effectiveCustomerType(state.facts)];
};

const DISCLOSURE_KIND_TEXT: Readonly<Record<DisclosureRule['kind'], string>> = {
  risk_warning: 'risk warning',
  product_disclosure: 'product disclosure',
  pre_contract_information: 'pre-contract information',
  terms: 'terms',
};

export const disclosureText = (ref: DisclosureRef): string => `${ref.template} v${ref.version}`;

const listText = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** The bases on record for contacting the prospect on a channel (before any rule says which ones count). */
export const basesOnRecord = (state: PathState, channel: Channel): ContactBasis[] => {
  const bases: ContactBasis[] = [];
  if (state.outreach.some((record) => record.direction === 'inbound')) bases.push('inbound_request');
  if (state.facts.consents.some((consent) => consent.channels.includes(channel))) bases.push('consent');
  if (state.facts.existingRelationship) bases.push('existing_relationship');
  if (effectiveCustomerType(state.facts) !== 'retail') bases.push('professional_client');
  return bases;
};

/** Why engagement is held (routing's hold reasons): the product's AML or KYC requirement is not met. */
export const holdReasonsOf = (state: PathState, conduct: ConductPolicy): HoldReason[] => {
  const product = conduct.products.get(state.productId);
  if (product === undefined) return [];
  const reasons: HoldReason[] = [];
  if (product.amlDocumentationRequired && state.facts.amlDocumentation !== 'complete')
    reasons.push('aml_documentation_incomplete');
  if (product.kycRequiredBeforeEngagement && state.facts.kycStatus !== 'verified') reasons.push('kyc_not_verified');
  return reasons;
};

const met = (gate: Omit<Gate, 'status' | 'unblock'>): Gate => ({ ...gate, status: 'met', unblock: null });

const kycUnblock = (current: KycStatus, before: string): Unblock =>
  current === 'failed'
    ? { kind: 'none', text: 'nothing: KYC failed, which closes the path' }
    : {
        kind: 'kyc_verified',
        current,
        text:
          current === 'pending'
            ? `KYC must be complete ${before} (it is pending)`
            : `KYC must be complete ${before} (start KYC: it has not started)`,
      };

/**
 * Every gate of the path at `now`, in the order refusals consider them. Without a context, outreach gates are
 * evaluated over every channel their rule names; with one, only for its channel, counting the disclosures it carries.
 */
export const gatesOf = (state: PathState, conduct: ConductPolicy, now: string, context: GateContext = {}): Gate[] => {
  const nowMs = msOf(now);
  const rules = rulesFor(state, conduct);
  const product = conduct.products.get(state.productId);
  const { facts } = state;
  const gates: Gate[] = [];

  const open = isOpenStage(state.stage);
  gates.push(
    open
      ? met({
          kind: 'path_open',
          rule: LIFECYCLE_RULES.pathOpen,
          guards: ENGAGEMENT,
          why: `the path is ${state.stage}`,
        })
      : {
          kind: 'path_open',
          rule: LIFECYCLE_RULES.pathOpen,
          guards: ENGAGEMENT,
          status: 'blocked',
          why: `the path ended ${state.stage}${state.ending ? ` on ${utcText(msOf(state.ending.at))}` : ''}`,
          unblock: { kind: 'none', text: 'nothing: an ended path takes no further step' },
        },
  );

  gates.push(
    product
      ? met({
          kind: 'product_known',
          rule: LIFECYCLE_RULES.productKnown,
          guards: ENGAGEMENT,
          why: `${product.id} is a ${product.class} product`,
        })
      : {
          kind: 'product_known',
          rule: LIFECYCLE_RULES.productKnown,
          guards: ENGAGEMENT,
          status: 'blocked',
          why: `product ${state.productId} is not in the active policy`,
          unblock: { kind: 'none', text: `nothing until a policy with product ${state.productId} is active` },
        },
  );

  gates.push(
    facts.kycStatus === 'failed'
      ? {
          kind: 'kyc_failed',
          rule: LIFECYCLE_RULES.kycFailed,
          guards: ENGAGEMENT,
          status: 'blocked',
          why: 'KYC failed',
          unblock: { kind: 'none', text: 'nothing: KYC failed, which closes the path' },
        }
      : met({
          kind: 'kyc_failed',
          rule: LIFECYCLE_RULES.kycFailed,
          guards: ENGAGEMENT,
          why: `KYC is ${facts.kycStatus.replace('_', ' ')}`,
        }),
  );

  if (product?.amlDocumentationRequired) {
    const rule = productRule(product.id, 'amlDocumentationRequired');
    gates.push(
      facts.amlDocumentation === 'complete'
        ? met({ kind: 'aml_hold', rule, guards: ENGAGEMENT, why: 'AML documentation is complete' })
        : {
            kind: 'aml_hold',
            rule,
            guards: ENGAGEMENT,
            status: 'blocked',
            why: `held: ${product.id} requires AML documentation and it is ${facts.amlDocumentation}`,
            unblock: {
              kind: 'aml_documentation_complete',
              current: facts.amlDocumentation,
              text: 'AML documentation must be complete',
            },
          },
    );
  }

  if (product?.kycRequiredBeforeEngagement) {
    const rule = productRule(product.id, 'kycRequiredBeforeEngagement');
    gates.push(
      facts.kycStatus === 'verified'
        ? met({ kind: 'kyc_hold', rule, guards: ENGAGEMENT, why: 'KYC is verified' })
        : {
            kind: 'kyc_hold',
            rule,
            guards: ENGAGEMENT,
            status: facts.kycStatus === 'pending' ? 'pending' : 'blocked',
            why: `held: ${product.id} requires verified KYC before engagement and KYC is ${facts.kycStatus.replace('_', ' ')}`,
            unblock: kycUnblock(facts.kycStatus, 'before engagement'),
          },
    );
  }

  gates.push(
    facts.doNotContact
      ? {
          kind: 'do_not_contact',
          rule: LIFECYCLE_RULES.doNotContact,
          guards: ['outbound_contact'],
          status: 'blocked',
          why: 'the prospect asked not to be contacted',
          unblock: {
            kind: 'do_not_contact_withdrawn',
            text: 'only the prospect can withdraw a do-not-contact instruction',
          },
        }
      : met({
          kind: 'do_not_contact',
          rule: LIFECYCLE_RULES.doNotContact,
          guards: ['outbound_contact'],
          why: 'no do-not-contact instruction on record',
        }),
  );

  const channelsOf = (ruleChannels: readonly Channel[]): Channel[] =>
    context.channel === undefined ? [...ruleChannels] : ruleChannels.filter((channel) => channel === context.channel);

  for (const rule of rules.outreachWindows) {
    const channels = channelsOf(rule.channels);
    if (channels.length === 0) continue;
    const base = { kind: 'outreach_window' as const, rule: policyRule(rule), guards: ['outbound_contact'] as const };
    const allowed = `${channels.join(', ')} only ${outreachHoursText(rule.hours)} in the prospect's local time`;
    const zone = facts.timeZone;
    if (zone === null || !isTimeZone(zone)) {
      gates.push({
        ...base,
        channels,
        status: 'blocked',
        why: `${allowed}, and no time zone is on record for the prospect`,
        unblock: { kind: 'record_time_zone', text: "record the prospect's time zone (IANA, e.g. Europe/London)" },
      });
      continue;
    }
    const local = localTimeOf(nowMs, zone);
    const localNow = `${localClockText(local)} ${zone}`;
    if (isInsideHours(nowMs, zone, rule.hours)) {
      gates.push(met({ ...base, channels, why: `${allowed}: it is ${localNow}, inside` }));
      continue;
    }
    const opens = nextOpening(nowMs, zone, rule.hours);
    gates.push({
      ...base,
      channels,
      status: 'pending',
      why: `${allowed}: it is ${localNow}, outside`,
      unblock:
        opens === undefined
          ? { kind: 'none', text: 'the hours never open' }
          : {
              kind: 'wait_until',
              at: isoOf(opens),
              text: `${channels.join(', ')} allowed from ${utcText(opens)} (${localClockText(localTimeOf(opens, zone))} ${zone})`,
            },
    });
  }

  for (const rule of rules.coldContact) {
    const channels = channelsOf(rule.channels);
    if (channels.length === 0) continue;
    const base = { kind: 'cold_contact' as const, rule: policyRule(rule), guards: ['outbound_contact'] as const };
    const found = channels.map((channel) => {
      const onRecord = basesOnRecord(state, channel);
      const usable = rule.permittedBy.filter((basis) => onRecord.includes(basis));
      const bases = context.basis === undefined ? usable : usable.filter((basis) => basis === context.basis);
      return { channel, bases };
    });
    const missing = found.find((entry) => entry.bases.length === 0);
    if (missing === undefined) {
      gates.push(
        met({
          ...base,
          channels,
          why: found.map(({ channel, bases }) => `${channel} permitted by ${basisText(bases[0]!, channel)}`).join('; '),
        }),
      );
      continue;
    }
    const { channel } = missing;
    const noun = `${CHANNEL_NOUN[channel]} to ${customerText(state)}`;
    const needs = listText(rule.permittedBy.map((basis) => basisText(basis, channel)));
    const claimed =
      context.basis === undefined
        ? ''
        : rule.permittedBy.includes(context.basis)
          ? ` (the contact claims ${basisText(context.basis, channel)}, which is not on record)`
          : ` (the contact claims ${basisText(context.basis, channel)}, which this rule does not accept)`;
    gates.push({
      ...base,
      channels,
      status: 'blocked',
      why:
        rule.permittedBy.length === 0
          ? `${noun} is not permitted at all here`
          : `${noun} is a cold contact unless there is ${needs}: none is on record${claimed}`,
      unblock:
        rule.permittedBy.length === 0
          ? { kind: 'none', text: `nothing permits ${CHANNEL_NOUN[channel]} to ${customerText(state)} here` }
          : { kind: 'contact_basis', channel, bases: rule.permittedBy, text: `${channel} contact needs ${needs}` },
    });
  }

  // A first-contact disclosure is owed from the first contact on: a gap once an outbound contact went without it.
  const firstOutbound = state.outreach.find((record) => record.direction === 'outbound');
  const firstInbound = state.outreach.find((record) => record.direction === 'inbound');
  for (const rule of rules.disclosures) {
    const ref = { template: rule.template, version: rule.version };
    const guards: readonly Guard[] =
      rule.requiredBefore === 'first_contact' ? ['outbound_contact', 'PROPOSAL', 'WON'] : ['PROPOSAL', 'WON'];
    const base = { kind: 'disclosure' as const, rule: policyRule(rule), guards };
    const what = `${disclosureText(ref)} (${DISCLOSURE_KIND_TEXT[rule.kind]}: ${rule.title})`;
    const sent = state.disclosures.find(
      (disclosure) => disclosure.template === rule.template && disclosure.version >= rule.version,
    );
    if (sent) {
      gates.push(
        met({
          ...base,
          why: `${what} sent ${utcText(msOf(sent.at))} by ${sent.channel}`,
        }),
      );
      continue;
    }
    const carried = context.including?.some(
      (disclosure) => disclosure.template === rule.template && disclosure.version >= rule.version,
    );
    if (carried) {
      gates.push(met({ ...base, why: `${what} goes with this contact` }));
      continue;
    }
    const older = state.disclosures.filter((disclosure) => disclosure.template === rule.template).at(-1);
    const olderText = older ? ` (only v${older.version} was sent, ${utcText(msOf(older.at))})` : '';
    if (rule.requiredBefore === 'proposal') {
      gates.push({
        ...base,
        status: 'blocked',
        why: `${what} must be sent before the proposal${olderText}`,
        unblock: {
          kind: 'send_disclosures',
          disclosures: [ref],
          with: 'before_proposal',
          text: `send disclosure ${disclosureText(ref)} before the proposal`,
        },
      });
      continue;
    }
    const contacted = firstOutbound !== undefined || firstInbound !== undefined;
    gates.push({
      ...base,
      status: 'blocked',
      why: firstOutbound
        ? `gap: ${what} was due with the first contact (${utcText(msOf(firstOutbound.at))}, ${firstOutbound.channel}) and has not been sent${olderText}`
        : firstInbound
          ? `${what} has not been sent: it goes with the first reply to the prospect (who made contact ${utcText(msOf(firstInbound.at))})${olderText}`
          : `${what} must go with the first contact${olderText}`,
      unblock: {
        kind: 'send_disclosures',
        disclosures: [ref],
        with: contacted ? 'next_contact' : 'first_contact',
        text: `send disclosure ${disclosureText(ref)} with the ${contacted ? 'next' : 'first'} contact`,
      },
    });
  }

  for (const rule of rules.coolingOff) {
    const base = { kind: 'cooling_off' as const, rule: policyRule(rule), guards: ['PROPOSAL'] as const };
    const period = `the ${hoursAdjective(rule.hours)} cooling-off for ${facts.clientStatus === 'new' ? 'a client new to the firm' : 'an existing client'}`;
    if (facts.requestedAt === null) {
      gates.push({
        ...base,
        status: 'blocked',
        why: `${period} has not started: no request from the client is on record`,
        unblock: {
          kind: 'record_request',
          text: `record the client's request: the cooling-off ends ${hoursText(rule.hours)} after it`,
        },
      });
      continue;
    }
    const startMs = msOf(facts.requestedAt);
    const endMs = startMs + rule.hours * 3_600_000;
    if (nowMs >= endMs) {
      gates.push(
        met({
          ...base,
          why: `${period} ran from ${utcText(startMs)} and ended ${utcText(endMs)}`,
        }),
      );
      continue;
    }
    gates.push({
      ...base,
      status: 'pending',
      why: `${period} runs from the client's request at ${utcText(startMs)} until ${utcText(endMs)} (${durationText(endMs - nowMs)} left)`,
      unblock: { kind: 'wait_until', at: isoOf(endMs), text: `cooling-off ends ${utcText(endMs)}` },
    });
  }

  for (const rule of rules.kyc) {
    const base = { kind: 'kyc_verified' as const, rule: policyRule(rule), guards: STAGES_FROM[rule.verifiedBefore] };
    const before = `before ${rule.verifiedBefore.toUpperCase()}`;
    if (facts.kycStatus === 'verified') {
      gates.push(met({ ...base, why: `KYC is verified (required ${before})` }));
      continue;
    }
    gates.push({
      ...base,
      status: facts.kycStatus === 'pending' ? 'pending' : 'blocked',
      why: `KYC must be verified ${before}; it is ${facts.kycStatus.replace('_', ' ')}`,
      unblock: kycUnblock(facts.kycStatus, before),
    });
  }

  for (const rule of rules.checklists) {
    const base = { kind: 'checklist' as const, rule: policyRule(rule), guards: STAGES_FROM[rule.completeBefore] };
    const done = new Set(state.checklist.map((entry) => entry.item));
    const missing = rule.items.filter((item) => !done.has(item.id));
    const before = `before ${rule.completeBefore.toUpperCase()}`;
    if (missing.length === 0) {
      gates.push(met({ ...base, why: `every step is done (${rule.items.map((item) => item.id).join(', ')})` }));
      continue;
    }
    gates.push({
      ...base,
      status: 'blocked',
      why: `${missing.length} of ${rule.items.length} steps to do ${before}: ${missing.map((item) => item.label).join('; ')}`,
      unblock: {
        kind: 'complete_checklist',
        items: missing.map((item) => ({ id: item.id, label: item.label })),
        text: `complete ${before}: ${missing.map((item) => item.label).join('; ')}`,
      },
    });
  }

  return gates;
};

/** The gates standing before a guard that are not met: blocked ones first, then pending, each in gate order. */
export const unmetGates = (gates: readonly Gate[], guard: Guard): Gate[] => {
  const unmet = gates.filter((gate) => gate.status !== 'met' && gate.guards.includes(guard));
  return [...unmet.filter((gate) => gate.status === 'blocked'), ...unmet.filter((gate) => gate.status === 'pending')];
};
