// Erasing a lead and retention per regime: the session-checked commands (erase, override four-eyes, purge, report). The
// data beside the log and every projection copy go in one transaction; a record-keeping period the policy requires
// refuses an erasure until it ends, unless two senior officers override it (decision 0150).
import { hasPermission } from '../../../../core/access/roles.ts';
import type { PolicyBundle } from '../../../../core/policy/schema.ts';
import { utcTimeText } from '../../../../core/audit/fields.ts';
import { eraseSubject, flushErasedPages, purgeExpiredPersonalData, yearsBefore } from '../../audit/erasure.ts';
import type { PurgedRule } from '../../audit/erasure.ts';
import { statement } from '../../store/statements.ts';
import { projectEntry } from '../projection/projector.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import { visibleLead } from './users.ts';
import { requireEveryMarket, requirePermission as requireDoorPermission } from '../session/access.ts';
import type { Session, Workstation } from '../session/workstation.ts';

export type RetentionPolicyRule = PolicyBundle['retention'][number];

/** Free text about an erasure (reasons) is personal data of its writer, kept beside the log under this regime. */
export const ERASURE_RECORDS_REGIME = 'erasure-records';
/** How often retention runs while the browser host or the desktop app runs (it also runs at every sign-in). */
export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** Who runs retention when nobody asked: workstation start-up and the daily timer. */
export const RETENTION_ACTOR = 'system:retention';

/** Why a lead's data may not be erased yet: the required period that holds it the longest. */
export type RetentionHold = {
  readonly regime: string;
  readonly years: number;
  readonly basis: string | null;
  /** The first day (UTC) on which the data may be erased: its entry's day plus the period. */
  readonly erasableFrom: string;
};

export type PendingOverride = {
  readonly requestId: string;
  readonly leadId: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly regime: string;
  readonly years: number;
  readonly erasableFrom: string;
};

export type ErasureOutcome =
  | { readonly outcome: 'erased'; readonly leadId: string; readonly records: number; readonly tombstone: string }
  | ({
      readonly outcome: 'refused';
      readonly leadId: string;
      readonly message: string;
      /** The erasure.refused entry. */
      readonly sequence: string;
    } & RetentionHold)
  | ({
      readonly outcome: 'override_requested';
      readonly leadId: string;
      readonly message: string;
      readonly requestId: string;
    } & RetentionHold);

export const holdMessage = (hold: RetentionHold): string =>
  `kept under ${hold.regime} for ${hold.years} years${hold.basis ? ` (${hold.basis})` : ''}: erasable from ${hold.erasableFrom}`;

const leadSubject = (leadId: string): string => `lead:${leadId}`;

const requirePermission = (session: Session): void => {
  if (!hasPermission(session.user, 'lead.erase'))
    throw new WorkstationError('forbidden', `${session.user.id} may not erase personal data`);
};

// Unknown and out-of-market leads look the same: no probing for ids (the door logs the out-of-market refusal).
const requireVisibleLead = (session: Session, leadId: string): void => {
  visibleLead(session, leadId);
};

const dayOf = (time: Date): string => utcTimeText(time).slice(0, 10);

/**
 * The required retention period still holding some of the lead's personal data at `now`, the one ending last; null
 * when none does. The period runs from the entry that recorded the data (decision 0150).
 */
export const retentionHold = (workstation: Workstation, leadId: string, now: Date): RetentionHold | null => {
  const required = new Map(
    workstation
      .policy()
      .loaded.policy.retention.filter((rule) => rule.required)
      .map((rule) => [rule.regime, rule]),
  );
  if (required.size === 0) return null;
  const held = statement<[string], { regime: string; time: string }>(
    workstation.db,
    `SELECT p.regime, e.time FROM audit_personal_data p JOIN audit_entries e ON e.sequence = p.sequence
     WHERE p.subject = ? AND p.data IS NOT NULL`,
  ).all(leadSubject(leadId));
  let longest: { hold: RetentionHold; endsAt: number } | null = null;
  for (const row of held) {
    const rule = required.get(row.regime);
    if (!rule) continue;
    const endsAt = yearsBefore(new Date(row.time), -rule.years);
    if (endsAt.getTime() <= now.getTime() || (longest && longest.endsAt >= endsAt.getTime())) continue;
    longest = {
      endsAt: endsAt.getTime(),
      hold: { regime: rule.regime, years: rule.years, basis: rule.basis ?? null, erasableFrom: dayOf(endsAt) },
    };
  }
  return longest?.hold ?? null;
};

const reasonOf = (session: Session, reason: string) => ({
  subject: actorOf(session.user),
  regime: ERASURE_RECORDS_REGIME,
  data: { reason },
});

// The subject.erased entry and the projections, inside the caller's transaction; the entry is projected like any other.
const eraseWithin = (
  session: Session,
  leadId: string,
  basis: string,
  reason: string,
): { records: number; tombstone: number } => {
  const { workstation } = session;
  const erased = eraseSubject(
    workstation.db,
    {
      subject: leadSubject(leadId),
      actor: actorOf(session.user),
      now: workstation.deps.now(),
      basis,
      alsoNames: [actorOf(session.user)],
      personalData: reasonOf(session, reason),
    },
    workstation.deps,
  );
  projectEntry(workstation.db, erased.entry, erased.tombstone);
  return { records: erased.erased.length, tombstone: erased.tombstone };
};

const pendingOverrides = (workstation: Workstation): PendingOverride[] => {
  const entries = (type: string) =>
    statement<[string], { canonical: Buffer }>(
      workstation.db,
      'SELECT canonical FROM audit_entries WHERE type = ? ORDER BY sequence',
    )
      .all(type)
      .map(
        (row) =>
          JSON.parse(row.canonical.toString('utf8')) as {
            time: string;
            actor: string;
            subjects: string[];
            payload: Record<string, unknown>;
          },
      );
  const approved = new Set(entries('erasure.override_approved').map((entry) => String(entry.payload.requestId)));
  return entries('erasure.override_requested')
    .filter((entry) => !approved.has(String(entry.payload.requestId)))
    .map((entry) => ({
      requestId: String(entry.payload.requestId),
      leadId: (entry.subjects.find((subject) => subject.startsWith('lead:')) ?? 'lead:').slice('lead:'.length),
      requestedBy: entry.actor.replace(/^user:/, ''),
      requestedAt: entry.time,
      regime: String(entry.payload.regime),
      years: Number(entry.payload.years),
      erasableFrom: String(entry.payload.erasableFrom),
    }));
};

const nextSequence = (workstation: Workstation): number =>
  statement<[], number>(workstation.db, 'SELECT coalesce(max(sequence), -1) + 1 FROM audit_entries').pluck().get()!;

/**
 * Erases a lead's personal data: beside the log (tombstones) and every projection copy, in one transaction, with a
 * subject.erased entry. Inside a required retention period it is refused (an audited erasure.refused) with the date
 * the period ends, or, with `override`, a senior officer's override request for a second senior officer to approve.
 */
export const eraseLead = (
  session: Session,
  input: { readonly leadId: string; readonly reason: string; readonly override?: boolean },
): ErasureOutcome => {
  requirePermission(session);
  requireVisibleLead(session, input.leadId);
  const { workstation, user } = session;
  const result = commit(workstation, (append): ErasureOutcome => {
    const hold = retentionHold(workstation, input.leadId, workstation.deps.now());
    if (hold === null) {
      const erased = eraseWithin(session, input.leadId, 'erasure request (GDPR art. 17)', input.reason);
      return {
        outcome: 'erased',
        leadId: input.leadId,
        records: erased.records,
        tombstone: String(erased.tombstone),
      };
    }
    const subjects = [leadSubject(input.leadId), actorOf(user)];
    const facts = { regime: hold.regime, years: hold.years, erasableFrom: hold.erasableFrom };
    if (input.override === true) {
      if (!user.roles.includes('senior_officer'))
        throw new WorkstationError('forbidden', `${user.id} is not a senior officer: only one may request an override`);
      if (pendingOverrides(workstation).some((pending) => pending.leadId === input.leadId))
        throw new WorkstationError(
          'conflict',
          `an erasure override for lead ${input.leadId} is already awaiting approval`,
        );
      const requestId = `EO-${nextSequence(workstation)}`;
      append({
        actor: actorOf(user),
        type: 'erasure.override_requested',
        subjects,
        payload: { requestId, ...facts },
        personalData: reasonOf(session, input.reason),
      });
      return {
        outcome: 'override_requested',
        leadId: input.leadId,
        requestId,
        message: `${holdMessage(hold)}; override ${requestId} awaits a second senior officer`,
        ...hold,
      };
    }
    const refused = append({
      actor: actorOf(user),
      type: 'erasure.refused',
      subjects,
      payload: facts,
      personalData: reasonOf(session, input.reason),
    });
    return {
      outcome: 'refused',
      leadId: input.leadId,
      sequence: String(refused.sequence),
      message: holdMessage(hold),
      ...hold,
    };
  });
  if (result.outcome === 'erased') flushErasedPages(workstation.db);
  return result;
};

/**
 * The second pair of eyes on an erasure override: another senior officer than the requester approves it, and the lead
 * is erased in the same transaction (erasure.override_approved, then subject.erased).
 */
export const approveErasureOverride = (
  session: Session,
  input: { readonly requestId: string; readonly reason: string },
): ErasureOutcome => {
  requirePermission(session);
  const { workstation, user } = session;
  if (!user.roles.includes('senior_officer'))
    throw new WorkstationError('forbidden', `${user.id} is not a senior officer: only one may approve an override`);
  const result = commit(workstation, (append): ErasureOutcome => {
    const pending = pendingOverrides(workstation).find((one) => one.requestId === input.requestId);
    if (!pending) throw new WorkstationError('not_found', `no erasure override ${input.requestId} awaits approval`);
    requireVisibleLead(session, pending.leadId);
    if (pending.requestedBy === user.id)
      throw new WorkstationError(
        'forbidden',
        `${user.id} requested override ${input.requestId}: a second senior officer must approve it (maker ≠ checker)`,
      );
    append({
      actor: actorOf(user),
      type: 'erasure.override_approved',
      subjects: [leadSubject(pending.leadId), actorOf(user)],
      payload: { requestId: pending.requestId, requestedBy: `user:${pending.requestedBy}` },
      personalData: reasonOf(session, input.reason),
    });
    const erased = eraseWithin(
      session,
      pending.leadId,
      `erasure override ${pending.requestId} inside ${pending.regime} retention, approved by a second senior officer`,
      input.reason,
    );
    return { outcome: 'erased', leadId: pending.leadId, records: erased.records, tombstone: String(erased.tombstone) };
  });
  flushErasedPages(workstation.db);
  return result;
};

/** What the lead page shows before an erasure: whether it is erased, held by a required period, or awaiting approval. */
export const erasureStatus = (
  session: Session,
  leadId: string,
): {
  readonly leadId: string;
  readonly erased: boolean;
  readonly hold: RetentionHold | null;
  readonly pendingOverride: PendingOverride | null;
} => {
  requirePermission(session);
  requireVisibleLead(session, leadId);
  const { workstation } = session;
  const held = statement<[string], number>(
    workstation.db,
    'SELECT count(*) FROM audit_personal_data WHERE subject = ? AND data IS NOT NULL',
  )
    .pluck()
    .get(leadSubject(leadId))!;
  return {
    leadId,
    erased: held === 0,
    hold: retentionHold(workstation, leadId, workstation.deps.now()),
    pendingOverride: pendingOverrides(workstation).find((pending) => pending.leadId === leadId) ?? null,
  };
};

// --- retention --------------------------------------------------------------------------------------------------

export type RetentionRun = {
  readonly at: string;
  /** The retention.purged entry, or null when nothing had expired (then nothing is logged). */
  readonly sequence: string | null;
  readonly records: number;
  readonly rules: PurgedRule[];
};

const expiredCount = (workstation: Workstation, regime: string, cutoff: string): number =>
  statement<[string, string], number>(
    workstation.db,
    `SELECT count(DISTINCT p.subject) FROM audit_personal_data p JOIN audit_entries e ON e.sequence = p.sequence
     WHERE p.regime = ? AND p.data IS NOT NULL AND e.time < ?`,
  )
    .pluck()
    .get(regime, cutoff)!;

/**
 * Purges the personal data whose regime's retention period (from the active policy) has passed at `now`, with its
 * projection copies, in one transaction and one retention.purged entry. The same for start-up, the daily timer and a
 * person's run; nothing is logged when nothing has expired.
 */
export const purgeExpired = (workstation: Workstation, actor: string): RetentionRun => {
  const now = workstation.deps.now();
  const rules = workstation
    .policy()
    .loaded.policy.retention.map((rule) => ({ regime: rule.regime, years: rule.years }));
  const cutoffs = rules.map((rule) => ({ ...rule, cutoff: utcTimeText(yearsBefore(now, rule.years)) }));
  const due = cutoffs.some((rule) => expiredCount(workstation, rule.regime, rule.cutoff) > 0);
  if (!due)
    return {
      at: utcTimeText(now),
      sequence: null,
      records: 0,
      rules: cutoffs.map((rule) => ({ ...rule, subjects: '0' })),
    };
  return commit(workstation, () => {
    const purged = purgeExpiredPersonalData(workstation.db, { now, actor, rules }, workstation.deps);
    projectEntry(workstation.db, purged.entry, purged.tombstone);
    return { at: utcTimeText(now), sequence: String(purged.tombstone), records: purged.erased, rules: purged.rules };
  });
};

// Running retention now only brings forward what runs by itself; it purges every market, so it needs every market.
const requireRetentionRunner = (session: Session): void => {
  requireDoorPermission(session, 'retention.run', 'run a retention purge');
  requireEveryMarket(session, 'run a retention purge');
};

/** A person's retention run (CLI `perimeter retention run`): a senior officer of every market. */
export const runRetention = (session: Session): RetentionRun => {
  requireRetentionRunner(session);
  return purgeExpired(session.workstation, actorOf(session.user));
};

export type RetentionReport = {
  readonly at: string;
  readonly rules: {
    readonly regime: string;
    readonly years: number;
    readonly required: boolean;
    readonly basis: string | null;
    readonly cutoff: string;
    /** Data subjects with data still held under this regime. */
    readonly heldSubjects: number;
    /** Of those, how many are past the period and go at the next run. */
    readonly expiredSubjects: number;
  }[];
  readonly lastRuns: {
    readonly sequence: string;
    readonly at: string;
    readonly actor: string;
    readonly records: number;
    readonly rules: { readonly regime: string; readonly cutoff: string; readonly subjects: string | null }[];
  }[];
};

/** The retention report: per regime of the policy, the cut-off today and what is held; the last purges from the log. */
export const retentionReport = (session: Session): RetentionReport => {
  const { user, workstation } = session;
  if (!hasPermission(user, 'lead.erase') && !hasPermission(user, 'audit.read'))
    throw new WorkstationError('forbidden', `${user.id} may not see the retention report`);
  const now = workstation.deps.now();
  const heldCount = statement<[string], number>(
    workstation.db,
    'SELECT count(DISTINCT subject) FROM audit_personal_data WHERE regime = ? AND data IS NOT NULL',
  ).pluck();
  const rules = workstation.policy().loaded.policy.retention.map((rule) => {
    const cutoff = utcTimeText(yearsBefore(now, rule.years));
    return {
      regime: rule.regime,
      years: rule.years,
      required: rule.required,
      basis: rule.basis ?? null,
      cutoff,
      heldSubjects: heldCount.get(rule.regime)!,
      expiredSubjects: expiredCount(workstation, rule.regime, cutoff),
    };
  });
  const lastRuns = statement<[], { sequence: number; canonical: Buffer }>(
    workstation.db,
    "SELECT sequence, canonical FROM audit_entries WHERE type = 'retention.purged' ORDER BY sequence DESC LIMIT 5",
  )
    .all()
    .map((row) => {
      const entry = JSON.parse(row.canonical.toString('utf8')) as {
        time: string;
        actor: string;
        payload: { erased: string; rules: { regime: string; cutoff: string; subjects?: string }[] };
      };
      return {
        sequence: String(row.sequence),
        at: entry.time,
        actor: entry.actor,
        records: Number(entry.payload.erased),
        rules: entry.payload.rules.map((rule) => ({
          regime: rule.regime,
          cutoff: rule.cutoff,
          subjects: rule.subjects ?? null,
        })),
      };
    });
  return { at: utcTimeText(now), rules, lastRuns };
};
