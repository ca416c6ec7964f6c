// The device's sync state in its encrypted workstation database (migration 0009): enrolment, push progress, cursors.
import type { Database } from '../store/database.ts';

export type DeviceEnrolment = {
  readonly deviceId: string;
  readonly region: string;
  readonly hubUrl: string;
  readonly seed: Uint8Array;
  readonly hubWitnessKey: string;
  readonly hubMirrorKey: string;
};

export type PushState = { readonly witnessSize: number; readonly mirrorSize: number; readonly personalThrough: number };

export const readEnrolment = (db: Database): DeviceEnrolment | null => {
  const row = db
    .prepare<
      [],
      {
        device_id: string;
        region: string;
        hub_url: string;
        seed: Buffer;
        hub_witness_key: string;
        hub_mirror_key: string;
      }
    >('SELECT device_id, region, hub_url, seed, hub_witness_key, hub_mirror_key FROM sync_device')
    .get();
  return row
    ? {
        deviceId: row.device_id,
        region: row.region,
        hubUrl: row.hub_url,
        seed: new Uint8Array(row.seed),
        hubWitnessKey: row.hub_witness_key,
        hubMirrorKey: row.hub_mirror_key,
      }
    : null;
};

export const writeEnrolment = (db: Database, enrolment: DeviceEnrolment, at: string, by: string): void => {
  db.prepare(
    `INSERT INTO sync_device (singleton, device_id, region, hub_url, seed, hub_witness_key, hub_mirror_key, requested_at, requested_by)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    enrolment.deviceId,
    enrolment.region,
    enrolment.hubUrl,
    enrolment.seed,
    enrolment.hubWitnessKey,
    enrolment.hubMirrorKey,
    at,
    by,
  );
  db.prepare(
    'INSERT INTO sync_push_state (singleton, witness_size, mirror_size, personal_through) VALUES (1, 0, 0, 0)',
  ).run();
};

export const readPushState = (db: Database): PushState => {
  const row = db
    .prepare<[], { witness_size: number; mirror_size: number; personal_through: number }>(
      'SELECT * FROM sync_push_state',
    )
    .get();
  return {
    witnessSize: row?.witness_size ?? 0,
    mirrorSize: row?.mirror_size ?? 0,
    personalThrough: row?.personal_through ?? 0,
  };
};

export const writePushState = (db: Database, state: Partial<PushState>): void => {
  const current = readPushState(db);
  const next = { ...current, ...state };
  db.prepare('UPDATE sync_push_state SET witness_size = ?, mirror_size = ?, personal_through = ?').run(
    next.witnessSize,
    next.mirrorSize,
    next.personalThrough,
  );
};

export const readCursor = (db: Database, origin: string): number =>
  db.prepare<[string], number>('SELECT next FROM sync_cursors WHERE origin = ?').pluck().get(origin) ?? 0;
