// Fact updates after intake (issue 14): KYC and AML status, suitability assessment, customer type, address and time
// zone, contact consent and do-not-contact. One function for the api, the CLI's result files and the KYC connector:
// audited with before and after (personal values beside the log), then every affected path is re-evaluated in the
// same transaction: KYC failed closes open paths, a lifted hold routes held paths on, freed capacity retries waiters.
import * as z from 'zod';
import { hasPermission } from '../../../../core/access/roles.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import type { PayloadOf } from '../../../../core/audit/event-types.ts';
import { FactChangesSchema } from '../../../../core/conduct/commands.ts';
import type { FactChanges } from '../../../../core/conduct/commands.ts';
import { decide } from '../../../../core/conduct/decide.ts';
import { Instant } from '../../../../core/conduct/model.ts';
import type { PathFacts } from '../../../../core/conduct/model.ts';
import { Id } from '../../../../core/policy/fields.ts';
import { AddressSchema } from '../../../../core/routing/lead.ts';
import type { Address } from '../../../../core/routing/lead.ts';
import { regimeOfSubject } from '../../audit/audit-log.ts';
import { statement } from '../../store/statements.ts';
import { leadConductFacts, readPathState } from '../projection/lifecycle-projection.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import { KYC_CONNECTOR_ACTOR } from './kyc-outbox.ts';
import type { Appender, Session } from '../session/workstation.ts';
import { currentLead, rerouteHeldPaths, retryWaitingForCapacity } from './capacity.ts';
import type { Rerouted } from './capacity.ts';
import type { KycOutcome } from './kyc-handoff.ts';
import { activeConduct } from './lifecycle.ts';
import { visibleLead } from './users.ts';

/** A suitability assessment as recorded: for which product, with which outcome; who and when default to now. */
export const SuitabilityInputSchema = z.strictObject({
  productId: Id,
  outcome: z.enum(['suitable', 'not_suitable']),
  at: Instant.optional(),
});

/** One fact update: the lead (and optionally the one path it is for), and what changes. */
export const FactUpdateSchema = z
  .strictObject({
    leadId: z.string().min(1).max(100),
    productId: Id.nullable().optional(),
    facts: FactChangesSchema.optional(),
    suitability: SuitabilityInputSchema.optional(),
    address: AddressSchema.nullable().optional(),
  })
  .refine(
    (update) => update.facts !== undefined || update.suitability !== undefined || update.address !== undefined,
    'name at least one fact to change (facts, suitability or address)',
  );
export type FactUpdate = z.input<typeof FactUpdateSchema>;

/** Where an update came from: a user (api, CLI), a result file's record, or a verified KYC callback. */
export type FactSource = { readonly kind: 'user' | 'file' | 'webhook'; readonly eventId: string | null };

/** What one fact update did: the facts that changed and what became of each of the lead's product paths. */
export type FactUpdateResult = {
  readonly leadId: string;
  /** The `lead.facts_updated` entry; null when nothing changed (or the source event was applied before). */
  readonly sequence: number | null;
  readonly changed: readonly string[];
  /** True when this source event id was applied before: nothing is written again (exactly once). */
  readonly duplicate: boolean;
  readonly paths: readonly {
    readonly productId: string;
    /** closed (KYC failed), routed (a hold or wait lifted, or a refusal), held / unheld (a conduct hold), unchanged. */
    readonly effect: 'closed' | 'routed' | 'held' | 'unheld' | 'unchanged';
    readonly outcome: string | null;
  }[];
  /** Waiting paths assigned with the capacity the closed paths freed. */
  readonly rerouted: readonly Rerouted[];
};

type LoggedFacts = PayloadOf<'lead.facts_updated'>['after'];
type PersonalFacts = { timeZone?: string | null; address?: Address | null; consentReferences?: string[] };

/** Fields a path's owner may change on their own (decision 0201); every other one needs lead.update_facts. */
const OWNER_FIELDS = new Set(['consents', 'doNotContact', 'timeZone', 'requestedAt']);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const requireMayUpdate = (
  session: Session,
  leadId: string,
  productId: string | null,
  changed: readonly string[],
  before: PathFacts,
  after: PathFacts,
): void => {
  const { user, workstation } = session;
  if (hasPermission(user, 'lead.update_facts')) return;
  const owns =
    hasPermission(user, 'path.work') &&
    statement<[string, string], { n: number }>(
      workstation.db,
      'SELECT count(*) AS n FROM path_lifecycle WHERE lead_id = ? AND owner = ? AND open = 1',
    ).get(leadId, user.id)!.n > 0 &&
    (productId === null || readPathState(workstation.db, leadId, productId)?.owner === user.id);
  const what = `update ${changed.join(', ')} of lead ${leadId}`;
  if (!owns) throw new WorkstationError('forbidden', `${user.id} may not ${what} (needs lead.update_facts)`);
  const beyond = changed.filter((field) => !OWNER_FIELDS.has(field));
  if (beyond.length > 0)
    throw new WorkstationError('forbidden', `${user.id} may not update ${beyond.join(', ')} (needs lead.update_facts)`);
  // A prospect's "do not contact me" is honoured by anyone at once; lifting it, or moving the client's request
  // (which starts cooling-off), is compliance's.
  if (changed.includes('doNotContact') && before.doNotContact && !after.doNotContact)
    throw new WorkstationError('forbidden', `${user.id} may not withdraw do-not-contact (needs lead.update_facts)`);
  if (changed.includes('requestedAt') && before.requestedAt !== null)
    throw new WorkstationError(
      'forbidden',
      `${user.id} may not move the client's request once recorded (needs lead.update_facts)`,
    );
};

const loggedOf = (
  facts: PathFacts,
  fields: readonly string[],
  suitability: LoggedFacts['suitability'],
  address: boolean,
): LoggedFacts => {
  const logged: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'consents')
      logged.consents = facts.consents.map((consent) => ({ channels: [...consent.channels], at: consent.at }));
    else if (field === 'timeZone') logged.timeZoneOnRecord = facts.timeZone !== null;
    else if (field === 'suitability') logged.suitability = suitability ?? null;
    else if (field === 'address') logged.addressOnRecord = address;
    else logged[field] = facts[field as keyof PathFacts];
  }
  return logged as LoggedFacts;
};

const personalOf = (facts: PathFacts, fields: readonly string[], address: Address | null): PersonalFacts => ({
  ...(fields.includes('timeZone') ? { timeZone: facts.timeZone } : {}),
  ...(fields.includes('address') ? { address } : {}),
  ...(fields.includes('consents') ? { consentReferences: facts.consents.map((consent) => consent.reference) } : {}),
});

/**
 * The session the KYC connector's verified callbacks act in (decision 0236): the workstation's, with the connector as
 * the principal. Its user is no person: it has no role, so every other service refuses it; only the fact update
 * knows the principal, and lets it set a lead's KYC status from a webhook outcome.
 */
export const kycConnectorSession = (session: Session): Session => ({
  workstation: session.workstation,
  user: { id: 'kyc-connector', name: 'KYC connector', roles: [], markets: ['*'], active: true },
  principal: 'kyc-connector',
});

/** Applies one fact update inside the caller's transaction (an api call, a CLI file's record, a KYC callback). */
export const applyFactUpdate = (
  session: Session,
  append: Appender,
  update: z.output<typeof FactUpdateSchema>,
  source: FactSource,
): FactUpdateResult => {
  const { workstation, user } = session;
  const { db } = workstation;
  const leadId = update.leadId;
  const productId = update.productId ?? null;
  // The KYC connector (decision 0236) may set a lead's KYC status from a verified callback, and nothing else.
  const connector = session.principal === 'kyc-connector';
  if (connector) {
    const only = Object.keys(update.facts ?? {});
    if (
      source.kind !== 'webhook' ||
      productId !== null ||
      update.suitability !== undefined ||
      update.address !== undefined ||
      only.length !== 1 ||
      only[0] !== 'kycStatus'
    )
      throw new WorkstationError(
        'forbidden',
        'the KYC connector may only report a KYC status from a verified callback',
      );
  } else if (!hasPermission(user, 'lead.update_facts') && !hasPermission(user, 'path.work'))
    throw new WorkstationError('forbidden', `${user.id} may not update lead facts (needs lead.update_facts)`);
  visibleLead(session, leadId);
  if (source.kind !== 'user' && source.eventId !== null) {
    const seen = statement<[string, string], { lead_id: string }>(
      db,
      'SELECT lead_id FROM fact_sources WHERE kind = ? AND event_id = ?',
    ).get(source.kind, source.eventId);
    if (seen && seen.lead_id !== leadId)
      throw new WorkstationError('conflict', `${source.kind} event ${source.eventId} was applied to another lead`);
    if (seen) return { leadId, sequence: null, changed: [], duplicate: true, paths: [], rerouted: [] };
  }
  const paths = statement<[string], { product_id: string }>(
    db,
    'SELECT product_id FROM path_lifecycle WHERE lead_id = ? ORDER BY product_id',
  )
    .all(leadId)
    .map((row) => readPathState(db, leadId, row.product_id)!)
    .filter((state) => productId === null || state.productId === productId);
  if (productId !== null && paths.length === 0)
    throw new WorkstationError('not_found', `lead ${leadId} has no assigned product path ${productId}`);
  const before: PathFacts = productId === null ? leadConductFacts(db, leadId) : paths[0]!.facts;
  const changes: FactChanges = update.facts ?? ({} as FactChanges);
  const after: PathFacts = { ...before };
  const fields: string[] = [];
  for (const [key, value] of Object.entries(changes) as [keyof PathFacts, unknown][]) {
    if (value === undefined || same(before[key], value)) continue;
    (after as Record<string, unknown>)[key] = value;
    fields.push(key);
  }
  const now = workstation.deps.now();
  const suitability = update.suitability
    ? { ...update.suitability, at: update.suitability.at ?? now.toISOString(), by: user.id }
    : undefined;
  if (suitability) {
    if (productId !== null)
      throw new WorkstationError('invalid_input', 'a suitability assessment is for the lead: leave productId out');
    fields.push('suitability');
  }
  // The address on record is read (beside the log) only when the update names one.
  const addressBefore = update.address === undefined ? null : (currentLead(workstation, leadId).address ?? null);
  if (update.address !== undefined && !same(addressBefore, update.address)) {
    if (productId !== null)
      throw new WorkstationError('invalid_input', 'an address is the lead’s: leave productId out');
    fields.push('address');
  }
  if (fields.length === 0) return { leadId, sequence: null, changed: [], duplicate: false, paths: [], rerouted: [] };
  if (!connector) requireMayUpdate(session, leadId, productId, fields, before, after);

  const actor = connector ? KYC_CONNECTOR_ACTOR : actorOf(user);
  const subject = `lead:${leadId}`;
  const personalBefore = personalOf(before, fields, addressBefore);
  const personalAfter = personalOf(after, fields, update.address ?? null);
  const hasPersonal = Object.keys(personalBefore).length > 0;
  const entry = append({
    actor,
    time: now,
    type: 'lead.facts_updated',
    subjects: [subject],
    payload: {
      pv: PAYLOAD_VERSION,
      leadId,
      productId,
      fields,
      before: loggedOf(before, fields, null, addressBefore !== null),
      after: loggedOf(after, fields, suitability, update.address !== undefined && update.address !== null),
      source: { kind: source.kind, eventId: source.eventId },
    },
    ...(hasPersonal
      ? {
          personalData: {
            subject,
            regime: regimeOfSubject(db, subject),
            data: { before: personalBefore, after: personalAfter },
          },
        }
      : {}),
  });

  // Each assigned path under the conduct rules: KYC failed closes an open one; a product hold comes or goes.
  const { policy, conduct } = activeConduct(workstation);
  const pathChanges = Object.fromEntries(
    fields.filter((field) => field in before).map((field) => [field, after[field as keyof PathFacts]]),
  ) as FactChanges;
  const results: FactUpdateResult['paths'][number][] = [];
  let freed = 0;
  for (const state of paths) {
    if (Object.keys(pathChanges).length === 0) break;
    const decision = decide(
      state,
      { kind: 'update_facts', by: user.id, changes: pathChanges },
      conduct,
      now.toISOString(),
    );
    if (!decision.ok) throw new WorkstationError('invalid_input', decision.refusal.message);
    const closed = decision.effects.find((effect) => effect.kind === 'stage_changed');
    if (closed) {
      append({
        actor,
        time: now,
        type: 'path.stage_changed',
        subjects: [subject, `rep:${state.owner}`],
        payload: {
          pv: PAYLOAD_VERSION,
          leadId,
          productId: state.productId,
          ruleVersion: policy.loaded.version,
          command: 'kyc_failed',
          from: closed.from,
          to: closed.to,
          reason: 'kyc_failed',
          owner: state.owner,
          kycInitiationDue: false,
        },
      });
      freed += decision.effects.filter((effect) => effect.kind === 'workload_freed').length;
      results.push({ productId: state.productId, effect: 'closed', outcome: 'CLOSED' });
    } else if (decision.effects.some((effect) => effect.kind === 'path_held'))
      results.push({ productId: state.productId, effect: 'held', outcome: state.stage });
    else if (decision.effects.some((effect) => effect.kind === 'path_unheld'))
      results.push({ productId: state.productId, effect: 'unheld', outcome: state.stage });
    else results.push({ productId: state.productId, effect: 'unchanged', outcome: state.stage });
  }
  // Paths routing held or left waiting: routed again when a fact routing reads changed.
  const routingFacts = ['kycStatus', 'amlDocumentation', 'customerType', 'suitability', 'address'];
  const rerouted =
    productId === null && fields.some((field) => routingFacts.includes(field))
      ? rerouteHeldPaths(workstation, append, actor, leadId, null)
      : [];
  for (const path of rerouted) results.push({ productId: path.productId, effect: 'routed', outcome: path.outcome });
  const retried = retryWaitingForCapacity(workstation, append, actor, freed);
  return { leadId, sequence: entry.sequence, changed: fields, duplicate: false, paths: results, rerouted: retried };
};

/** Updates a lead's facts as the signed-in user (api, CLI), in one transaction. */
export const updateLeadFacts = (
  session: Session,
  input: FactUpdate,
  source: FactSource = { kind: 'user', eventId: null },
): FactUpdateResult => {
  const parsed = FactUpdateSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkstationError(
      'invalid_input',
      `${issue?.path.map(String).join('.') || '(update)'}: ${issue?.message}`,
    );
  }
  return commit(session.workstation, (append) => applyFactUpdate(session, append, parsed.data, source));
};

/**
 * The KYC connector's entry (webhook callback or result file): applies a KYC outcome to a lead through the same fact
 * update as the api and the CLI, in one transaction; idempotent by `source.kind` + `source.eventId`. The session must
 * hold lead.update_facts (a compliance user, or the connector's service user).
 */
export const applyKycOutcome = (session: Session, outcome: KycOutcome): FactUpdateResult =>
  updateLeadFacts(session, { leadId: outcome.leadId, facts: { kycStatus: outcome.status } }, outcome.source);

/** A result file of fact updates (docs/conduct.md, "Fact result files"): one JSON document, applied all or nothing. */
export const FactResultFileSchema = z.strictObject({
  format: z.literal('perimeter-lead-facts'),
  version: z.literal(1),
  results: z
    .array(
      z.strictObject({
        /** The record's id in the system that produced the file: applied once (a re-import skips it). */
        id: z.string().trim().min(1).max(200).optional(),
        leadId: z.string().min(1).max(100),
        productId: Id.nullable().optional(),
        facts: FactChangesSchema.optional(),
        suitability: SuitabilityInputSchema.optional(),
        address: AddressSchema.nullable().optional(),
      }),
    )
    .min(1, 'a result file names at least one result')
    .max(100_000),
});

export type FactFileResult = {
  readonly file: string;
  readonly applied: number;
  readonly unchanged: number;
  readonly duplicates: number;
  readonly results: readonly (FactUpdateResult & { readonly record: number; readonly id: string | null })[];
};

/**
 * Applies a fact result file as the signed-in user in one transaction: every record lands or none does. A problem
 * names the file, the record (1-based, with its id) and the field.
 */
export const importFactResults = (session: Session, file: string, text: string): FactFileResult => {
  const { user } = session;
  if (!hasPermission(user, 'lead.update_facts') && !hasPermission(user, 'path.work'))
    throw new WorkstationError('forbidden', `${user.id} may not update lead facts (needs lead.update_facts)`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new WorkstationError('invalid_input', `${file}: not JSON: ${(error as Error).message}`);
  }
  const parsed = FactResultFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [top, index, ...field] = issue.path.map(String);
    const where =
      top === 'results' && index !== undefined
        ? `record ${Number(index) + 1}${idOf(raw, Number(index))}: ${field.join('.') || '(record)'}`
        : issue.path.map(String).join('.') || '(document)';
    throw new WorkstationError('invalid_input', `${file}: ${where}: ${issue.message}`);
  }
  return commit(session.workstation, (append) => {
    const results: FactFileResult['results'][number][] = [];
    parsed.data.results.forEach((record, index) => {
      const { id, ...update } = record;
      if (update.facts === undefined && update.suitability === undefined && update.address === undefined)
        throw new WorkstationError(
          'invalid_input',
          `${file}: record ${index + 1}${id ? ` (${id})` : ''}: name at least one fact to change`,
        );
      try {
        const result = applyFactUpdate(session, append, update, { kind: 'file', eventId: id ?? null });
        results.push({ ...result, record: index + 1, id: id ?? null });
      } catch (error) {
        if (!(error instanceof WorkstationError)) throw error;
        throw new WorkstationError(
          error.code,
          `${file}: record ${index + 1}${id ? ` (${id})` : ''}: ${error.message}`,
          error.denial,
        );
      }
    });
    return {
      file,
      applied: results.filter((result) => result.sequence !== null).length,
      unchanged: results.filter((result) => result.sequence === null && !result.duplicate).length,
      duplicates: results.filter((result) => result.duplicate).length,
      results,
    };
  });
};

const idOf = (raw: unknown, index: number): string => {
  const record = (raw as { results?: unknown[] } | null)?.results?.[index] as { id?: unknown } | undefined;
  return typeof record?.id === 'string' ? ` (${record.id})` : '';
};
