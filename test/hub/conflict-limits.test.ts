// The limits of sync conflicts that decision 0244 left open, each decided (decisions 0266-0268) and tested on two real
// workstations syncing through a real hub: a four-eyes approval racing another checker's verdict, the approval that
// follows a chosen proposal, two senior officers resolving one conflict concurrently on two devices (converging on
// the earlier resolution, the later kept as superseded, its device's later decision held in a new conflict), and the
// entries recorded on the lead after a decision in conflict (kept, and shown on the conflict).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../core/api/contract.ts';
import { decideDevice } from '../../hub/service.ts';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import { enrolWithHub, syncPull, syncPush } from '../../electron/services/workstation/commands/sync.ts';
import { conflictIdFor } from '../../electron/services/workstation/projection/case-sync-projection.ts';
import { projectionSnapshot, rebuildProjections } from '../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { startTestHub } from '../support/hub.ts';
import type { TestHub } from '../support/hub.ts';
import { examplesDir } from '../support/examples.ts';
import { addUser, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

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

const caseRow = (ws: TestWorkstation, id: string) =>
  ws.admin.workstation.db
    .prepare<
      [string],
      { status: string; version: number; conflict_id: string | null; resolution: string | null; reason: string }
    >('SELECT status, version, conflict_id, resolution, reason FROM cases WHERE id = ?')
    .get(id)!;

const expectRebuildEqual = (ws: TestWorkstation): void => {
  const live = projectionSnapshot(ws.admin.workstation.db);
  rebuildProjections(ws.admin.workstation.db);
  expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(live);
};

describe('sync conflict limits, on two devices through a hub (SQLite)', () => {
  let hub: TestHub;
  let a: TestWorkstation;
  let b: TestWorkstation;
  let olive: Session; // an officer on A
  let sam: Session; // a senior officer on A
  let oscar: Session; // an officer on B
  let sara: Session; // a senior officer on B
  const sessions: Session[] = [];

  const enrol = async (ws: TestWorkstation, deviceId: string): Promise<void> => {
    await enrolWithHub(ws.admin, { hubUrl: hub.url(), region: 'eu-west', deviceId });
    await decideDevice(hub.hub(), { deviceId, decision: 'approved', admin: 'olga' });
  };
  /** Both devices back online: both push, both pull (A first, so B has A's entries after its own). */
  const syncBoth = async (): Promise<void> => {
    await syncPush(a.admin);
    await syncPush(b.admin);
    await syncPull(a.admin);
    await syncPull(b.admin);
  };
  const casesOf = (type: string, risk?: string) =>
    ok(olive, 'cases.list', { pageSize: 500 }).rows.filter(
      (row) => row.type === type && row.status === 'open' && (risk === undefined || row.risk === risk),
    );

  beforeAll(async () => {
    hub = await startTestHub('sqlite', { now: () => a.clock.now() });
    a = createTestWorkstation({ logId: 'limits-a', withoutResidency: true });
    b = createTestWorkstation({ logId: 'limits-b', withoutResidency: true });
    olive = addUser(a, 'olive', ['compliance_officer'], ['*']);
    sam = addUser(a, 'sam', ['senior_officer'], ['*']);
    oscar = addUser(b, 'oscar', ['compliance_officer'], ['*']);
    sara = addUser(b, 'sara', ['senior_officer'], ['*']);
    sessions.push(olive, sam, oscar, sara);
    await enrol(a, 'limits-a');
    await enrol(b, 'limits-b');
    ok(a.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
      mode: 'all',
      sourceSystem: 'crm',
    });
    await syncPush(a.admin);
    await syncPull(b.admin);
  }, 120_000);
  afterAll(async () => {
    await hub.stop();
    for (const session of sessions) session.workstation.close();
    a?.admin.workstation.close();
    b?.admin.workstation.close();
  });

  it('four-eyes: a proposal approved on one device and returned on the other is a conflict on both (decision 0266)', async () => {
    const [proposal] = casesOf('screening_review', 'high');
    expect(proposal).toBeDefined();
    const caseId = proposal!.id;
    ok(olive, 'cases.claim', { caseId });
    const proposed = ok(olive, 'cases.decide', {
      caseId,
      disposition: 'confirm_match',
      reason: 'the listed entry matches name and date of birth',
    });
    expect(proposed.status).toBe('awaiting_approval');
    await syncBoth();
    expect(caseRow(b, caseId)).toMatchObject({ status: 'awaiting_approval', version: 1 });
    // Offline: one checker approves on A, another returns it on B, both on version 1.
    ok(sam, 'cases.approve', { caseId, reason: 'confirmed against the list entry' });
    b.clock.advance(60_000);
    ok(sara, 'cases.return', { caseId, reason: 'the date of birth is not on file' });
    await syncBoth();
    const conflictId = conflictIdFor(caseId, 1);
    for (const ws of [a, b]) {
      expect(caseRow(ws, caseId)).toMatchObject({ status: 'awaiting_approval', version: 1, conflict_id: conflictId });
      expect(caseRow(ws, conflictId)).toMatchObject({ status: 'open', reason: 'concurrent_decisions' });
    }
    expect(sharedRows(a)).toEqual(sharedRows(b));
    const conflict = ok(sam, 'cases.conflict', { conflictId });
    expect(conflict.decisions.map((d) => [d.type, d.actor, d.caseVersion])).toEqual(
      [
        [originOf(a), 'case.approved', 'user:sam', 1],
        [originOf(b), 'case.returned', 'user:sara', 1],
      ]
        .sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1))
        .map((row) => row.slice(1)),
    );
    // The approval stands: the case closes as approved on both devices.
    const approval = conflict.decisions.find((d) => d.type === 'case.approved')!;
    ok(sam, 'cases.resolveConflict', {
      conflictId,
      chosen: { origin: approval.origin, seq: approval.seq },
      reason: 'the second checker confirmed the date of birth by phone',
    });
    await syncBoth();
    for (const ws of [a, b]) {
      expect(caseRow(ws, caseId)).toMatchObject({ status: 'closed', version: 2, conflict_id: null });
      expect(caseRow(ws, caseId).resolution).toBe('confirm_match');
    }
    expect(sharedRows(a)).toEqual(sharedRows(b));
    expectRebuildEqual(a);
    expectRebuildEqual(b);
  });

  it('four-eyes: when the chosen proposal was approved on its device, the approval stands with it (decision 0266)', async () => {
    const [proposal] = casesOf('screening_review', 'high').concat(casesOf('enhanced_due_diligence'));
    expect(proposal).toBeDefined();
    const caseId = proposal!.id;
    const disposition = proposal!.type === 'screening_review' ? 'confirm_match' : 'reject';
    // On A a proposal and its approval; on B, offline, another officer's proposal on the same version.
    ok(olive, 'cases.claim', { caseId });
    ok(olive, 'cases.decide', { caseId, disposition, reason: 'the evidence supports it fully' });
    ok(sam, 'cases.approve', { caseId, reason: 'agreed on the evidence' });
    b.clock.advance(60_000);
    ok(oscar, 'cases.claim', { caseId });
    ok(oscar, 'cases.decide', { caseId, disposition: 'escalate', reason: 'needs the head of compliance' });
    await syncBoth();
    const conflictId = conflictIdFor(caseId, 0);
    for (const ws of [a, b]) expect(caseRow(ws, caseId)).toMatchObject({ version: 0, conflict_id: conflictId });
    const conflict = ok(sara, 'cases.conflict', { conflictId });
    expect(conflict.decisions.map((d) => d.type).sort()).toEqual(['case.approved', 'case.decided', 'case.decided']);
    const chosen = conflict.decisions.find((d) => d.type === 'case.decided' && d.origin === originOf(a))!;
    ok(sara, 'cases.resolveConflict', {
      conflictId,
      chosen: { origin: chosen.origin, seq: chosen.seq },
      reason: 'the proposal on A was complete and approved',
    });
    await syncBoth();
    for (const ws of [a, b]) {
      // The proposal (version 0 to 1) and its approval (1 to 2): closed, as on A before the conflict.
      expect(caseRow(ws, caseId)).toMatchObject({ status: 'closed', version: 2, conflict_id: null });
      expect(caseRow(ws, caseId).resolution).toBe(disposition);
    }
    expect(sharedRows(a)).toEqual(sharedRows(b));
    expectRebuildEqual(a);
    expectRebuildEqual(b);
  });

  it('two senior officers resolving one conflict on two devices converge on the earlier resolution (decision 0268)', async () => {
    const [expansion] = casesOf('expansion_review');
    const caseId = expansion!.id;
    ok(olive, 'cases.claim', { caseId });
    ok(olive, 'cases.decide', { caseId, disposition: 'pursue_expansion', reason: 'demand justifies a licence' });
    b.clock.advance(60_000);
    ok(oscar, 'cases.claim', { caseId });
    ok(oscar, 'cases.decide', { caseId, disposition: 'decline_expansion', reason: 'the market is closed to us' });
    await syncBoth();
    const conflictId = conflictIdFor(caseId, 0);
    for (const ws of [a, b]) expect(caseRow(ws, caseId)).toMatchObject({ conflict_id: conflictId });
    const listed = ok(sam, 'cases.conflict', { conflictId }).decisions;
    const onA = listed.find((d) => d.origin === originOf(a))!;
    // Offline again: sam on A keeps A's decision; later (B's clock is ahead), sara on B reopens the case, and oscar
    // then decides the reopened case on B.
    ok(sam, 'cases.resolveConflict', {
      conflictId,
      chosen: { origin: onA.origin, seq: onA.seq },
      reason: 'the expansion board approved it',
    });
    b.clock.advance(60_000);
    ok(sara, 'cases.resolveConflict', { conflictId, chosen: null, reason: 'both were decided on stale facts' });
    expect(caseRow(b, caseId)).toMatchObject({ status: 'open', version: 1, conflict_id: null });
    ok(oscar, 'cases.claim', { caseId });
    ok(oscar, 'cases.decide', { caseId, disposition: 'decline_expansion', reason: 'declined again after review' });
    // A receives the later resolution after its own; B receives the earlier after its own and takes its own back.
    await syncBoth();
    const followUp = conflictIdFor(caseId, 1);
    for (const ws of [a, b]) {
      expect(caseRow(ws, conflictId)).toMatchObject({ status: 'closed', resolution: `${onA.origin}#${onA.seq}` });
      // Sam's resolution stands: A's decision (pursue), at version 1; oscar's decision on the reopened case (which
      // no longer stands) is held in a new conflict for a senior officer, not applied and not dropped.
      expect(caseRow(ws, caseId)).toMatchObject({ resolution: 'pursue_expansion', version: 1, conflict_id: followUp });
      expect(caseRow(ws, followUp)).toMatchObject({ status: 'open', reason: 'superseded_resolution' });
    }
    const resolved = ok(sam, 'cases.conflict', { conflictId });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'sam', chosen: { origin: onA.origin } });
    expect(resolved.superseded).toEqual([expect.objectContaining({ by: 'sara', chosen: null, origin: originOf(b) })]);
    expect(ok(sara, 'cases.conflict', { conflictId })).toEqual(resolved);
    const held = ok(sara, 'cases.conflict', { conflictId: followUp });
    expect(held.decisions.map((d) => [d.actor, d.decision, d.caseVersion])).toEqual([
      ['user:oscar', 'decline_expansion', 1],
    ]);
    expect(sharedRows(a)).toEqual(sharedRows(b));
    expectRebuildEqual(a);
    expectRebuildEqual(b);
    // The held follow-up is resolved once, and both devices end the same: no loop.
    ok(sara, 'cases.resolveConflict', { conflictId: followUp, chosen: null, reason: 'the board decision stands' });
    await syncBoth();
    for (const ws of [a, b])
      expect(caseRow(ws, caseId)).toMatchObject({ resolution: 'pursue_expansion', version: 2, conflict_id: null });
    expect(sharedRows(a)).toEqual(sharedRows(b));
  });

  it('keeps what was recorded on the lead after a decision in conflict, and shows it on the conflict (decision 0267)', async () => {
    // An expansion case whose lead also has a path assigned to a rep: work on that path goes on while the case is
    // decided on two devices.
    const row = a.admin.workstation.db
      .prepare<[], { id: string; lead_id: string; product_id: string }>(
        `SELECT c.id, p.lead_id, p.product_id FROM cases c JOIN product_paths p ON p.lead_id = c.lead_id
         WHERE c.type = 'expansion_review' AND c.status = 'open' AND c.conflict_id IS NULL AND p.outcome = 'assigned'
         ORDER BY c.id LIMIT 1`,
      )
      .get();
    expect(row).toBeDefined();
    const caseId = row!.id;
    ok(olive, 'cases.claim', { caseId });
    ok(olive, 'cases.decide', { caseId, disposition: 'pursue_expansion', reason: 'demand justifies a licence' });
    // After the decision, on A: a contact planned on the lead's assigned path.
    a.clock.advance(60_000);
    const at = new Date(a.clock.now().getTime() + 2 * 86_400_000).toISOString();
    ok(a.admin, 'paths.planContact', {
      leadId: row!.lead_id,
      productId: row!.product_id,
      plan: { channel: 'email', at },
    });
    b.clock.advance(60_000);
    ok(oscar, 'cases.claim', { caseId });
    ok(oscar, 'cases.decide', { caseId, disposition: 'decline_expansion', reason: 'the market is closed to us' });
    await syncBoth();
    const conflictId = conflictIdFor(caseId, 0);
    const seen = (session: Session) => ok(session, 'cases.conflict', { conflictId }).followUps;
    for (const session of [sam, sara]) {
      const followUps = seen(session);
      expect(followUps.map((f) => [f.type, f.actor])).toEqual([['path.contact_planned', 'user:ada']]);
    }
    // Kept: the plan is still on the path, on both devices.
    for (const ws of [a, b])
      expect(
        ws.admin.workstation.db
          .prepare('SELECT count(*) AS n FROM planned_contacts WHERE lead_id = ? AND product_id = ?')
          .get(row!.lead_id, row!.product_id),
      ).toEqual({ n: 1 });
    expect(sharedRows(a)).toEqual(sharedRows(b));
  });
});
