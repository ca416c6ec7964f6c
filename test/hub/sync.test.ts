// The regional hub end to end, against both stores: enrolment and approval, push (tlog-witness add-checkpoint, then
// tlog-mirror add-entries and personal data), pull into another device's inbox, and the faults of issue 15: the hub
// killed mid-push, a connection cut, duplicated, reordered and replayed batches, clock skew, a device behind the hub
// (an old backup), a device that signs a fork, a revoked device, a device of another region.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../core/api/contract.ts';
import { bytesEqual, utf8Bytes } from '../../core/audit/bytes.ts';
import { signCheckpoint } from '../../core/audit/checkpoint.ts';
import { hashLeaf, createMemoryMerkleTree } from '../../core/audit/merkle.ts';
import { formatAddCheckpoint } from '../../core/sync/witness-wire.ts';
import { openPersonalData } from '../../hub/seal.ts';
import { decideDevice } from '../../hub/service.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { readEnrolment, readPushState } from '../../electron/services/sync/device-state.ts';
import { createHubClient, SyncError } from '../../electron/services/sync/hub-client.ts';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import { enrolWithHub, syncPull, syncPush } from '../../electron/services/workstation/commands/sync.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';
import { startTestHub } from '../support/hub.ts';
import type { StoreKind, TestHub } from '../support/hub.ts';
import { addUser, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

const customer = (id: string, name: string) => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
  productInterests: ['business-payments'],
  company: { name, industry: 'software' },
  address: { line1: '1 Poultry', city: 'London', postalCode: 'EC2R 8EJ', country: 'GB' },
  kycPrescreenJurisdiction: 'GB',
  targetMarket: 'UK',
  attributes: { channel: 'reseller' },
});

const importLeads = (ws: TestWorkstation, prefix: string, count: number): void => {
  ok(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: Array.from({ length: count }, (_, i) =>
      JSON.stringify(customer(`${prefix}-${i}`, `${prefix} Ledger ${i} Ltd`)),
    ).join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
};

const entriesOf = (ws: TestWorkstation): Buffer[] =>
  ws.admin.workstation.db.prepare<[], Buffer>('SELECT canonical FROM audit_entries ORDER BY sequence').pluck().all();

const inboxOf = (ws: TestWorkstation, origin: string): Buffer[] =>
  ws.admin.workstation.db
    .prepare<[string], Buffer>('SELECT bytes FROM sync_inbox WHERE origin = ? ORDER BY seq')
    .pluck()
    .all(origin);

const originOf = (ws: TestWorkstation): string =>
  ws.admin.workstation.db.prepare<[], string>('SELECT origin FROM audit_log').pluck().get()!;

const syncError = async (promise: Promise<unknown>): Promise<SyncError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected a SyncError');
};

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe.each<StoreKind>(['sqlite', 'postgres'])('the regional hub on %s', (kind) => {
  let hub: TestHub;
  let a: TestWorkstation;
  let b: TestWorkstation;
  beforeAll(async () => {
    hub = await startTestHub(kind, { cluster: cluster!, now: () => a.clock.now() });
    a = createTestWorkstation({ logId: `field-a-${kind}` });
    b = createTestWorkstation({ logId: `field-b-${kind}` });
  }, 120_000);
  afterAll(async () => {
    await hub.stop();
    a.admin.workstation.close();
    b.admin.workstation.close();
  });

  it('lets only an operations admin enrol the workstation, and a device not enrolled cannot sync', async () => {
    const officer = addUser(a, `officer-${kind}`, ['compliance_officer'], ['*']);
    try {
      await expect(enrolWithHub(officer, { hubUrl: hub.url(), region: 'eu-west' })).rejects.toThrow(
        /needs user.manage/,
      );
      expect((await syncError(syncPush(officer))).code).toBe('not_enrolled');
      expect(readEnrolment(a.admin.workstation.db)).toBeNull();
    } finally {
      officer.workstation.close();
    }
  });

  it('enrols a device that an operations admin approves; a pending device is refused', async () => {
    const enrolled = await enrolWithHub(a.admin, { hubUrl: hub.url(), region: 'eu-west' });
    expect(enrolled).toMatchObject({ deviceId: `field-a-${kind}`, status: 'pending' });
    importLeads(a, 'A', 3);
    const pending = await syncError(syncPush(a.admin));
    expect(pending.code).toBe('http_403');
    expect(pending.message).toMatch(/not approved yet/);
    expect(
      await decideDevice(hub.hub(), { deviceId: `field-a-${kind}`, decision: 'approved', admin: 'olga' }),
    ).toMatchObject({ ok: true });
  });

  it('pushes the log: the witness and the mirror cosign, every entry and its personal data are stored', async () => {
    const result = await syncPush(a.admin);
    const size = entriesOf(a).length - 1; // the sync.pushed entry came after the push
    expect(result).toMatchObject({ size, entriesSent: size });
    expect(result.personalSent).toBeGreaterThan(0);
    expect(readPushState(a.admin.workstation.db)).toEqual({
      witnessSize: size,
      mirrorSize: size,
      personalThrough: size,
    });
    const last = a.admin.workstation.db
      .prepare<[], string>('SELECT type FROM audit_entries ORDER BY sequence DESC LIMIT 1')
      .pluck()
      .get();
    expect(last).toBe('sync.pushed');
    const state = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    expect(state.next).toBe(size);
    expect(state.mirror?.size).toBe(size);
    expect(state.mirror?.note).toContain(`— perimeter-hub/eu-west/mirror `);
  });

  it('seals personal data with the region key before it reaches the store, bound to its entry', async () => {
    const origin = originOf(a);
    const sealed = await hub.hub().store.transaction((tx) => tx.personalData(origin, 0, 1_000_000));
    expect(sealed.length).toBeGreaterThan(0);
    const opened = sealed.map((record) =>
      Buffer.from(openPersonalData(hub.keys.regionKey, origin, record.sequence, record.sealed)).toString('utf8'),
    );
    expect(opened.join('\n')).toContain('A Ledger 0 Ltd');
    for (const record of sealed) expect(Buffer.from(record.sealed).toString('latin1')).not.toContain('Ledger');
    // Moved onto another entry, the ciphertext no longer opens.
    expect(() => openPersonalData(hub.keys.regionKey, origin, sealed[0]!.sequence + 1, sealed[0]!.sealed)).toThrow();
  });

  it('keeps its own log of accepted checkpoints, signed under the region', async () => {
    const checkpoint = await hub.hub().store.transaction((tx) => tx.latestHubCheckpoint());
    expect(checkpoint?.note.split('\n')[0]).toBe('perimeter-hub/eu-west/log');
    const leaves = await hub.hub().store.transaction((tx) => tx.hubLogEntries(0, 100));
    const types = leaves.map((leaf) => JSON.parse(new TextDecoder().decode(leaf.bytes)).type);
    expect(types).toContain('checkpoint.accepted');
    // The approval of the device is in it too, before the device's first accepted checkpoint.
    expect(types.indexOf('device.approved')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('device.approved')).toBeLessThan(types.indexOf('checkpoint.accepted'));
  });

  it('pulls another device entries into the inbox, identical and verified against the cosigned root', async () => {
    await enrolWithHub(b.admin, { hubUrl: hub.url(), region: 'eu-west' });
    await decideDevice(hub.hub(), { deviceId: `field-b-${kind}`, decision: 'approved', admin: 'olga' });
    await syncPush(a.admin); // the sync.pushed entry goes up too
    const pulled = await syncPull(b.admin, {}, { batch: 7 });
    const aEntries = entriesOf(a);
    expect(pulled.entries).toBe(aEntries.length - 1);
    expect(inboxOf(b, originOf(a)).map((x) => x.toString('hex'))).toEqual(
      aEntries.slice(0, -1).map((x) => x.toString('hex')),
    );
    const personal = b.admin.workstation.db
      .prepare<[], number>('SELECT count(*) FROM sync_inbox_personal_data')
      .pluck()
      .get();
    expect(personal).toBeGreaterThan(0);
    // Idempotent: pulling again moves nothing and logs nothing.
    expect((await syncPull(b.admin)).entries).toBe(0);
    // A later pull goes on from the cursor, and the whole copy still checks against the new cosigned root.
    importLeads(a, 'P', 2);
    await syncPush(a.admin);
    const more = await syncPull(b.admin, {}, { batch: 5 });
    expect(more.entries).toBeGreaterThan(0);
    expect(inboxOf(b, originOf(a)).map((x) => x.toString('hex'))).toEqual(
      entriesOf(a)
        .slice(0, -1)
        .map((x) => x.toString('hex')),
    );
  });

  it('serves a pull in format 2 (binary) with the same entries as format 1 (JSON), and refuses another format', async () => {
    const { parsePullV2, PULL_V2_CONTENT_TYPE } = await import('../../core/sync/pull-wire.ts');
    const client = createHubClient({ ...readEnrolment(b.admin.workstation.db)!, url: hub.url(), now: a.clock.now });
    const target = `/v1/pull?origin=${encodeURIComponent(originOf(a))}&from=3&limit=6`;
    const v1 = await client.send('GET', target);
    const v2 = await client.send('GET', `${target}&format=2`);
    expect(v1.contentType).toBe('application/json');
    expect(v2.contentType).toBe(PULL_V2_CONTENT_TYPE);
    const json = JSON.parse(v1.text) as { entries: string[]; from: number; to: number; checkpoint: string };
    const parsed = parsePullV2(v2.bytes, (header) => {
      const h = header as { from: number; to: number };
      return h.to - h.from;
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const { entries: _entries, ...header } = json;
    expect(parsed.value.header).toEqual(header);
    expect(parsed.value.entries.map((e) => ('bytes' in e ? Buffer.from(e.bytes).toString('base64') : null))).toEqual(
      json.entries,
    );
    expect(json.entries).toHaveLength(6);
    const bad = await client.send('GET', `${target}&format=3`);
    expect(`${bad.status} ${bad.text}`).toMatch(/^400 pull format is 1 \(JSON\) or 2 \(binary\)/);
    const tooMany = await client.send('GET', `${target.replace('limit=6', 'limit=0')}&format=2`);
    expect(`${tooMany.status} ${tooMany.text}`).toMatch(/^400 .*limit \(1 to 50000\)/);
  });

  it('resumes a push after the hub was killed mid-push, and nothing acknowledged is lost', async () => {
    importLeads(a, 'K', 600);
    expect(entriesOf(a).length - readPushState(a.admin.workstation.db).mirrorSize).toBeGreaterThan(512);
    let calls = 0;
    const dying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/add-entries') && ++calls === 1) await hub.kill();
      return response;
    };
    const error = await syncError(syncPush(a.admin, { fetch: dying }, { entriesPerRequest: 256 }));
    expect(error.code).toBe('unreachable');
    const acknowledged = readPushState(a.admin.workstation.db).mirrorSize;
    await hub.restart();
    const state = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    expect(state.next).toBeGreaterThanOrEqual(acknowledged);
    await syncPush(a.admin, {}, { entriesPerRequest: 256 });
    const size = entriesOf(a).length - 1;
    const after = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    expect(after.mirror?.size).toBe(size);
    const stored = await hub.hub().store.transaction((tx) => tx.entries(originOf(a), 0, size));
    expect(stored.map((e) => Buffer.from(e.bytes).toString('hex'))).toEqual(
      entriesOf(a)
        .slice(0, size)
        .map((x) => x.toString('hex')),
    );
  });

  it('stores nothing of a batch whose connection is cut while it is sent, and the next push completes', async () => {
    importLeads(a, 'C', 30);
    const before = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    // A transport that sends the add-entries request headers and half its body, then cuts the connection.
    const cutting: typeof fetch = async (input, init) => {
      if (!String(input).endsWith('/add-entries')) return fetch(input, init);
      const body = Buffer.from(init!.body as Uint8Array);
      const url = new URL(String(input));
      await new Promise<void>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          const headers = Object.entries(init!.headers as Record<string, string>)
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('');
          socket.write(
            `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\n${headers}content-length: ${body.length}\r\n\r\n`,
          );
          socket.write(body.subarray(0, body.length >> 1), () => {
            socket.destroy();
            resolve();
          });
        });
      });
      throw new TypeError('the connection was cut');
    };
    expect((await syncError(syncPush(a.admin, { fetch: cutting }))).code).toBe('unreachable');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    expect(during.next).toBe(before.next);
    expect(during.mirror?.size).toBe(before.mirror?.size);
    const result = await syncPush(a.admin);
    const after = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    expect(after.next).toBe(result.size);
    expect(after.mirror?.size).toBe(result.size);
  });

  it('survives a reply lost on the way back: the replayed checkpoint and batches are duplicates, skipped', async () => {
    importLeads(a, 'L', 5);
    const losing: typeof fetch = async (input, init) => {
      await fetch(input, init);
      throw new TypeError('connection reset');
    };
    const before = readPushState(a.admin.workstation.db);
    expect((await syncError(syncPush(a.admin, { fetch: losing }))).code).toBe('unreachable');
    expect(readPushState(a.admin.workstation.db)).toEqual(before);
    const result = await syncPush(a.admin);
    expect(result.size).toBe(entriesOf(a).length - 1);
    const state = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    expect(state.next).toBe(result.size);
  });

  it('refuses a replayed request (same nonce) and a request outside the clock-skew window', async () => {
    const captured: { url: string; init: RequestInit }[] = [];
    const recording: typeof fetch = async (input, init) => {
      captured.push({ url: String(input), init: init! });
      return fetch(input, init);
    };
    await syncPull(b.admin, { fetch: recording });
    const replay = await fetch(captured[0]!.url, captured[0]!.init);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/replay/);
    const enrolment = readEnrolment(b.admin.workstation.db)!;
    const skewed = createHubClient({
      ...enrolment,
      url: hub.url(),
      now: () => new Date(a.clock.now().getTime() + 10 * 60_000),
    });
    const response = await skewed.send('GET', '/v1/origins');
    expect(response.status).toBe(401);
    expect(response.text).toMatch(/window ±300 s/);
    expect(response.headers.get('perimeter-time')).toBe(String(Math.floor(a.clock.now().getTime() / 1000)));
  });

  it('answers add-checkpoint with the tlog-witness status codes', async () => {
    const enrolment = readEnrolment(a.admin.workstation.db)!;
    const client = createHubClient({ ...enrolment, url: hub.url(), now: a.clock.now });
    const db = a.admin.workstation.db;
    const notes = db
      .prepare<[], { size: number; note: string }>('SELECT size, note FROM audit_checkpoints ORDER BY size')
      .all();
    const state = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    const hubSize = state.witness!.size;
    const older = notes.find((n) => n.size < hubSize)!;
    // A device restored from an old backup presents an older checkpoint: 409 with the hub's size tells it.
    const stale = await client.send(
      'POST',
      '/add-checkpoint',
      formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: utf8Bytes(older.note) }),
    );
    expect(stale.status).toBe(409);
    expect(stale.contentType).toBe('text/x.tlog.size');
    expect(stale.text).toBe(`${hubSize}\n`);
    // Old size larger than the checkpoint: 400.
    const backwards = await client.send(
      'POST',
      '/add-checkpoint',
      formatAddCheckpoint({ oldSize: older.size + 1, proof: [], checkpoint: utf8Bytes(older.note) }),
    );
    expect(backwards.status).toBe(400);
    // An unknown origin: 404. A signature by no trusted key: 403.
    const seed = new Uint8Array(32).fill(7);
    const foreign = signCheckpoint(
      { origin: 'perimeter/audit/nobody', size: 1, root: new Uint8Array(32) },
      [{ name: 'perimeter/audit/nobody', seed }],
      nodeSha256,
    );
    expect(
      (
        await client.send(
          'POST',
          '/add-checkpoint',
          formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: utf8Bytes(foreign) }),
        )
      ).status,
    ).toBe(404);
    const forged = signCheckpoint(
      { origin: originOf(a), size: hubSize + 1, root: new Uint8Array(32) },
      [{ name: originOf(a), seed }],
      nodeSha256,
    );
    expect(
      (
        await client.send(
          'POST',
          '/add-checkpoint',
          formatAddCheckpoint({ oldSize: hubSize, proof: [], checkpoint: utf8Bytes(forged) }),
        )
      ).status,
    ).toBe(403);
  });

  it('keeps both signed checkpoints of a fork signed by the device key, and refuses it (409 same size, 422 bad proof)', async () => {
    const db = a.admin.workstation.db;
    const enrolment = readEnrolment(db)!;
    const client = createHubClient({ ...enrolment, url: hub.url(), now: a.clock.now });
    const seed = new Uint8Array(
      db.prepare<[], Buffer>('SELECT seed FROM audit_signing_keys WHERE seed IS NOT NULL').pluck().get()!,
    );
    const origin = originOf(a);
    const state = await hub.hub().store.transaction((tx) => tx.originState(origin));
    const hubSize = state.witness!.size;
    // Same size, another root: a fork of the device's own making.
    const other = createMemoryMerkleTree(nodeSha256);
    for (let i = 0; i < hubSize; i++) other.append(hashLeaf(nodeSha256, utf8Bytes(`forged ${i}`)));
    const sameSize = signCheckpoint(
      { origin, size: hubSize, root: other.root() },
      [{ name: origin, seed }],
      nodeSha256,
    );
    const conflict = await client.send(
      'POST',
      '/add-checkpoint',
      formatAddCheckpoint({ oldSize: hubSize, proof: [], checkpoint: utf8Bytes(sameSize) }),
    );
    expect(conflict.status).toBe(409);
    // A larger checkpoint whose proof cannot connect to the accepted root: 422.
    other.append(hashLeaf(nodeSha256, utf8Bytes('forged tail')));
    const longer = signCheckpoint(
      { origin, size: hubSize + 1, root: other.root() },
      [{ name: origin, seed }],
      nodeSha256,
    );
    const bad = await client.send(
      'POST',
      '/add-checkpoint',
      formatAddCheckpoint({ oldSize: hubSize, proof: [new Uint8Array(32)], checkpoint: utf8Bytes(longer) }),
    );
    expect(bad.status).toBe(422);
    // A checkpoint of a size the hub accepted earlier, with another root: a fork too, whatever old size it claims.
    const log = await hub.hub().store.transaction((tx) => tx.hubLogEntries(0, 1000));
    const firstSize = log
      .map(
        (leaf) => JSON.parse(new TextDecoder().decode(leaf.bytes)) as { type: string; origin?: string; size?: number },
      )
      .find((record) => record.type === 'checkpoint.accepted' && record.origin === origin)!.size!;
    const early = createMemoryMerkleTree(nodeSha256);
    for (let i = 0; i < firstSize; i++) early.append(hashLeaf(nodeSha256, utf8Bytes(`rewritten ${i}`)));
    const rewritten = signCheckpoint(
      { origin, size: firstSize, root: early.root() },
      [{ name: origin, seed }],
      nodeSha256,
    );
    const history = await client.send(
      'POST',
      '/add-checkpoint',
      formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: utf8Bytes(rewritten) }),
    );
    expect(history.status).toBe(409);
    const forks = await hub.hub().store.transaction((tx) => tx.forks());
    expect(forks.filter((f) => f.origin === origin)).toHaveLength(3);
    expect(forks.at(-1)!.acceptedNote.split('\n')[1]).toBe(String(firstSize));
    expect(forks[0]!.acceptedNote).toContain(`${hubSize}\n`);
    expect(forks[0]!.conflictingNote).toBe(sameSize);
    // The accepted state did not move.
    const after = await hub.hub().store.transaction((tx) => tx.originState(origin));
    expect(bytesEqual(after.witness!.root, state.witness!.root)).toBe(true);
  });

  it('refuses batches out of order, and skips duplicated ones', async () => {
    const enrolment = readEnrolment(a.admin.workstation.db)!;
    const client = createHubClient({ ...enrolment, url: hub.url(), now: a.clock.now });
    const { formatAddEntriesHeader } = await import('../../core/sync/mirror-wire.ts');
    const { consistencyProof } = await import('../../core/audit/merkle.ts');
    const { signAuditCheckpoint } = await import('../../electron/services/audit/audit-log.ts');
    const { sqliteAuditStore } = await import('../../electron/services/audit/sqlite-store.ts');
    importLeads(a, 'R', 3);
    const db = a.admin.workstation.db;
    const state = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    const checkpoint = signAuditCheckpoint(db);
    const proof = consistencyProof(sqliteAuditStore(db).readNode, nodeSha256, state.witness!.size, checkpoint.size);
    const witnessed = await client.send(
      'POST',
      '/add-checkpoint',
      formatAddCheckpoint({ oldSize: state.witness!.size, proof, checkpoint: utf8Bytes(checkpoint.note) }),
    );
    expect(witnessed.status).toBe(200);
    // A later batch before the one it follows: 409, with the hub's next entry to go on from.
    const ahead = await client.send(
      'POST',
      '/add-entries',
      formatAddEntriesHeader({
        origin: originOf(a),
        uploadStart: state.next + 1,
        uploadEnd: checkpoint.size,
        ticket: new Uint8Array(0),
      }),
    );
    expect(`${ahead.status} ${ahead.text}`).toMatch(/^409 /);
    expect(ahead.contentType).toBe('text/x.tlog.mirror-info');
    expect(ahead.text.split('\n')[1]).toBe(String(state.next));
    // The whole log again from 0: every entry a duplicate, the mirror cosigns the same checkpoint.
    const push = await import('../../electron/services/sync/push.ts');
    a.admin.workstation.db.prepare('UPDATE sync_push_state SET mirror_size = 0, personal_through = 0').run();
    const again = await push.pushAuditLog(a.admin.workstation.db, client, {
      witness: enrolment.hubWitnessKey,
      mirror: enrolment.hubMirrorKey,
    });
    expect(again.size).toBeGreaterThan(0);
    const after = await hub.hub().store.transaction((tx) => tx.originState(originOf(a)));
    expect(after.next).toBe(again.size);
  });

  it('tells a device restored from an old backup that the hub is ahead, instead of forking silently', async () => {
    a.admin.workstation.db.prepare('UPDATE sync_push_state SET witness_size = witness_size + 1000').run();
    const error = await syncError(syncPush(a.admin));
    expect(error.code).toBe('behind_hub');
    a.admin.workstation.db.prepare('UPDATE sync_push_state SET witness_size = witness_size - 1000').run();
  });

  it('refuses a revoked device, for good', async () => {
    await decideDevice(hub.hub(), { deviceId: `field-b-${kind}`, decision: 'revoked', admin: 'olga' });
    const error = await syncError(syncPull(b.admin));
    expect(error.code).toBe('http_403');
    expect(error.message).toMatch(/revoked/);
    expect(
      await decideDevice(hub.hub(), { deviceId: `field-b-${kind}`, decision: 'approved', admin: 'olga' }),
    ).toMatchObject({ ok: false });
  });

  it('refuses a device of another region, at enrolment and on every request', async () => {
    const c = createTestWorkstation({ logId: `field-c-${kind}` });
    try {
      const wrong = await syncError(enrolWithHub(c.admin, { hubUrl: hub.url(), region: 'ap-south' }));
      expect(wrong.code).toBe('wrong_region');
      const enrolment = readEnrolment(a.admin.workstation.db)!;
      const client = createHubClient({ ...enrolment, region: 'ap-south', url: hub.url(), now: a.clock.now });
      const response = await client.send('GET', '/v1/origins');
      expect(response.status).toBe(403);
      expect(response.text).toMatch(/serves region eu-west/);
    } finally {
      c.admin.workstation.close();
    }
  });
});
