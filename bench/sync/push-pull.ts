// bench/sync: 100,000 audit entries pushed by one device and pulled by another through one regional hub on loopback,
// on the encrypted SQLite store and on PostgreSQL; then ten devices pushing at once. Each figure is printed beside the
// floor measured in the same run: a bare bulk insert of the same rows into the same store. Goal (issue 15): at least
// 10,000 entries/s end to end, and within 3x the floor.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAYLOAD_VERSION } from '../../core/audit/event-types.ts';
import { bytesToBase64 } from '../../core/audit/bytes.ts';
import { ed25519PublicKey } from '../../core/audit/ed25519.ts';
import { hashLeaf } from '../../core/audit/merkle.ts';
import {
  appendAuditEventInTransaction,
  auditLogIdentity,
  auditSigningKeys,
  initialiseAuditLog,
} from '../../electron/services/audit/audit-log.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { createDatabase } from '../../electron/services/store/database.ts';
import type { Database } from '../../electron/services/store/database.ts';
import { writeEnrolment } from '../../electron/services/sync/device-state.ts';
import { createHubClient } from '../../electron/services/sync/hub-client.ts';
import type { HubClient } from '../../electron/services/sync/hub-client.ts';
import { pullFromHub } from '../../electron/services/sync/pull.ts';
import { pushAuditLog } from '../../electron/services/sync/push.ts';
import { openPostgresHubStore } from '../../hub/store/postgres.ts';
import { openSqliteHubStore } from '../../hub/store/sqlite.ts';
import { approveDevice, startHubProcess } from './hub-process.ts';
type StoreKind = 'sqlite' | 'postgres';
import { startPostgres } from '../../test/support/postgres.ts';
import type { PostgresCluster } from '../../test/support/postgres.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 10);
// Entries per add-entries request and per pull batch (the defaults are the device's own).
const PUSH_BATCH = process.env.BENCH_PUSH_BATCH ? { entriesPerRequest: Number(process.env.BENCH_PUSH_BATCH) } : {};
const PULL_BATCH = process.env.BENCH_PULL_BATCH ? { batch: Number(process.env.BENCH_PULL_BATCH) } : {};
const GOAL = 10_000;
const FLOOR_FACTOR = 3;
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-sync-'));

type Device = { db: Database; id: string; seed: Uint8Array; origin: string };

/** A device database whose log holds `count` entries (untimed): the workstation's schema, its audit service. */
const makeDevice = (id: string, count: number): Device => {
  const db = createDatabase(join(dir, `${id}.db`), new Uint8Array(randomBytes(32)));
  const now = new Date('2026-12-07T09:00:00Z');
  initialiseAuditLog(db, { logId: id, now, actor: 'user:bench' });
  db.transaction(() => {
    let head;
    for (let i = 1; i < count; i++) {
      const appended = appendAuditEventInTransaction(
        db,
        {
          time: now,
          actor: 'user:bench',
          type: 'sync.pushed',
          subjects: ['hub:eu-west'],
          payload: { pv: PAYLOAD_VERSION, hub: `hub:eu-west/${i}` },
        },
        {},
        head,
      );
      head = { sequence: appended.sequence, leafHash: appended.leafHash, time: appended.entry.time };
    }
  })();
  return { db, id, seed: new Uint8Array(randomBytes(32)), origin: auditLogIdentity(db).origin };
};

const rate = (entries: number, ms: number): number => Math.round(entries / (ms / 1000));
const fmt = (n: number): string => n.toLocaleString('en-GB');
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const run = async (kind: StoreKind, cluster: PostgresCluster | null): Promise<void> => {
  const sqlitePath = join(dir, `hub-${kind}.db`);
  const store = kind === 'sqlite' ? `sqlite:${sqlitePath}` : await cluster!.createDatabase(`bench_hub_${process.pid}`);
  // The hub runs in its own process, as deployed (`perimeter hub`): the devices reach it over loopback HTTP only.
  const hub = await startHubProcess({ dir, region: 'eu-west', store });
  const keys = { witness: hub.identity.witness, mirror: hub.identity.mirror };
  // Time spent inside requests (the hub's work and the loopback), so the device's own share can be told apart.
  let inRequests = 0;
  const client = (device: Device): HubClient => {
    const inner = createHubClient({
      url: hub.url,
      deviceId: device.id,
      region: 'eu-west',
      seed: device.seed,
      now: () => new Date(),
    });
    return {
      url: inner.url,
      send: async (...args) => {
        const started = performance.now();
        try {
          return await inner.send(...args);
        } finally {
          inRequests += performance.now() - started;
        }
      },
    };
  };
  const enrol = async (device: Device): Promise<void> => {
    writeEnrolment(
      device.db,
      {
        deviceId: device.id,
        region: 'eu-west',
        hubUrl: hub.url,
        seed: device.seed,
        hubWitnessKey: keys.witness,
        hubMirrorKey: keys.mirror,
      },
      new Date().toISOString(),
      'bench',
    );
    const body = new TextEncoder().encode(
      JSON.stringify({
        deviceId: device.id,
        region: 'eu-west',
        publicKey: bytesToBase64(ed25519PublicKey(device.seed)),
        origin: device.origin,
        logKeys: auditSigningKeys(device.db).map((k) => k.verifierKey),
        markets: ['*'],
      }),
    );
    const response = await client(device).send('POST', '/v1/enrol', body, 'application/json');
    if (response.status !== 202) throw new Error(`enrol ${device.id}: ${response.status} ${response.text}`);
    await approveDevice(hub, device.id);
  };

  const pusher = makeDevice(`push-${kind}`, ENTRIES);
  const puller = makeDevice(`pull-${kind}`, 1);
  await enrol(pusher);
  await enrol(puller);

  type Leg = { ms: number; inRequests: number; deviceCpu: number; hubCpu: number };
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; leg: Leg }> => {
    inRequests = 0;
    const cpu = cpuMs();
    const hubCpu = hub.cpuMs();
    const started = performance.now();
    const value = await work();
    return {
      value,
      leg: {
        ms: performance.now() - started,
        inRequests,
        deviceCpu: cpuMs() - cpu,
        hubCpu: hub.cpuMs() - hubCpu,
      },
    };
  };
  const push = await timed(() => pushAuditLog(pusher.db, client(pusher), keys, PUSH_BATCH));
  const pull = await timed(() => pullFromHub(puller.db, client(puller), puller.origin, keys.mirror, PULL_BATCH));
  if (push.value.size !== ENTRIES || pull.value.entries !== ENTRIES)
    throw new Error(`moved ${push.value.size} and ${pull.value.entries}, not ${ENTRIES}`);

  // Ten devices at once: each pushes its share, all concurrently, through the same hub.
  const share = Math.floor(ENTRIES / DEVICES);
  const many = Array.from({ length: DEVICES }, (_, i) => makeDevice(`many-${kind}-${i}`, share));
  for (const device of many) await enrol(device);
  const manyRun = await timed(() =>
    Promise.all(many.map((device) => pushAuditLog(device.db, client(device), keys, PUSH_BATCH))),
  );
  await hub.stop();

  // The floor: the same rows (bytes and leaf hashes), bulk-inserted bare into the same store, in batches of 4,096,
  // from this process once the hub has stopped.
  const rows = pusher.db
    .prepare<[], { sequence: number; canonical: Buffer }>(
      'SELECT sequence, canonical FROM audit_entries ORDER BY sequence',
    )
    .all()
    .map((r) => ({
      sequence: r.sequence,
      bytes: new Uint8Array(r.canonical),
      leafHash: hashLeaf(nodeSha256, r.canonical),
    }));
  const floorStore =
    kind === 'sqlite'
      ? openSqliteHubStore(sqlitePath, hub.keys.storeKey, 'eu-west')
      : await openPostgresHubStore(store, 'eu-west');
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 4096) await floorStore.bareInsert(rows.slice(i, i + 4096));
  const floorMs = performance.now() - started;
  await floorStore.close();

  const endToEnd = rate(ENTRIES, push.leg.ms + pull.leg.ms);
  const floor = rate(ENTRIES, floorMs);
  const where = (leg: Leg): string =>
    `${Math.round(leg.inRequests)} ms of it inside requests; CPU: device ${Math.round(leg.deviceCpu)} ms, hub ${Math.round(leg.hubCpu)} ms`;
  console.log(`\n${kind}: ${fmt(ENTRIES)} entries, one device pushes, another pulls (hub in its own process)`);
  console.log(
    `  push             ${fmt(rate(ENTRIES, push.leg.ms))} entries/s (${Math.round(push.leg.ms)} ms, ${push.value.requests} requests; ${where(push.leg)})`,
  );
  console.log(
    `  pull             ${fmt(rate(ENTRIES, pull.leg.ms))} entries/s (${Math.round(pull.leg.ms)} ms, ${pull.value.batches} batches; ${where(pull.leg)})`,
  );
  console.log(
    `  end to end       ${fmt(endToEnd)} entries/s  goal >= ${fmt(GOAL)}: ${endToEnd >= GOAL ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  floor (bare bulk insert into the same store) ${fmt(floor)} entries/s; end to end is ${(floor / endToEnd).toFixed(2)}x below it (goal <= ${FLOOR_FACTOR}x: ${floor / endToEnd <= FLOOR_FACTOR ? 'met' : 'NOT met'})`,
  );
  const manyRate = rate(share * DEVICES, manyRun.leg.ms);
  console.log(
    `  ${DEVICES} devices pushing at once: ${fmt(manyRate)} entries/s in total (${fmt(share)} each, ${Math.round(manyRun.leg.ms)} ms; ${where(manyRun.leg)}); goal >= ${fmt(GOAL)}: ${manyRate >= GOAL ? 'met' : 'NOT met'}; floor ${(floor / manyRate).toFixed(2)}x (goal <= ${FLOOR_FACTOR}x: ${floor / manyRate <= FLOOR_FACTOR ? 'met' : 'NOT met'})`,
  );

  for (const device of [pusher, puller, ...many]) device.db.close();
};

const kinds = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',') as StoreKind[];
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at ${new Date().toISOString()}`,
);
let cluster: PostgresCluster | null = null;
try {
  for (const kind of kinds) {
    if (kind === 'postgres') cluster ??= await startPostgres({ durable: true });
    await run(kind, kind === 'postgres' ? cluster : null);
  }
} finally {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at ${new Date().toISOString()}`,
);
