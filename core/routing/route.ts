// Routes each product interest of a lead: screening gate, tag, entity, teams, suitability, KYC/AML, rep. Pure.
import { isInside } from '../policy/vocabulary.ts';
import type { Product } from '../policy/schema.ts';
import type { Scalar } from '../policy/conditions.ts';
import type {
  CompiledEntity,
  CompiledLicence,
  CompiledPolicy,
  CompiledRep,
  CompiledRule,
  CompiledTeam,
} from './compile.ts';
import type { Lead } from './lead.ts';
import { refuse } from './outcome.ts';
import type { Notification, Outcome, RefusalReason } from './outcome.ts';
import { tagJurisdiction } from './tag-jurisdiction.ts';
import type {
  Choice,
  ConstraintCheck,
  EntityConsideration,
  LicenceCheck,
  AuthorisationGap,
  RepConsideration,
  RoutingTrace,
  RuleApplication,
  TaggingTrace,
  TeamConsideration,
} from './trace.ts';

/** Round-robin cursors per team and open assignments per rep: passed in and out, so decisions replay exactly. */
export type RoutingState = {
  readonly cursors: Readonly<Record<string, number>>;
  readonly openAssignments: Readonly<Record<string, number>>;
};

export const emptyRoutingState: RoutingState = { cursors: {}, openAssignments: {} };

export type RoutingDecision = {
  readonly leadId: string;
  readonly productId: string;
  readonly ruleVersion: string;
  readonly decidedAt: string;
  readonly outcome: Outcome;
  readonly notifications: readonly Notification[];
  readonly trace: RoutingTrace;
};

export type LeadRouting = { readonly decisions: readonly RoutingDecision[]; readonly state: RoutingState };

/** A working copy of the state used inside one call; the caller's state is never mutated. */
type WorkingState = { cursors: Record<string, number>; openAssignments: Record<string, number> };

const check = (constraint: string, passed: boolean, inputs: Record<string, unknown>): ConstraintCheck => ({
  constraint,
  passed,
  inputs,
});

// Checks whose inputs take a handful of values are built once and shared (trace objects are immutable).
const sharedChecks = new Map<string, ConstraintCheck>();
const sharedCheck = (key: string, make: () => ConstraintCheck): ConstraintCheck => {
  let shared = sharedChecks.get(key);
  if (shared === undefined) {
    shared = make();
    if (sharedChecks.size < 10_000) sharedChecks.set(key, shared);
  }
  return shared;
};

const TAGGING_REFUSAL: Record<Exclude<TaggingTrace['status'], 'tagged'>, RefusalReason> = {
  missing: 'jurisdiction_missing',
  unknown: 'jurisdiction_unknown',
  conflict: 'jurisdiction_conflict',
  incomplete: 'jurisdiction_incomplete',
  intent_conflict: 'stated_intent_conflict',
};

/** Routes every product interest of one lead. `at` is the decision time (ISO 8601, UTC). */
export const routeLead = (policy: CompiledPolicy, lead: Lead, state: RoutingState, at: string): LeadRouting => {
  const working: WorkingState = { cursors: { ...state.cursors }, openAssignments: { ...state.openAssignments } };
  const decisions = routeLeadInto(policy, lead, working, at);
  return { decisions, state: working };
};

/** Routes a batch in order, threading the state through; equivalent to calling routeLead lead by lead. */
export const routeBatch = (
  policy: CompiledPolicy,
  leads: readonly Lead[],
  state: RoutingState,
  at: string,
): { readonly decisions: readonly RoutingDecision[]; readonly state: RoutingState } => {
  const working: WorkingState = { cursors: { ...state.cursors }, openAssignments: { ...state.openAssignments } };
  const decisions: RoutingDecision[] = [];
  for (const lead of leads) for (const decision of routeLeadInto(policy, lead, working, at)) decisions.push(decision);
  return { decisions, state: working };
};

/**
 * A run of decisions over one working copy of the state (copied once, not per lead): for intake, which routes lead
 * after lead and needs the cursor after each. Equivalent to threading the state through routeLead.
 */
export type RoutingRun = {
  readonly route: (lead: Lead, at: string) => readonly RoutingDecision[];
  readonly cursorOf: (teamId: string) => number;
  readonly state: () => RoutingState;
};

export const startRoutingRun = (policy: CompiledPolicy, state: RoutingState): RoutingRun => {
  const working: WorkingState = { cursors: { ...state.cursors }, openAssignments: { ...state.openAssignments } };
  return {
    route: (lead, at) => routeLeadInto(policy, lead, working, at),
    cursorOf: (teamId) => working.cursors[teamId] ?? 0,
    state: () => ({ cursors: { ...working.cursors }, openAssignments: { ...working.openAssignments } }),
  };
};

const routeLeadInto = (policy: CompiledPolicy, lead: Lead, working: WorkingState, at: string): RoutingDecision[] => {
  const tagging = tagJurisdiction(lead, policy);
  return lead.productInterests.map((productId) => decidePath(policy, lead, tagging, productId, working, at));
};

type OpenHit = NonNullable<Lead['screening']>['hits'][number];

/** Open hits by severity: the first kind present decides the refusal (and so the queue). */
const SCREENING_SEVERITY: readonly (readonly [RefusalReason, (hit: OpenHit) => boolean])[] = [
  ['sanctions_match', (hit) => hit.listKind === 'sanctions' && hit.strength === 'strong'],
  ['potential_sanctions_match', (hit) => hit.listKind === 'sanctions'],
  ['blocklist_match', (hit) => hit.listKind === 'blocklist'],
  ['pep_match', (hit) => hit.listKind === 'pep'],
  ['adverse_media_match', (hit) => hit.listKind === 'adverse_media'],
];

const screeningGate = (
  policy: CompiledPolicy,
  lead: Lead,
): { check: ConstraintCheck; refusal: RefusalReason | null } => {
  if (lead.screening === undefined) {
    const required = policy.policy.screening.required;
    return {
      check: check('screening.performed', !required, { screened: false, required }),
      refusal: required ? 'not_screened' : null,
    };
  }
  const open = lead.screening.hits.filter((hit) => !hit.cleared);
  // The open hit that decides the queue: the most severe kind, in this order (the first such hit in the lead's order).
  let deciding: { hit: (typeof open)[number]; refusal: RefusalReason } | null = null;
  for (const [refusal, decides] of SCREENING_SEVERITY) {
    const hit = open.find(decides);
    if (hit !== undefined) {
      deciding = { hit, refusal };
      break;
    }
  }
  const refusal = deciding?.refusal ?? null;
  // The listed entry's name is left out: the trace goes into the hashed log, and names live beside it.
  const listed = (hit: (typeof open)[number]) => ({
    party: hit.party,
    listKind: hit.listKind,
    strength: hit.strength,
    listId: hit.listId,
    listVersion: hit.listVersion,
    entryId: hit.entryId,
    score: hit.score,
  });
  return {
    check: check('screening.clear', refusal === null, {
      screenedAt: lead.screening.screenedAt,
      hits: lead.screening.hits.length,
      cleared: lead.screening.hits.length - open.length,
      open: open.map(listed),
      decidedBy: deciding === null ? null : { ...listed(deciding.hit), refusal: deciding.refusal },
    }),
    refusal,
  };
};

const licenceCovers = (
  compiled: CompiledLicence,
  product: Product,
  tag: string,
  customerType: string,
  date: string,
): LicenceCheck => {
  const { licence } = compiled;
  const base = {
    licenceId: licence.id,
    regulator: licence.regulator,
    regime: licence.regime,
    reference: licence.reference ?? null,
  };
  const fail = (failed: ConstraintCheck): LicenceCheck => ({ ...base, covers: false, via: null, failed });
  // Jurisdiction first: a licence for another place is excluded for that, whatever its dates or products say.
  const passport = licence.passporting;
  const via: 'home' | 'passport' | null = isInside(tag, compiled.homeCodes)
    ? 'home'
    : passport && isInside(tag, compiled.passportCodes)
      ? 'passport'
      : null;
  if (via === null)
    return fail(
      check('licence.jurisdiction', false, {
        jurisdiction: tag,
        jurisdictions: licence.jurisdictions,
        passportedInto: passport?.into ?? [],
      }),
    );
  if (!compiled.productIds.has(product.id) && !compiled.productClasses.has(product.class))
    return fail(
      check('licence.product', false, {
        product: product.id,
        class: product.class,
        products: licence.products,
        productClasses: licence.productClasses,
      }),
    );
  if (!compiled.customerTypes.has(customerType))
    return fail(check('licence.customerType', false, { customerType, customerTypes: licence.customerTypes }));
  if (date < licence.validFrom || (licence.validTo !== undefined && date > licence.validTo))
    return fail(
      check('licence.validity', false, { date, validFrom: licence.validFrom, validTo: licence.validTo ?? null }),
    );
  if (via === 'passport' && passport?.validFrom !== undefined && date < passport.validFrom)
    return fail(
      check('licence.passportValidity', false, { date, jurisdiction: tag, passportValidFrom: passport.validFrom }),
    );
  return { ...base, covers: true, via, failed: null };
};

const repAuthorised = (rep: CompiledRep, productId: string, tag: string, customerType: string, date: string): boolean =>
  rep.authorisations.some(
    (authorisation) =>
      authorisation.products.has(productId) &&
      authorisation.customerTypes.has(customerType) &&
      (authorisation.validTo === undefined || date <= authorisation.validTo) &&
      isInside(tag, authorisation.codes),
  );

/** Why each of a rep's authorisations does not cover the path (the first dimension each fails, jurisdiction first). */
const authorisationGaps = (
  rep: CompiledRep,
  productId: string,
  tag: string,
  customerType: string,
): AuthorisationGap[] =>
  rep.authorisations.map((authorisation) =>
    !isInside(tag, authorisation.codes)
      ? 'jurisdiction'
      : !authorisation.products.has(productId)
        ? 'product'
        : !authorisation.customerTypes.has(customerType)
          ? 'customerType'
          : 'expired',
  );

const repAbsent = (rep: CompiledRep, date: string): boolean =>
  rep.rep.absences.some((absence) => absence.from <= date && date <= absence.to);

const leadFacts = (lead: Lead, tagging: TaggingTrace, product: Product, policy: CompiledPolicy) => {
  const band = lead.netWorthBand === undefined ? undefined : policy.netWorthBands.get(lead.netWorthBand);
  return (fact: string): Scalar | readonly Scalar[] | undefined => {
    switch (fact) {
      case 'lead.customerType':
        return lead.customerType;
      case 'lead.jurisdiction':
        return tagging.jurisdiction ?? undefined;
      case 'lead.country':
        return tagging.jurisdiction?.slice(0, 2);
      case 'lead.markets':
        return tagging.markets;
      case 'lead.netWorthBand':
        return lead.netWorthBand;
      case 'lead.netWorth':
        return band?.min;
      case 'lead.kycStatus':
        return lead.kycStatus;
      case 'lead.amlDocumentation':
        return lead.amlDocumentation;
      case 'lead.suitabilityAssessed':
        return lead.suitabilityAssessed;
      case 'lead.industry':
        return lead.company?.industry;
      case 'lead.bookingEntity':
        return lead.bookingEntity;
      case 'product.id':
        return product.id;
      case 'product.class':
        return product.class;
      case 'product.complexity':
        return product.complexity;
      default:
        return fact.startsWith('lead.attributes.') ? lead.attributes[fact.slice('lead.attributes.'.length)] : undefined;
    }
  };
};

const teamFacts =
  (read: (fact: string) => Scalar | readonly Scalar[] | undefined, team: CompiledTeam, entity: CompiledEntity) =>
  (fact: string): Scalar | readonly Scalar[] | undefined => {
    switch (fact) {
      case 'team.id':
        return team.team.id;
      case 'team.entity':
        return team.team.entity;
      case 'entity.id':
        return entity.entity.id;
      case 'entity.home':
        return entity.entity.home;
      case 'entity.legalForm':
        return entity.entity.legalForm;
      default:
        return fact.startsWith('team.attributes.')
          ? team.team.attributes[fact.slice('team.attributes.'.length)]
          : read(fact);
    }
  };

/** team.authorisedRep: passes on the first authorised rep; when none is, names each rep checked and why not. */
const authorisedRepCheck = (
  team: CompiledTeam,
  productId: string,
  tag: string,
  customerType: string,
  date: string,
): ConstraintCheck => {
  const inputs = { product: productId, jurisdiction: tag, customerType, date, reps: team.reps.length };
  if (team.reps.some((rep) => repAuthorised(rep, productId, tag, customerType, date)))
    return check('team.authorisedRep', true, inputs);
  return check('team.authorisedRep', false, {
    ...inputs,
    checked: team.reps.map((rep) => ({
      rep: rep.rep.id,
      authorisations: authorisationGaps(rep, productId, tag, customerType),
    })),
  });
};

/** Each fact with its value as read (null when absent), for the trace. */
const factValues = (
  facts: readonly string[],
  read: (fact: string) => Scalar | readonly Scalar[] | undefined,
): Record<string, unknown> => {
  const values: Record<string, unknown> = {};
  for (const fact of facts) {
    const value = read(fact);
    values[fact] = value === undefined ? null : Array.isArray(value) ? [...(value as readonly Scalar[])] : value;
  }
  return values;
};

type Candidate = { readonly entity: CompiledEntity; readonly licenceId: string; readonly rank: number };
type EligibleTeam = Candidate & { readonly team: CompiledTeam; readonly score: number };

type TeamBase = {
  readonly choice: Candidate & { readonly team: CompiledTeam };
  readonly checks: readonly ConstraintCheck[];
  /** The finished consideration when a lead-independent constraint excluded the team. */
  readonly excluded: TeamConsideration | null;
  /** The consideration when the team passes and no rule applies. */
  readonly eligible: TeamConsideration;
};

type PathEvaluation = {
  readonly key: string;
  /** Team filtering results per set of applicable rules (a bitmask), when no applicable rule reads the lead. */
  readonly filtered: Map<number, FilteredTeams>;
  readonly entities: readonly EntityConsideration[];
  readonly candidates: readonly Candidate[];
  readonly entityStep: ConstraintCheck;
  readonly teams: readonly TeamBase[];
};

/** Licence coverage and lead-independent team constraints for one path, memoised on the compiled policy. */
const evaluatePath = (
  policy: CompiledPolicy,
  product: Product,
  tag: string,
  customerType: string,
  date: string,
  booking: CompiledEntity | null,
): PathEvaluation => {
  const key = pathKey(product.id, customerType, tag, date, booking?.entity.id ?? null);
  const memo = policy.memo.entries;
  const cached = memo.get(key) as PathEvaluation | undefined;
  if (cached) return cached;

  const candidates: Candidate[] = [];
  // A lead booked to one legal entity is routed on that entity's licences alone (decision 0230).
  const considered = booking === null ? policy.entities : [booking];
  const entities = considered.map((compiled): EntityConsideration => {
    const licences = compiled.licences.map((licence) => licenceCovers(licence, product, tag, customerType, date));
    const covering = licences.find((licence) => licence.covers);
    if (covering) candidates.push({ entity: compiled, licenceId: covering.licenceId, rank: candidates.length });
    return {
      entityId: compiled.entity.id,
      priority: compiled.entity.priority,
      licensed: covering !== undefined,
      coveringLicenceId: covering?.licenceId ?? null,
      licences,
    };
  });
  const entityStep = check('entity.licensed', candidates.length > 0, {
    jurisdiction: tag,
    product: product.id,
    customerType,
    licensedEntities: candidates.map((candidate) => candidate.entity.entity.id),
    ...(booking === null ? {} : { bookingEntity: booking.entity.id }),
  });

  const teams: TeamBase[] = [];
  for (const candidate of candidates) {
    for (const team of policy.teamsByEntity.get(candidate.entity.entity.id) ?? []) {
      const checks: ConstraintCheck[] = [];
      const consider = (constraint: ConstraintCheck): boolean => {
        checks.push(constraint);
        return constraint.passed;
      };
      const passed =
        consider(
          check('team.productAuthority', team.products.has(product.id), {
            product: product.id,
            products: team.team.products,
          }),
        ) &&
        consider(
          check('team.customerType', team.customerTypes.has(customerType), {
            customerType,
            customerTypes: team.team.customerTypes,
          }),
        ) &&
        consider(
          check('team.jurisdiction', isInside(tag, team.codes), {
            jurisdiction: tag,
            jurisdictions: team.team.jurisdictions,
          }),
        ) &&
        consider(authorisedRepCheck(team, product.id, tag, customerType, date));
      const consideration: TeamConsideration = {
        teamId: team.team.id,
        entityId: candidate.entity.entity.id,
        licences: [candidate.licenceId],
        checks,
        excludedBy: passed ? null : (checks[checks.length - 1] ?? null),
        preference: { score: 0, rules: [] },
      };
      teams.push({
        choice: { ...candidate, team },
        checks,
        excluded: passed ? null : consideration,
        eligible: consideration,
      });
    }
  }

  const evaluation: PathEvaluation = { key, filtered: new Map(), entities, candidates, entityStep, teams };
  if (memo.size >= policy.memo.limit) memo.clear();
  memo.set(key, evaluation);
  return evaluation;
};

const pathKey = (productId: string, customerType: string, tag: string, date: string, booking: string | null): string =>
  `${productId}\u0000${customerType}\u0000${tag}\u0000${date}\u0000${booking ?? ''}`;

type FilteredTeams = {
  readonly teams: readonly TeamConsideration[];
  /** Eligible teams in routing order: entity rank, preference score, declaration order. */
  readonly eligible: readonly EligibleTeam[];
  readonly eligibleIds: readonly string[];
  readonly eligibleStep: ConstraintCheck;
};

/** Applies the firm's rules to the teams that passed the path's constraints; memoised when no rule reads the lead. */
const filterTeams = (
  policy: CompiledPolicy,
  path: PathEvaluation,
  applicableRules: readonly CompiledRule[],
  readLead: (fact: string) => Scalar | readonly Scalar[] | undefined,
): FilteredTeams => {
  const cacheable = applicableRules.every((rule) => !rule.conditionReadsLead) && policy.rules.length <= 30;
  // Which rules apply, as a bitmask over the policy's rule order: the memo key within this path.
  let mask = 0;
  if (cacheable) for (const rule of applicableRules) mask |= 1 << policy.rules.indexOf(rule);
  if (cacheable) {
    const cached = path.filtered.get(mask);
    if (cached) return cached;
  }
  const teams: TeamConsideration[] = [];
  const eligible: EligibleTeam[] = [];
  for (const base of path.teams) {
    if (base.excluded !== null) {
      teams.push(base.excluded);
      continue;
    }
    if (applicableRules.length === 0) {
      teams.push(base.eligible);
      eligible.push({ ...base.choice, score: 0 });
      continue;
    }
    const readTeam = teamFacts(readLead, base.choice.team, base.choice.entity);
    const checks = [...base.checks];
    let excludedBy: ConstraintCheck | null = null;
    for (const compiled of applicableRules) {
      if (compiled.rule.effect === 'prefer') continue;
      const holds = compiled.condition(readTeam);
      const ruleCheck = check(`rule:${compiled.rule.id}`, compiled.rule.effect === 'require' ? holds : !holds, {
        ...compiled.traceInputs,
        facts: factValues(compiled.conditionFacts, readTeam),
      });
      checks.push(ruleCheck);
      if (!ruleCheck.passed) {
        excludedBy = ruleCheck;
        break;
      }
    }
    const preferred =
      excludedBy === null
        ? applicableRules.filter((compiled) => compiled.rule.effect === 'prefer' && compiled.condition(readTeam))
        : [];
    const score = preferred.reduce((sum, compiled) => sum + compiled.rule.weight, 0);
    teams.push({
      ...base.eligible,
      checks,
      excludedBy,
      preference: { score, rules: preferred.map((compiled) => compiled.rule.id) },
    });
    if (excludedBy === null) eligible.push({ ...base.choice, score });
  }
  eligible.sort((a, b) => a.rank - b.rank || b.score - a.score || a.team.order - b.team.order);
  const eligibleIds = eligible.map((team) => team.team.team.id);
  const result: FilteredTeams = {
    teams,
    eligible,
    eligibleIds,
    eligibleStep: check('team.eligible', eligible.length > 0, { considered: teams.length, eligible: eligibleIds }),
  };
  if (cacheable) path.filtered.set(mask, result);
  return result;
};

const decidePath = (
  policy: CompiledPolicy,
  lead: Lead,
  tagging: TaggingTrace,
  productId: string,
  working: WorkingState,
  at: string,
): RoutingDecision => {
  const date = at.slice(0, 10);
  const steps: ConstraintCheck[] = [];
  let entities: EntityConsideration[] = [];
  let teams: TeamConsideration[] = [];
  const rules: RuleApplication[] = [];
  const reps: RepConsideration[] = [];
  const chosen: { entity: Choice | null; team: Choice | null; rep: Choice | null } = {
    entity: null,
    team: null,
    rep: null,
  };
  const notifications: Notification[] = [];
  const decide = (outcome: Outcome): RoutingDecision => ({
    leadId: lead.id,
    productId,
    ruleVersion: policy.version,
    decidedAt: at,
    outcome,
    notifications,
    trace: {
      ruleVersion: policy.version,
      decidedAt: at,
      leadId: lead.id,
      productId,
      steps,
      jurisdiction: tagging,
      entities,
      rules,
      teams,
      reps,
      chosen,
    },
  });

  // 1. Screening gate.
  const screening = screeningGate(policy, lead);
  steps.push(screening.check);
  if (screening.refusal) return decide(refuse(screening.refusal));

  // 2. Jurisdiction tag.
  steps.push(
    check('jurisdiction.tagged', tagging.status === 'tagged', {
      status: tagging.status,
      jurisdiction: tagging.jurisdiction,
      resolution: tagging.resolution,
    }),
  );
  if (tagging.status !== 'tagged' || tagging.jurisdiction === null)
    return decide(refuse(TAGGING_REFUSAL[tagging.status as Exclude<TaggingTrace['status'], 'tagged'>]));
  const tag = tagging.jurisdiction;

  // Facts every later step needs.
  steps.push(
    sharedCheck(`customerType:${lead.customerType}`, () =>
      check('lead.customerTypeKnown', lead.customerType !== 'unknown', { customerType: lead.customerType }),
    ),
  );
  if (lead.customerType === 'unknown') return decide(refuse('customer_type_unknown'));
  const product = policy.products.get(productId);
  steps.push(
    sharedCheck(`product:${productId}:${product !== undefined}`, () =>
      check('product.known', product !== undefined, { productId }),
    ),
  );
  if (product === undefined) return decide(refuse('product_unknown'));
  const customerType = lead.customerType;

  // 3. Entity: a licence covering jurisdiction × product × customer type, valid at the decision time; of the booking
  // entity alone when the lead names one.
  let booking: CompiledEntity | null = null;
  if (lead.bookingEntity !== undefined) {
    booking = policy.entities.find((compiled) => compiled.entity.id === lead.bookingEntity) ?? null;
    steps.push(check('entity.bookingKnown', booking !== null, { bookingEntity: lead.bookingEntity }));
    if (booking === null) return decide(refuse('booking_entity_unknown'));
  }
  const path = evaluatePath(policy, product, tag, customerType, date, booking);
  entities = path.entities as EntityConsideration[];
  const candidates = path.candidates;
  steps.push(path.entityStep);
  if (booking !== null && candidates.length === 0) {
    // The booking entity holds no licence for the path: its own refusal, naming the entities that do, so an officer
    // can see whether re-booking the client would be lawful (the firm's choice, not the router's).
    const unbooked = evaluatePath(policy, product, tag, customerType, date, null);
    steps.push(
      check('entity.bookingLicensed', false, {
        bookingEntity: booking.entity.id,
        otherLicensedEntities: unbooked.candidates.map((candidate) => candidate.entity.entity.id),
      }),
    );
    return decide(refuse('booking_entity_not_licensed'));
  }
  if (candidates.length === 0) {
    notifications.push({
      kind: 'expansion_demand',
      audience: 'operations_admin',
      jurisdiction: tag,
      productId: product.id,
      message: `No entity is licensed for ${product.name} to ${customerType} customers in ${tag}: lead ${lead.id} went to expansion review.`,
    });
    return decide(refuse('no_licensed_entity'));
  }

  // 4. Teams of the licensed entities: authority, customer type, jurisdiction and an authorised rep (memoised per
  // path), then the firm's rules over this lead's facts.
  const readLead = leadFacts(lead, tagging, product, policy);
  const applicableRules: CompiledRule[] = [];
  for (const rule of policy.rules) {
    const applied = rule.when === null || rule.when(readLead);
    if (applied) applicableRules.push(rule);
    rules.push({
      ruleId: rule.rule.id,
      effect: rule.rule.effect,
      applied,
      facts: factValues(rule.whenFacts, readLead),
    });
  }
  const filtered = filterTeams(policy, path, applicableRules, readLead);
  teams = filtered.teams as TeamConsideration[];
  const eligible = filtered.eligible;
  steps.push(filtered.eligibleStep);
  if (eligible.length === 0) return decide(refuse('no_eligible_team'));
  const top = eligible[0]!;

  // 5. Suitability gate.
  const needsAssessment =
    customerType === 'retail' && (product.complexity === 'complex' || product.suitability.retailRequiresAssessment);
  steps.push(
    check('suitability.assessment', !needsAssessment || lead.suitabilityAssessed, {
      customerType,
      complexity: product.complexity,
      retailRequiresAssessment: product.suitability.retailRequiresAssessment,
      suitabilityAssessed: lead.suitabilityAssessed,
    }),
  );
  if (needsAssessment && !lead.suitabilityAssessed) return decide(refuse('suitability_assessment_missing'));
  const minNetWorth = product.suitability.minNetWorth;
  if (minNetWorth !== undefined) {
    const band = lead.netWorthBand === undefined ? undefined : policy.netWorthBands.get(lead.netWorthBand);
    steps.push(
      check('suitability.netWorth', band !== undefined && band.min >= minNetWorth, {
        netWorthBand: lead.netWorthBand ?? null,
        bandMin: band?.min ?? null,
        minNetWorth,
        currency: policy.policy.currency,
      }),
    );
    if (band === undefined) return decide(refuse('net_worth_unknown'));
    if (band.min < minNetWorth) return decide(refuse('net_worth_below_threshold'));
  }

  // 6. KYC/AML gate: a failed KYC is refused; incomplete documentation holds the path with its entity and team.
  steps.push(check('kyc.notFailed', lead.kycStatus !== 'failed', { kycStatus: lead.kycStatus }));
  if (lead.kycStatus === 'failed') return decide(refuse('kyc_failed'));
  const kycOk = !product.kycRequiredBeforeEngagement || lead.kycStatus === 'verified';
  steps.push(
    check('kyc.verified', kycOk, { kycStatus: lead.kycStatus, required: product.kycRequiredBeforeEngagement }),
  );
  const amlOk = !product.amlDocumentationRequired || lead.amlDocumentation === 'complete';
  if (kycOk)
    steps.push(
      check('aml.documentation', amlOk, {
        amlDocumentation: lead.amlDocumentation,
        required: product.amlDocumentationRequired,
      }),
    );
  if (!kycOk || !amlOk) {
    chosen.entity = {
      id: top.entity.entity.id,
      why: entityWhy(top, candidates.length, tag, product, customerType, booking !== null),
    };
    chosen.team = { id: top.team.team.id, why: teamWhy(top, eligible.length) };
    return decide({
      kind: 'held',
      reason: kycOk ? 'aml_documentation_incomplete' : 'kyc_not_verified',
      entityId: top.entity.entity.id,
      teamId: top.team.team.id,
    });
  }

  // 7. Rep: round-robin among the team's authorised, available reps under capacity, teams in ranked order.
  for (const candidate of eligible) {
    const teamReps = candidate.team.reps;
    const teamId = candidate.team.team.id;
    const cursor = working.cursors[teamId] ?? 0;
    for (let step = 0; step < teamReps.length; step += 1) {
      const index = (cursor + step) % teamReps.length;
      const rep = teamReps[index]!;
      const load = working.openAssignments[rep.rep.id] ?? 0;
      const skipped: RepConsideration['skipped'] = !repAuthorised(rep, product.id, tag, customerType, date)
        ? 'not_authorised'
        : !rep.rep.available
          ? 'unavailable'
          : repAbsent(rep, date)
            ? 'absent'
            : load >= rep.rep.capacity
              ? 'at_capacity'
              : null;
      reps.push({ repId: rep.rep.id, teamId, load, capacity: rep.rep.capacity, skipped });
      if (skipped !== null) continue;
      working.cursors[teamId] = (index + 1) % teamReps.length;
      working.openAssignments[rep.rep.id] = load + 1;
      chosen.entity = {
        id: candidate.entity.entity.id,
        why: entityWhy(candidate, candidates.length, tag, product, customerType, booking !== null),
      };
      chosen.team = { id: teamId, why: teamWhy(candidate, eligible.length) };
      chosen.rep = {
        id: rep.rep.id,
        why: `round-robin from position ${cursor} of ${teamReps.length}: first authorised, available rep under capacity (${load}/${rep.rep.capacity} open)`,
      };
      steps.push(check('rep.available', true, { team: teamId, rep: rep.rep.id }));
      return decide({
        kind: 'assigned',
        entityId: candidate.entity.entity.id,
        teamId,
        repId: rep.rep.id,
        licenceId: candidate.licenceId,
      });
    }
  }
  steps.push(check('rep.available', false, { teams: eligible.map((e) => e.team.team.id) }));
  chosen.entity = {
    id: top.entity.entity.id,
    why: entityWhy(top, candidates.length, tag, product, customerType, booking !== null),
  };
  return decide({
    kind: 'waiting_for_capacity',
    entityId: top.entity.entity.id,
    teamIds: eligible.map((e) => e.team.team.id),
  });
};

const entityWhy = (
  choice: { entity: CompiledEntity; licenceId: string; rank: number },
  licensedCount: number,
  tag: string,
  product: Product,
  customerType: string,
  booked: boolean,
): string =>
  `${choice.entity.entity.name} holds licence ${choice.licenceId} covering ${product.id} for ${customerType} customers in ${tag}; ` +
  (booked
    ? 'the lead is booked to this entity, so only its licences were considered'
    : `ranked ${choice.rank + 1} of ${licensedCount} licensed entities by priority (${choice.entity.entity.priority}) and declaration order`);

const teamWhy = (choice: { team: CompiledTeam; score: number }, eligibleCount: number): string =>
  `eligible on every constraint; preference score ${choice.score}; first of ${eligibleCount} eligible teams by entity rank, preference and declaration order`;

/**
 * Re-checks a specific assignment an officer proposes against the licensing map, at the decision time.
 * Returns every violation in words (empty when the map allows it); the service records any as an explicit override.
 */
export const checkAssignment = (
  policy: CompiledPolicy,
  lead: Lead,
  productId: string,
  assignment: { readonly entityId: string; readonly teamId: string; readonly repId: string },
  at: string,
): string[] => {
  const violations: string[] = [];
  const date = at.slice(0, 10);
  const tagging = tagJurisdiction(lead, policy);
  const tag = tagging.jurisdiction;
  const product = policy.products.get(productId);
  const entity = policy.entities.find((candidate) => candidate.entity.id === assignment.entityId);
  const team = entity
    ? policy.teamsByEntity.get(entity.entity.id)?.find((candidate) => candidate.team.id === assignment.teamId)
    : undefined;
  const rep = team?.reps.find((candidate) => candidate.rep.id === assignment.repId);
  if (tag === null)
    violations.push(`the lead has no confident jurisdiction tag (${tagging.status}: ${tagging.resolution})`);
  if (product === undefined) violations.push(`product ${productId} is not in the policy`);
  if (lead.customerType === 'unknown') violations.push('the customer type is unknown');
  if (entity === undefined) violations.push(`entity ${assignment.entityId} is not in the policy`);
  if (entity !== undefined && team === undefined)
    violations.push(`team ${assignment.teamId} is not a team of ${assignment.entityId}`);
  if (team !== undefined && rep === undefined)
    violations.push(`rep ${assignment.repId} is not in team ${assignment.teamId}`);
  if (lead.bookingEntity !== undefined && assignment.entityId !== lead.bookingEntity)
    violations.push(`the lead is booked to ${lead.bookingEntity}, not ${assignment.entityId}`);
  if (tag === null || product === undefined || entity === undefined || lead.customerType === 'unknown')
    return violations;
  const customerType = lead.customerType;
  const licences = entity.licences.map((licence) => licenceCovers(licence, product, tag, customerType, date));
  if (!licences.some((licence) => licence.covers))
    violations.push(
      `no licence of ${entity.entity.id} covers ${product.id} for ${customerType} in ${tag}: ${licences.map((licence) => `${licence.licenceId} fails ${licence.failed?.constraint}`).join('; ')}`,
    );
  if (team !== undefined) {
    if (!team.products.has(product.id)) violations.push(`team ${team.team.id} has no authority for ${product.id}`);
    if (!team.customerTypes.has(customerType))
      violations.push(`team ${team.team.id} does not serve ${customerType} customers`);
    if (!isInside(tag, team.codes)) violations.push(`team ${team.team.id} does not cover ${tag}`);
  }
  if (rep !== undefined) {
    if (!repAuthorised(rep, product.id, tag, customerType, date))
      violations.push(`rep ${rep.rep.id} is not individually authorised for ${product.id}/${customerType}/${tag}`);
    if (!rep.rep.available || repAbsent(rep, date)) violations.push(`rep ${rep.rep.id} is not available on ${date}`);
  }
  return violations;
};
