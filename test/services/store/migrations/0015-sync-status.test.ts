// Migration 15: the last sync attempts by kind and the device's standing at the hub, with their checks.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0015SyncStatus as migration } from '../../../../electron/services/store/migrations/0015-sync-status.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-sync-status');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('keeps an enrolled device pending until the hub says otherwise, and checks attempts and standing', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    db.prepare(
      `INSERT INTO sync_device (singleton, device_id, region, hub_url, seed, hub_witness_key, hub_mirror_key, requested_at, requested_by)
       VALUES (1, 'd', 'eu-west', 'http://127.0.0.1', ?, 'w', 'm', 't', 'ada')`,
    ).run(Buffer.alloc(32));
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    expect(db.prepare('SELECT standing, standing_at FROM sync_device').get()).toEqual({
      standing: 'pending',
      standing_at: null,
    });
    expect(() => db.prepare("UPDATE sync_device SET standing = 'lost'").run()).toThrow(/CHECK/);
    const attempt = db.prepare(
      `INSERT INTO sync_attempts (kind, at, ok, reached_hub, code, message, entries, serial) VALUES (?, 't', 1, 1, NULL, 'm', ?, 1)`,
    );
    expect(() => attempt.run('fetch', 0)).toThrow(/CHECK/);
    expect(() => attempt.run('push', -1)).toThrow(/CHECK/);
    attempt.run('push', 3);
    expect(() => attempt.run('push', 3)).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
});
