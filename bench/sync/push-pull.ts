// bench/sync: 100,000 audit entries pushed by one device and pulled by another through one regional hub on loopback,
// on the encrypted SQLite store and on PostgreSQL; then ten devices pushing at once. Each figure is printed beside the
// floor measured in the same run: a bare bulk insert of the same rows into the same store. Goal (issue 15): at least
// 10,000 entries/s end to end, and within 3x the floor.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAYLOAD_VERSION } from '../../core/audit/event-types.ts';
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
import { hubIdentity } from '../../hub/service.ts';
import { startTestHub } from '../../test/support/hub.ts';
import type { StoreKind } from '../../test/support/hub.ts';
import { startPostgres } from '../../test/support/postgres.ts';
import type { PostgresCluster } from '../../test/support/postgres.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 10);
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

const run = async (kind: StoreKind, cluster: PostgresCluster | null): Promise<void> => {
  const hub = await startTestHub(kind, cluster ? { cluster } : {});
  const identity = hubIdentity(hub.hub());
  const enrol = async (device: Device): Promise<void> => {
    writeEnrolment(
      device.db,
      {
        deviceId: device.id,
        region: 'eu-west',
        hubUrl: hub.url(),
        seed: device.seed,
        hubWitnessKey: identity.witness!,
        hubMirrorKey: identity.mirror!,
      },
      new Date().toISOString(),
      'bench',
    );
    await hub.hub().store.transaction((tx) =>
      tx.putDevice({
        deviceId: device.id,
        region: 'eu-west',
        publicKey: ed25519PublicKey(device.seed),
        origin: device.origin,
        logKeys: auditSigningKeys(device.db).map((k) => k.verifierKey),
        status: 'approved',
        requestedMarkets: ['*'],
        markets: ['*'],
        requestedAt: new Date().toISOString(),
        decidedAt: new Date().toISOString(),
        decidedBy: 'bench',
      }),
    );
  };
  // Time spent inside requests (the hub's work and the loopback), so the device's own share can be told apart.
  let inRequests = 0;
  const client = (device: Device): HubClient => {
    const inner = createHubClient({
      url: hub.url(),
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
  const keys = { witness: identity.witness!, mirror: identity.mirror! };

  const pusher = makeDevice(`push-${kind}`, ENTRIES);
  const puller = makeDevice(`pull-${kind}`, 1);
  await enrol(pusher);
  await enrol(puller);

  let started = performance.now();
  const pushed = await pushAuditLog(pusher.db, client(pusher), keys);
  const pushMs = performance.now() - started;
  const pushWaitMs = inRequests;
  inRequests = 0;
  started = performance.now();
  const pulled = await pullFromHub(puller.db, client(puller), puller.origin, identity.mirror!);
  const pullMs = performance.now() - started;
  const pullWaitMs = inRequests;
  if (pushed.size !== ENTRIES || pulled.entries !== ENTRIES)
    throw new Error(`moved ${pushed.size} and ${pulled.entries}, not ${ENTRIES}`);

  // The floor: the same rows (bytes and leaf hashes), bulk-inserted bare into the same store, in batches of 4,096.
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
  started = performance.now();
  for (let i = 0; i < rows.length; i += 4096) await hub.hub().store.bareInsert(rows.slice(i, i + 4096));
  const floorMs = performance.now() - started;

  const endToEnd = rate(ENTRIES, pushMs + pullMs);
  const floor = rate(ENTRIES, floorMs);
  console.log(`\n${kind}: ${fmt(ENTRIES)} entries, one device pushes, another pulls`);
  console.log(
    `  push             ${fmt(rate(ENTRIES, pushMs))} entries/s (${Math.round(pushMs)} ms, ${pushed.requests} requests; ${Math.round(pushWaitMs)} ms of it inside requests)`,
  );
  console.log(
    `  pull             ${fmt(rate(ENTRIES, pullMs))} entries/s (${Math.round(pullMs)} ms, ${pulled.batches} batches; ${Math.round(pullWaitMs)} ms of it inside requests)`,
  );
  console.log(
    `  end to end       ${fmt(endToEnd)} entries/s  goal >= ${fmt(GOAL)}: ${endToEnd >= GOAL ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  floor (bare bulk insert into the same store) ${fmt(floor)} entries/s; end to end is ${(floor / endToEnd).toFixed(2)}x below it (goal <= ${FLOOR_FACTOR}x: ${floor / endToEnd <= FLOOR_FACTOR ? 'met' : 'NOT met'})`,
  );

  // Ten devices at once: each pushes its share, all concurrently, through the same hub.
  const share = Math.floor(ENTRIES / DEVICES);
  const many = Array.from({ length: DEVICES }, (_, i) => makeDevice(`many-${kind}-${i}`, share));
  for (const device of many) await enrol(device);
  started = performance.now();
  await Promise.all(many.map((device) => pushAuditLog(device.db, client(device), keys)));
  const manyMs = performance.now() - started;
  const manyRate = rate(share * DEVICES, manyMs);
  console.log(
    `  ${DEVICES} devices pushing at once: ${fmt(manyRate)} entries/s in total (${fmt(share)} each, ${Math.round(manyMs)} ms); goal >= ${fmt(GOAL)}: ${manyRate >= GOAL ? 'met' : 'NOT met'}; floor ${(floor / manyRate).toFixed(2)}x`,
  );

  for (const device of [pusher, puller, ...many]) device.db.close();
  await hub.stop();
};

const kinds = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',') as StoreKind[];
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
