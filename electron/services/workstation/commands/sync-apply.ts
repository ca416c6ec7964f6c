// Applying other devices' entries through the one door (issue 15, decisions 0242 and 0247): the inbox a pull filled is
// checked entry by entry with the same strict schemas as the local log, and each entry that changes a projection is
// applied by this device's own receipt (`sync.applied`), projected by the same projector, in one transaction per
// batch. Per-origin cursors make it idempotent and resumable; receipts of other devices order the apply causally.
import { checkEntryShape, commitPersonalData } from '../../../../core/audit/entry.ts';
import type { AuditEntry, JsonObject } from '../../../../core/audit/entry.ts';
import type { JsonValue } from '../../../../core/shared/canonical-json.ts';
import { EVENT_DEFINITIONS, EVENT_TYPE_DOCS, PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { CASE_DECISION_PAYLOAD_VERSION } from '../../../../core/audit/events/case.ts';
import { hashLeaf } from '../../../../core/audit/merkle.ts';
import { auditLogIdentity } from '../../audit/audit-log.ts';
import { nodeSha256 } from '../../audit/node-sha256.ts';
import { statement } from '../../store/statements.ts';
import { SyncError } from '../../sync/hub-client.ts';
import { projectsNothing } from '../projection/projector.ts';
import { actorOf, commit } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

export type ApplyResult = {
  /** Entries of other devices applied (with or without a receipt). */
  readonly applied: number;
  /** Receipts appended: the applied entries that changed a projection. */
  readonly receipts: number;
  /** Origins whose apply waits for an entry of another origin this device has not pulled yet. */
  readonly waiting: readonly string[];
};

type InboxRow = { seq: number; bytes: Buffer };
type PersonalRow = { subject: string; regime: string; salt: Buffer; data: Buffer | null };

/** A checked entry of another device: the entry, and the personal data it committed to (when still held). */
type CheckedEntry = {
  readonly origin: string;
  readonly seq: number;
  readonly entry: AuditEntry;
  readonly leafHash: string;
  readonly personal: { readonly subject: string; readonly regime: string; readonly data: JsonObject } | null;
};

/** An entry refused: names the origin, the sequence and the field, as every boundary error does. */
export class ApplyRefused extends SyncError {
  readonly origin: string;
  readonly seq: number;
  readonly field: string;
  readonly problem: string;
  constructor(origin: string, seq: number, field: string, problem: string) {
    super('invalid_entry', `origin ${origin}, entry ${seq}: ${field}: ${problem}`);
    this.origin = origin;
    this.seq = seq;
    this.field = field;
    this.problem = problem;
  }
}

/** The same checks the local log makes of a new entry: its shape, its strict payload, its personal data. */
const checkRemoteEntry = (origin: string, row: InboxRow, personal: PersonalRow | undefined): CheckedEntry => {
  const refuse = (field: string, problem: string): never => {
    throw new ApplyRefused(origin, row.seq, field, problem);
  };
  let value: unknown;
  try {
    value = JSON.parse(row.bytes.toString('utf8'));
  } catch {
    return refuse('entry', 'not JSON');
  }
  const problem = checkEntryShape(value);
  if (problem) return refuse(problem.field || 'entry', problem.message);
  const entry = value as AuditEntry;
  if (entry.sequence !== String(row.seq)) refuse('sequence', `the inbox holds it at ${row.seq}`);
  // A decision of version 3 must name the case version it saw (decision 0243), or no conflict could be found.
  const payload = entry.payload as { pv?: unknown; caseVersion?: unknown };
  if (
    (entry.type === 'case.decided' || entry.type === 'case.approved' || entry.type === 'case.returned') &&
    payload.pv === CASE_DECISION_PAYLOAD_VERSION &&
    payload.caseVersion === undefined
  )
    refuse('payload.caseVersion', 'a version 3 decision names the case version it saw');
  let data: JsonObject | null = null;
  if (personal?.data) {
    const definition = EVENT_DEFINITIONS[entry.type];
    const parsed = JSON.parse(personal.data.toString('utf8')) as JsonValue;
    if (definition.personal === null) refuse('personalData', `${entry.type} entries carry no personal data`);
    const checked = definition.personal!.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      refuse(['personalData', ...(issue?.path ?? []).map(String)].join('.'), issue?.message ?? 'invalid');
    }
    if (commitPersonalData(new Uint8Array(personal.salt), parsed, nodeSha256) !== entry.commitment)
      refuse('commitment', 'the personal data does not open the entry’s commitment');
    data = parsed as JsonObject;
  }
  return {
    origin,
    seq: row.seq,
    entry,
    leafHash: Buffer.from(hashLeaf(nodeSha256, new Uint8Array(row.bytes))).toString('hex'),
    personal: data === null || !personal ? null : { subject: personal.subject, regime: personal.regime, data },
  };
};

// Device-local facts (decision 0242): each workstation's own accounts, roles, key slots, sessions and policy
// publication (policy reaches a device by signed distribution, not by another device's log), and a retention purge
// (it names ranges of the purging device's own log; every device purges its own by the policy).
const DEVICE_LOCAL_CATEGORIES: ReadonlySet<string> = new Set(['log', 'administration', 'access', 'sync']);
const DEVICE_LOCAL_TYPES: ReadonlySet<string> = new Set(['retention.purged']);

/**
 * Whether applying this entry of another device writes a receipt (and so changes this device's projections). Another
 * device's receipts, device-local facts and everything that changes no projection are applied without one: a receipt
 * of a receipt would bounce between devices forever.
 */
export const needsReceipt = (entry: AuditEntry): boolean =>
  !DEVICE_LOCAL_CATEGORIES.has(EVENT_TYPE_DOCS[entry.type].category) &&
  !DEVICE_LOCAL_TYPES.has(entry.type) &&
  !projectsNothing(entry.type);

/**
 * Applies the inbox: every origin from its apply cursor on, batch by batch (one transaction each). An entry of another
 * device that records applying a third device's entry waits until this device has applied that entry itself, so
 * causes are applied before their effects on every device. An invalid entry is refused (`sync.apply_refused`,
 * `ApplyRefused` thrown): nothing of its batch is applied, and its origin stops there.
 */
export const applyInbox = (
  session: Session,
  options: { readonly batch?: number; readonly maxEntries?: number } = {},
): ApplyResult => {
  const { db } = session.workstation;
  const own = auditLogIdentity(db).origin;
  const batch = Math.max(1, options.batch ?? 1_000);
  let budget = options.maxEntries ?? Number.POSITIVE_INFINITY;
  let applied = 0;
  let receipts = 0;
  const waiting = new Set<string>();
  const nextOf = (origin: string): number =>
    statement<[string], { next: number }>(db, 'SELECT next FROM sync_apply_cursors WHERE origin = ?').get(origin)
      ?.next ?? 0;
  const rowsFrom = statement<[string, number, number], InboxRow>(
    db,
    'SELECT seq, bytes FROM sync_inbox WHERE origin = ? AND seq >= ? ORDER BY seq LIMIT ?',
  );
  const personalOf = statement<[string, number], PersonalRow>(
    db,
    'SELECT subject, regime, salt, data FROM sync_inbox_personal_data WHERE origin = ? AND seq = ?',
  );

  const applyRun = (origin: string, run: readonly CheckedEntry[]): void => {
    commit(session.workstation, (append) => {
      for (const checked of run) {
        if (!needsReceipt(checked.entry)) continue;
        const receipt = append({
          actor: actorOf(session.user),
          type: 'sync.applied',
          subjects: [`device:${checked.entry.log}`, ...checked.entry.subjects.slice(0, 63)],
          payload: {
            pv: PAYLOAD_VERSION,
            origin,
            seq: checked.seq,
            type: checked.entry.type,
            leafHash: checked.leafHash,
          },
          ...(checked.personal ? { personalData: checked.personal } : {}),
        });
        statement(db, 'UPDATE sync_inbox SET applied_seq = ? WHERE origin = ? AND seq = ?').run(
          receipt.sequence,
          origin,
          checked.seq,
        );
        receipts++;
      }
      statement(
        db,
        'INSERT INTO sync_apply_cursors (origin, next) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET next = excluded.next',
      ).run(origin, run[run.length - 1]!.seq + 1);
    });
    applied += run.length;
    budget -= run.length;
  };

  const isWithheld = statement<[string, number], number>(
    db,
    'SELECT 1 FROM sync_inbox_withheld WHERE origin = ? AND seq = ?',
  ).pluck();
  const putCursor = statement(
    db,
    'INSERT INTO sync_apply_cursors (origin, next) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET next = excluded.next',
  );

  /** Applies `origin` up to (not including) `through`, or all it holds; false when it must wait for another origin. */
  const applyOrigin = (origin: string, through: number | null, visiting: ReadonlySet<string>): boolean => {
    for (;;) {
      const next = nextOf(origin);
      if (through !== null && next >= through) return true;
      // Entries the hub withheld (a lead outside this device's markets, decision 0250) are only leaf hashes here:
      // nothing to apply, so the cursor moves past them.
      if (isWithheld.get(origin, next) !== undefined) {
        let past = next + 1;
        while (isWithheld.get(origin, past) !== undefined) past++;
        putCursor.run(origin, past);
        continue;
      }
      if (budget <= 0) return false;
      const rows = rowsFrom.all(origin, next, Math.min(batch, budget));
      const run: CheckedEntry[] = [];
      let dependency: { origin: string; through: number } | null = null;
      for (const row of rows) {
        if (row.seq !== next + run.length || (through !== null && row.seq >= through)) break;
        let checked: CheckedEntry;
        try {
          checked = checkRemoteEntry(origin, row, personalOf.get(origin, row.seq));
        } catch (error) {
          if (error instanceof ApplyRefused) recordRefusal(session, error);
          throw error;
        }
        if (checked.entry.type === 'sync.applied') {
          const cause = checked.entry.payload as { origin: string; seq: number };
          if (cause.origin !== own && nextOf(cause.origin) <= cause.seq) {
            dependency = { origin: cause.origin, through: cause.seq + 1 };
            break;
          }
        }
        run.push(checked);
      }
      if (run.length > 0) applyRun(origin, run);
      if (dependency) {
        if (visiting.has(dependency.origin))
          throw new SyncError('protocol', `origins ${origin} and ${dependency.origin} each wait for the other`);
        if (!applyOrigin(dependency.origin, dependency.through, new Set([...visiting, origin]))) {
          waiting.add(origin);
          return false;
        }
        continue;
      }
      if (run.length === 0) return through === null;
    }
  };

  const origins = statement<[string], { origin: string }>(
    db,
    'SELECT DISTINCT origin FROM sync_inbox WHERE origin <> ? ORDER BY origin',
  )
    .all(own)
    .map((row) => row.origin);
  for (const origin of origins) applyOrigin(origin, null, new Set());
  return { applied, receipts, waiting: [...waiting].sort() };
};

/** The refusal is an entry of its own, in its own transaction (the refused batch rolled back). */
const recordRefusal = (session: Session, refused: ApplyRefused): void => {
  commit(session.workstation, (append) =>
    append({
      actor: actorOf(session.user),
      type: 'sync.apply_refused',
      subjects: [],
      payload: {
        pv: PAYLOAD_VERSION,
        origin: refused.origin,
        seq: refused.seq,
        field: refused.field.slice(0, 500),
        problem: refused.problem.slice(0, 500),
      },
    }),
  );
};
