// Test logs built with the pure engine and an in-memory store: deterministic keys, salts and times.
import { createHash, hash } from 'node:crypto';
import { commitPersonalData } from '../../../core/audit/entry.ts';
import type { JsonObject } from '../../../core/audit/entry.ts';
import type { AuditEventType } from '../../../core/audit/event-types.ts';
import type { LogId } from '../../../core/audit/fields.ts';
import {
  appendEntry,
  createLog,
  exportLogBundle,
  rotateSigningKey,
  signLogCheckpoint,
} from '../../../core/audit/log-engine.ts';
import type { LogIdentity, StoredKey } from '../../../core/audit/log-engine.ts';
import { createMemoryAuditStore } from '../../../core/audit/memory-store.ts';
import type { PersonalDataLine } from '../../../core/audit/bundle-format.ts';
import { bytesToHex } from '../../../core/audit/bytes.ts';
import type { Sha256 } from '../../../core/shared/sha256.ts';

/** A native SHA-256 port for tests (core tests may not import services; this is what services pass in). */
export const sha256: Sha256 = (bytes) => hash('sha256', bytes, 'buffer');

/** Deterministic bytes: SHA-256 of a label, so every run builds the same log. */
export const seedFrom = (label: string): Uint8Array => new Uint8Array(createHash('sha256').update(label).digest());

export const timeAt = (minutes: number): string => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();

const EVENT_SAMPLES: readonly { type: AuditEventType; payload: JsonObject }[] = [
  { type: 'lead.ingested', payload: { source: 'file' } },
  { type: 'lead.screened', payload: { outcome: 'clear', lists: ['ofac-sdn@2021'] } },
  {
    type: 'routing.decided',
    payload: {
      outcome: 'refused',
      ruleVersion: 'sha256:ab12',
      reason: 'no_licensed_entity',
      queue: 'expansion_review',
      trace: { tagged: 'FR' },
    },
  },
  {
    type: 'routing.decided',
    payload: { outcome: 'assigned', ruleVersion: 'sha256:ab12', trace: { team: 'T-1', rep: 'R-9' } },
  },
  { type: 'case.decided', payload: { decision: 'approve' } },
  { type: 'personal_data.read', payload: { fields: ['name'], purpose: 'case review' } },
  { type: 'policy.published', payload: { ruleVersion: 'sha256:ab12' } },
];

export type TestLogOptions = {
  readonly entries: number;
  /** Sign a checkpoint after every this many entries. */
  readonly checkpointEvery?: number;
  /** Rotate the key after these many appended entries. */
  readonly rotateAfter?: readonly number[];
  readonly withPersonalData?: boolean;
  /** Whether the export includes the personal data (default: withPersonalData). */
  readonly exportPersonalData?: boolean;
  readonly label?: string;
  /** Seeds the keys from another label: the same log content under a forger's keys. */
  readonly keyLabel?: string;
  /** Announce the first key as valid for only this many minutes, yet keep signing with it (a misbehaving signer). */
  readonly keyValidMinutes?: number;
  /** Whether the export carries entries.csv (default true here, so the CSV's checks stay exercised; decision 0231). */
  readonly csv?: boolean;
};

export type TestLog = {
  readonly files: Map<string, Uint8Array>;
  readonly identity: LogIdentity;
  readonly seeds: readonly Uint8Array[];
  readonly store: ReturnType<typeof createMemoryAuditStore>;
};

/** A log with a mix of events (some with personal data), periodic checkpoints, optional rotations, exported. */
export const buildTestLog = (options: TestLogOptions): TestLog => {
  const label = options.label ?? 'log';
  const identity: LogIdentity = { logId: `${label}-device` as LogId, origin: `perimeter.test/audit/${label}` };
  const store = createMemoryAuditStore();
  const keyLabel = options.keyLabel ?? label;
  const seeds = [seedFrom(`${keyLabel}:key:0`)];
  createLog(
    store,
    identity,
    {
      time: timeAt(0),
      actor: 'system:setup',
      key: { seed: seeds[0]!, validFrom: timeAt(0), validUntil: timeAt(options.keyValidMinutes ?? 10_000_000) },
    },
    sha256,
  );
  if (options.keyValidMinutes !== undefined) {
    // The store's copy forgets the window the log announced, so the engine keeps signing past it.
    const keys = store.keys() as StoredKey[];
    keys[0] = { ...keys[0]!, validUntil: timeAt(10_000_000) };
  }
  const personal: PersonalDataLine[] = [];
  for (let i = 1; i <= options.entries; i++) {
    const sample = EVENT_SAMPLES[i % EVENT_SAMPLES.length]!;
    const subject = `lead:L-${i % 5}`;
    let commitment: string | null = null;
    if (options.withPersonalData && sample.type === 'lead.ingested') {
      const salt = seedFrom(`${label}:salt:${i}`);
      const data = { name: `Person ${i % 5}`, email: `p${i % 5}@example.test` };
      commitment = commitPersonalData(salt, data, sha256);
      personal.push({ sequence: String(store.head()!.sequence + 1), salt: bytesToHex(salt), data });
    }
    appendEntry(
      store,
      identity,
      {
        time: timeAt(i),
        actor: `user:u-${i % 3}`,
        type: sample.type,
        subjects: [subject],
        payload: sample.payload,
        commitment,
      },
      sha256,
    );
    if (options.checkpointEvery && i % options.checkpointEvery === 0) signLogCheckpoint(store, identity, sha256);
    if (options.rotateAfter?.includes(i)) {
      const seed = seedFrom(`${keyLabel}:key:${seeds.length}`);
      seeds.push(seed);
      rotateSigningKey(
        store,
        identity,
        {
          time: timeAt(i),
          actor: 'user:admin',
          reason: 'scheduled rotation',
          key: { seed, validFrom: timeAt(i), validUntil: timeAt(10_000_000) },
        },
        sha256,
      );
    }
  }
  const { files } = exportLogBundle(
    store,
    identity,
    {
      time: timeAt(options.entries + 1),
      actor: 'user:auditor',
      personalData: (options.exportPersonalData ?? options.withPersonalData) ? () => personal : null,
      csv: options.csv ?? true,
    },
    sha256,
  );
  return { files, identity, seeds, store };
};

export const text = (bytes: Uint8Array | undefined): string =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
export const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);
