// Hub migration 3 (distribution, decision 0253) on a store a hub of the first slice made: both dialects upgrade in
// place, the devices already enrolled stay, and the new tables take statements.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/services/store/database.ts';
import { newHubKeys } from '../../hub/keys.ts';
import { HUB_MIGRATIONS, HUB_SCHEMA_VERSION } from '../../hub/store/schema.ts';
import { openPostgresHubStore } from '../../hub/store/postgres.ts';
import { openSqliteHubStore } from '../../hub/store/sqlite.ts';
import type { HubStore } from '../../hub/store/store.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';

const first = HUB_MIGRATIONS.find((m) => m.version === 1)!;
const META = 'CREATE TABLE hub_meta (singleton INTEGER PRIMARY KEY, version INTEGER NOT NULL, region TEXT NOT NULL)';
const DEVICE = `INSERT INTO hub_devices (device_id, region, public_key, origin, log_keys, status, requested_at)
  VALUES ('field-1', 'eu-west', '\\x00', 'origin-1', '[]', 'approved', '2026-12-01T00:00:00Z')`;

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

const upgradesInPlace = async (store: HubStore): Promise<void> => {
  try {
    expect(HUB_SCHEMA_VERSION).toBe(4);
    const devices = await store.transaction((tx) => tx.devices());
    expect(devices.map((d) => d.deviceId)).toEqual(['field-1']);
    await store.transaction(async (tx) => {
      expect(await tx.putPublisher('perimeter-publisher/eu-west+00000000+AQ', 'olga', 'now')).toBe(true);
      await tx.putDistribution(
        {
          stream: 'policy',
          sequence: 1,
          kind: 'policy',
          version: 'v',
          label: 'l',
          note: 'n',
          publishedAt: 't',
          receivedAt: 't',
          receivedBy: 'olga',
        },
        new Uint8Array([1, 2, 3]),
      );
    });
    const stored = await store.transaction(async (tx) => ({
      all: await tx.distributions(null),
      content: await tx.distributionContent('policy', 1),
      publishers: await tx.publishers(),
    }));
    expect(stored.all.map((d) => `${d.stream}#${d.sequence}`)).toEqual(['policy#1']);
    expect([...stored.content!]).toEqual([1, 2, 3]);
    expect(stored.publishers).toHaveLength(1);
    // A second statement of the same sequence is refused by the store itself.
    await expect(
      store.transaction((tx) => tx.putDistribution({ ...stored.all[0]! }, new Uint8Array([9]))),
    ).rejects.toThrow();
  } finally {
    await store.close();
  }
};

describe('hub migration 3', () => {
  it('upgrades an SQLite store of version 1 in place', async () => {
    const keys = newHubKeys('eu-west');
    const path = join(mkdtempSync(join(tmpdir(), 'perimeter-hub-m3-')), 'hub.db');
    const db = openDatabase(path, keys.storeKey, { create: true, migrate: false });
    db.exec(`${META} STRICT`);
    db.exec(first.sqlite);
    db.prepare("INSERT INTO hub_meta VALUES (1, 1, 'eu-west')").run();
    db.prepare(DEVICE.replace("'\\x00'", "x'00'")).run();
    db.close();
    await upgradesInPlace(openSqliteHubStore(path, keys.storeKey, 'eu-west'));
  });

  it('upgrades a PostgreSQL store of version 1 in place', async () => {
    const url = await cluster!.createDatabase(`hub_m3_${process.pid}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(META);
      await client.query(first.postgres);
      await client.query("INSERT INTO hub_meta VALUES (1, 1, 'eu-west')");
      await client.query(DEVICE);
    } finally {
      await client.end();
    }
    await upgradesInPlace(await openPostgresHubStore(url, 'eu-west'));
  });
});
