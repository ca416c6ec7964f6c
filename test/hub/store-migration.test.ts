// The hub store's schema upgrade from version 1 (the first slice) to 2 (residency and tombstones), on SQLite: a store
// with devices and personal data already in it keeps them (each record dated by its stored entry), and its devices are
// served no market until re-approved.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newHubKeys } from '../../hub/keys.ts';
import { HUB_MIGRATIONS, HUB_SCHEMA_VERSION } from '../../hub/store/schema.ts';
import { openSqliteHubStore } from '../../hub/store/sqlite.ts';
import { openDatabase } from '../../electron/services/store/database.ts';

describe('the hub store schema', () => {
  it('upgrades a version 1 store to version 2, keeping its devices and personal data', async () => {
    expect(HUB_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    const keys = newHubKeys('eu-west');
    const path = join(mkdtempSync(join(tmpdir(), 'perimeter-hub-v1-')), 'hub.db');
    // A store as the first slice left it: schema 1, one approved device, one sealed record.
    const db = openDatabase(path, keys.storeKey, { create: true, migrate: false });
    db.exec(
      'CREATE TABLE hub_meta (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL, region TEXT NOT NULL) STRICT',
    );
    db.exec(HUB_MIGRATIONS[0]!.sqlite);
    db.prepare("INSERT INTO hub_meta VALUES (1, 1, 'eu-west')").run();
    db.prepare(
      `INSERT INTO hub_devices (device_id, region, public_key, origin, log_keys, status, requested_at, decided_at, decided_by)
       VALUES ('field-1', 'eu-west', ?, 'origin-1', '[]', 'approved', 't0', 't1', 'olga')`,
    ).run(Buffer.alloc(32));
    const record = db.prepare(
      "INSERT INTO hub_personal_data (origin, seq, subject, regime, salt, sealed) VALUES ('origin-1', ?, ?, 'prospects', ?, ?)",
    );
    record.run(3, 'lead:L1', Buffer.alloc(16), Buffer.alloc(40));
    record.run(4, 'lead:L2', Buffer.alloc(16), Buffer.alloc(40));
    // Entry 3 is stored (its time dates the record); entry 4's record has no stored entry to date it.
    db.prepare("INSERT INTO hub_entries (origin, seq, bytes, leaf_hash) VALUES ('origin-1', 3, ?, ?)").run(
      Buffer.from(JSON.stringify({ sequence: '3', time: '2020-01-01T00:00:00.000Z' })),
      Buffer.alloc(32),
    );
    db.close();

    const store = openSqliteHubStore(path, keys.storeKey, 'eu-west');
    try {
      const device = await store.transaction((tx) => tx.device('field-1'));
      expect(device).toMatchObject({ status: 'approved', requestedMarkets: [], markets: [] });
      const records = await store.transaction((tx) => tx.personalData('origin-1', 0, 10));
      expect(records.map((r) => [r.sequence, r.subject])).toEqual([
        [3, 'lead:L1'],
        [4, 'lead:L2'],
      ]);
      // A retention purge reaches the record its stored entry dates; one it cannot date is kept.
      expect(
        await store.transaction((tx) =>
          tx.applyTombstone({
            kind: 'retention',
            origin: 'origin-2',
            sequence: 9,
            regime: 'prospects',
            cutoff: '2024-01-01T00:00:00.000Z',
          }),
        ),
      ).toBe(1);
      // An erasure reaches a record whatever its date.
      expect(
        await store.transaction((tx) =>
          tx.applyTombstone({ kind: 'erasure', origin: 'origin-2', sequence: 10, subject: 'lead:L2' }),
        ),
      ).toBe(1);
      expect(await store.transaction((tx) => tx.personalData('origin-1', 0, 10))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
