// The product-path lifecycle's projections (issue 14): a path's conduct state when routing assigns it, each lifecycle
// entry applied to it, the lead's facts after intake, and the rep's open count as paths end or change hands.
import type { AuditEntry } from '../../../../core/audit/entry.ts';
import type { PayloadOf } from '../../../../core/audit/event-types.ts';
import { coolingOffOf } from '../../../../core/conduct/cooling-off.ts';
import { holdOf } from '../../../../core/conduct/decide.ts';
import { DEFAULT_FACTS, STAGE_RANK, isOpenStage, newPathState } from '../../../../core/conduct/model.ts';
import type { ContactConsent, PathFacts, PathState, Stage } from '../../../../core/conduct/model.ts';
import { conductPolicyOf } from '../../../../core/conduct/rules.ts';
import type { ConductPolicy } from '../../../../core/conduct/rules.ts';
import { parsePolicyText } from '../../../../core/policy/parse.ts';
import { canonicalJson } from '../../../../core/shared/canonical-json.ts';
import { nodeSha256 } from '../../audit/node-sha256.ts';
import type { Database } from '../../store/database.ts';
import { statement } from '../../store/statements.ts';
import { noteRepLoad } from './routing-state.ts';

type Payload = Record<string, unknown>;
const ERASED = '[erased]';

// Parsing a bundle is costly; its conduct section is read once per rule version (a version's text never changes).
const conductByVersion = new Map<string, ConductPolicy | null>();

/**
 * Records a rule version's conduct rules from a bundle already parsed (the workstation's active policy), so the
 * projector does not parse the same bundle a second time on the first assignment after a start.
 */
export const rememberConduct = (version: string, conduct: ConductPolicy | null): void => {
  if (!conductByVersion.has(version)) conductByVersion.set(version, conduct);
};

/** The conduct rules of the latest policy in the projection (at this point of the log, in a rebuild too). */
export const projectedConduct = (db: Database): ConductPolicy | null => {
  // The version alone first: the bundle (tens of kilobytes) is read only for a version not parsed yet.
  const version = statement<[], string>(db, 'SELECT rule_version FROM policies ORDER BY published_seq DESC LIMIT 1')
    .pluck()
    .get();
  if (version === undefined) return null;
  if (!conductByVersion.has(version)) {
    const bundle = statement<[string], string>(db, 'SELECT bundle FROM policies WHERE rule_version = ?')
      .pluck()
      .get(version)!;
    const parsed = parsePolicyText(bundle, nodeSha256);
    conductByVersion.set(version, parsed.ok ? conductPolicyOf(parsed.value.policy) : null);
  }
  return conductByVersion.get(version) ?? null;
};

/** A lead's conduct facts as a new path starts with them: those updated after intake, else the intake facts. */
export const leadConductFacts = (db: Database, leadId: string): PathFacts => {
  const updated = statement<[string], { facts: string }>(db, 'SELECT facts FROM lead_conduct WHERE lead_id = ?').get(
    leadId,
  );
  if (updated) return JSON.parse(updated.facts) as PathFacts;
  const lead = statement<[string], { facts: string }>(db, 'SELECT facts FROM leads WHERE id = ?').get(leadId);
  return intakeConductFacts(lead ? (JSON.parse(lead.facts) as Payload) : undefined);
};

/**
 * The conduct facts a lead's paths start with from its intake facts (a lead with no facts updated since): what
 * leadConductFacts reads for a lead taken in by the entry being projected, without reading the row back.
 */
export const intakeConductFacts = (facts: Payload | undefined): PathFacts => {
  const intake = facts ?? {};
  return {
    ...DEFAULT_FACTS,
    ...(typeof intake.customerType === 'string'
      ? { customerType: intake.customerType as PathFacts['customerType'] }
      : {}),
    ...(typeof intake.kycStatus === 'string' ? { kycStatus: intake.kycStatus as PathFacts['kycStatus'] } : {}),
    ...(typeof intake.amlDocumentation === 'string'
      ? { amlDocumentation: intake.amlDocumentation as PathFacts['amlDocumentation'] }
      : {}),
  };
};

export const readPathState = (db: Database, leadId: string, productId: string): PathState | null => {
  const row = statement<[string, string], { state: string }>(
    db,
    'SELECT state FROM path_lifecycle WHERE lead_id = ? AND product_id = ?',
  ).get(leadId, productId);
  return row ? (JSON.parse(row.state) as PathState) : null;
};

/** Writes a path's state with the columns derived from it under the conduct rules in force. */
export const writePathState = (db: Database, state: PathState, sequence: number): void => {
  const conduct = projectedConduct(db);
  const open = isOpenStage(state.stage);
  const beforeProposal = open && STAGE_RANK[state.stage] < STAGE_RANK.PROPOSAL;
  const coolingOff = conduct && beforeProposal ? coolingOffOf(state, conduct, state.stageChangedAt) : null;
  const holds = conduct && open ? holdOf(state, conduct) : [];
  statement(
    db,
    `INSERT INTO path_lifecycle (lead_id, product_id, owner, stage, open, jurisdiction, opened_at, stage_changed_at,
       cooling_off_ends_at, held, hold_reasons, state, updated_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (lead_id, product_id) DO UPDATE SET owner = excluded.owner, stage = excluded.stage, open = excluded.open,
       jurisdiction = excluded.jurisdiction, opened_at = excluded.opened_at, stage_changed_at = excluded.stage_changed_at,
       cooling_off_ends_at = excluded.cooling_off_ends_at, held = excluded.held, hold_reasons = excluded.hold_reasons,
       state = excluded.state, updated_seq = excluded.updated_seq`,
  ).run(
    state.leadId,
    state.productId,
    state.owner,
    state.stage,
    open ? 1 : 0,
    state.jurisdiction,
    state.openedAt,
    state.stageChangedAt,
    coolingOff?.endsAt ?? null,
    holds.length > 0 ? 1 : 0,
    canonicalJson([...holds]),
    canonicalJson(state),
    sequence,
  );
};

const changeLoad = (db: Database, repId: string, by: 1 | -1): void => {
  if (by === 1)
    statement(
      db,
      'INSERT INTO rep_load (rep_id, open) VALUES (?, 1) ON CONFLICT (rep_id) DO UPDATE SET open = open + 1',
    ).run(repId);
  else statement(db, 'UPDATE rep_load SET open = open - 1 WHERE rep_id = ? AND open > 0').run(repId);
  noteRepLoad(db, repId, by);
};

/**
 * Routing assigned a path (a routing decision, or a case decision approving an assignment): it starts its lifecycle at
 * NEW with the lead's current facts, and its rep is told. The rep's open count is routing's own (it counted the
 * assignment). A path that had ended starts again; an open one is left as it is.
 */
export const pathAssigned = (
  db: Database,
  entry: AuditEntry,
  sequence: number,
  path: {
    readonly leadId: string;
    readonly productId: string;
    readonly repId: string;
    readonly jurisdiction: string | null;
    /** The rep's notification's id: by default N-<sequence>-assigned (a lead.intake path names its path too). */
    readonly notificationId?: string;
    /** The lead's conduct facts when the caller knows them (a lead.intake entry: its intake facts). */
    readonly facts?: PathFacts;
  },
): void => {
  const existing = readPathState(db, path.leadId, path.productId);
  if (existing && isOpenStage(existing.stage)) return;
  const jurisdiction =
    path.jurisdiction ??
    statement<[string], { jurisdiction: string | null }>(db, 'SELECT jurisdiction FROM leads WHERE id = ?').get(
      path.leadId,
    )?.jurisdiction ??
    '';
  writePathState(
    db,
    newPathState({
      leadId: path.leadId,
      productId: path.productId,
      jurisdiction,
      owner: path.repId,
      openedAt: entry.time,
      facts: path.facts ?? leadConductFacts(db, path.leadId),
    }),
    sequence,
  );
  statement(
    db,
    'INSERT INTO notifications (id, at, audience, kind, message, lead_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    path.notificationId ?? `N-${sequence}-assigned`,
    entry.time,
    `rep:${path.repId}`,
    'assignment',
    `Lead ${path.leadId} (${path.productId}) was assigned to you.`,
    path.leadId,
    sequence,
  );
};

const requireState = (db: Database, leadId: string, productId: string): PathState => {
  const state = readPathState(db, leadId, productId);
  if (!state) throw new Error(`projector: product path ${leadId}/${productId} has no lifecycle`);
  return state;
};

const actorId = (entry: AuditEntry): string => entry.actor.replace(/^[a-z_]+:/u, '');

const personalAt = (db: Database, sequence: number): Payload | null => {
  const row = statement<[number], { data: Buffer | null }>(
    db,
    'SELECT data FROM audit_personal_data WHERE sequence = ?',
  ).get(sequence);
  return row?.data ? (JSON.parse(row.data.toString('utf8')) as Payload) : null;
};

const moved = (state: PathState, to: Stage, at: string): PathState => ({ ...state, stage: to, stageChangedAt: at });

export const outreachRecorded = (db: Database, entry: AuditEntry, sequence: number): void => {
  const payload = entry.payload as unknown as PayloadOf<'path.outreach_recorded'>;
  const state = requireState(db, payload.leadId, payload.productId);
  const summary = payload.content.kind === 'summary' ? (personalAt(db, sequence)?.summary as string | undefined) : null;
  const content =
    payload.content.kind === 'template'
      ? { kind: 'template' as const, template: payload.content.template, version: payload.content.version }
      : { kind: 'summary' as const, text: summary ?? ERASED };
  const record = {
    at: entry.time,
    channel: payload.channel as PathState['outreach'][number]['channel'],
    direction: payload.direction,
    by: payload.by,
    content,
    disclosures: payload.disclosures.map((ref) => ({ template: ref.template, version: ref.version })),
    authorisation: payload.authorisation as PathState['outreach'][number]['authorisation'],
  };
  const sent = payload.disclosures.map((ref) => ({
    template: ref.template,
    version: ref.version,
    at: entry.time,
    channel: record.channel,
  }));
  let next: PathState = {
    ...state,
    outreach: [...state.outreach, record],
    disclosures: [...state.disclosures, ...sent],
  };
  if (payload.stage) next = moved(next, payload.stage.to, entry.time);
  writePathState(db, next, sequence);
  if (payload.direction === 'outbound') forgetPlannedContact(db, payload.leadId, payload.productId);
};

/** A planned contact (or its withdrawal): one per path, what the due-soon list and My leads read by time. */
export const contactPlanned = (db: Database, entry: AuditEntry, sequence: number): void => {
  const payload = entry.payload as unknown as PayloadOf<'path.contact_planned'>;
  if (payload.plan === null) {
    forgetPlannedContact(db, payload.leadId, payload.productId);
    return;
  }
  statement(
    db,
    `INSERT INTO planned_contacts (lead_id, product_id, channel, at, planned_by, planned_seq) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (lead_id, product_id) DO UPDATE SET channel = excluded.channel, at = excluded.at,
       planned_by = excluded.planned_by, planned_seq = excluded.planned_seq`,
  ).run(payload.leadId, payload.productId, payload.plan.channel, payload.plan.at, actorId(entry), sequence);
};

/** A plan is done when an outbound contact is recorded on the path, and moot when the path ends. */
const forgetPlannedContact = (db: Database, leadId: string, productId: string): void =>
  void statement(db, 'DELETE FROM planned_contacts WHERE lead_id = ? AND product_id = ?').run(leadId, productId);

export const stageChanged = (db: Database, entry: AuditEntry, sequence: number): void => {
  const payload = entry.payload as unknown as PayloadOf<'path.stage_changed'>;
  const state = requireState(db, payload.leadId, payload.productId);
  let next = moved(state, payload.to, entry.time);
  const by = actorId(entry);
  if (payload.to === 'WON') next = { ...next, ending: { stage: 'WON', at: entry.time, by } };
  if (payload.to === 'LOST')
    next = { ...next, ending: { stage: 'LOST', at: entry.time, by, reason: payload.reason as 'other' } };
  if (payload.to === 'CLOSED')
    next = { ...next, ending: { stage: 'CLOSED', at: entry.time, by, reason: payload.reason as 'other' } };
  writePathState(db, next, sequence);
  if (isOpenStage(state.stage) && !isOpenStage(payload.to)) {
    changeLoad(db, state.owner, -1);
    forgetPlannedContact(db, payload.leadId, payload.productId);
  }
};

export const checklistItemDone = (db: Database, entry: AuditEntry, sequence: number): void => {
  const payload = entry.payload as unknown as PayloadOf<'path.checklist_item_done'>;
  const state = requireState(db, payload.leadId, payload.productId);
  writePathState(
    db,
    { ...state, checklist: [...state.checklist, { item: payload.item, at: entry.time, by: actorId(entry) }] },
    sequence,
  );
};

export const pathReassigned = (db: Database, entry: AuditEntry, sequence: number): void => {
  const payload = entry.payload as unknown as PayloadOf<'path.reassigned'>;
  const state = requireState(db, payload.leadId, payload.productId);
  writePathState(db, { ...state, owner: payload.to }, sequence);
  statement(db, 'UPDATE product_paths SET rep_id = ?, team_id = ? WHERE lead_id = ? AND product_id = ?').run(
    payload.to,
    payload.teamId,
    payload.leadId,
    payload.productId,
  );
  changeLoad(db, payload.from, -1);
  changeLoad(db, payload.to, 1);
  statement(
    db,
    'INSERT INTO notifications (id, at, audience, kind, message, lead_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    `N-${sequence}-assigned`,
    entry.time,
    `rep:${payload.to}`,
    'assignment',
    `Lead ${payload.leadId} (${payload.productId}) was reassigned to you from ${payload.from}.`,
    payload.leadId,
    sequence,
  );
};

type LoggedFacts = PayloadOf<'lead.facts_updated'>['after'];

/** The facts after an update: the coded values from the entry, the personal ones from beside it (or erased). */
const factsAfter = (facts: PathFacts, after: LoggedFacts, personal: Payload | null): PathFacts => {
  const next: PathFacts = { ...facts };
  if (after.customerType !== undefined) next.customerType = after.customerType as PathFacts['customerType'];
  if (after.clientStatus !== undefined) next.clientStatus = after.clientStatus as PathFacts['clientStatus'];
  if (after.requestedAt !== undefined) next.requestedAt = after.requestedAt;
  if (after.existingRelationship !== undefined) next.existingRelationship = after.existingRelationship;
  if (after.kycStatus !== undefined) next.kycStatus = after.kycStatus as PathFacts['kycStatus'];
  if (after.amlDocumentation !== undefined)
    next.amlDocumentation = after.amlDocumentation as PathFacts['amlDocumentation'];
  if (after.doNotContact !== undefined) next.doNotContact = after.doNotContact;
  if (after.consents !== undefined) {
    const references = (personal?.consentReferences as string[] | undefined) ?? [];
    next.consents = after.consents.map((consent, index): ContactConsent => ({
      channels: consent.channels as ContactConsent['channels'],
      at: consent.at,
      reference: references[index] ?? ERASED,
    }));
  }
  if (after.timeZoneOnRecord !== undefined)
    next.timeZone = after.timeZoneOnRecord ? ((personal?.timeZone as string | null | undefined) ?? null) : null;
  return next;
};

export const factsUpdated = (db: Database, entry: AuditEntry, sequence: number): void => {
  const payload = entry.payload as unknown as PayloadOf<'lead.facts_updated'>;
  const personal = (personalAt(db, sequence)?.after as Payload | undefined) ?? null;
  const { leadId } = payload;
  if (payload.productId === null) {
    const current = statement<[string], { suitability: string; address: string | null }>(
      db,
      'SELECT suitability, address FROM lead_conduct WHERE lead_id = ?',
    ).get(leadId);
    const suitability = current ? (JSON.parse(current.suitability) as unknown[]) : [];
    if (payload.after.suitability) suitability.push(payload.after.suitability);
    const address =
      payload.after.addressOnRecord === undefined
        ? (current?.address ?? null)
        : payload.after.addressOnRecord
          ? json(personal?.address ?? null)
          : null;
    statement(
      db,
      `INSERT INTO lead_conduct (lead_id, facts, suitability, address, updated_seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (lead_id) DO UPDATE SET facts = excluded.facts, suitability = excluded.suitability,
         address = excluded.address, updated_seq = excluded.updated_seq`,
    ).run(
      leadId,
      canonicalJson(factsAfter(leadConductFacts(db, leadId), payload.after, personal)),
      canonicalJson(suitability),
      address,
      sequence,
    );
    // Routing reads the lead's facts: a re-routing after this entry sees the new KYC, AML, customer type, suitability.
    const lead = statement<[string], { facts: string }>(db, 'SELECT facts FROM leads WHERE id = ?').get(leadId);
    if (lead) {
      const facts = JSON.parse(lead.facts) as Payload;
      for (const key of ['customerType', 'kycStatus', 'amlDocumentation'] as const)
        if (payload.after[key] !== undefined) facts[key] = payload.after[key];
      if (payload.after.suitability) facts.suitabilityAssessed = payload.after.suitability.outcome === 'suitable';
      statement(db, 'UPDATE leads SET facts = ? WHERE id = ?').run(canonicalJson(facts), leadId);
    }
  }
  const paths = statement<[string], { product_id: string }>(
    db,
    'SELECT product_id FROM path_lifecycle WHERE lead_id = ? ORDER BY product_id',
  )
    .all(leadId)
    .filter((row) => payload.productId === null || row.product_id === payload.productId);
  for (const { product_id } of paths) {
    const state = requireState(db, leadId, product_id);
    writePathState(db, { ...state, facts: factsAfter(state.facts, payload.after, personal) }, sequence);
  }
  if (payload.source.eventId !== null && payload.source.kind !== 'user')
    statement(db, 'INSERT INTO fact_sources (kind, event_id, lead_id, seq) VALUES (?, ?, ?, ?)').run(
      payload.source.kind,
      payload.source.eventId,
      leadId,
      sequence,
    );
};

const json = (value: unknown): string | null => (value === null || value === undefined ? null : canonicalJson(value));

/** An erasure empties the lifecycle's personal copies: outreach summaries, consent references, time zone, address. */
export const eraseLeadLifecycle = (db: Database, leadId: string): void => {
  const scrub = (facts: PathFacts): PathFacts => ({
    ...facts,
    timeZone: null,
    consents: facts.consents.map((consent) => ({ ...consent, reference: ERASED })),
  });
  const rows = statement<[string], { product_id: string; state: string }>(
    db,
    'SELECT product_id, state FROM path_lifecycle WHERE lead_id = ? ORDER BY product_id',
  ).all(leadId);
  for (const row of rows) {
    const state = JSON.parse(row.state) as PathState;
    const scrubbed: PathState = {
      ...state,
      facts: scrub(state.facts),
      outreach: state.outreach.map((record) =>
        record.content.kind === 'summary' ? { ...record, content: { kind: 'summary', text: ERASED } } : record,
      ),
    };
    statement(db, 'UPDATE path_lifecycle SET state = ? WHERE lead_id = ? AND product_id = ?').run(
      canonicalJson(scrubbed),
      leadId,
      row.product_id,
    );
  }
  const conduct = statement<[string], { facts: string }>(db, 'SELECT facts FROM lead_conduct WHERE lead_id = ?').get(
    leadId,
  );
  if (conduct)
    statement(db, 'UPDATE lead_conduct SET facts = ?, address = NULL WHERE lead_id = ?').run(
      canonicalJson(scrub(JSON.parse(conduct.facts) as PathFacts)),
      leadId,
    );
};

/** After a policy publication: every open path's derived columns (cooling-off end, hold) under the new rules. */
export const rederiveOpenPaths = (db: Database, sequence: number): void => {
  const rows = statement<[], { state: string; updated_seq: number }>(
    db,
    'SELECT state, updated_seq FROM path_lifecycle WHERE open = 1 ORDER BY lead_id, product_id',
  ).all();
  void sequence;
  for (const row of rows) writePathState(db, JSON.parse(row.state) as PathState, row.updated_seq);
};
