// Case events under sync (decisions 0243–0246): claims as leases that converge, decisions checked against the case
// version they saw, and the sync conflict two decisions on the same version become, with its resolution. Deterministic
// in the set of entries, not in their arrival order, so every device derives the same cases and the same conflict.
import type { AuditEntry } from '../../../../core/audit/entry.ts';
import { canonicalJson } from '../../../../core/shared/canonical-json.ts';
import type { Database } from '../../store/database.ts';
import { statement } from '../../store/statements.ts';

type Payload = Record<string, unknown>;

/** The queue of sync conflict cases (the sync UI counts its open cases). */
export const SYNC_CONFLICT_QUEUE = 'sync_conflict';
/** A conflict case is due a day after the later of its two decisions (decision 0245). */
const CONFLICT_SLA_HOURS = 24;

/** Where an entry comes from: its log's origin and its sequence there (a local entry: this log, its sequence). */
export type EntryRef = { readonly origin: string; readonly seq: number };

/** One decision as a conflict shows it: the entry and what it decided (the reason is personal data of the lead). */
export type ConflictDecision = EntryRef & {
  readonly type: string;
  readonly actor: string;
  readonly time: string;
  readonly decision: string | null;
  readonly caseVersion: number | null;
  readonly reason: string | null;
  readonly state: Payload;
  readonly effect: Payload | null;
  readonly hits: unknown;
};

/**
 * Why a case is held: two decisions on one version (decision 0244), or decisions a device took on the case after its
 * resolution of a conflict lost to an earlier resolution taken on another device (decision 0268).
 */
export type ConflictReason = 'concurrent_decisions' | 'superseded_resolution';

/** A resolution of a conflict: its entry, who, when, and what it chose (null: none stands, the case reopened). */
export type ConflictResolution = EntryRef & {
  readonly by: string;
  readonly at: string;
  readonly chosen: EntryRef | null;
};

/** The deterministic id of the conflict on a case version: the same on every device that sees the two decisions. */
export const conflictIdFor = (caseId: string, version: number): string => `SC-${caseId}-v${version}`;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const ERASED = '[erased]';

type CaseRow = {
  id: string;
  type: string;
  lead_id: string;
  product_id: string;
  risk: string;
  risk_rank: number;
  jurisdiction: string | null;
  rule_version: string;
  status: string;
  claimed_by: string | null;
  claimed_at: string | null;
  maker: string | null;
  maker_id: string | null;
  checker: string | null;
  checker_id: string | null;
  resolution: string | null;
  closed_at: string | null;
  subject: string;
  decision_seq: number;
  version: number;
  conflict_id: string | null;
};

const caseRow = (db: Database, caseId: string): CaseRow => {
  const row = statement<[string], CaseRow>(db, 'SELECT * FROM cases WHERE id = ?').get(caseId);
  if (!row) throw new Error(`projector: case ${caseId} is not open`);
  return row;
};

export type CaseProjectionTools = {
  readonly moveCount: (
    db: Database,
    type: string,
    jurisdiction: string | null,
    from: string | null,
    to: string | null,
  ) => void;
  readonly applyCaseState: (
    db: Database,
    payload: Payload,
    reasonOf: 'maker' | 'checker' | null,
    reason: string | null,
  ) => void;
  readonly applyEffect: (db: Database, effect: Payload | undefined, entry: AuditEntry, sequence: number) => void;
  readonly reasonAt: (db: Database, sequence: number) => string | null;
  readonly refOf: (db: Database, sequence: number) => EntryRef;
};

// ---- leases -------------------------------------------------------------------------------------------------------

/** Whether claim (at, by) comes after claim (otherAt, otherBy): later time first, then the user id, so all agree. */
const laterClaim = (at: string, by: string, otherAt: string | null, otherBy: string | null): boolean =>
  otherAt === null || at > otherAt || (at === otherAt && by > (otherBy ?? ''));

/**
 * A claim or a release: only the lease fields, and only on a case that is open or claimed and not held in a conflict.
 * A claim replaces another holder's only when it is later (an expired lease taken over, or two offline claims: the
 * later stands on every device); a release ends only the claim of the holder it names.
 */
export const leaseEvent =
  (tools: CaseProjectionTools) =>
  (db: Database, entry: AuditEntry): void => {
    const payload = entry.payload as Payload;
    const current = caseRow(db, text(payload.caseId) ?? '');
    if (current.conflict_id !== null || (current.status !== 'open' && current.status !== 'claimed')) return;
    const state = payload.state as Payload;
    let to: { status: string; by: string | null; at: string | null };
    if (state.status === 'claimed') {
      const [by, at] = [text(state.claimedBy) ?? '', text(state.claimedAt) ?? ''];
      if (
        current.status === 'claimed' &&
        current.claimed_by !== by &&
        !laterClaim(at, by, current.claimed_at, current.claimed_by)
      )
        return;
      to = { status: 'claimed', by, at };
    } else {
      const holder = text(payload.claimedBy) ?? (entry.actor.startsWith('user:') ? entry.actor.slice(5) : null);
      if (current.status !== 'claimed' || current.claimed_by !== holder) return;
      to = { status: 'open', by: null, at: null };
    }
    statement(db, 'UPDATE cases SET status = ?, claimed_by = ?, claimed_at = ? WHERE id = ?').run(
      to.status,
      to.by,
      to.at,
      current.id,
    );
    tools.moveCount(db, current.type, current.jurisdiction, current.status, to.status);
  };

// ---- what a decision changed, so a conflict can take it back ----------------------------------------------------

type RowImage = { readonly table: 'product_paths' | 'path_lifecycle'; readonly rows: Payload[] };
type Before = {
  readonly leadStatus: string | null;
  readonly leadId: string;
  readonly images: readonly RowImage[];
  readonly repLoad: string | null;
  readonly caseRow: Payload;
};

const CASE_STATE_COLUMNS = [
  'status',
  'claimed_by',
  'claimed_at',
  'maker',
  'maker_id',
  'checker',
  'checker_id',
  'resolution',
  'closed_at',
] as const;

const captureBefore = (db: Database, kase: CaseRow, effect: Payload | null): Before => {
  const leadId = kase.lead_id;
  const images: RowImage[] = [];
  let repLoad: string | null = null;
  if (effect?.kind === 'path') {
    const key = [text(effect.leadId) ?? '', text(effect.productId) ?? ''] as const;
    images.push({
      table: 'product_paths',
      rows: statement<[string, string], Payload>(
        db,
        'SELECT * FROM product_paths WHERE lead_id = ? AND product_id = ?',
      ).all(...key),
    });
    images.push({
      table: 'path_lifecycle',
      rows: statement<[string, string], Payload>(
        db,
        'SELECT * FROM path_lifecycle WHERE lead_id = ? AND product_id = ?',
      ).all(...key),
    });
    if (effect.outcome === 'assigned' && typeof effect.repId === 'string') repLoad = effect.repId;
  } else if (effect?.kind === 'lead_blocked') {
    images.push({
      table: 'product_paths',
      rows: statement<[string], Payload>(db, 'SELECT * FROM product_paths WHERE lead_id = ?').all(leadId),
    });
  }
  const leadStatus =
    statement<[string], { status: string }>(db, 'SELECT status FROM leads WHERE id = ?').get(leadId)?.status ?? null;
  const caseState = Object.fromEntries(CASE_STATE_COLUMNS.map((column) => [column, kase[column]]));
  return { leadStatus, leadId, images, repLoad, caseRow: caseState };
};

// Puts back the rows a decision's effect changed: its path (and the lifecycle row it opened), the lead's status, and
// the rep's load it added. Column names come from the captured rows themselves.
const restoreBefore = (db: Database, before: Before, effect: Payload | null): void => {
  for (const image of before.images) {
    if (image.table === 'path_lifecycle' && effect?.kind === 'path') {
      statement(db, 'DELETE FROM path_lifecycle WHERE lead_id = ? AND product_id = ?').run(
        text(effect.leadId),
        text(effect.productId),
      );
      for (const row of image.rows) {
        const columns = Object.keys(row);
        db.prepare(
          `INSERT INTO path_lifecycle (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ).run(...columns.map((column) => row[column] as never));
      }
      continue;
    }
    for (const row of image.rows) {
      const columns = Object.keys(row).filter((column) => column !== 'lead_id' && column !== 'product_id');
      db.prepare(
        `UPDATE product_paths SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE lead_id = ? AND product_id = ?`,
      ).run(...columns.map((column) => row[column] as never), row.lead_id as never, row.product_id as never);
    }
  }
  if (before.leadStatus !== null)
    statement(db, 'UPDATE leads SET status = ? WHERE id = ?').run(before.leadStatus, before.leadId);
  if (before.repLoad !== null)
    statement(db, 'UPDATE rep_load SET open = open - 1 WHERE rep_id = ? AND open > 0').run(before.repLoad);
};

const describeDecision = (entry: AuditEntry, ref: EntryRef, reason: string | null): ConflictDecision => {
  const payload = entry.payload as Payload;
  return {
    origin: ref.origin,
    seq: ref.seq,
    type: entry.type,
    actor: entry.actor,
    time: entry.time,
    decision: text(payload.decision),
    caseVersion: typeof payload.caseVersion === 'number' ? payload.caseVersion : null,
    reason,
    state: payload.state as Payload,
    effect: (payload.effect as Payload | undefined) ?? null,
    hits: payload.hits ?? null,
  };
};

const byEntry = (a: EntryRef, b: EntryRef): number =>
  a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.seq - b.seq;

/** Applies a decision (its state, its effect) at the case's current version and remembers what it changed. */
const applyDecisionAtVersion = (
  db: Database,
  tools: CaseProjectionTools,
  kase: CaseRow,
  decision: ConflictDecision,
  entry: AuditEntry,
  sequence: number,
): void => {
  const before = captureBefore(db, kase, decision.effect);
  const reasonOf = decision.type === 'case.decided' ? 'maker' : 'checker';
  tools.applyCaseState(
    db,
    { caseId: kase.id, state: decision.state, ...(decision.hits === null ? {} : { hits: decision.hits }) },
    reasonOf,
    decision.reason,
  );
  tools.applyEffect(db, decision.effect ?? undefined, entry, sequence);
  statement(
    db,
    'INSERT INTO case_decision_effects (case_id, version, decision, before) VALUES (?, ?, ?, ?) ON CONFLICT (case_id, version) DO UPDATE SET decision = excluded.decision, before = excluded.before',
  ).run(kase.id, kase.version, canonicalJson(decision), canonicalJson(before));
  statement(db, 'UPDATE cases SET version = ? WHERE id = ?').run(kase.version + 1, kase.id);
};

const addHours = (iso: string, hours: number): string => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

/** The conflict case's opening time: the latest of the decisions taken on the version in conflict. */
const openedAtOf = (decisions: readonly ConflictDecision[], version: number): string =>
  decisions
    .filter((decision) => decision.caseVersion === version)
    .map((decision) => decision.time)
    .reduce((latest, time) => (time > latest ? time : latest), '');

/**
 * Takes back every decision applied on the case from `version` on (newest first, each restoring what it changed) and
 * holds the case in conflict `conflictId` at that version, as it was before them and without any claim (each device had
 * its own officer's). Returns the decisions taken back, newest first.
 */
const holdInConflict = (
  db: Database,
  tools: CaseProjectionTools,
  kase: CaseRow,
  version: number,
  conflictId: string,
): ConflictDecision[] => {
  const taken = statement<[string, number], { version: number; decision: string; before: string }>(
    db,
    'SELECT version, decision, before FROM case_decision_effects WHERE case_id = ? AND version >= ? ORDER BY version DESC',
  ).all(kase.id, version);
  let restoredCase: Payload | null = null;
  const decisions: ConflictDecision[] = [];
  for (const row of taken) {
    const decision = JSON.parse(row.decision) as ConflictDecision;
    const before = JSON.parse(row.before) as Before;
    restoreBefore(db, before, decision.effect);
    restoredCase = before.caseRow;
    decisions.push(decision);
  }
  statement(db, 'DELETE FROM case_decision_effects WHERE case_id = ? AND version >= ?').run(kase.id, version);
  const state = restoredCase ?? Object.fromEntries(CASE_STATE_COLUMNS.map((column) => [column, kase[column]]));
  const status = state.status === 'claimed' ? 'open' : text(state.status);
  statement(
    db,
    `UPDATE cases SET status = ?, claimed_by = NULL, claimed_at = NULL, maker = ?, maker_id = ?, checker = ?, checker_id = ?,
       resolution = ?, closed_at = ?, version = ?, conflict_id = ? WHERE id = ?`,
  ).run(
    status,
    text(state.maker),
    text(state.maker_id),
    text(state.checker),
    text(state.checker_id),
    text(state.resolution),
    text(state.closed_at),
    version,
    conflictId,
    kase.id,
  );
  tools.moveCount(db, kase.type, kase.jurisdiction, kase.status, status);
  return decisions;
};

/**
 * Takes back every decision of the case from `version` on (newest first), holds the case open at that version in the
 * conflict, and opens the conflict case in the `sync_conflict` queue, listing every decision involved.
 */
const openConflict = (
  db: Database,
  tools: CaseProjectionTools,
  kase: CaseRow,
  version: number,
  incoming: ConflictDecision,
  sequence: number,
  reason: ConflictReason = 'concurrent_decisions',
): void => {
  const id = conflictIdFor(kase.id, version);
  const decisions = [...holdInConflict(db, tools, kase, version, id), incoming].sort(byEntry);
  const openedAt = openedAtOf(decisions, version);
  statement(
    db,
    `INSERT INTO cases (id, type, lead_id, product_id, reason, risk, risk_rank, jurisdiction, rule_version, opened_at, sla_due_at, status, subject, decision_seq, opened_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
  ).run(
    id,
    SYNC_CONFLICT_QUEUE,
    kase.lead_id,
    kase.product_id,
    reason,
    kase.risk,
    kase.risk_rank,
    kase.jurisdiction,
    kase.rule_version,
    openedAt,
    addHours(openedAt, CONFLICT_SLA_HOURS),
    kase.subject,
    kase.decision_seq,
    sequence,
  );
  tools.moveCount(db, SYNC_CONFLICT_QUEUE, kase.jurisdiction, null, 'open');
  statement(
    db,
    'INSERT INTO case_conflicts (id, case_id, seen_version, entries, opened_seq) VALUES (?, ?, ?, ?, ?)',
  ).run(id, kase.id, version, canonicalJson(decisions), sequence);
};

/** A decision on a case already held in a conflict joins it (a third device, or a later step of one side). */
const joinConflict = (db: Database, conflictId: string, incoming: ConflictDecision): void => {
  const row = statement<[string], { entries: string; seen_version: number }>(
    db,
    'SELECT entries, seen_version FROM case_conflicts WHERE id = ?',
  ).get(conflictId);
  if (!row) throw new Error(`projector: conflict ${conflictId} is not open`);
  const decisions = (JSON.parse(row.entries) as ConflictDecision[]).filter(
    (decision) => decision.origin !== incoming.origin || decision.seq !== incoming.seq,
  );
  decisions.push(incoming);
  decisions.sort(byEntry);
  const openedAt = openedAtOf(decisions, row.seen_version);
  statement(db, 'UPDATE case_conflicts SET entries = ? WHERE id = ?').run(canonicalJson(decisions), conflictId);
  statement(db, 'UPDATE cases SET opened_at = ?, sla_due_at = ? WHERE id = ?').run(
    openedAt,
    addHours(openedAt, CONFLICT_SLA_HOURS),
    conflictId,
  );
};

/**
 * A maker's decision, a checker's approval or return: applied when it names the case's current version (or names
 * none: written before sync); a conflict when another decision already took the version it saw; joined to the
 * conflict when the case is held in one.
 */
export const decisionEvent =
  (tools: CaseProjectionTools) =>
  (db: Database, entry: AuditEntry, sequence: number): void => {
    const payload = entry.payload as Payload;
    const kase = caseRow(db, text(payload.caseId) ?? '');
    const decision = describeDecision(entry, tools.refOf(db, sequence), tools.reasonAt(db, sequence));
    handleDecision(db, tools, kase, decision, entry, sequence);
  };

/** Whether a decision was taken on its device after that device's resolution, since superseded, of a conflict. */
const followsSupersededResolution = (db: Database, kase: CaseRow, decision: ConflictDecision): boolean => {
  if (decision.caseVersion === null) return false;
  const rows = statement<[string], { seen_version: number; superseded: string }>(
    db,
    "SELECT seen_version, superseded FROM case_conflicts WHERE case_id = ? AND superseded <> '[]'",
  ).all(kase.id);
  return rows.some(
    (row) =>
      decision.caseVersion! > row.seen_version &&
      (JSON.parse(row.superseded) as ConflictResolution[]).some(
        (lost) => lost.origin === decision.origin && lost.seq < decision.seq,
      ),
  );
};

const handleDecision = (
  db: Database,
  tools: CaseProjectionTools,
  kase: CaseRow,
  decision: ConflictDecision,
  entry: AuditEntry,
  sequence: number,
): void => {
  if (kase.conflict_id !== null) return joinConflict(db, kase.conflict_id, decision);
  // Taken on an outcome that no longer stands (its device's resolution lost, decision 0268): held for a senior officer.
  if (followsSupersededResolution(db, kase, decision))
    return openConflict(db, tools, kase, decision.caseVersion!, decision, sequence, 'superseded_resolution');
  if (decision.caseVersion !== null && decision.caseVersion < kase.version)
    return openConflict(db, tools, kase, decision.caseVersion, decision, sequence);
  applyDecisionAtVersion(db, tools, kase, decision, entry, sequence);
};

/** Whether resolution a was taken before b: by time, then origin and sequence, so every device agrees (decision 0268). */
const earlierResolution = (a: ConflictResolution, b: ConflictResolution): boolean =>
  a.at < b.at || (a.at === b.at && byEntry(a, b) < 0);

type ConflictRowFull = {
  id: string;
  case_id: string;
  seen_version: number;
  entries: string;
  resolved_seq: number | null;
  resolution: string | null;
  superseded: string;
};

/**
 * A senior officer's resolution: the chosen decision takes the version in conflict (its state and effect applied as
 * they were decided), then the decisions its own device took on top of it (a checker's approval of the chosen
 * proposal, decision 0266); or none does and the case is open again at the next version. The conflict case closes.
 *
 * Two resolutions of one conflict (taken concurrently on two devices): the earlier (by time, then origin and sequence)
 * stands on every device, whichever arrived first; the later is kept on the conflict as superseded. When the earlier
 * arrives second, the later one is taken back, with every decision applied on the case after it; the decisions its
 * device took after it are held in a new conflict (`superseded_resolution`), the others are applied again in order.
 */
export const conflictResolved =
  (tools: CaseProjectionTools) =>
  (db: Database, entry: AuditEntry, sequence: number): void => {
    const payload = entry.payload as Payload;
    const conflictId = text(payload.conflictId) ?? '';
    const conflict = statement<[string], ConflictRowFull>(
      db,
      'SELECT id, case_id, seen_version, entries, resolved_seq, resolution, superseded FROM case_conflicts WHERE id = ?',
    ).get(conflictId);
    if (!conflict) throw new Error(`projector: conflict ${conflictId} is not open`);
    const userId = entry.actor.startsWith('user:') ? entry.actor.slice(5) : entry.actor;
    const incoming: ConflictResolution = {
      ...tools.refOf(db, sequence),
      by: userId,
      at: entry.time,
      chosen: (payload.chosen as EntryRef | null) ?? null,
    };
    if (conflict.resolved_seq !== null) {
      const standing = conflict.resolution === null ? null : (JSON.parse(conflict.resolution) as ConflictResolution);
      if (standing === null || !earlierResolution(incoming, standing))
        return supersede(db, conflictId, conflict.superseded, incoming);
      const later = takeBackResolution(db, tools, conflict);
      supersede(db, conflictId, conflict.superseded, standing);
      applyResolution(db, tools, conflict, incoming, entry, sequence);
      // The decisions applied after the resolution that lost, as if they arrived now: its own device's are held (they
      // follow a superseded resolution), the others applied again in order, as a device that had the earlier
      // resolution first applied them.
      for (const decision of later)
        handleDecision(db, tools, caseRow(db, conflict.case_id), decision, { ...entry, time: decision.time }, sequence);
      return;
    }
    applyResolution(db, tools, conflict, incoming, entry, sequence);
  };

const supersede = (db: Database, conflictId: string, superseded: string, lost: ConflictResolution): void => {
  const list = (JSON.parse(superseded) as ConflictResolution[]).filter(
    (other) => other.origin !== lost.origin || other.seq !== lost.seq,
  );
  list.push(lost);
  list.sort(byEntry);
  statement(db, 'UPDATE case_conflicts SET superseded = ? WHERE id = ?').run(canonicalJson(list), conflictId);
};

/**
 * Takes back a resolution that loses to an earlier one: every decision applied on the case from the version in
 * conflict on (newest first), and the case held again in the conflict as it was before it. Returns the decisions
 * applied after the resolution's own, in the order they were applied.
 */
const takeBackResolution = (
  db: Database,
  tools: CaseProjectionTools,
  conflict: ConflictRowFull,
): ConflictDecision[] => {
  const kase = caseRow(db, conflict.case_id);
  // The held state: the case as it was before the first decision taken back (or as it is, when none was applied).
  const taken = holdInConflict(db, tools, kase, conflict.seen_version, conflict.id);
  // The resolution applied the decisions the conflict lists (the chosen one and its chain); the rest came after it.
  const listed = JSON.parse(conflict.entries) as ConflictDecision[];
  return [...taken]
    .reverse()
    .filter((decision) => !listed.some((other) => other.origin === decision.origin && other.seq === decision.seq));
};

/** Applies a resolution to a conflict held open: the chosen decision and its own device's chain, or a reopening. */
const applyResolution = (
  db: Database,
  tools: CaseProjectionTools,
  conflict: ConflictRowFull,
  resolution: ConflictResolution,
  entry: AuditEntry,
  sequence: number,
): void => {
  const listed = JSON.parse(conflict.entries) as ConflictDecision[];
  const chosenRef = resolution.chosen;
  const chosen =
    chosenRef === null
      ? null
      : (listed.find((decision) => decision.origin === chosenRef.origin && decision.seq === chosenRef.seq) ?? null);
  if (chosenRef !== null && chosen === null)
    throw new Error(`projector: conflict ${conflict.id} holds no decision ${chosenRef.origin}#${chosenRef.seq}`);
  statement(db, 'UPDATE cases SET conflict_id = NULL, version = ? WHERE id = ?').run(
    conflict.seen_version,
    conflict.case_id,
  );
  if (chosen) {
    applyDecisionAtVersion(db, tools, caseRow(db, conflict.case_id), chosen, entry, sequence);
    // The decisions the chosen one's device took on top of it (a checker's approval of the chosen proposal), in order,
    // each while it still names the case's version (decision 0266).
    const chain = listed
      .filter(
        (decision) =>
          decision.origin === chosen.origin &&
          decision.seq > chosen.seq &&
          decision.caseVersion !== null &&
          decision.caseVersion > conflict.seen_version,
      )
      .sort((a, b) => a.seq - b.seq);
    for (const decision of chain) {
      const kase = caseRow(db, conflict.case_id);
      if (decision.caseVersion !== kase.version) break;
      applyDecisionAtVersion(db, tools, kase, decision, { ...entry, time: decision.time }, sequence);
    }
  } else {
    const kase = caseRow(db, conflict.case_id);
    statement(db, 'UPDATE cases SET version = ? WHERE id = ?').run(kase.version + 1, kase.id);
  }
  const reason = tools.reasonAt(db, sequence);
  const outcome = chosen ? `${chosen.origin}#${chosen.seq}` : 'reopened';
  const conflictCase = caseRow(db, conflict.id);
  statement(
    db,
    "UPDATE cases SET status = 'closed', claimed_by = NULL, claimed_at = NULL, maker = ?, maker_id = ?, resolution = ?, closed_at = ? WHERE id = ?",
  ).run(
    canonicalJson({
      userId: resolution.by,
      at: resolution.at,
      disposition: 'resolve_conflict',
      reason: reason ?? ERASED,
    }),
    resolution.by,
    outcome,
    resolution.at,
    conflict.id,
  );
  tools.moveCount(db, SYNC_CONFLICT_QUEUE, conflictCase.jurisdiction, conflictCase.status, 'closed');
  statement(
    db,
    'UPDATE case_conflicts SET resolved_by = ?, resolved_at = ?, chosen = ?, resolved_seq = ?, resolution = ? WHERE id = ?',
  ).run(
    resolution.by,
    resolution.at,
    chosenRef === null ? null : canonicalJson(chosenRef),
    sequence,
    canonicalJson(resolution),
    conflict.id,
  );
};

/** The reasons a conflict shows are personal data of its lead: erased with it (decision 0141), the same live and rebuilt. */
export const eraseConflictReasons = (db: Database, leadId: string): void => {
  const erased = (decision: ConflictDecision): ConflictDecision => ({ ...decision, reason: ERASED });
  const rows = statement<[string], { id: string; entries: string }>(
    db,
    'SELECT c.id, c.entries FROM case_conflicts c JOIN cases k ON k.id = c.case_id WHERE k.lead_id = ? ORDER BY c.id',
  ).all(leadId);
  for (const row of rows)
    statement(db, 'UPDATE case_conflicts SET entries = ? WHERE id = ?').run(
      canonicalJson((JSON.parse(row.entries) as ConflictDecision[]).map(erased)),
      row.id,
    );
  const effects = statement<[string], { case_id: string; version: number; decision: string; before: string }>(
    db,
    'SELECT e.case_id, e.version, e.decision, e.before FROM case_decision_effects e JOIN cases k ON k.id = e.case_id WHERE k.lead_id = ? ORDER BY 1, 2',
  ).all(leadId);
  const withoutReason = (column: unknown): unknown =>
    typeof column === 'string' ? canonicalJson({ ...(JSON.parse(column) as Payload), reason: ERASED }) : column;
  for (const row of effects) {
    const before = JSON.parse(row.before) as Before;
    const caseRow = {
      ...before.caseRow,
      maker: withoutReason(before.caseRow.maker),
      checker: withoutReason(before.caseRow.checker),
    };
    statement(db, 'UPDATE case_decision_effects SET decision = ?, before = ? WHERE case_id = ? AND version = ?').run(
      canonicalJson(erased(JSON.parse(row.decision) as ConflictDecision)),
      canonicalJson({ ...before, caseRow }),
      row.case_id,
      row.version,
    );
  }
};
