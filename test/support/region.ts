// A region for tests: a real hub (either store) with two enrolled, approved devices that pushed twice each, a fork the
// second device signed (kept by the witness), and the tampered copies of its export that the verifier must refuse.
import { unzipSync } from 'fflate';
import { utf8Bytes } from '../../core/audit/bytes.ts';
import { signCheckpoint } from '../../core/audit/checkpoint.ts';
import { createMemoryMerkleTree, hashLeaf } from '../../core/audit/merkle.ts';
import { formatAddCheckpoint } from '../../core/sync/witness-wire.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { readEnrolment } from '../../electron/services/sync/device-state.ts';
import { createHubClient } from '../../electron/services/sync/hub-client.ts';
import { enrolWithHub, syncPush } from '../../electron/services/workstation/commands/sync.ts';
import { exportRegion } from '../../hub/export.ts';
import { decideDevice } from '../../hub/service.ts';
import { startTestHub } from './hub.ts';
import type { StoreKind, TestHub } from './hub.ts';
import type { PostgresCluster } from './postgres.ts';
import { createTestWorkstation } from './workstation.ts';
import type { TestWorkstation } from './workstation.ts';

export type TestRegion = {
  readonly hub: TestHub;
  /** field-x and field-y, enrolled, approved, each with two accepted checkpoints. */
  readonly devices: readonly [TestWorkstation, TestWorkstation];
  readonly close: () => Promise<void>;
};

export const originOf = (ws: TestWorkstation): string =>
  ws.admin.workstation.db.prepare<[], string>('SELECT origin FROM audit_log').pluck().get()!;

export const startTestRegion = async (
  kind: StoreKind,
  options: { readonly cluster?: PostgresCluster } = {},
): Promise<TestRegion> => {
  const devices = [createTestWorkstation({ logId: 'field-x' }), createTestWorkstation({ logId: 'field-y' })] as const;
  const hub = await startTestHub(kind, {
    now: () => devices[0].clock.now(),
    ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  for (const ws of devices) {
    await enrolWithHub(ws.admin, { hubUrl: hub.url(), region: 'eu-west' });
    await decideDevice(hub.hub(), {
      deviceId: ws.admin.workstation.db.prepare<[], string>('SELECT device_id FROM sync_device').pluck().get()!,
      decision: 'approved',
      admin: 'olga',
    });
    await syncPush(ws.admin);
    await syncPush(ws.admin); // a second checkpoint: the sync.pushed entry of the first
  }
  return {
    hub,
    devices,
    close: async () => {
      await hub.stop();
      for (const ws of devices) ws.admin.workstation.close();
    },
  };
};

/**
 * The device signs, with its own log key, a checkpoint of the size the hub accepted last but another root, and sends it:
 * the witness refuses it (409) and keeps both signed checkpoints as fork evidence. Returns the status.
 */
export const signSameSizeFork = async (ws: TestWorkstation, hub: TestHub): Promise<number> => {
  const db = ws.admin.workstation.db;
  const client = createHubClient({ ...readEnrolment(db)!, url: hub.url(), now: ws.clock.now });
  const seed = new Uint8Array(
    db.prepare<[], Buffer>('SELECT seed FROM audit_signing_keys WHERE seed IS NOT NULL').pluck().get()!,
  );
  const origin = originOf(ws);
  const state = await hub.hub().store.transaction((tx) => tx.originState(origin));
  const size = state.witness!.size;
  const other = createMemoryMerkleTree(nodeSha256);
  for (let i = 0; i < size; i++) other.append(hashLeaf(nodeSha256, utf8Bytes(`forged ${i}`)));
  const note = signCheckpoint({ origin, size, root: other.root() }, [{ name: origin, seed }], nodeSha256);
  const reply = await client.send(
    'POST',
    '/add-checkpoint',
    formatAddCheckpoint({ oldSize: size, proof: [], checkpoint: utf8Bytes(note) }),
  );
  return reply.status;
};

/** `perimeter hub export` of the region, unzipped: its files by name. */
export const exportRegionFiles = async (region: TestRegion): Promise<Record<string, Uint8Array>> =>
  unzipSync((await exportRegion(region.hub.hub())).bytes);

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);
const lines = (value: Uint8Array): string[] => text(value).split('\n').filter(Boolean);
const joined = (rows: readonly string[]): Uint8Array => bytes(rows.map((row) => `${row}\n`).join(''));

export type RegionTampering = 'entry-byte' | 'dropped-line' | 'swapped-checkpoint';

/**
 * A tampered copy of an export's files, and the file its verification must name:
 * - `entry-byte`: one byte of an entry of field-x changed (the first entry by user:ada names user:adb);
 * - `dropped-line`: the last entry of field-x removed;
 * - `swapped-checkpoint`: field-y's mirror checkpoint replaced by field-x's.
 */
export const tamperRegionExport = (
  files: Readonly<Record<string, Uint8Array>>,
  how: RegionTampering,
): { readonly files: Record<string, Uint8Array>; readonly names: string } => {
  const x = 'devices/field-x/entries.jsonl';
  if (how === 'entry-byte') {
    const rows = lines(files[x]!);
    const index = rows.findIndex((row) => row.includes('"actor":"user:ada"'));
    if (index < 0) throw new Error('no entry of field-x has the actor user:ada to change');
    rows[index] = rows[index]!.replace('"actor":"user:ada"', '"actor":"user:adb"');
    return { files: { ...files, [x]: joined(rows) }, names: x };
  }
  if (how === 'dropped-line') return { files: { ...files, [x]: joined(lines(files[x]!).slice(0, -1)) }, names: x };
  return {
    files: { ...files, 'devices/field-y/checkpoint.txt': files['devices/field-x/checkpoint.txt']! },
    names: 'devices/field-y/checkpoint.txt',
  };
};
