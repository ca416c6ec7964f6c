// The workstation service: opening the encrypted store as a signed-in user, the active policy, and the one command
// path (validate → evaluate with core → append audit entries and project them, in one transaction).
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { existsSync } from 'node:fs';
import { internalLeadId, LEAD_ID_BYTES } from '../../../../core/intake/lead-record.ts';
import { parsePolicyText } from '../../../../core/policy/parse.ts';
import type { LogHead } from '../../../../core/audit/entry.ts';
import type { CheckpointerFactory } from '../../store/checkpointer.ts';
import type { LoadedPolicy } from '../../../../core/policy/parse.ts';
import { compilePolicy } from '../../../../core/routing/compile.ts';
import type { CompiledPolicy } from '../../../../core/routing/compile.ts';
import type { Lead, ScreeningSummary } from '../../../../core/routing/lead.ts';
import type { Role, User } from '../../../../core/access/roles.ts';
import { appendAuditEventInTransaction, initialiseAuditLog } from '../../audit/audit-log.ts';
import { inTransaction } from '../../store/transaction.ts';
import { setWriteLockUser } from '../../store/write-lock.ts';
import type { AuditDeps, AuditEvent } from '../../audit/audit-log.ts';
import type { Appended } from '../../../../core/audit/log-engine.ts';
import { createDatabase, openDatabase } from '../../store/database.ts';
import type { Database } from '../../store/database.ts';
import { StoreError } from '../../store/errors.ts';
import { statement } from '../../store/statements.ts';
import { recoverInterruptedRekey } from '../../store/rekey.ts';
import {
  createKeySlots,
  DEFAULT_SCRYPT_COST,
  installKeySlot,
  keySlotsPath,
  prepareKeySlot,
  keySlotUsers,
  unlockDatabaseKey,
} from '../../store/key-slots.ts';
import type { PreparedKeySlot, ScryptCost } from '../../store/key-slots.ts';
import { nodeSha256 } from '../../audit/node-sha256.ts';
import { pooledRandomBytes } from '../../audit/random-pool.ts';
import { projectEntry } from '../projection/projector.ts';
import { rememberConduct } from '../projection/lifecycle-projection.ts';
import { conductPolicyOf } from '../../../../core/conduct/rules.ts';
import type { ListStoreReader } from '../../lists/reader.ts';
import { userCreatedEvent } from './staff-records.ts';
import type { EnqueueKycInitiation } from '../commands/kyc-handoff.ts';

/**
 * Screens a lead's parties against the loaded lists with the given thresholds (the active policy's, decision 0127);
 * undefined when no lists are loaded. `listVersions` are the versions it screens against.
 */
export type LeadScreener = ((
  lead: Lead,
  at: string,
  thresholds: { readonly potentialMatchThreshold: number; readonly strongMatchThreshold: number },
) => ScreeningSummary | undefined) & {
  readonly listVersions: readonly { readonly listId: string; readonly version: string }[];
  /** Loads the list directory's active versions again (after a list update in this workstation; decision 0193). */
  readonly reload?: () => void;
};

export type WorkstationDeps = AuditDeps & {
  readonly now: () => Date;
  readonly scryptCost?: ScryptCost;
  /**
   * Long write runs (bulk intake) checkpoint the WAL on a worker thread (decision 0049): by default
   * startBackgroundCheckpointer; null turns it off.
   */
  readonly checkpointer?: CheckpointerFactory | null;
  /** How long a write waits for another process's write lock (default WRITE_LOCK_TIMEOUT_MS; decision 0125). */
  readonly lockTimeoutMs?: number;
  /**
   * What opening checks of the file (default 'quick': PRAGMA quick_check reads every page, so its cost grows with the
   * database). 'none' is for a caller that opens very often and runs the check itself now and then (the crash test,
   * decision 0170); WAL recovery, the key and the page count are checked either way.
   */
  readonly integrityCheck?: 'quick' | 'none';
  /** The list directory, read by version: a screening case shows the listed entries its hits name (decision 0181). */
  readonly listStore?: ListStoreReader;
  /** Enqueues the KYC hand-off when a path reaches QUALIFIED (commands/kyc-handoff.ts); by default its default. */
  readonly enqueueKycInitiation?: EnqueueKycInitiation;
};

export type ActivePolicy = { readonly loaded: LoadedPolicy; readonly compiled: CompiledPolicy; readonly text: string };

export type Workstation = {
  readonly db: Database;
  readonly path: string;
  readonly deps: WorkstationDeps;
  readonly screener: LeadScreener | null;
  /** The latest published policy, compiled once per rule version. */
  readonly policy: () => ActivePolicy;
  /** The unwrapped database key, in memory only while signed in: needed to give a new user a key slot. */
  readonly key: () => Uint8Array;
  /**
   * After a re-key (decision 0037): the connection to the re-encrypted database and its new key take the place of the
   * old ones (already closed), for every holder of this workstation. The old key is wiped.
   */
  readonly replaceStore: (db: Database, key: Uint8Array) => void;
  readonly close: () => void;
};

export type Session = {
  readonly user: User;
  readonly workstation: Workstation;
  /**
   * Set only for a session the workstation opens for a system principal, never for a person (decision 0236): the KYC
   * connector, authenticated by the signature of its callback, acting as `system:kyc` with one capability.
   */
  readonly principal?: 'kyc-connector';
};

/** Why the door refused a signed-in user (an `access.denied` entry, decision 0130), and on which subject. */
export type AccessDenial = {
  readonly reason: 'forbidden' | 'out_of_market' | 'inactive' | 'locked';
  readonly subject?: string;
};

export class WorkstationError extends Error {
  readonly code: 'forbidden' | 'not_found' | 'conflict' | 'invalid_input' | 'unauthenticated';
  /** Set when this error is the door refusing access: an out-of-market read answers not_found but is still a refusal. */
  readonly denial: AccessDenial | null;
  constructor(code: WorkstationError['code'], message: string, denial: AccessDenial | null = null) {
    super(message);
    this.name = 'WorkstationError';
    this.code = code;
    this.denial = denial ?? (code === 'forbidden' ? { reason: 'forbidden' } : null);
  }
}

/** The store's open options that come from the workstation's deps. */
export const lockOptions = (deps: WorkstationDeps): { lockTimeoutMs?: number } =>
  deps.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: deps.lockTimeoutMs };

// Signing in to an existing database: the lock options and how much of the file to check on the way in.
const signInOptions = (deps: WorkstationDeps): { lockTimeoutMs?: number; check?: 'quick' | 'none' } =>
  deps.integrityCheck === undefined ? lockOptions(deps) : { ...lockOptions(deps), check: deps.integrityCheck };

export const actorOf = (user: User): string => `user:${user.id}`;

/** A new internal lead id (decision 0178), from the deps' random bytes (node:crypto's CSPRNG unless a test passes its own). */
export const newLeadId = (deps: WorkstationDeps): string =>
  internalLeadId(deps.randomBytes ? deps.randomBytes(LEAD_ID_BYTES) : pooledRandomBytes(LEAD_ID_BYTES));

type UserRow = { id: string; name: string; roles: string; markets: string; active: number };
export const userFromRow = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  roles: JSON.parse(row.roles) as Role[],
  markets: JSON.parse(row.markets) as string[],
  active: row.active === 1,
});

export const findUser = (db: Database, id: string): User | null => {
  const row = db.prepare<[string], UserRow>('SELECT id, name, roles, markets, active FROM users WHERE id = ?').get(id);
  return row ? userFromRow(row) : null;
};

/** An event as a command appends it: typed by its event type (core/audit/events); the time defaults to now. */
export type CommandEvent = AuditEvent extends infer E
  ? E extends AuditEvent
    ? Omit<E, 'time'> & { readonly time?: Date }
    : never
  : never;

/** Appends the events one by one inside the caller's transaction, projecting each as it lands. */
export type Appender = (event: CommandEvent) => Appended;

/** The one command path: everything `run` appends, and every projection change, commits or rolls back together. */
export const commit = <T>(workstation: Workstation, run: (append: Appender) => T): T =>
  inTransaction(workstation.db, () => {
    // The log's head is read once per command: after that it is the entry this command appended last.
    let head: LogHead | undefined;
    const append: Appender = (event) => {
      const appended = appendAuditEventInTransaction(
        workstation.db,
        { ...event, time: event.time ?? workstation.deps.now() } as AuditEvent,
        workstation.deps,
        head,
      );
      head = { sequence: appended.sequence, leafHash: appended.leafHash, time: appended.entry.time };
      // The personal data just stored beside the entry: the projection need not read it back (a rebuild does).
      projectEntry(workstation.db, appended.entry, appended.sequence, {
        personalData: (event.personalData?.data ?? null) as Readonly<Record<string, unknown>> | null,
      });
      return appended;
    };
    return run(append);
  });

/**
 * The command path for a command that also gives a user a key slot (users.create, re-enrolment, reactivation). The slow
 * wrapping (scrypt) is done before, by prepareKeySlot, so the write lock is not held for it; the slot is written last
 * inside the transaction, so a failing command writes none; and a COMMIT that fails after it takes it away again. No slot
 * outlives its audit entry, so no orphan slot can block the same user id later.
 */
export const commitWithKeySlot = <T>(
  workstation: Workstation,
  slot: { readonly prepared: PreparedKeySlot; readonly replacing: boolean } | null,
  run: (append: Appender) => T,
): T => {
  const written: { undo: (() => void) | null } = { undo: null };
  try {
    return commit(workstation, (append) => {
      const result = run(append);
      if (slot) written.undo = installKeySlot(workstation.path, slot.prepared, { replacing: slot.replacing });
      return result;
    });
  } catch (error) {
    try {
      written.undo?.();
    } catch {
      // A slot left behind unlocks nothing without its user row, and the next create of that id replaces it.
    }
    throw error;
  }
};

const policyCache = new WeakMap<Database, ActivePolicy>();

const loadActivePolicy = (db: Database): ActivePolicy => {
  // The version first, by a prepared statement kept per connection: the bundle (tens of kilobytes) is read only when
  // the cached policy is not that version, since every command and query asks for the policy, often several times.
  // (Plucked: the projector reads the same statement, and a cached statement keeps its mode.)
  const version = statement<[], string>(db, 'SELECT rule_version FROM policies ORDER BY published_seq DESC LIMIT 1')
    .pluck()
    .get();
  if (version === undefined)
    throw new WorkstationError('not_found', 'no policy has been published on this workstation');
  const cached = policyCache.get(db);
  if (cached && cached.loaded.version === version) return cached;
  const row = statement<[string], { rule_version: string; bundle: string }>(
    db,
    'SELECT rule_version, bundle FROM policies WHERE rule_version = ?',
  ).get(version)!;
  const parsed = parsePolicyText(row.bundle, nodeSha256);
  if (!parsed.ok)
    throw new WorkstationError(
      'invalid_input',
      `the published policy ${row.rule_version} no longer validates: ${parsed.error[0]?.message}`,
    );
  rememberConduct(parsed.value.version, conductPolicyOf(parsed.value.policy));
  const active = {
    loaded: parsed.value,
    compiled: compilePolicy(parsed.value.policy, parsed.value.version),
    text: row.bundle,
  };
  policyCache.set(db, active);
  return active;
};

export const wrapWorkstation = (
  db: Database,
  path: string,
  deps: WorkstationDeps,
  screener: LeadScreener | null,
  key: Uint8Array,
): Workstation => {
  // Mutable only through replaceStore (a re-key): every reader goes through the getter, so none keeps the old one.
  let store = { db, key };
  return {
    get db() {
      return store.db;
    },
    path,
    deps,
    screener,
    policy: () => loadActivePolicy(store.db),
    key: () => store.key,
    replaceStore: (nextDb, nextKey) => {
      store.key.fill(0);
      store = { db: nextDb, key: nextKey };
    },
    close: () => {
      store.key.fill(0);
      store.db.close();
    },
  };
};
const wrap = wrapWorkstation;

export type InitialiseInput = {
  readonly path: string;
  readonly logId: string;
  readonly admin: { readonly id: string; readonly name: string; readonly passphrase: string };
  /**
   * A second operations admin created with the first by system:setup (decision 0160), so meta-actions the policy puts
   * under a second approval can be approved from the start.
   */
  readonly secondAdmin?: { readonly id: string; readonly name: string; readonly passphrase: string } | undefined;
  readonly policyText: string;
};

/**
 * Creates a workstation: the key slots with the first user's slot, the encrypted database, the audit log, the first
 * user (operations admin and senior officer, every market) and the first published policy.
 */
export const initialiseWorkstation = (
  input: InitialiseInput,
  deps: WorkstationDeps,
  screener: LeadScreener | null = null,
): Session => {
  if (existsSync(input.path))
    throw new WorkstationError('conflict', `${input.path}: a database is already there; it is never overwritten`);
  checkPolicyText(input.policyText);
  if (input.secondAdmin?.id === input.admin.id)
    throw new WorkstationError('invalid_input', `the second admin must be another user than ${input.admin.id}`);
  const key = createKeySlots(
    input.path,
    input.admin.id,
    input.admin.passphrase,
    deps.scryptCost ?? DEFAULT_SCRYPT_COST,
  );
  if (input.secondAdmin)
    installKeySlot(
      input.path,
      prepareKeySlot(
        input.path,
        key,
        { user: input.secondAdmin.id, passphrase: input.secondAdmin.passphrase },
        deps.scryptCost ?? DEFAULT_SCRYPT_COST,
      ),
      { replacing: false },
    );
  return initialiseWorkstationOn(createDatabase(input.path, key, lockOptions(deps)), input, deps, screener, key);
};

const checkPolicyText = (policyText: string): LoadedPolicy => {
  const parsed = parsePolicyText(policyText, nodeSha256);
  if (!parsed.ok)
    throw new WorkstationError(
      'invalid_input',
      `the policy is invalid: ${parsed.error
        .map(
          (issue) =>
            `${issue.line === undefined ? '' : `line ${issue.line}: `}${issue.path || '(document)'}: ${issue.message}`,
        )
        .join('; ')}`,
    );
  return parsed.value;
};

/**
 * Sets up a workstation on an open, migrated, empty database. `initialiseWorkstation` is the way in; this is also
 * how the storage benchmark builds its unencrypted twin for measuring the cost of encryption.
 */
export const initialiseWorkstationOn = (
  db: Database,
  input: InitialiseInput,
  deps: WorkstationDeps,
  screener: LeadScreener | null,
  key: Uint8Array,
): Session => {
  const loaded = checkPolicyText(input.policyText);
  setWriteLockUser(db, input.admin.id);
  initialiseAuditLog(db, { logId: input.logId, now: deps.now(), actor: 'system:setup' }, deps);
  const workstation = wrap(db, input.path, deps, screener, key);
  commit(workstation, (append) => {
    append(
      userCreatedEvent('system:setup', {
        ...input.admin,
        roles: ['operations_admin', 'senior_officer'],
        markets: ['*'],
      }),
    );
    if (input.secondAdmin)
      append(userCreatedEvent('system:setup', { ...input.secondAdmin, roles: ['operations_admin'], markets: ['*'] }));
    append({
      actor: `user:${input.admin.id}`,
      type: 'policy.published',
      subjects: [`policy:${loaded.version}`],
      payload: {
        pv: PAYLOAD_VERSION,
        ruleVersion: loaded.version,
        label: loaded.policy.version,
        bundle: input.policyText,
      },
    });
  });
  return { user: findUser(db, input.admin.id)!, workstation };
};

// Checked before the key slots are read, so a mistyped --db names the database, not its slots file.
const requireDatabaseFile = (path: string): void => {
  if (!existsSync(path))
    throw new StoreError(
      'not-found',
      `${path}: no such workstation database (perimeter workstation init creates one)`,
      path,
    );
};

/** Unlocks the database with a user's passphrase and signs that user in. */
export const openWorkstation = (
  input: { readonly path: string; readonly userId: string; readonly passphrase: string },
  deps: WorkstationDeps,
  screener: LeadScreener | null = null,
): Session => {
  recoverInterruptedRekey(input.path);
  requireDatabaseFile(input.path);
  const key = unlockDatabaseKey(input.path, input.userId, input.passphrase);
  return signIn(openDatabase(input.path, key, signInOptions(deps)), input.path, input.userId, key, deps, screener);
};

// The database is open: the user must be an active user of it, or the key is wiped and the database closed.
const signIn = (
  db: Database,
  path: string,
  userId: string,
  key: Uint8Array,
  deps: WorkstationDeps,
  screener: LeadScreener | null,
): Session => {
  const user = findUser(db, userId);
  if (!user || !user.active) {
    key.fill(0);
    db.close();
    throw new WorkstationError('unauthenticated', `user ${userId} is not an active user of this workstation`);
  }
  setWriteLockUser(db, userId);
  return { user, workstation: wrap(db, path, deps, screener, key) };
};

/**
 * Opens the database with a key already unwrapped elsewhere (the OS keychain slot) and signs that user in. The key
 * only opens the database: the user must still have a passphrase slot and be an active user, or it is refused. A wrong
 * key is the store's `wrong-key`; nothing is written before the key has proved itself. The caller keeps its copy.
 */
export const openWorkstationWithKey = (
  input: { readonly path: string; readonly userId: string; readonly key: Uint8Array },
  deps: WorkstationDeps,
  screener: LeadScreener | null = null,
): Session => {
  recoverInterruptedRekey(input.path);
  requireDatabaseFile(input.path);
  const slots = keySlotsPath(input.path);
  if (!keySlotUsers(input.path).includes(input.userId))
    throw new StoreError('unknown-user', `${slots}: no key slot for user ${input.userId}`, slots);
  const key = input.key.slice();
  let db: Database;
  try {
    db = openDatabase(input.path, key, signInOptions(deps));
  } catch (error) {
    key.fill(0);
    throw error;
  }
  return signIn(db, input.path, input.userId, key, deps, screener);
};

/** Re-reads the signed-in user (roles and markets can change while signed in). */
export const refreshSession = (session: Session): Session => {
  const user = findUser(session.workstation.db, session.user.id);
  if (!user || !user.active)
    throw new WorkstationError('unauthenticated', `user ${session.user.id} is no longer active`, {
      reason: 'inactive',
    });
  return { ...session, user };
};
