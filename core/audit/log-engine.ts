// The audit log's rules in one place, over a storage port: append and chain, grow the tree, sign, rotate, export.
import type { Sha256 } from '../shared/sha256.ts';
import { assembleBundle, staticFileHashes } from './bundle-assemble.ts';
import type { PersonalDataLine } from './bundle-format.ts';
import { signCheckpoint } from './checkpoint.ts';
import type { Ed25519Seed } from './ed25519.ts';
import { createEntry, entryLeafHash } from './entry.ts';
import type { AuditEntry, LogHead, NewEntry } from './entry.ts';
import type { KeyAnnouncement } from './event-types.ts';
import type { LogId } from './fields.ts';
import { consistencyProof, hashChildren, treeRoot, verifyConsistency } from './merkle.ts';
import type { MerkleHash, NodeReader } from './merkle.ts';
import { announceSigningKey, keyWindowProblem } from './signing-keys.ts';

/** A signing key as the store keeps it: the announcement, its tenure, and the seed while it may still sign. */
export type StoredKey = KeyAnnouncement & {
  readonly announcedAt: number;
  readonly retiredAt: number | null;
  /** Null once the key is retired: a retired key can no longer sign anything. */
  readonly seed: Ed25519Seed | null;
};

export type StoredCheckpoint = { readonly size: number; readonly root: MerkleHash; readonly note: string };

/** What the engine needs from storage. Synchronous, so a SQLite store can run it inside the caller's transaction. */
export type AuditLogStore = {
  readonly head: () => LogHead | null;
  readonly putEntry: (entry: AuditEntry, bytes: Uint8Array, leafHash: MerkleHash) => void;
  /** Every entry's canonical bytes, in sequence order. */
  readonly entryBytes: () => readonly Uint8Array[];
  readonly readNode: NodeReader;
  readonly putNode: (level: number, index: number, hash: MerkleHash) => void;
  readonly checkpoints: () => readonly StoredCheckpoint[];
  readonly lastCheckpoint: () => StoredCheckpoint | null;
  readonly putCheckpoint: (checkpoint: StoredCheckpoint) => void;
  readonly keys: () => readonly StoredKey[];
  readonly putKey: (key: StoredKey) => void;
  /** Marks the key retired at `retiredAt` and destroys its seed. */
  readonly retireKey: (keyId: string, retiredAt: number) => void;
};

export type LogIdentity = { readonly logId: LogId; readonly origin: string };

export class AuditLogError extends Error {
  readonly field: string | null;
  constructor(message: string, field: string | null = null) {
    super(message);
    this.name = 'AuditLogError';
    this.field = field;
  }
}

export type Appended = { readonly entry: AuditEntry; readonly sequence: number; readonly leafHash: MerkleHash };

export type AppendOptions = {
  /**
   * A device clock that steps back must not break the log's order: with clampTime an entry earlier than its
   * predecessor takes the predecessor's time instead of being refused.
   */
  readonly clampTime?: boolean;
  /**
   * The head when the caller knows it: the entry it appended last in the same transaction. Saves reading it back. A
   * wrong head cannot slip through: the entry would carry a sequence the store refuses (the audit table's trigger).
   */
  readonly head?: LogHead;
  /** The payload was checked against its type's current strict schema by the caller (see CreateEntryOptions). */
  readonly payloadChecked?: boolean;
};

/** Appends one entry: chains it to the head, stores its bytes and leaf, and completes the tree nodes it closes. */
export const appendEntry = (
  store: AuditLogStore,
  identity: LogIdentity,
  input: NewEntry,
  sha256: Sha256,
  options: AppendOptions = {},
): Appended => {
  const head = options.head ?? store.head();
  if (!head && input.type !== 'log.created') throw new AuditLogError('the log has not been created', 'type');
  if (head && input.type === 'log.created') throw new AuditLogError('the log exists already', 'type');
  const time = options.clampTime && head && head.time > input.time ? head.time : input.time;
  const created = createEntry(identity.logId, head, time === input.time ? input : { ...input, time }, {
    payloadChecked: options.payloadChecked === true,
  });
  if (!created.ok) throw new AuditLogError(`${created.error.field}: ${created.error.message}`, created.error.field);
  const { entry, bytes } = created.value;
  const leafHash = entryLeafHash(bytes, sha256);
  store.putEntry(entry, bytes, leafHash);
  // Node (level, index) covers leaves [index·2^level, (index+1)·2^level); an odd index completes its parent.
  let index = Number(entry.sequence);
  let level = 0;
  let hash = leafHash;
  store.putNode(0, index, hash);
  while (index % 2 === 1) {
    hash = hashChildren(sha256, store.readNode(level, index - 1), hash);
    level++;
    index = (index - 1) / 2;
    store.putNode(level, index, hash);
  }
  return { entry, sequence: Number(entry.sequence), leafHash };
};

export type NewSigningKey = { readonly seed: Ed25519Seed; readonly validFrom: string; readonly validUntil: string };

/** Starts a log: the log.created entry announces the first key, and the first checkpoint is signed with it. */
export const createLog = (
  store: AuditLogStore,
  identity: LogIdentity,
  input: { readonly time: string; readonly actor: string; readonly key: NewSigningKey },
  sha256: Sha256,
): StoredCheckpoint => {
  const announcement = announceSigningKey(identity.origin, input.key.seed, input.key, sha256);
  appendEntry(
    store,
    identity,
    {
      time: input.time,
      actor: input.actor,
      type: 'log.created',
      subjects: [`device:${identity.logId}`],
      payload: { origin: identity.origin, key: announcement },
      commitment: null,
    },
    sha256,
  );
  store.putKey({ ...announcement, announcedAt: 0, retiredAt: null, seed: input.key.seed });
  return signLogCheckpoint(store, identity, sha256);
};

/**
 * Signs a checkpoint of the whole log with every key allowed to sign it. A log never signs two inconsistent
 * checkpoints: the new root must prove consistent with the last signed one, and one size gets one checkpoint.
 */
export const signLogCheckpoint = (store: AuditLogStore, identity: LogIdentity, sha256: Sha256): StoredCheckpoint => {
  const head = store.head();
  if (!head) throw new AuditLogError('an empty log has nothing to sign');
  const size = head.sequence + 1;
  const last = store.lastCheckpoint();
  if (last && last.size === size) return last;
  if (last && last.size > size)
    throw new AuditLogError(`the log is shorter (${size}) than its last checkpoint (${last.size})`);
  const root = treeRoot(store.readNode, sha256, size);
  if (last) {
    const proof = consistencyProof(store.readNode, sha256, last.size, size);
    const check = verifyConsistency(sha256, last.size, size, proof, last.root, root);
    if (!check.ok)
      throw new AuditLogError(`refusing to sign: the log is not consistent with its checkpoint of size ${last.size}`);
  }
  const signers = store
    .keys()
    .filter((key) => key.seed !== null && keyWindowProblem(key, size, head.time) === null)
    .map((key) => ({ name: key.name, seed: key.seed! }));
  if (signers.length === 0)
    throw new AuditLogError('no signing key may sign this checkpoint (expired or retired): rotate the key first');
  const note = signCheckpoint({ origin: identity.origin, size, root }, signers, sha256);
  const checkpoint: StoredCheckpoint = { size, root, note };
  store.putCheckpoint(checkpoint);
  return checkpoint;
};

/** The key that signs now: announced, not retired, still holding its seed. */
export const activeSigningKey = (store: AuditLogStore): StoredKey | null =>
  store
    .keys()
    .filter((key) => key.seed !== null && key.retiredAt === null)
    .at(-1) ?? null;

/**
 * Rotates the signing key as a logged event: key.rotated announces the new key, the hand-over checkpoint covering
 * it is co-signed by the old key (if still within its window) and the new one, then the old seed is destroyed.
 */
export const rotateSigningKey = (
  store: AuditLogStore,
  identity: LogIdentity,
  input: { readonly time: string; readonly actor: string; readonly reason: string; readonly key: NewSigningKey },
  sha256: Sha256,
): { readonly rotation: Appended; readonly checkpoint: StoredCheckpoint } => {
  const previous = activeSigningKey(store);
  if (!previous) throw new AuditLogError('the log has no active signing key');
  // Seal everything so far under the old key before it is replaced.
  if (keyWindowProblem(previous, (store.head()?.sequence ?? 0) + 1, store.head()?.time ?? null) === null)
    signLogCheckpoint(store, identity, sha256);
  const announcement = announceSigningKey(identity.origin, input.key.seed, input.key, sha256);
  const rotation = appendEntry(
    store,
    identity,
    {
      time: input.time,
      actor: input.actor,
      type: 'key.rotated',
      subjects: [`device:${identity.logId}`],
      payload: { key: announcement, previousKeyId: previous.keyId, reason: input.reason },
      commitment: null,
    },
    sha256,
  );
  store.putKey({ ...announcement, announcedAt: rotation.sequence, retiredAt: null, seed: input.key.seed });
  const checkpoint = signLogCheckpoint(store, identity, sha256);
  store.retireKey(previous.keyId, rotation.sequence);
  return { rotation, checkpoint };
};

/**
 * Exports the log as bundle files. Exporting is itself audited: the audit.exported entry is the bundle's last entry.
 * Checkpoints are signed just before and just after it, so even a change to the last entries is located exactly.
 */
export const exportLogBundle = (
  store: AuditLogStore,
  identity: LogIdentity,
  input: {
    readonly time: string;
    readonly actor: string;
    /** Read after the export entry is appended, or null to leave personal data out. */
    readonly personalData: (() => readonly PersonalDataLine[]) | null;
    /** Whether the bundle carries entries.csv, the spreadsheet view (decision 0231: off unless asked for). */
    readonly csv?: boolean;
    /** The region the workstation is pinned to, or null when it is not enrolled with a hub (decision 0252). */
    readonly region?: string | null;
  },
  sha256: Sha256,
): { readonly files: Map<string, Uint8Array>; readonly exportEntry: Appended } => {
  signLogCheckpoint(store, identity, sha256);
  const exportEntry = appendEntry(
    store,
    identity,
    {
      time: input.time,
      actor: input.actor,
      type: 'audit.exported',
      subjects: [`device:${identity.logId}`],
      payload: {
        format: 'perimeter-audit-export',
        formatVersion: 1,
        includesPersonalData: input.personalData !== null,
        includesCsv: input.csv === true,
        staticFiles: staticFileHashes(sha256),
        // Only when pinned, so the export entry of a workstation that never synced keeps its bytes.
        ...(input.region ? { region: input.region } : {}),
      },
      commitment: null,
    },
    sha256,
  );
  const final = signLogCheckpoint(store, identity, sha256);
  const files = assembleBundle({
    logId: identity.logId,
    origin: identity.origin,
    entries: store.entryBytes(),
    treeRoot: final.root,
    checkpoints: store.checkpoints(),
    keys: store.keys().map((key) => ({
      name: key.name,
      keyId: key.keyId,
      verifierKey: key.verifierKey,
      validFrom: key.validFrom,
      validUntil: key.validUntil,
      announcedAt: String(key.announcedAt),
      retiredAt: key.retiredAt === null ? null : String(key.retiredAt),
    })),
    personalData: input.personalData ? input.personalData() : null,
    csv: input.csv === true,
    ...(input.region ? { region: input.region } : {}),
    sha256,
  });
  return { files, exportEntry };
};
