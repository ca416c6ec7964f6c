// Applying other devices' entries through the one door, and sync conflicts (issue 15, decisions 0242–0247), against a
// real hub on both stores: device A ingests and decides, device B pulls and applies, and B's leads, paths, cases and
// queues show the same as A's; two decisions taken offline on one case version become the same conflict on both
// devices, which a senior officer resolves and both converge on; the apply is idempotent, resumes where it stopped,
// and refuses an invalid entry naming its origin, sequence and field with nothing of its batch applied.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../core/api/contract.ts';
import { logTag } from '../../core/cases/intake-case-ids.ts';
import { decideDevice } from '../../hub/service.ts';
import { createHubClient } from '../../electron/services/sync/hub-client.ts';
import { pullFromHub } from '../../electron/services/sync/pull.ts';
import { readEnrolment } from '../../electron/services/sync/device-state.ts';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import { enrolWithHub, syncPull, syncPush } from '../../electron/services/workstation/commands/sync.ts';
import { applyInbox, ApplyRefused } from '../../electron/services/workstation/commands/sync-apply.ts';
import { loadSyncConflict, resolveSyncConflict } from '../../electron/services/workstation/commands/sync-conflicts.ts';
import { conflictIdFor } from '../../electron/services/workstation/projection/case-sync-projection.ts';
import { projectionSnapshot, rebuildProjections } from '../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';
import { startTestHub } from '../support/hub.ts';
import type { StoreKind, TestHub } from '../support/hub.ts';
import { examplesDir } from '../support/examples.ts';
import { addUser, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

// The projection rows a device shows of leads, paths, cases and queues. Columns that hold a position in the device's
// own log (`…_seq`) differ by construction (each device's log is its own); everything else must be equal.
const SHARED_TABLES = ['leads', 'product_paths', 'cases', 'case_counts', 'case_conflicts', 'path_lifecycle'] as const;
const sharedRows = (ws: TestWorkstation): Record<string, unknown[]> =>
  Object.fromEntries(
    SHARED_TABLES.map((table) => [
      table,
      ws.admin.workstation.db
        .prepare(`SELECT * FROM ${table} ${table === 'case_counts' ? 'WHERE count <> 0' : ''} ORDER BY 1, 2`)
        .all()
        .map((row) => Object.fromEntries(Object.entries(row as object).filter(([column]) => !column.endsWith('_seq')))),
    ]),
  );

const originOf = (ws: TestWorkstation): string =>
  ws.admin.workstation.db.prepare<[], string>('SELECT origin FROM audit_log').pluck().get()!;

const receiptsOf = (ws: TestWorkstation): number =>
  ws.admin.workstation.db
    .prepare<[], number>("SELECT count(*) FROM audit_entries WHERE type = 'sync.applied'")
    .pluck()
    .get()!;

const caseRow = (ws: TestWorkstation, id: string) =>
  ws.admin.workstation.db
    .prepare<[string], { status: string; version: number; conflict_id: string | null; resolution: string | null }>(
      'SELECT status, version, conflict_id, resolution FROM cases WHERE id = ?',
    )
    .get(id)!;

const expectRebuildEqual = (ws: TestWorkstation): void => {
  const live = projectionSnapshot(ws.admin.workstation.db);
  rebuildProjections(ws.admin.workstation.db);
  expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(live);
};

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe.each<StoreKind>(['sqlite', 'postgres'])('applying other devices’ entries through a hub on %s', (kind) => {
  let hub: TestHub;
  let a: TestWorkstation;
  let b: TestWorkstation;
  let olive: Session; // an officer on A
  let oscar: Session; // an officer on B
  let sara: Session; // a senior officer on B
  let caseId: string;
  let leaseCaseId: string;
  const sessions: Session[] = [];

  const enrol = async (ws: TestWorkstation, deviceId: string): Promise<void> => {
    await enrolWithHub(ws.admin, { hubUrl: hub.url(), region: 'eu-west', deviceId });
    await decideDevice(hub.hub(), { deviceId, decision: 'approved', admin: 'olga' });
  };

  beforeAll(async () => {
    hub = await startTestHub(kind, { cluster: cluster!, now: () => a.clock.now() });
    a = createTestWorkstation({ logId: `apply-a-${kind}`, withoutResidency: true });
    b = createTestWorkstation({ logId: `apply-b-${kind}`, withoutResidency: true });
    olive = addUser(a, 'olive', ['compliance_officer'], ['*']);
    oscar = addUser(b, 'oscar', ['compliance_officer'], ['*']);
    sara = addUser(b, 'sara', ['senior_officer'], ['*']);
    sessions.push(olive, oscar, sara);
    await enrol(a, `apply-a-${kind}`);
    await enrol(b, `apply-b-${kind}`);
  }, 120_000);
  afterAll(async () => {
    await hub.stop();
    for (const session of sessions) session.workstation.close();
    a.admin.workstation.close();
    b.admin.workstation.close();
  });

  it('applies what device A ingested and decided, so B shows the same leads, paths, cases and queues', async () => {
    ok(a.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
      mode: 'all',
      sourceSystem: 'crm',
    });
    const cases = ok(olive, 'cases.list', { pageSize: 500 }).rows;
    const expansion = cases.filter((row) => row.type === 'expansion_review');
    expect(expansion.length).toBeGreaterThanOrEqual(3);
    // A decides one case now; another is left open for the conflict below.
    ok(olive, 'cases.claim', { caseId: expansion[0]!.id });
    ok(olive, 'cases.decide', {
      caseId: expansion[0]!.id,
      disposition: 'decline_expansion',
      reason: 'no licence is planned there',
    });
    caseId = expansion[1]!.id;
    leaseCaseId = expansion[2]!.id;
    await syncPush(a.admin);
    const pulled = await syncPull(b.admin);
    expect(pulled.apply.receipts).toBeGreaterThan(0);
    expect(pulled.apply.waiting).toEqual([]);
    expect(sharedRows(b)).toEqual(sharedRows(a));
    // The display subjects came with the entries' personal data: B shows the same names as A.
    const listed = (session: Session) =>
      ok(session, 'cases.list', { pageSize: 500 }).rows.map((row) => [row.id, row.type, row.status, row.subject]);
    expect(listed(oscar)).toEqual(listed(olive));
    expect(listed(oscar).length).toBeGreaterThan(5);
    // The case view: the same trace and the same history (the other device's entries, not this device's receipts).
    const view = (session: Session) => {
      const detail = ok(session, 'cases.get', { caseId: expansion[0]!.id });
      return {
        trace: detail.trace,
        history: detail.history.map((entry) => [entry.type, entry.actor, entry.time, entry.payload]),
      };
    };
    expect(view(oscar).history.map((entry) => entry[0])).toEqual(['lead.intake', 'case.claimed', 'case.decided']);
    expect(view(oscar)).toEqual(view(olive));
    expectRebuildEqual(b);
  });

  it('is idempotent: pulling the same batches again and applying again changes nothing', async () => {
    const before = { rows: sharedRows(b), receipts: receiptsOf(b) };
    // The pull cursor forgotten: the hub sends every batch again; the inbox and the apply cursor skip them.
    b.admin.workstation.db.prepare('DELETE FROM sync_cursors').run();
    const again = await syncPull(b.admin);
    expect(again.apply).toEqual({ applied: 0, receipts: 0, waiting: [] });
    expect(applyInbox(b.admin)).toEqual({ applied: 0, receipts: 0, waiting: [] });
    expect({ rows: sharedRows(b), receipts: receiptsOf(b) }).toEqual(before);
  });

  it('never pushes an applied entry again as the device’s own, and applies no receipt of another device', async () => {
    await syncPush(b.admin);
    const pulled = await syncPull(a.admin);
    // A applies B's log: only receipts and device-local entries, none of which touches A's projections twice.
    expect(pulled.entries).toBeGreaterThan(0);
    expect(pulled.apply.receipts).toBe(0);
    expect(sharedRows(a)).toEqual(sharedRows(b));
  });

  it('turns two offline decisions on one case version into the same conflict on both devices', async () => {
    // Offline: each device's officer claims and decides the same case, differently.
    ok(olive, 'cases.claim', { caseId });
    ok(olive, 'cases.decide', { caseId, disposition: 'pursue_expansion', reason: 'demand justifies a licence' });
    b.clock.advance(60_000);
    ok(oscar, 'cases.claim', { caseId });
    ok(oscar, 'cases.decide', { caseId, disposition: 'decline_expansion', reason: 'the market is closed to us' });
    expect(caseRow(a, caseId)).toMatchObject({ status: 'closed', version: 1 });
    expect(caseRow(b, caseId)).toMatchObject({ status: 'closed', version: 1 });
    // Back online: both push, both pull.
    await syncPush(a.admin);
    await syncPush(b.admin);
    await syncPull(a.admin);
    await syncPull(b.admin);
    const conflictId = conflictIdFor(caseId, 0);
    for (const ws of [a, b]) {
      expect(caseRow(ws, caseId)).toMatchObject({ status: 'open', version: 0, conflict_id: conflictId });
      expect(caseRow(ws, conflictId)).toMatchObject({ status: 'open' });
    }
    expect(sharedRows(a)).toEqual(sharedRows(b));
    const conflict = loadSyncConflict(sara, conflictId);
    expect(conflict.decisions.map((d) => [d.origin, d.actor, d.decision, d.reason, d.caseVersion])).toEqual(
      [
        [originOf(a), 'user:olive', 'pursue_expansion', 'demand justifies a licence', 0],
        [originOf(b), 'user:oscar', 'decline_expansion', 'the market is closed to us', 0],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    for (const decision of conflict.decisions) {
      expect(decision.seq).toBeGreaterThan(0);
      expect(decision.time).toMatch(/^2026-/);
    }
    // The sync UI's count: open cases in the sync_conflict queue.
    const open = ok(sara, 'cases.list', { pageSize: 500 }).rows.filter(
      (row) => row.type === 'sync_conflict' && row.status === 'open',
    );
    expect(open.map((row) => row.id)).toEqual([conflictId]);
    // Held: nobody decides the case until the conflict is resolved; only a senior officer resolves it.
    expect(() => ok(olive, 'cases.claim', { caseId })).toThrow(/sync conflict/);
    expect(() =>
      resolveSyncConflict(oscar, conflictId, { chosen: null, reason: 'an officer may not resolve it' }),
    ).toThrow(/case.resolve_conflict/);
    expectRebuildEqual(a);
    expectRebuildEqual(b);
  });

  it('converges on the resolution a senior officer records on one device', async () => {
    const conflictId = conflictIdFor(caseId, 0);
    const chosen = loadSyncConflict(sara, conflictId).decisions.find((d) => d.origin === originOf(a))!;
    const resolved = resolveSyncConflict(sara, conflictId, {
      chosen: { origin: chosen.origin, seq: chosen.seq },
      reason: 'the expansion board approved it',
    });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'sara' });
    await syncPush(b.admin);
    await syncPull(a.admin);
    for (const ws of [a, b]) {
      expect(caseRow(ws, caseId)).toMatchObject({
        status: 'closed',
        version: 1,
        conflict_id: null,
        resolution: 'pursue_expansion',
      });
      expect(caseRow(ws, conflictId)).toMatchObject({
        status: 'closed',
        resolution: `${chosen.origin}#${chosen.seq}`,
      });
    }
    const path = (ws: TestWorkstation) =>
      ws.admin.workstation.db
        .prepare(
          'SELECT p.outcome FROM product_paths p JOIN cases c ON c.lead_id = p.lead_id AND c.product_id = p.product_id WHERE c.id = ?',
        )
        .get(caseId);
    expect(path(a)).toEqual({ outcome: 'expansion_pursued' });
    expect(sharedRows(a)).toEqual(sharedRows(b));
    expectRebuildEqual(a);
    expectRebuildEqual(b);
  });

  it('converges two claims taken offline on the later one, on both devices (claims are leases, not decisions)', async () => {
    ok(olive, 'cases.claim', { caseId: leaseCaseId });
    b.clock.advance(30_000);
    ok(oscar, 'cases.claim', { caseId: leaseCaseId });
    await syncPush(a.admin);
    await syncPush(b.admin);
    await syncPull(a.admin);
    await syncPull(b.admin);
    const claim = (ws: TestWorkstation) =>
      ws.admin.workstation.db
        .prepare('SELECT status, claimed_by, conflict_id FROM cases WHERE id = ?')
        .get(leaseCaseId);
    expect(claim(a)).toEqual({ status: 'claimed', claimed_by: 'oscar', conflict_id: null });
    expect(claim(b)).toEqual(claim(a));
    expect(sharedRows(a)).toEqual(sharedRows(b));
    expectRebuildEqual(a);
  });

  it('gives cases taken in offline on two devices ids naming their logs, so both devices show both (decision 0265)', async () => {
    // Two fresh devices set up alike: their logs run in step, so each opens its cases at the same sequences; with
    // ids of the sequence alone (C-<seq>) the second device's cases would collide with the first's on apply.
    const d = createTestWorkstation({ logId: `ids-d-${kind}`, withoutResidency: true });
    const e = createTestWorkstation({ logId: `ids-e-${kind}`, withoutResidency: true });
    try {
      await enrol(d, `ids-d-${kind}`);
      await enrol(e, `ids-e-${kind}`);
      const lines = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 12);
      // Each device's field team takes in its own prospects (other source systems: a lead is one per source id).
      for (const [ws, sourceSystem] of [
        [d, 'field-d'],
        [e, 'field-e'],
      ] as const)
        ok(ws.admin, 'leads.import', {
          fileName: 'leads.jsonl',
          format: 'jsonl',
          content: lines.join('\n'),
          mode: 'all',
          sourceSystem,
        });
      const own = (ws: TestWorkstation) =>
        ws.admin.workstation.db.prepare<[], string>('SELECT id FROM cases ORDER BY opened_seq').pluck().all();
      const [dCases, eCases] = [own(d), own(e)];
      expect(dCases.length).toBeGreaterThan(0);
      const sequenceOf = (id: string) => id.split('-')[2];
      // The same sequences on both devices, told apart by the log tag only.
      expect(dCases.map(sequenceOf)).toEqual(eCases.map(sequenceOf));
      for (const id of dCases) expect(id).toMatch(new RegExp(`^C-${logTag(`ids-d-${kind}`)}-\\d+(-\\d+)?$`));
      for (const id of eCases) expect(id).toMatch(new RegExp(`^C-${logTag(`ids-e-${kind}`)}-\\d+(-\\d+)?$`));
      expect(logTag(`ids-d-${kind}`)).not.toBe(logTag(`ids-e-${kind}`));
      // Back online: both push and pull through the hub.
      await syncPush(d.admin);
      await syncPush(e.admin);
      const fromD = await syncPull(d.admin);
      const fromE = await syncPull(e.admin);
      expect(fromD.apply.waiting).toEqual([]);
      expect(fromE.apply.waiting).toEqual([]);
      const both = [...dCases, ...eCases].sort();
      const ids = (ws: TestWorkstation) =>
        ws.admin.workstation.db
          .prepare<[string], string>('SELECT id FROM cases WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
          .pluck()
          .all(JSON.stringify(both));
      expect(ids(d)).toEqual(both);
      expect(ids(e)).toEqual(both);
      // Equal projections (both devices also applied the earlier devices' logs the hub holds).
      expect(sharedRows(d)).toEqual(sharedRows(e));
      expectRebuildEqual(d);
      expectRebuildEqual(e);
    } finally {
      d.admin.workstation.close();
      e.admin.workstation.close();
    }
  });

  it('resumes an interrupted apply where it stopped, and ends where a device that applied at once is', async () => {
    const c = createTestWorkstation({ logId: `apply-c-${kind}`, withoutResidency: true });
    try {
      await enrol(c, `apply-c-${kind}`);
      await syncPull(a.admin); // A up to date with every device the hub holds, as C will be
      const enrolment = readEnrolment(c.admin.workstation.db)!;
      const client = createHubClient({
        url: enrolment.hubUrl,
        deviceId: enrolment.deviceId,
        region: enrolment.region,
        seed: enrolment.seed,
        now: c.clock.now,
      });
      // The transport alone fills the inbox; the apply is then stopped after 40 entries (as a closed laptop would).
      await pullFromHub(c.admin.workstation.db, client, originOf(c), enrolment.hubMirrorKey);
      const first = applyInbox(c.admin, { batch: 16, maxEntries: 40 });
      expect(first.applied).toBe(40);
      const rest = applyInbox(c.admin, { batch: 16 });
      expect(rest.applied).toBeGreaterThan(0);
      expect(applyInbox(c.admin)).toEqual({ applied: 0, receipts: 0, waiting: [] });
      expect(sharedRows(c)).toEqual(sharedRows(a));
      expectRebuildEqual(c);
    } finally {
      c.admin.workstation.close();
    }
  });
});

describe('an invalid entry of another device', () => {
  it('is refused naming its origin, sequence and field, and nothing of its batch is applied', () => {
    const source = createTestWorkstation({ logId: 'source' });
    const target = createTestWorkstation({ logId: 'target' });
    try {
      ok(source.admin, 'leads.import', {
        fileName: 'leads.jsonl',
        format: 'jsonl',
        content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
          .split('\n')
          .slice(0, 3)
          .join('\n'),
        mode: 'all',
        sourceSystem: 'crm',
      });
      const entries = source.admin.workstation.db
        .prepare<[], { sequence: number; canonical: Buffer; type: string }>(
          'SELECT sequence, canonical, type FROM audit_entries ORDER BY sequence',
        )
        .all();
      const ingested = entries.filter((entry) => entry.type === 'lead.intake');
      expect(ingested.length).toBeGreaterThanOrEqual(2);
      // The second lead.intake loses a field of its payload; the hub would store it (it checks proofs, not payloads).
      const bad = ingested[1]!;
      const tampered = JSON.parse(bad.canonical.toString('utf8')) as { payload: Record<string, unknown> };
      delete tampered.payload.leadId;
      const put = target.admin.workstation.db.prepare('INSERT INTO sync_inbox (origin, seq, bytes) VALUES (?, ?, ?)');
      const origin = 'example.org/source';
      for (const entry of entries.filter((e) => e.sequence <= bad.sequence))
        put.run(origin, entry.sequence, entry === bad ? Buffer.from(JSON.stringify(tampered)) : entry.canonical);
      const before = { rows: projectionSnapshot(target.admin.workstation.db), receipts: receiptsOf(target) };
      let refused: unknown = null;
      try {
        applyInbox(target.admin, { batch: 10_000 });
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(ApplyRefused);
      expect((refused as ApplyRefused).message).toBe(
        `origin ${origin}, entry ${bad.sequence}: payload.leadId: ${(refused as ApplyRefused).problem}`,
      );
      expect((refused as ApplyRefused).problem).toMatch(/expected string/i);
      // Nothing of the batch: no receipt, no projection row, the cursor not moved; the refusal is an entry.
      expect({ rows: projectionSnapshot(target.admin.workstation.db), receipts: receiptsOf(target) }).toEqual(before);
      expect(target.admin.workstation.db.prepare('SELECT count(*) AS n FROM sync_apply_cursors').get()).toEqual({
        n: 0,
      });
      const refusal = target.admin.workstation.db
        .prepare<[], Buffer>("SELECT canonical FROM audit_entries WHERE type = 'sync.apply_refused'")
        .pluck()
        .get()!;
      expect(JSON.parse(refusal.toString('utf8')).payload).toMatchObject({
        origin,
        seq: bad.sequence,
        field: 'payload.leadId',
      });
    } finally {
      source.admin.workstation.close();
      target.admin.workstation.close();
    }
  });
});
