// The projector: applies one audit entry to the projection tables. The only code that writes them, live or in a
// rebuild, so a rebuild from the log equals the live tables by construction (and a test proves it). A table of one
// small function per event type; each reads the current (version 2) payload and, where one was written, version 1.
import type { AuditEntry } from '../../../../core/audit/entry.ts';
import { isCurrentPayload } from '../../../../core/audit/event-types.ts';
import type { AuditEventType, PayloadOf } from '../../../../core/audit/event-types.ts';
import { canonicalJson } from '../../../../core/shared/canonical-json.ts';
import type { Database } from '../../store/database.ts';
import { statement } from '../../store/statements.ts';
import { intakeCaseIds } from '../../../../core/cases/intake-case-ids.ts';
import { auditLogIdentity } from '../../audit/audit-log.ts';
import { conflictResolved, decisionEvent, eraseConflictReasons, leaseEvent } from './case-sync-projection.ts';
import type { CaseProjectionTools, EntryRef } from './case-sync-projection.ts';
import { noteCursor, noteRepLoad } from './routing-state.ts';
import type { PathFacts } from '../../../../core/conduct/model.ts';
import {
  checklistItemDone,
  intakeConductFacts,
  eraseLeadLifecycle,
  factsUpdated,
  contactPlanned,
  outreachRecorded,
  pathAssigned,
  pathReassigned,
  rederiveOpenPaths,
  stageChanged,
} from './lifecycle-projection.ts';

type Payload = Record<string, unknown>;

/** What a projection shows for personal data that has been erased or purged. */
const ERASED = '[erased]';

const RISK_RANK: Readonly<Record<string, number>> = { low: 0, medium: 1, high: 2 };

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The personal data an entry committed to, while it is still held; null when it had none or it was erased. */
export const personalDataAt = (db: Database, sequence: number): Payload | null => {
  const row = statement<[number], { data: Buffer | null }>(
    db,
    'SELECT data FROM audit_personal_data WHERE sequence = ?',
  ).get(sequence);
  return row?.data ? (JSON.parse(row.data.toString('utf8')) as Payload) : null;
};
// Canonical JSON, so a column written live and the same column rebuilt from the log's bytes are identical.
const json = (value: unknown): string | null => (value === undefined || value === null ? null : canonicalJson(value));

/** The display subject of a lead: its company name, or a person's initials; never more than the list needs. */
export const displaySubject = (personal: unknown, leadId: string): string => {
  if (personal === null || typeof personal !== 'object') return `[erased] ${leadId}`;
  const data = personal as { company?: { name?: unknown }; person?: { fullName?: unknown } };
  if (typeof data.company?.name === 'string') return data.company.name;
  if (typeof data.person?.fullName === 'string')
    return data.person.fullName
      .split(/\s+/u)
      .filter((part) => part !== '')
      .map((part) => `${part[0]?.toUpperCase() ?? ''}.`)
      .join(' ');
  return leadId;
};

const moveCount = (
  db: Database,
  type: string,
  jurisdiction: string | null,
  from: string | null,
  to: string | null,
): void => {
  if (from === to) return;
  const where = jurisdiction ?? '';
  if (from !== null)
    statement(db, 'UPDATE case_counts SET count = count - 1 WHERE type = ? AND status = ? AND jurisdiction = ?').run(
      type,
      from,
      where,
    );
  if (to !== null)
    statement(
      db,
      'INSERT INTO case_counts (type, status, jurisdiction, count) VALUES (?, ?, ?, 1) ON CONFLICT (type, status, jurisdiction) DO UPDATE SET count = count + 1',
    ).run(type, to, where);
};

/** Applies the effect a final case decision has on its product path or lead. */
const applyEffect = (db: Database, effect: Payload | undefined, entry: AuditEntry, sequence: number): void => {
  if (!effect) return;
  if (effect.kind === 'path') {
    statement(
      db,
      `UPDATE product_paths SET outcome = ?, queue = NULL, reason = ?, entity_id = ?, team_id = ?, rep_id = ?, override = ?, decided_seq = ?
       WHERE lead_id = ? AND product_id = ?`,
    ).run(
      text(effect.outcome),
      text(effect.reason),
      text(effect.entityId),
      text(effect.teamId),
      text(effect.repId),
      effect.override === true ? 1 : 0,
      sequence,
      text(effect.leadId),
      text(effect.productId),
    );
    if (effect.outcome === 'assigned' && typeof effect.repId === 'string')
      statement(
        db,
        'INSERT INTO rep_load (rep_id, open) VALUES (?, 1) ON CONFLICT (rep_id) DO UPDATE SET open = open + 1',
      ).run(effect.repId);
    if (effect.outcome === 'assigned' && typeof effect.repId === 'string') noteRepLoad(db, effect.repId, 1);
    if (effect.outcome === 'assigned' && typeof effect.repId === 'string')
      pathAssigned(db, entry, sequence, {
        leadId: text(effect.leadId) ?? '',
        productId: text(effect.productId) ?? '',
        repId: effect.repId,
        jurisdiction: null,
      });
  } else if (effect.kind === 'lead_blocked') {
    statement(db, "UPDATE leads SET status = 'blocked' WHERE id = ?").run(text(effect.leadId));
    statement(
      db,
      "UPDATE product_paths SET outcome = 'blocked', queue = NULL, reason = 'confirmed_screening_match', decided_seq = ? WHERE lead_id = ?",
    ).run(sequence, text(effect.leadId));
  }
};

/**
 * A case's new state: the hashed state, with the reasons (beside the log) put back: the reason of this entry for the
 * role it records (maker for a decision, checker for a verdict), the reasons already projected for the others. A
 * version 1 state carries its reasons itself.
 */
const applyCaseState = (
  db: Database,
  payload: Payload,
  reasonOf: 'maker' | 'checker' | null,
  reason: string | null,
): void => {
  const caseId = text(payload.caseId);
  const current = statement<
    [string],
    { type: string; status: string; jurisdiction: string | null; maker: string | null; checker: string | null }
  >(db, 'SELECT type, status, jurisdiction, maker, checker FROM cases WHERE id = ?').get(caseId ?? '');
  if (!current) throw new Error(`projector: case ${caseId} is not open`);
  const state = payload.state as Payload;
  const withReason = (role: 'maker' | 'checker', logged: Payload | null, projected: string | null): Payload | null => {
    if (logged === null || 'reason' in logged) return logged;
    const before = projected === null ? null : (JSON.parse(projected) as Payload);
    const same = before !== null && before.userId === logged.userId && before.at === logged.at;
    const own = reasonOf === role;
    // A screening decision names its hits in its case.decided entry (decision 0180), not in the state it carries.
    const hits = role !== 'maker' ? undefined : own ? payload.hits : same ? before.hits : undefined;
    return {
      ...logged,
      reason: own ? (reason ?? ERASED) : ((same ? text(before.reason) : null) ?? ERASED),
      ...(hits === undefined ? {} : { hits }),
    };
  };
  const maker = withReason('maker', state.maker as Payload | null, current.maker);
  const checker = withReason('checker', state.checker as Payload | null, current.checker);
  statement(
    db,
    `UPDATE cases SET status = ?, claimed_by = ?, claimed_at = ?, maker = ?, maker_id = ?, checker = ?, checker_id = ?, resolution = ?, closed_at = ?
     WHERE id = ?`,
  ).run(
    text(state.status),
    text(state.claimedBy),
    text(state.claimedAt),
    json(maker),
    maker ? text(maker.userId) : null,
    json(checker),
    checker ? text(checker.userId) : null,
    text(state.resolution),
    text(state.closedAt),
    caseId,
  );
  moveCount(db, current.type, current.jurisdiction, current.status, text(state.status));
};

/** Who requested an account's creation (the person rule, decision 0161): named by an approved request, else the actor. */
const requesterOf = (entry: AuditEntry): string | null => {
  const named = text((entry.payload as Payload).requestedBy);
  if (named !== null) return named;
  return entry.actor.startsWith('user:') ? entry.actor.slice('user:'.length) : null;
};

/**
 * What the command that appended an entry already holds, so its projection need not read it back: the personal data it
 * stored beside the entry (the same values as the stored canonical bytes). A rebuild passes nothing and reads them.
 */
export type KnownAtAppend = { readonly personalData?: Readonly<Record<string, unknown>> | null };

type Projection = (db: Database, entry: AuditEntry, sequence: number, known?: KnownAtAppend) => void;

const payloadOf = <T extends AuditEventType>(entry: AuditEntry, _type: T): PayloadOf<T> =>
  entry.payload as unknown as PayloadOf<T>;
const loose = (entry: AuditEntry): Payload => entry.payload as Payload;

const userCreated: Projection = (db, entry, sequence) => {
  const payload = loose(entry);
  // Version 2: the display name is personal data beside the log; version 1 had it in the payload.
  const name = isCurrentPayload('user.created', payload)
    ? text(personalDataAt(db, sequence)?.name)
    : text(payload.name);
  statement(
    db,
    'INSERT INTO users (id, name, roles, markets, active, created_seq, requested_by) VALUES (?, ?, ?, ?, 1, ?, ?)',
  ).run(
    text(payload.userId),
    name ?? ERASED,
    canonicalJson(payload.roles),
    canonicalJson(payload.markets),
    sequence,
    requesterOf(entry),
  );
};

const rolesChanged: Projection = (db, entry) => {
  const payload = loose(entry);
  statement(db, 'UPDATE users SET roles = ? WHERE id = ?').run(canonicalJson(payload.roles), text(payload.userId));
};

const marketsReassigned: Projection = (db, entry) => {
  const payload = loose(entry);
  statement(db, 'UPDATE users SET markets = ? WHERE id = ?').run(canonicalJson(payload.markets), text(payload.userId));
};

// Signing in to this workstation is what `active` means (decision 0039): revoked deactivates, granted (a
// reactivation, or a re-enrolment of an active user) activates. Other permissions (keychain-unlock) change nothing.
const signInPermission =
  (active: 0 | 1): Projection =>
  (db, entry) => {
    const payload = loose(entry);
    if (payload.permission === 'workstation-sign-in')
      statement(db, 'UPDATE users SET active = ? WHERE id = ?').run(active, text(payload.userId));
    // A new initial passphrase an admin chose (re-enrolment, reactivation): that admin could sign in as the user.
    if (typeof payload.passphraseChosenBy === 'string')
      statement(db, 'UPDATE users SET passphrase_by = ? WHERE id = ?').run(
        payload.passphraseChosenBy,
        text(payload.userId),
      );
  };

// Publishing an earlier version again (a rollback) makes it the latest: one row per rule version.
const policyPublished: Projection = (db, entry, sequence) => {
  const payload = loose(entry);
  statement(
    db,
    `INSERT INTO policies (rule_version, bundle, label, published_at, published_seq) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (rule_version) DO UPDATE SET bundle = excluded.bundle, label = excluded.label,
       published_at = excluded.published_at, published_seq = excluded.published_seq`,
  ).run(text(payload.ruleVersion), text(payload.bundle), text(payload.label), entry.time, sequence);
  // The lifecycle's derived columns (cooling-off end, hold) follow the rules now in force.
  rederiveOpenPaths(db, sequence);
};

const leadIngested: Projection = (db, entry, sequence) => {
  const payload = loose(entry);
  const data = personalDataAt(db, sequence);
  // Version 1 held the source id and the attributes (inside facts) in the entry; version 2 keeps them beside it.
  const current = isCurrentPayload('lead.ingested', payload);
  insertLead(db, entry, sequence, payload, data, current ? text(data?.sourceId) : text(payload.sourceId));
};

const insertLead = (
  db: Database,
  entry: AuditEntry,
  sequence: number,
  payload: Payload,
  data: Payload | null,
  sourceId: string | null,
  /** The columns a lead.intake entry sets at once (its screening, its first path's tag), as the later updates would. */
  at: { readonly jurisdiction: string | null; readonly scope: string | null; readonly screening: string | null } = {
    jurisdiction: null,
    scope: text(payload.scope),
    screening: null,
  },
): void => {
  const leadId = text(payload.leadId) ?? '';
  statement(
    db,
    `INSERT INTO leads (id, source_system, source_id, facts, jurisdiction, scope, subject, status, ingested_at, ingested_seq,
       residency_region, screening)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
  ).run(
    leadId,
    text(payload.sourceSystem),
    sourceId ?? leadId,
    canonicalJson(payload.facts),
    at.jurisdiction,
    at.scope,
    displaySubject(data, leadId),
    entry.time,
    sequence,
    text((payload.residency as Payload | undefined)?.region),
    at.screening,
  );
};

/** The run an entry belongs to, by its monitoring:<run> subject (the entries a run writes name it). */
const runOf = (entry: AuditEntry): string | null =>
  entry.subjects.find((subject) => subject.startsWith('monitoring:'))?.slice('monitoring:'.length) ?? null;

const countForRun = (db: Database, run: string | null, column: string, by: number): void => {
  if (run !== null && by > 0)
    statement(db, `UPDATE monitoring_runs SET ${column} = ${column} + ? WHERE id = ?`).run(by, run);
};

const leadScreened: Projection = (db, entry, sequence) => {
  const payload = loose(entry);
  const current = isCurrentPayload('lead.screened', payload);
  // The listed entries' names are personal data beside the log, in the order of the hits.
  const names = current ? ((personalDataAt(db, sequence)?.entryNames as string[] | undefined) ?? []) : null;
  projectScreening(db, entry, text(payload.leadId), payload.screening as Payload, names);
};

/** A screening as the lead's row holds it: the hits with the listed entries' names from beside the log. */
const screeningWithNames = (logged: Payload, names: readonly string[] | null): Payload =>
  names === null
    ? logged
    : {
        ...logged,
        hits: (logged.hits as Payload[]).map((hit, index) => ({ ...hit, entryName: names[index] ?? ERASED })),
      };

/** A lead's screening into its row (names: the listed entries' names beside the log; null: version 1 carries them). */
const projectScreening = (
  db: Database,
  entry: AuditEntry,
  leadId: string | null,
  logged: Payload,
  names: readonly string[] | null,
): void => {
  const screening = screeningWithNames(logged, names);
  statement(db, 'UPDATE leads SET screening = ? WHERE id = ?').run(canonicalJson(screening), leadId);
  // A re-screening run's new hits: those on the run's list version (the lead held none there before the run).
  const run = runOf(entry);
  if (run !== null) {
    const listed = statement<[string], { list_id: string; version: string }>(
      db,
      'SELECT list_id, version FROM monitoring_runs WHERE id = ?',
    ).get(run);
    const fresh = (screening.hits as Payload[]).filter(
      (hit) => hit.listId === listed?.list_id && hit.listVersion === listed?.version && hit.cleared !== true,
    ).length;
    countForRun(db, run, 'leads_with_hits', 1);
    countForRun(db, run, 'hits', fresh);
  }
};

const routingDecided: Projection = (db, entry, sequence) =>
  projectDecision(db, entry, sequence, loose(entry), (index) => `N-${sequence}-${index}`, undefined);

/** One product path's decision (a routing.decided payload, or a lead.intake path with its lead's fields). */
const projectDecision = (
  db: Database,
  entry: AuditEntry,
  sequence: number,
  payload: Payload,
  notificationId: (index: number) => string,
  assignedNotificationId: string | undefined,
  /** From a lead.intake entry: the lead row has this path's tag already, and a new path starts with these facts. */
  intake?: { readonly tagged: boolean; readonly facts: PathFacts },
): void => {
  // The lead's tag first, and only when it changes: a lead's second path finds it set, and a new path is then
  // counted under the lead's jurisdiction at once instead of being moved there by refusal_counts_lead_moved.
  const [jurisdiction, scope] = [text(payload.jurisdiction), text(payload.scope)];
  if (intake?.tagged !== true)
    statement(
      db,
      `UPDATE leads SET jurisdiction = ?, scope = coalesce(?, scope)
       WHERE id = ? AND (jurisdiction IS NOT ? OR (? IS NOT NULL AND scope IS NOT ?))`,
    ).run(jurisdiction, scope, text(payload.leadId), jurisdiction, scope, scope);
  statement(
    db,
    `INSERT INTO product_paths (lead_id, product_id, outcome, queue, reason, entity_id, team_id, rep_id, rule_version, decided_seq, override)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
     ON CONFLICT (lead_id, product_id) DO UPDATE SET outcome = excluded.outcome, queue = excluded.queue, reason = excluded.reason,
       entity_id = excluded.entity_id, team_id = excluded.team_id, rep_id = excluded.rep_id, rule_version = excluded.rule_version,
       decided_seq = excluded.decided_seq, override = 0`,
  ).run(
    text(payload.leadId),
    text(payload.productId),
    text(payload.outcome),
    text(payload.queue),
    text(payload.reason),
    text(payload.entityId),
    text(payload.teamId),
    text(payload.repId),
    text(payload.ruleVersion),
    sequence,
  );
  const cursor = payload.cursor as Payload | undefined;
  if (cursor && typeof cursor.teamId === 'string') {
    statement(
      db,
      'INSERT INTO routing_cursors (team_id, cursor) VALUES (?, ?) ON CONFLICT (team_id) DO UPDATE SET cursor = excluded.cursor',
    ).run(cursor.teamId, cursor.next);
    statement(
      db,
      'INSERT INTO rep_load (rep_id, open) VALUES (?, 1) ON CONFLICT (rep_id) DO UPDATE SET open = open + 1',
    ).run(text(payload.repId));
    noteCursor(db, cursor.teamId, Number(cursor.next));
    noteRepLoad(db, text(payload.repId) ?? '', 1);
  }
  if (payload.outcome === 'assigned' && typeof payload.repId === 'string')
    pathAssigned(db, entry, sequence, {
      leadId: text(payload.leadId) ?? '',
      productId: text(payload.productId) ?? '',
      repId: payload.repId,
      jurisdiction: text(payload.jurisdiction),
      ...(assignedNotificationId === undefined ? {} : { notificationId: assignedNotificationId }),
      ...(intake === undefined ? {} : { facts: intake.facts }),
    });
  const notifications = (payload.notifications as Payload[] | undefined) ?? [];
  notifications.forEach((notification, index) => {
    statement(
      db,
      'INSERT INTO notifications (id, at, audience, kind, message, lead_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      notificationId(index),
      entry.time,
      text(notification.audience),
      text(notification.kind),
      text(notification.message),
      text(payload.leadId),
      sequence,
    );
  });
};

const caseOpened: Projection = (db, entry, sequence) => openCase(db, entry, sequence, loose(entry), `N-${sequence}`);

/** A review case opened (a case.opened payload, or one derived from a lead.intake path). */
const openCase = (
  db: Database,
  entry: AuditEntry,
  sequence: number,
  payload: Payload,
  notificationId: string,
  /** This log's sequence of the deciding entry when the caller knows it (a lead.intake entry decides its own cases). */
  decisionSeq?: number,
  /** The lead's display subject when the caller has just written it (a lead.intake entry). */
  subject?: string,
): void => {
  const lead =
    subject === undefined
      ? statement<[string], { subject: string }>(db, 'SELECT subject FROM leads WHERE id = ?').get(
          text(payload.leadId) ?? '',
        )
      : { subject };
  statement(
    db,
    `INSERT INTO cases (id, type, lead_id, product_id, reason, risk, risk_rank, jurisdiction, rule_version, opened_at, sla_due_at, status, subject, decision_seq, opened_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
  ).run(
    text(payload.caseId),
    text(payload.queue),
    text(payload.leadId),
    text(payload.productId),
    text(payload.reason),
    text(payload.risk),
    RISK_RANK[text(payload.risk) ?? ''] ?? 0,
    text(payload.jurisdiction),
    text(payload.ruleVersion),
    text(payload.openedAt),
    text(payload.slaDueAt),
    lead?.subject ?? text(payload.leadId),
    decisionSeq ?? localSequenceOf(db, Number(payload.decisionSequence)),
    sequence,
  );
  moveCount(db, text(payload.queue) ?? '', text(payload.jurisdiction), null, 'open');
  countForRun(db, runOf(entry), 'cases_opened', 1);
  // Operations admins see every refusal in their notification list (expansion demand has its own, richer one).
  if (payload.queue !== 'expansion_review')
    statement(
      db,
      'INSERT INTO notifications (id, at, audience, kind, message, lead_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      notificationId,
      entry.time,
      'operations_admin',
      'refusal',
      `Lead ${text(payload.leadId)} (${text(payload.productId)}) was refused into ${text(payload.queue)}: ${text(payload.reason)}; case ${text(payload.caseId)}.`,
      text(payload.leadId),
      sequence,
    );
};

/**
 * A lead taken in (decision 0263): what lead.ingested, lead.screened, each routing.decided and each case.opened did, in
 * that order, from the one entry. Case ids by intakeCaseIds' rule; notification ids name the path (N-<seq>-p<i>-<n>)
 * and the case (N-<seq>-c<i>), so no two collide.
 */
const leadIntake: Projection = (db, entry, sequence, known) => {
  const payload = loose(entry);
  const data =
    known?.personalData !== undefined ? (known.personalData as Payload | null) : personalDataAt(db, sequence);
  const leadId = text(payload.leadId);
  const screened = payload.screening as Payload | null;
  const paths = payload.paths as Payload[];
  // The row is written once with what the screening update and the first path's tag would set (a new lead has no
  // paths yet, so refusal_counts_lead_moved would have moved nothing); the first path then skips its tag update.
  const first = paths[0];
  const firstScope = first ? text(first.scope) : null;
  insertLead(db, entry, sequence, payload, data, text(data?.sourceId), {
    jurisdiction: first ? text(first.jurisdiction) : null,
    scope: firstScope ?? text(payload.scope),
    screening: screened
      ? canonicalJson(
          screeningWithNames(screened.screening as Payload, (data?.entryNames as string[] | undefined) ?? []),
        )
      : null,
  });
  // A lead.intake entry names no monitoring run, so projectScreening's run counts do not apply (runOf is null).
  const facts = intakeConductFacts(payload.facts as Payload | undefined);
  const subject = displaySubject(data, leadId ?? '');
  // From the entry's own sequence, so the ids are the entry's wherever it is projected (a rebuild, another device).
  const caseIds = intakeCaseIds({ log: entry.log, sequence: entry.sequence, pv: payload.pv }, paths);
  paths.forEach((path, index) => {
    const decision = { ...path, leadId, ruleVersion: payload.ruleVersion };
    projectDecision(
      db,
      entry,
      sequence,
      decision,
      (n) => `N-${sequence}-p${index}-${n}`,
      `N-${sequence}-p${index}-assigned`,
      { tagged: index === 0, facts },
    );
    const opened = path.case as Payload | null;
    const caseId = caseIds[index];
    if (opened && caseId)
      openCase(
        db,
        entry,
        sequence,
        {
          caseId,
          queue: path.queue,
          leadId,
          productId: path.productId,
          reason: path.reason,
          risk: opened.risk,
          jurisdiction: opened.jurisdiction,
          ruleVersion: payload.ruleVersion,
          openedAt: payload.decidedAt,
          slaDueAt: opened.slaDueAt,
          decisionSequence: String(sequence),
        },
        `N-${sequence}-c${index}`,
        // The entry itself decided: its place in this log (its receipt's, when another device's).
        sequence,
        subject,
      );
  });
};

const subjectErased: Projection = (db, entry) => {
  const subject = payloadOf(entry, 'subject.erased').subject;
  if (subject.startsWith('lead:')) eraseLeadFromProjections(db, subject.slice('lead:'.length));
};

// The leads whose ingestion data fell inside the purged ranges: read from the entry, not from the store's current
// state, so a rebuild erases exactly what the live purge erased, at the same point of the log.
const retentionPurged: Projection = (db, entry) => {
  const leadsIn = statement<[number, number], string>(
    db,
    'SELECT id FROM leads WHERE ingested_seq BETWEEN ? AND ? ORDER BY id',
  ).pluck();
  for (const [from, to] of payloadOf(entry, 'retention.purged').erasedRanges)
    for (const leadId of leadsIn.all(Number(from), Number(to))) eraseLeadFromProjections(db, leadId);
};

const metaRequested: Projection = (db, entry, sequence) => {
  const payload = payloadOf(entry, 'meta.requested');
  statement(
    db,
    `INSERT INTO meta_requests (id, action, target, change, requested_by, requested_at, requested_seq, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
  ).run(
    payload.requestId,
    payload.action,
    payload.target,
    canonicalJson(payload.change),
    entry.actor.slice('user:'.length),
    entry.time,
    sequence,
  );
};

/** Approved or rejected; an approval's change is the entry that follows it, projected on its own. */
const metaDecided =
  (status: 'approved' | 'rejected'): Projection =>
  (db, entry, sequence) => {
    statement(
      db,
      "UPDATE meta_requests SET status = ?, decided_by = ?, decided_at = ?, decided_seq = ? WHERE id = ? AND status = 'pending'",
    ).run(status, entry.actor.slice('user:'.length), entry.time, sequence, text((entry.payload as Payload).requestId));
  };

// Ongoing monitoring (decisions 0193–0195): the runs, the allow-list and the hits resolved by a list update.
const monitoringStarted: Projection = (db, entry, sequence) => {
  const payload = payloadOf(entry, 'monitoring.started');
  statement(
    db,
    `INSERT INTO monitoring_runs (id, list_id, version, content_sha256, previous_sha256, added, changed, removed, leads_total,
       ingested_through, requested_by, started_at, started_seq, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')`,
  ).run(
    payload.run,
    payload.list,
    payload.label,
    payload.version,
    payload.previous,
    payload.added,
    payload.changed,
    payload.removed,
    payload.leads,
    Number(payload.ingestedThrough),
    payload.requestedBy,
    entry.time,
    sequence,
  );
};

const bulkRead: Projection = (db, entry) => {
  const payload = payloadOf(entry, 'personal_data.bulk_read');
  statement(db, 'UPDATE monitoring_runs SET leads_read = leads_read + ?, read_through = ? WHERE id = ?').run(
    payload.leads,
    Number(payload.ingestedThrough),
    payload.run,
  );
};

const monitoringCompleted: Projection = (db, entry, sequence) => {
  const payload = payloadOf(entry, 'monitoring.completed');
  // Its counts are the ones the run's entries added up to (checked when it was written).
  statement(
    db,
    'UPDATE monitoring_runs SET state = ?, stop_reason = ?, completed_at = ?, completed_seq = ? WHERE id = ?',
  ).run(payload.state, payload.reason, entry.time, sequence, payload.run);
};

// The same content cleared again (another case) is one row: the latest clearance names it.
const allowListed: Projection = (db, entry, sequence) => {
  const payload = payloadOf(entry, 'screening.allow_listed');
  const insert = statement(
    db,
    `INSERT INTO screening_allow_list (lead_id, list_id, entry_id, entry_version, list_version, case_id, cleared_at, cleared_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (lead_id, list_id, entry_id, entry_version) DO UPDATE SET list_version = excluded.list_version,
       case_id = excluded.case_id, cleared_at = excluded.cleared_at, cleared_seq = excluded.cleared_seq`,
  );
  for (const hit of payload.hits)
    insert.run(
      payload.leadId,
      hit.listId,
      hit.entryId,
      hit.entryVersion,
      hit.listVersion,
      payload.caseId,
      entry.time,
      sequence,
    );
};

// Taken off by an officer, or expired in a run (decision 0197): the row goes; the entries keep what it was.
const allowListRemoved: Projection = (db, entry) => {
  const payload = payloadOf(entry, 'screening.allow_list_removed');
  removeFromAllowList(db, payload.leadId, [payload]);
};

const allowListExpired: Projection = (db, entry) => {
  const payload = payloadOf(entry, 'screening.allow_list_expired');
  removeFromAllowList(db, payload.leadId, payload.hits);
};

const removeFromAllowList = (
  db: Database,
  leadId: string,
  rows: readonly { listId: string; entryId: string; entryVersion: string }[],
): void => {
  const remove = statement(
    db,
    'DELETE FROM screening_allow_list WHERE lead_id = ? AND list_id = ? AND entry_id = ? AND entry_version = ?',
  );
  for (const row of rows) remove.run(leadId, row.listId, row.entryId, row.entryVersion);
};

const hitSuppressed: Projection = (db, entry) => {
  const payload = payloadOf(entry, 'screening.hit_suppressed');
  countForRun(db, payload.run, 'suppressed', payload.hits.length);
  const count = statement(
    db,
    `UPDATE screening_allow_list SET suppressed = suppressed + 1, last_suppressed_at = ?
     WHERE lead_id = ? AND list_id = ? AND entry_id = ? AND entry_version = ?`,
  );
  for (const hit of payload.hits) count.run(entry.time, payload.leadId, hit.listId, hit.entryId, hit.entryVersion);
};

// The resolved hits no longer hold the lead's routing: in its screening they read as cleared, and why is kept apart.
const hitsResolved: Projection = (db, entry, sequence) => {
  const payload = payloadOf(entry, 'screening.hits_resolved');
  countForRun(db, payload.run, 'resolved', payload.hits.length);
  const row = statement<[string], { screening: string | null }>(db, 'SELECT screening FROM leads WHERE id = ?').get(
    payload.leadId,
  );
  if (row?.screening) {
    const screening = JSON.parse(row.screening) as Payload;
    const resolves = (hit: Payload): boolean =>
      payload.hits.some(
        (resolved) =>
          resolved.listId === hit.listId &&
          resolved.entryId === hit.entryId &&
          resolved.listVersion === hit.listVersion,
      );
    const hits = (screening.hits as Payload[]).map((hit) => (resolves(hit) ? { ...hit, cleared: true } : hit));
    statement(db, 'UPDATE leads SET screening = ? WHERE id = ?').run(
      canonicalJson({ ...screening, hits }),
      payload.leadId,
    );
  }
  const insert = statement(
    db,
    `INSERT INTO screening_resolutions (lead_id, list_id, entry_id, list_version, reason, run_id, resolved_at, resolved_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const hit of payload.hits)
    insert.run(
      payload.leadId,
      hit.listId,
      hit.entryId,
      hit.listVersion,
      payload.reason,
      payload.run,
      entry.time,
      sequence,
    );
};

// Reads, exports, key rotation, list imports and sync change no projection.
const nothing: Projection = () => undefined;

/** Whether entries of this type change no projection (another device's are then applied without a receipt). */
export const projectsNothing = (type: AuditEventType): boolean => PROJECTIONS[type] === nothing;

// The origin and sequence of the entry being projected: set while another device's entry is projected through its
// receipt (decision 0242), else this log's own.
let projectingRemote: EntryRef | null = null;

const refOf = (db: Database, sequence: number): EntryRef =>
  projectingRemote ?? { origin: auditLogIdentity(db).origin, seq: sequence };

/**
 * Where this log holds an entry a payload names by its sequence: itself for a local entry; for another device's, the
 * receipt that applied it here (decision 0242), or null when it was applied without one.
 */
const localSequenceOf = (db: Database, sequence: number): number => {
  if (projectingRemote === null) return sequence;
  const applied = statement<[string, number], { applied_seq: number | null }>(
    db,
    'SELECT applied_seq FROM sync_inbox WHERE origin = ? AND seq = ?',
  ).get(projectingRemote.origin, sequence)?.applied_seq;
  return applied ?? -1;
};

const caseTools: CaseProjectionTools = {
  moveCount,
  applyCaseState,
  applyEffect,
  reasonAt: (db, sequence) => text(personalDataAt(db, sequence)?.reason),
  refOf,
};

/**
 * This device's receipt of another device's entry: projects that entry, read from the inbox, at the receipt's place in
 * this log, so live apply and a rebuild replay it in the same order. Its personal data is the receipt's.
 */
const syncApplied: Projection = (db, entry, sequence) => {
  const payload = payloadOf(entry, 'sync.applied');
  const row = statement<[string, number], { bytes: Buffer }>(
    db,
    'SELECT bytes FROM sync_inbox WHERE origin = ? AND seq = ?',
  ).get(payload.origin, payload.seq);
  if (!row) throw new Error(`projector: the inbox holds no entry ${payload.origin}#${payload.seq} to apply`);
  const applied = JSON.parse(row.bytes.toString('utf8')) as AuditEntry;
  const outer = projectingRemote;
  projectingRemote = { origin: payload.origin, seq: payload.seq };
  try {
    PROJECTIONS[applied.type](db, applied, sequence);
  } finally {
    projectingRemote = outer;
  }
};

/** One projection per event type: the compiler holds the table to the closed set. */
export const PROJECTIONS: Readonly<Record<AuditEventType, Projection>> = {
  'log.created': nothing,
  'key.rotated': nothing,
  'lead.ingested': leadIngested,
  'lead.screened': leadScreened,
  'routing.decided': routingDecided,
  'case.opened': caseOpened,
  'lead.intake': leadIntake,
  // A version 1 case.claimed with action "release" is a release: the state it carries says so either way.
  // Claims are leases (decision 0246); decisions are checked against the case version they saw (decision 0243).
  'case.claimed': leaseEvent(caseTools),
  'case.released': leaseEvent(caseTools),
  'case.decided': decisionEvent(caseTools),
  'case.approved': decisionEvent(caseTools),
  'case.returned': decisionEvent(caseTools),
  'personal_data.read': nothing,
  'user.created': userCreated,
  'user.role_changed': rolesChanged,
  'permission.granted': signInPermission(1),
  'permission.revoked': signInPermission(0),
  'market.reassigned': marketsReassigned,
  'policy.published': policyPublished,
  'list.imported': nothing,
  'audit.exported': nothing,
  'retention.purged': retentionPurged,
  'subject.erased': subjectErased,
  'sync.pushed': nothing,
  'sync.pulled': nothing,
  'store.rekeyed': nothing,
  // The door: sign-ins, sign-outs and refusals change no projection.
  'access.denied': nothing,
  'session.signed_in': nothing,
  'session.signed_out': nothing,
  'session.sign_in_failed': nothing,
  // A refused erasure changes nothing; an override waits (its request is read from the log); an approved one is
  // followed by its subject.erased entry.
  'erasure.refused': nothing,
  'erasure.override_requested': nothing,
  'erasure.override_approved': nothing,
  'meta.requested': metaRequested,
  'meta.approved': metaDecided('approved'),
  'meta.rejected': metaDecided('rejected'),
  'monitoring.started': monitoringStarted,
  'personal_data.bulk_read': bulkRead,
  'screening.hit_suppressed': hitSuppressed,
  'screening.hits_resolved': hitsResolved,
  'screening.allow_listed': allowListed,
  'screening.allow_list_removed': allowListRemoved,
  'screening.allow_list_expired': allowListExpired,
  'monitoring.completed': monitoringCompleted,
  // The product-path lifecycle (issue 14); a refused command changes nothing.
  'path.outreach_recorded': outreachRecorded,
  'path.stage_changed': stageChanged,
  'path.checklist_item_done': checklistItemDone,
  'path.reassigned': pathReassigned,
  'path.command_refused': nothing,
  'lead.facts_updated': factsUpdated,
  // The KYC connector's outbox is its working state, written by the connector in the same transaction (decision 0210).
  'kyc.initiation_queued': nothing,
  'kyc.initiation_delivered': nothing,
  'kyc.delivery_dead_lettered': nothing,
  'kyc.delivery_retried': nothing,
  'kyc.outcome_received': nothing,
  'kyc.callback_refused': nothing,
  'kyc.connector_configured': nothing,
  'distribution.key_pinned': nothing,
  'distribution.refused': nothing,
  // Another device's entry applied here (decision 0242), and a sync conflict resolved (decision 0244).
  'sync.applied': syncApplied,
  'sync.apply_refused': nothing,
  'case.conflict_resolved': conflictResolved(caseTools),
  'path.contact_planned': contactPlanned,
  // A lead refused at intake by residency (decision 0270) is not a lead: nothing to project.
  'lead.residency_refused': nothing,
  // Device decisions taken through the hub (decision 0273): the hub holds the state.
  'sync.device_approved': nothing,
  'sync.device_revoked': nothing,
};

export const projectEntry = (db: Database, entry: AuditEntry, sequence: number, known?: KnownAtAppend): void =>
  PROJECTIONS[entry.type](db, entry, sequence, known);

/**
 * Every projection column that holds a copy of a lead's personal data, emptied in one place: the erasure command, a
 * retention purge and a rebuild from the log all call this, so they leave the same rows. A new personal column is one
 * more line here.
 */
export const eraseLeadFromProjections = (db: Database, leadId: string): void => {
  const placeholder = displaySubject(null, leadId);
  const row = statement<[string], { facts: string; screening: string | null }>(
    db,
    'SELECT facts, screening FROM leads WHERE id = ?',
  ).get(leadId);
  if (!row) return;
  statement(db, 'UPDATE leads SET subject = ?, source_id = ?, facts = ?, screening = ? WHERE id = ?').run(
    placeholder,
    placeholder,
    factsWithoutAttributeValues(row.facts),
    row.screening === null ? null : screeningWithoutNames(row.screening),
    leadId,
  );
  eraseLeadLifecycle(db, leadId);
  eraseConflictReasons(db, leadId);
  // The reasons officers gave about the lead are its personal data too (decision 0141).
  const cases = statement<[string], { id: string; maker: string | null; checker: string | null }>(
    db,
    'SELECT id, maker, checker FROM cases WHERE lead_id = ? ORDER BY id',
  ).all(leadId);
  for (const kase of cases)
    statement(db, 'UPDATE cases SET subject = ?, maker = ?, checker = ? WHERE id = ?').run(
      placeholder,
      withoutReason(kase.maker),
      withoutReason(kase.checker),
      kase.id,
    );
};

const withoutReason = (column: string | null): string | null =>
  column === null ? null : canonicalJson({ ...(JSON.parse(column) as Payload), reason: ERASED });

// The listed entries' names a screening hit shows are kept beside the log under the lead's subject.
const screeningWithoutNames = (screening: string): string => {
  const parsed = JSON.parse(screening) as Payload;
  const hits = Array.isArray(parsed.hits) ? (parsed.hits as Payload[]) : [];
  return canonicalJson({ ...parsed, hits: hits.map((hit) => ({ ...hit, entryName: ERASED })) });
};

// Free attribute values (emails, notes) are personal; their names stay, so a rule can still say what it looked at.
const factsWithoutAttributeValues = (facts: string): string => {
  const parsed = JSON.parse(facts) as Payload;
  const attributes = parsed.attributes as Payload | undefined;
  if (!attributes || typeof attributes !== 'object') return facts;
  return canonicalJson({
    ...parsed,
    attributes: Object.fromEntries(Object.keys(attributes).map((name) => [name, '[erased]'])),
  });
};
