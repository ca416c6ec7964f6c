// Migration 0009: the device's sync state (enrolment, push progress, pull cursors, the inbox), with its checks.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import {
  SYNC_TABLES,
  migration0009Sync as migration,
} from '../../../../electron/services/store/migrations/0009-sync.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-sync');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('adds the sync tables, one enrolment per device and a 32-byte device key', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    for (const table of SYNC_TABLES) expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    const enrol = db.prepare(
      `INSERT INTO sync_device (singleton, device_id, region, hub_url, seed, hub_witness_key, hub_mirror_key, requested_at, requested_by)
       VALUES (?, 'd', 'eu-west', 'http://127.0.0.1', ?, 'w', 'm', 't', 'ada')`,
    );
    expect(() => enrol.run(1, Buffer.alloc(31))).toThrow(/CHECK/);
    enrol.run(1, Buffer.alloc(32));
    expect(() => enrol.run(2, Buffer.alloc(32))).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO sync_cursors (origin, next) VALUES ('o', -1)").run()).toThrow(/CHECK/);
    db.close();
  });
});
