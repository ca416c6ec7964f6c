// The hub's storage port: one interface, two stores (encrypted SQLite, PostgreSQL), every write inside a transaction.
export type DeviceStatus = 'pending' | 'approved' | 'revoked';

export type DeviceRecord = {
  readonly deviceId: string;
  readonly region: string;
  /** The device's request-signing Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The device's audit log origin, and the verifier keys (signed-note vkeys) its checkpoints are signed with. */
  readonly origin: string;
  readonly logKeys: readonly string[];
  readonly status: DeviceStatus;
  /** The markets the device's users work in, as the device asked (decision 0250); "*" is every market. */
  readonly requestedMarkets: readonly string[];
  /**
   * The markets the device is served: the markets the hub's admin approved met with its users' markets as it last
   * said (decision 0271); the device is served the leads of these markets only.
   */
  readonly markets: readonly string[];
  /** The markets the hub's admin approved: the ceiling of what the device can be served (hub migration 4). */
  readonly approvedMarkets: readonly string[];
  /** Whether the device may list, approve and revoke the region's devices by its signed requests (decision 0273). */
  readonly operations: boolean;
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
};

export type CheckpointRecord = { readonly size: number; readonly root: Uint8Array; readonly note: string };

export type OriginState = {
  readonly origin: string;
  /** The latest checkpoint the witness cosigned (the mirror's pending checkpoint), or size 0. */
  readonly witness: CheckpointRecord | null;
  /** The latest checkpoint whose entries are all stored, with the mirror's cosignature. */
  readonly mirror: CheckpointRecord | null;
  /** The number of entries stored from 0 without a gap: the mirror's next entry. */
  readonly next: number;
};

export type StoredEntry = { readonly sequence: number; readonly bytes: Uint8Array; readonly leafHash: Uint8Array };

export type SealedPersonalData = {
  readonly sequence: number;
  readonly subject: string;
  readonly regime: string;
  readonly salt: Uint8Array;
  /** AES-256-GCM under the region key: nonce ‖ ciphertext ‖ tag (decision 0219). */
  readonly sealed: Uint8Array;
  /** The time of the entry the data belongs to (retention runs from it); null for records stored before version 2. */
  readonly entryTime?: string | null;
};

/** A lead's residency as its intake entry names it (decision 0249): the hub serves devices by it. */
export type LeadResidencyRecord = {
  readonly lead: string;
  readonly region: string | null;
  readonly markets: readonly string[];
  readonly origin: string;
  readonly sequence: number;
};

/** A tombstone the hub applied: an erasure of one subject, or a retention purge of one regime before a cut-off. */
export type Tombstone =
  | { readonly kind: 'erasure'; readonly origin: string; readonly sequence: number; readonly subject: string }
  | {
      readonly kind: 'retention';
      readonly origin: string;
      readonly sequence: number;
      readonly regime: string;
      readonly cutoff: string;
    };

export type ForkEvidence = {
  readonly origin: string;
  readonly size: number;
  /** The checkpoint the hub had accepted, and the one the device signed against it. */
  readonly acceptedNote: string;
  readonly conflictingNote: string;
  readonly recordedAt: string;
};

export type HubLogLeaf = { readonly index: number; readonly bytes: Uint8Array; readonly leafHash: Uint8Array };

/** A signed distribution statement as the hub stores it (decision 0253); `content` only where asked for. */
export type DistributionRecord = {
  readonly stream: string;
  readonly sequence: number;
  readonly kind: 'policy' | 'list';
  readonly version: string;
  readonly label: string;
  /** The signed note (the publisher's statement). */
  readonly note: string;
  readonly publishedAt: string;
  readonly receivedAt: string;
  readonly receivedBy: string;
};

export type HubTx = {
  readonly device: (deviceId: string) => Promise<DeviceRecord | null>;
  readonly deviceByOrigin: (origin: string) => Promise<DeviceRecord | null>;
  readonly devices: () => Promise<DeviceRecord[]>;
  /** A new device (its approved markets and operations capability start empty and off). */
  readonly putDevice: (record: Omit<DeviceRecord, 'approvedMarkets' | 'operations'>) => Promise<void>;
  /** Approves or revokes; an approval sets the markets the device is served (decision 0250). */
  readonly decideDevice: (
    deviceId: string,
    status: DeviceStatus,
    by: string,
    at: string,
    markets?: readonly string[],
  ) => Promise<void>;
  /** Sets a device's markets (asked, served, approved) and its operations capability; what is not given stays. */
  readonly updateDevice: (
    deviceId: string,
    change: {
      readonly requestedMarkets?: readonly string[];
      readonly markets?: readonly string[];
      readonly approvedMarkets?: readonly string[];
      readonly operations?: boolean;
    },
  ) => Promise<void>;
  /** Remembers a request nonce; false if the device used it already (a replay). Forgets expired ones. */
  readonly rememberNonce: (deviceId: string, nonce: string, expiresAt: number, now: number) => Promise<boolean>;
  /** The origin's state, locked until the transaction ends (checks and updates are atomic, tlog-witness). */
  readonly originState: (origin: string) => Promise<OriginState>;
  readonly putCheckpoint: (origin: string, checkpoint: CheckpointRecord) => Promise<void>;
  readonly checkpointOfSize: (origin: string, size: number) => Promise<CheckpointRecord | null>;
  readonly setWitness: (origin: string, size: number) => Promise<void>;
  readonly setMirror: (origin: string, checkpoint: CheckpointRecord) => Promise<void>;
  /** Stores entries from `start` on, skipping any already stored; returns the new next entry. */
  readonly putEntries: (origin: string, start: number, entries: readonly StoredEntry[]) => Promise<number>;
  readonly leafHashes: (origin: string, from: number, to: number) => Promise<Uint8Array[]>;
  readonly entries: (origin: string, from: number, to: number) => Promise<StoredEntry[]>;
  readonly entryBytes: (origin: string, sequence: number) => Promise<Uint8Array | null>;
  readonly putPersonalData: (origin: string, records: readonly SealedPersonalData[]) => Promise<number>;
  readonly personalData: (origin: string, from: number, to: number) => Promise<SealedPersonalData[]>;
  readonly putLeads: (records: readonly LeadResidencyRecord[]) => Promise<void>;
  readonly leads: (leads: readonly string[]) => Promise<LeadResidencyRecord[]>;
  readonly putCaseLeads: (pairs: readonly { readonly caseId: string; readonly lead: string }[]) => Promise<void>;
  readonly caseLeads: (caseIds: readonly string[]) => Promise<{ caseId: string; lead: string }[]>;
  /** Deletes the personal data a tombstone covers, of every origin, and remembers it; returns the records deleted. */
  readonly applyTombstone: (tombstone: Tombstone) => Promise<number>;
  /** Of these subjects, the ones an erasure tombstone covers. */
  readonly erasedAmong: (subjects: readonly string[]) => Promise<Set<string>>;
  /** The latest retention cut-off applied per regime. */
  readonly retentionCutoffs: () => Promise<Map<string, string>>;
  readonly putFork: (evidence: ForkEvidence) => Promise<void>;
  readonly forks: () => Promise<ForkEvidence[]>;
  readonly origins: () => Promise<OriginState[]>;
  /** The hub's own log (decision 0220), locked for the transaction. */
  readonly hubLogLeafHashes: () => Promise<Uint8Array[]>;
  readonly appendHubLog: (leaf: HubLogLeaf) => Promise<void>;
  readonly hubLogEntries: (from: number, to: number) => Promise<HubLogLeaf[]>;
  readonly putHubCheckpoint: (checkpoint: CheckpointRecord) => Promise<void>;
  readonly latestHubCheckpoint: () => Promise<CheckpointRecord | null>;
  /** Distribution (decision 0253): the publisher keys statements are accepted from. */
  readonly publishers: () => Promise<string[]>;
  /** False if the key was registered already. */
  readonly putPublisher: (verifierKey: string, by: string, at: string) => Promise<boolean>;
  /** Stores a statement; a second statement of the same stream and sequence fails on the primary key. */
  readonly putDistribution: (record: DistributionRecord, content: Uint8Array) => Promise<void>;
  /** Every statement of a stream (all streams when null), oldest first, without content. */
  readonly distributions: (stream: string | null) => Promise<DistributionRecord[]>;
  readonly distributionContent: (stream: string, sequence: number) => Promise<Uint8Array | null>;
};

export type HubStore = {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs `work` in one transaction: all of it commits, or none of it. */
  readonly transaction: <T>(work: (tx: HubTx) => Promise<T>) => Promise<T>;
  /** The floor of the benchmark: a bare bulk insert of rows like the entries, into a scratch table of the same store. */
  readonly bareInsert: (rows: readonly StoredEntry[]) => Promise<void>;
  readonly close: () => Promise<void>;
};

export class HubStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubStoreError';
  }
}

/** A hub_devices row as both stores read it (the same columns in SQLite and PostgreSQL). */
export type DeviceRow = {
  readonly device_id: string;
  readonly region: string;
  readonly public_key: Buffer;
  readonly origin: string;
  readonly log_keys: string;
  readonly status: DeviceStatus;
  readonly requested_markets: string;
  readonly markets: string;
  readonly approved_markets: string;
  readonly operations: number | string;
  readonly requested_at: string;
  readonly decided_at: string | null;
  readonly decided_by: string | null;
};

export const toDevice = (row: DeviceRow): DeviceRecord => ({
  deviceId: row.device_id,
  region: row.region,
  publicKey: new Uint8Array(row.public_key),
  origin: row.origin,
  logKeys: JSON.parse(row.log_keys) as string[],
  status: row.status,
  requestedMarkets: JSON.parse(row.requested_markets) as string[],
  markets: JSON.parse(row.markets) as string[],
  approvedMarkets: JSON.parse(row.approved_markets) as string[],
  operations: Number(row.operations) === 1,
  requestedAt: row.requested_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by,
});

/** A hub_distributions row without its content (seq is a string from PostgreSQL's BIGINT). */
export type DistributionRow = {
  readonly stream: string;
  readonly seq: number | string;
  readonly kind: 'policy' | 'list';
  readonly version: string;
  readonly label: string;
  readonly note: string;
  readonly published_at: string;
  readonly received_at: string;
  readonly received_by: string;
};

export const toDistribution = (row: DistributionRow): DistributionRecord => ({
  stream: row.stream,
  sequence: Number(row.seq),
  kind: row.kind,
  version: row.version,
  label: row.label,
  note: row.note,
  publishedAt: row.published_at,
  receivedAt: row.received_at,
  receivedBy: row.received_by,
});
