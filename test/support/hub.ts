// A regional hub for tests: its keys, a store of either kind (a temp SQLite file or a database of a throwaway
// PostgreSQL cluster), served on 127.0.0.1; it can be killed and started again on the same store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newHubKeys } from '../../hub/keys.ts';
import type { HubKeys } from '../../hub/keys.ts';
import { startHubServer } from '../../hub/server.ts';
import type { RunningHub } from '../../hub/server.ts';
import type { Hub } from '../../hub/service.ts';
import { openPostgresHubStore } from '../../hub/store/postgres.ts';
import { openSqliteHubStore } from '../../hub/store/sqlite.ts';
import type { HubStore } from '../../hub/store/store.ts';
import type { PostgresCluster } from './postgres.ts';

export type StoreKind = 'sqlite' | 'postgres';

export type TestHub = {
  readonly hub: () => Hub;
  readonly url: () => string;
  readonly keys: HubKeys;
  /** The store as `perimeter hub --store` takes it: `sqlite:FILE` or the PostgreSQL connection string. */
  readonly store: string;
  /** Kills the server (connections cut) and closes the store, as a crash would leave it. */
  readonly kill: () => Promise<void>;
  /** Starts the hub again on the same store and port. */
  readonly restart: () => Promise<void>;
  readonly stop: () => Promise<void>;
};

let counter = 0;

export const startTestHub = async (
  kind: StoreKind,
  options: { readonly region?: string; readonly cluster?: PostgresCluster; readonly now?: () => Date } = {},
): Promise<TestHub> => {
  const region = options.region ?? 'eu-west';
  const keys = newHubKeys(region);
  const sqlitePath = join(mkdtempSync(join(tmpdir(), 'perimeter-hub-')), 'hub.db');
  const pgUrl = kind === 'postgres' ? await options.cluster!.createDatabase(`hub_${process.pid}_${++counter}`) : null;
  const open = async (): Promise<HubStore> =>
    kind === 'sqlite' ? openSqliteHubStore(sqlitePath, keys.storeKey, region) : openPostgresHubStore(pgUrl!, region);
  let hub: Hub = { region, store: await open(), keys, now: options.now ?? (() => new Date()) };
  let running: RunningHub | null = await startHubServer(hub, { host: '127.0.0.1', port: 0 });
  const port = Number(new URL(running.url).port);
  const kill = async (): Promise<void> => {
    if (running) await running.close();
    running = null;
    await hub.store.close();
  };
  return {
    hub: () => hub,
    url: () => `http://127.0.0.1:${port}`,
    keys,
    store: kind === 'sqlite' ? `sqlite:${sqlitePath}` : pgUrl!,
    kill,
    restart: async () => {
      hub = { ...hub, store: await open() };
      running = await startHubServer(hub, { host: '127.0.0.1', port });
    },
    stop: kill,
  };
};
