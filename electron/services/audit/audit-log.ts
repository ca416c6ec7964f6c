// The audit log service: the one path that appends entries (with personal data beside them), signs and rotates.
import { canonicalJsonBytes } from '../../../core/shared/canonical-json.ts';
import type { JsonValue } from '../../../core/shared/canonical-json.ts';
import type { Sha256 } from '../../../core/shared/sha256.ts';
import { hexToBytes } from '../../../core/audit/bytes.ts';
import { commitCanonicalBytes } from '../../../core/audit/entry.ts';
import type { JsonObject, LogHead } from '../../../core/audit/entry.ts';
import { checkNewEvent, PAYLOAD_VERSION } from '../../../core/audit/event-types.ts';
import { PROSPECT_REGIME } from '../../../core/intake/lead-record.ts';
import type { AuditEventType, PayloadOf, PersonalOf } from '../../../core/audit/event-types.ts';
import { LOG_ID_PATTERN, utcTimeText } from '../../../core/audit/fields.ts';
import type { LogId } from '../../../core/audit/fields.ts';
import {
  AuditLogError,
  activeSigningKey,
  appendEntry,
  createLog,
  rotateSigningKey,
  signLogCheckpoint,
} from '../../../core/audit/log-engine.ts';
import type { Appended, LogIdentity, StoredCheckpoint } from '../../../core/audit/log-engine.ts';
import { isValidKeyName } from '../../../core/audit/note.ts';
import type { Database } from '../store/database.ts';
import { statement } from '../store/statements.ts';
import { inTransaction } from '../store/transaction.ts';
import { nodeSha256 } from './node-sha256.ts';
import { pooledRandomBytes } from './random-pool.ts';
import { sqliteAuditStore } from './sqlite-store.ts';

export type AuditDeps = {
  readonly sha256?: Sha256;
  /** Salts and signing seeds; node:crypto's CSPRNG unless a test passes its own. */
  readonly randomBytes?: (size: number) => Uint8Array;
};

export const DEFAULT_KEY_VALIDITY_DAYS = 365;
export const SALT_BYTES = 32;
const DAY_MS = 86_400_000;

/** Event types only the service itself writes, each through its own function. */
const SERVICE_ONLY_TYPES: ReadonlySet<AuditEventType> = new Set([
  'log.created',
  'key.rotated',
  'audit.exported',
  'subject.erased',
  'retention.purged',
]);

export const defaultOrigin = (logId: string): string => `perimeter/audit/${logId}`;

const sha = (deps: AuditDeps): Sha256 => deps.sha256 ?? nodeSha256;
const random = (deps: AuditDeps): ((size: number) => Uint8Array) => deps.randomBytes ?? pooledRandomBytes;

const keyWindow = (now: Date, validityDays: number): { validFrom: string; validUntil: string } => ({
  validFrom: utcTimeText(now),
  validUntil: utcTimeText(new Date(now.getTime() + validityDays * DAY_MS)),
});

/** Creates the device's log in an empty database: log.created, the first signing key, the first checkpoint. */
export const initialiseAuditLog = (
  db: Database,
  input: {
    readonly logId: string;
    readonly origin?: string;
    readonly now: Date;
    readonly actor: string;
    readonly keyValidityDays?: number;
  },
  deps: AuditDeps = {},
): { readonly identity: LogIdentity; readonly checkpoint: StoredCheckpoint; readonly verifierKey: string } => {
  if (!LOG_ID_PATTERN.test(input.logId))
    throw new AuditLogError(`log id ${JSON.stringify(input.logId)}: 1 to 64 letters, digits, ".", "_" or "-"`, 'logId');
  const origin = input.origin ?? defaultOrigin(input.logId);
  if (!isValidKeyName(origin))
    throw new AuditLogError(`origin ${JSON.stringify(origin)} may not contain spaces or "+"`, 'origin');
  const identity: LogIdentity = { logId: input.logId as LogId, origin };
  return inTransaction(db, () => {
    if (db.prepare('SELECT 1 FROM audit_log').get())
      throw new AuditLogError('this database already holds an audit log', 'logId');
    db.prepare('INSERT INTO audit_log (singleton, log_id, origin) VALUES (1, ?, ?)').run(identity.logId, origin);
    const checkpoint = createLog(
      sqliteAuditStore(db),
      identity,
      {
        time: utcTimeText(input.now),
        actor: input.actor,
        key: { seed: random(deps)(32), ...keyWindow(input.now, input.keyValidityDays ?? DEFAULT_KEY_VALIDITY_DAYS) },
      },
      sha(deps),
    );
    return { identity, checkpoint, verifierKey: activeSigningKey(sqliteAuditStore(db))!.verifierKey };
  });
};

// The identity never changes once the log exists (the table is append-only), so one read per connection suffices.
const identities = new WeakMap<Database, LogIdentity>();

export const auditLogIdentity = (db: Database): LogIdentity => {
  const cached = identities.get(db);
  if (cached) return cached;
  const row = db.prepare<[], { log_id: string; origin: string }>('SELECT log_id, origin FROM audit_log').get();
  if (!row) throw new AuditLogError('this database has no audit log yet (initialise it first)');
  const identity: LogIdentity = { logId: row.log_id as LogId, origin: row.origin };
  identities.set(db, identity);
  return identity;
};

export type PersonalDataInput<D = JsonValue> = {
  /** The data subject, one of the entry's subjects (lead:L-1042). */
  readonly subject: string;
  /** The retention regime (from the policy) that decides when the data is purged. */
  readonly regime: string;
  readonly data: D;
};

/** One event of type T: its payload and personal data typed by T's schemas (core/audit/events). */
export type TypedAuditEvent<T extends AuditEventType> = {
  readonly time: Date;
  readonly actor: string;
  readonly type: T;
  readonly subjects: readonly string[];
  /** Event data without personal data: exactly T's payload schema, checked at write time. */
  readonly payload: PayloadOf<T>;
  /** Personal data is stored beside the log; the entry holds only its salted commitment. */
  readonly personalData?: PersonalDataInput<PersonalOf<T>>;
};

export type AuditEvent = { [T in AuditEventType]: TypedAuditEvent<T> }[AuditEventType];

// A device clock that steps back must not break the log's order: the entry takes its predecessor's time instead.
const monotonicTime = (db: Database, time: Date): string => {
  const text = utcTimeText(time);
  const head = sqliteAuditStore(db).head();
  return head && head.time > text ? head.time : text;
};

const INSERT_PERSONAL_DATA =
  'INSERT INTO audit_personal_data (sequence, subject, regime, commitment, salt, data) VALUES (?, ?, ?, ?, ?, ?)';

const appendWithin = (db: Database, event: AuditEvent, deps: AuditDeps, knownHead?: LogHead): Appended => {
  // Typed events (decision 0140): the payload exactly its type's current shape, personal data exactly its own.
  const problem = checkNewEvent(event.type, event.payload, event.personalData?.data);
  if (problem) throw new AuditLogError(`${event.type} entry: ${problem.field}: ${problem.message}`, problem.field);
  const sha256 = sha(deps);
  let commitment: string | null = null;
  let salt: Uint8Array | null = null;
  let canonicalData: Uint8Array | null = null;
  if (event.personalData) {
    if (!event.subjects.includes(event.personalData.subject))
      throw new AuditLogError(
        `personal data subject ${event.personalData.subject} is not among the entry's subjects`,
        'personalData.subject',
      );
    salt = random(deps)(SALT_BYTES);
    // The bytes committed to are the bytes stored: canonical once, used twice.
    canonicalData = canonicalJsonBytes(event.personalData.data as JsonValue);
    commitment = commitCanonicalBytes(salt, canonicalData, sha256);
  }
  const appended = appendEntry(
    sqliteAuditStore(db),
    auditLogIdentity(db),
    {
      time: utcTimeText(event.time),
      actor: event.actor,
      type: event.type,
      subjects: event.subjects,
      payload: event.payload as unknown as JsonObject,
      commitment,
    },
    sha256,
    // checkNewEvent above parsed the payload with its type's current schema: createEntry need not parse it again.
    knownHead ? { clampTime: true, payloadChecked: true, head: knownHead } : { clampTime: true, payloadChecked: true },
  );
  if (event.personalData && salt && commitment && canonicalData) {
    statement(db, INSERT_PERSONAL_DATA).run(
      appended.sequence,
      event.personalData.subject,
      event.personalData.regime,
      hexToBytes(commitment),
      salt,
      canonicalData,
    );
  }
  return appended;
};

/**
 * Appends one audit entry, inside the caller's transaction when there is one (as a savepoint), so the entry and the
 * projection change it records commit or roll back together.
 */
export const appendAuditEvent = (db: Database, event: AuditEvent, deps: AuditDeps = {}): Appended =>
  inTransaction(db, () => appendAuditEventInTransaction(db, event, deps));

/**
 * The same append inside a transaction the caller holds open (the workstation's command path), without a savepoint
 * per entry: the caller's transaction is the unit, and any error rolls all of it back. `knownHead` is the entry the
 * caller appended last in this same transaction (see `AppendOptions.head`).
 */
export const appendAuditEventInTransaction = (
  db: Database,
  event: AuditEvent,
  deps: AuditDeps = {},
  knownHead?: LogHead,
): Appended => {
  if (!db.inTransaction) throw new AuditLogError('appendAuditEventInTransaction needs an open transaction');
  if (SERVICE_ONLY_TYPES.has(event.type))
    throw new AuditLogError(`${event.type} entries are written by the audit service's own operations`, 'type');
  return appendWithin(db, event, deps, knownHead);
};

/** For the service's own meta-actions (erasure, purge): the same path without the reserved-type guard. */
export const appendServiceEvent = (db: Database, event: AuditEvent, deps: AuditDeps = {}): Appended =>
  inTransaction(db, () => appendWithin(db, event, deps));

/** Signs a checkpoint of the whole log now (a no-op when the last checkpoint already covers it). */
export const signAuditCheckpoint = (db: Database, deps: AuditDeps = {}): StoredCheckpoint =>
  inTransaction(db, () => signLogCheckpoint(sqliteAuditStore(db), auditLogIdentity(db), sha(deps)));

/** Rotates the checkpoint signing key as a logged event; the old key co-signs the hand-over, then its seed is destroyed. */
export const rotateAuditKey = (
  db: Database,
  input: { readonly now: Date; readonly actor: string; readonly reason: string; readonly validityDays?: number },
  deps: AuditDeps = {},
): { readonly sequence: number; readonly verifierKey: string; readonly checkpoint: StoredCheckpoint } =>
  inTransaction(db, () => {
    const store = sqliteAuditStore(db);
    const time = monotonicTime(db, input.now);
    const { rotation, checkpoint } = rotateSigningKey(
      store,
      auditLogIdentity(db),
      {
        time,
        actor: input.actor,
        reason: input.reason,
        key: { seed: random(deps)(32), ...keyWindow(new Date(time), input.validityDays ?? DEFAULT_KEY_VALIDITY_DAYS) },
      },
      sha(deps),
    );
    return { sequence: rotation.sequence, verifierKey: activeSigningKey(store)!.verifierKey, checkpoint };
  });

export type SigningKeyInfo = {
  readonly keyId: string;
  readonly verifierKey: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly announcedAt: number;
  readonly retiredAt: number | null;
  readonly active: boolean;
};

/** Every signing key of the log, public parts only. */
export const auditSigningKeys = (db: Database): SigningKeyInfo[] =>
  sqliteAuditStore(db)
    .keys()
    .map((key) => ({
      keyId: key.keyId,
      verifierKey: key.verifierKey,
      validFrom: key.validFrom,
      validUntil: key.validUntil,
      announcedAt: key.announcedAt,
      retiredAt: key.retiredAt,
      active: key.seed !== null && key.retiredAt === null,
    }));

export type PersonalDataRecord = { readonly sequence: number; readonly regime: string; readonly data: JsonValue };

/**
 * Reads a subject's personal data and logs the read (personal_data.read: who, whose, which fields, why) in the same
 * transaction, so there is no way to see the data without leaving the trace.
 */
export const readPersonalData = (
  db: Database,
  input: {
    readonly subject: string;
    readonly actor: string;
    readonly now: Date;
    readonly purpose: string;
    /** Only these entries' data (a lead's record, not the reasons and purposes also held about it); default all. */
    readonly sequences?: readonly number[];
  },
  deps: AuditDeps = {},
): PersonalDataRecord[] =>
  inTransaction(db, () => {
    const wanted = input.sequences === undefined ? null : new Set(input.sequences);
    const rows = db
      .prepare<[string], { sequence: number; regime: string; data: Buffer }>(
        'SELECT sequence, regime, data FROM audit_personal_data WHERE subject = ? AND data IS NOT NULL ORDER BY sequence',
      )
      .all(input.subject)
      .filter((row) => wanted === null || wanted.has(row.sequence));
    const records = rows.map((row) => ({
      sequence: row.sequence,
      regime: row.regime,
      data: JSON.parse(row.data.toString('utf8')) as JsonValue,
    }));
    const fields = new Set<string>();
    for (const record of records)
      if (record.data !== null && typeof record.data === 'object' && !Array.isArray(record.data))
        for (const key of Object.keys(record.data)) fields.add(key);
    appendWithin(
      db,
      {
        time: input.now,
        actor: input.actor,
        type: 'personal_data.read',
        subjects: [input.subject],
        payload: {
          pv: PAYLOAD_VERSION,
          fields: fields.size > 0 ? [...fields].sort() : ['(none held)'],
          sequences: records.map((record) => String(record.sequence)),
        },
        // The purpose is the reader's free text: beside the log, under the data subject's regime (decision 0141).
        personalData: {
          subject: input.subject,
          regime: regimeOfSubject(db, input.subject),
          data: { purpose: input.purpose },
        },
      },
      deps,
    );
    return records;
  });

/**
 * The retention regime of a subject's personal data: that of its first record (a lead's intake), so what is later
 * written about the subject (reasons, read purposes) is kept and purged with it. A subject with none: the default.
 */
export const regimeOfSubject = (db: Database, subject: string, fallback: string = PROSPECT_REGIME): string =>
  statement<[string], { regime: string }>(
    db,
    'SELECT regime FROM audit_personal_data WHERE subject = ? ORDER BY sequence LIMIT 1',
  ).get(subject)?.regime ?? fallback;
