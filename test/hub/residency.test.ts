// Data residency and erasure propagation through a real regional hub, against both stores (issue 15): a device of
// another region is refused; a lead of another region is refused on upload; a device is served only the leads of its
// region and its approved markets (the rest as leaf hashes, so its copy still checks against the cosigned root); an
// erasure and a retention purge on one device delete the data on the hub (every origin) and in the other's inbox; every
// log still verifies; an export names its region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../core/api/contract.ts';
import { verifyAuditBundle } from '../../core/audit/verify.ts';
import { openPersonalData, sealPersonalData } from '../../hub/seal.ts';
import { addPersonalData, decideDevice } from '../../hub/service.ts';
import { exportAuditBundle } from '../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { SyncError } from '../../electron/services/sync/hub-client.ts';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import { rotateLogKey } from '../../electron/services/workstation/commands/audit-admin.ts';
import { purgeExpired, RETENTION_ACTOR } from '../../electron/services/workstation/commands/erasure.ts';
import { enrolWithHub, syncPull, syncPush } from '../../electron/services/workstation/commands/sync.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';
import { startTestHub } from '../support/hub.ts';
import type { StoreKind, TestHub } from '../support/hub.ts';
import { addUser, createTestWorkstation, leadIdOf } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

const ADDRESSES = {
  GB: { line1: '1 Poultry', city: 'London', postalCode: 'EC2R 8EJ', country: 'GB' },
  FR: { line1: '8 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
  US: { line1: '1 Market St', city: 'San Francisco', subdivision: 'US-CA', postalCode: '94105', country: 'US' },
} as const;

const customer = (id: string, name: string, country: keyof typeof ADDRESSES) => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
  productInterests: ['business-payments'],
  company: { name, industry: 'software' },
  address: ADDRESSES[country],
  kycPrescreenJurisdiction: country === 'US' ? 'US-CA' : country,
  attributes: { channel: 'reseller' },
});

const importLeads = (ws: TestWorkstation, leads: readonly ReturnType<typeof customer>[]): void => {
  ok(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: leads.map((lead) => JSON.stringify(lead)).join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
};

const originOf = (ws: TestWorkstation): string =>
  ws.admin.workstation.db.prepare<[], string>('SELECT origin FROM audit_log').pluck().get()!;

const entriesOf = (ws: TestWorkstation): Buffer[] =>
  ws.admin.workstation.db.prepare<[], Buffer>('SELECT canonical FROM audit_entries ORDER BY sequence').pluck().all();

const inboxText = (ws: TestWorkstation): string =>
  ws.admin.workstation.db
    .prepare<[], Buffer>('SELECT data FROM sync_inbox_personal_data WHERE data IS NOT NULL')
    .pluck()
    .all()
    .map((data) => data.toString('utf8'))
    .join('\n');

const inboxSubjects = (ws: TestWorkstation, subject: string): number =>
  ws.admin.workstation.db
    .prepare<[string], number>('SELECT count(*) FROM sync_inbox_personal_data WHERE subject = ?')
    .pluck()
    .get(subject)!;

const syncError = async (promise: Promise<unknown>): Promise<SyncError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected a SyncError');
};

/** The whole log exported and verified offline, as an auditor would: every failure listed (none expected). */
const verifiedExport = (ws: TestWorkstation) => {
  const bundle = exportAuditBundle(ws.admin.workstation.db, {
    now: ws.clock.now(),
    actor: 'user:ada',
    includePersonalData: true,
  });
  return { files: bundle.files, report: verifyAuditBundle(bundle.files, { sha256: nodeSha256 }).report };
};

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe.each<StoreKind>(['sqlite', 'postgres'])('data residency and erasure through the hub on %s', (kind) => {
  let hub: TestHub;
  let a: TestWorkstation;
  let b: TestWorkstation;
  let d: TestWorkstation;
  /** The lead A erases (its source id goes with it, so it is kept here for the tests after). */
  let erasedLead = '';
  beforeAll(async () => {
    // One clock for the region: the hub and every device read A's (B's and D's are kept in step with it).
    a = createTestWorkstation({ logId: `res-a-${kind}` });
    b = createTestWorkstation({ logId: `res-b-${kind}` });
    d = createTestWorkstation({ logId: `res-d-${kind}` });
    // Keys valid for ten years, so the logs can still sign checkpoints when the retention test moves six years on.
    for (const ws of [a, b]) rotateLogKey(ws.admin, { reason: 'a key for the long test', validityDays: 3650 });
    hub = await startTestHub(kind, { cluster: cluster!, now: () => a.clock.now() });
  }, 120_000);
  afterAll(async () => {
    await hub.stop();
    for (const ws of [a, b, d]) ws.admin.workstation.close();
  });

  it('refuses a device of another region at enrolment, and it stays unpinned', async () => {
    const refused = await syncError(enrolWithHub(d.admin, { hubUrl: hub.url(), region: 'us-west' }));
    expect(refused.code).toBe('wrong_region');
    expect(refused.message).toMatch(/serves region eu-west, not us-west/);
    const devices = await hub.hub().store.transaction((tx) => tx.devices());
    expect(devices.map((device) => device.deviceId)).not.toContain(`res-d-${kind}`);
  });

  it('keeps a lead of another region out of the hub: its entries mirrored, its personal data refused, served to none', async () => {
    // Taken in before the workstation was enrolled (an unpinned workstation takes in every lead, as before).
    importLeads(d, [customer('D-US-1', 'Golden Gate Widgets Inc', 'US')]);
    await enrolWithHub(d.admin, { hubUrl: hub.url(), region: 'eu-west' });
    await decideDevice(hub.hub(), { deviceId: `res-d-${kind}`, decision: 'approved', admin: 'olga' });
    const leadId = leadIdOf(d.admin, 'D-US-1');
    // The lead carries its region in the projection and in its signed intake entry, derived by the policy.
    expect(d.admin.workstation.db.prepare('SELECT residency_region FROM leads WHERE id = ?').pluck().get(leadId)).toBe(
      'us-west',
    );
    const ingested = entriesOf(d)
      .map((bytes) => JSON.parse(bytes.toString('utf8')))
      .find((entry) => entry.type === 'lead.intake');
    expect(ingested.payload.residency).toMatchObject({ region: 'us-west' });
    expect(ok(d.admin, 'leads.get', { leadId, purpose: 'residency check' }).residencyRegion).toBe('us-west');

    // The entries are mirrored (no personal data in them; the device's log verifies whole), the lead's personal data
    // is refused, and the hub knows the lead as of another region, so it serves it to no device (decision 0249).
    const pushed = await syncPush(d.admin);
    expect(pushed.entriesSent).toBeGreaterThan(0);
    const state = await hub.hub().store.transaction((tx) => tx.originState(originOf(d)));
    expect(state.next).toBe(entriesOf(d).length - 1);
    expect(await hub.hub().store.transaction((tx) => tx.leads([leadId]))).toEqual([
      expect.objectContaining({ lead: leadId, region: 'us-west' }),
    ]);
    const held = await hub.hub().store.transaction((tx) => tx.personalData(originOf(d), 0, state.next));
    expect(held.filter((record) => record.subject === `lead:${leadId}`)).toEqual([]);
  });

  it('refuses, once pinned, a lead of another region at intake: logged, reported per record, never a lead', () => {
    const leadsBefore = d.admin.workstation.db.prepare<[], number>('SELECT count(*) FROM leads').pluck().get()!;
    const content = [
      customer('D-GB-9', 'Lombard Ledger Ltd', 'GB'),
      customer('D-US-9', 'Mission Street Widgets Inc', 'US'),
    ]
      .map((lead) => JSON.stringify(lead))
      .join('\n');
    const request = { fileName: 'leads.jsonl', format: 'jsonl', content, sourceSystem: 'crm' } as const;
    // Mode "all": nothing lands when a record is refused.
    const all = ok(d.admin, 'leads.import', { ...request, mode: 'all' });
    expect(all).toMatchObject({ imported: 0, rejected: [{ line: 2, field: 'residency' }] });
    expect(all.rejected[0]!.message).toMatch(/region us-west .*pinned to region eu-west/);
    // Mode "valid": the lead of the pinned region lands, the other is refused.
    const valid = ok(d.admin, 'leads.import', { ...request, mode: 'valid' });
    expect(valid).toMatchObject({ imported: 1, rejected: [{ line: 2, field: 'residency' }] });
    expect(d.admin.workstation.db.prepare<[], number>('SELECT count(*) FROM leads').pluck().get()).toBe(
      leadsBefore + 1,
    );
    expect(() => leadIdOf(d.admin, 'D-US-9')).toThrow(/0 leads/);
    leadIdOf(d.admin, 'D-GB-9');
    // Each refusal is a typed entry naming the record and both regions; no personal data of the lead is kept.
    const refusals = entriesOf(d)
      .map((bytes) => JSON.parse(bytes.toString('utf8')))
      .filter((entry) => entry.type === 'lead.residency_refused');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({
      subjects: ['hub:eu-west'],
      commitment: null,
      payload: { line: 2, region: 'us-west', basis: 'market', pinnedRegion: 'eu-west', sourceSystem: 'crm' },
    });
    const personal = d.admin.workstation.db
      .prepare<[], Buffer>('SELECT data FROM audit_personal_data WHERE data IS NOT NULL')
      .pluck()
      .all()
      .map((data) => data.toString('utf8'))
      .join('\n');
    expect(personal).not.toContain('Mission Street');
    expect(verifiedExport(d).report.failures).toEqual([]);
  });

  it('serves a device only the leads of its approved markets; the rest as leaf hashes, and the copy verifies', async () => {
    await enrolWithHub(a.admin, { hubUrl: hub.url(), region: 'eu-west' });
    await decideDevice(hub.hub(), { deviceId: `res-a-${kind}`, decision: 'approved', admin: 'olga' });
    importLeads(a, [
      customer('A-GB-1', 'Threadneedle Ledger Ltd', 'GB'),
      customer('A-GB-2', 'Cheapside Ledger Ltd', 'GB'),
      customer('A-FR-1', 'Rivoli Registre SARL', 'FR'),
    ]);
    await syncPush(a.admin);
    const residency = await hub
      .hub()
      .store.transaction((tx) => tx.leads(['A-GB-1', 'A-FR-1'].map((source) => leadIdOf(a.admin, source))));
    expect(residency.map((record) => [record.region, record.markets])).toEqual(
      expect.arrayContaining([
        ['eu-west', ['UK']],
        ['eu-west', ['EU-Passported']],
      ]),
    );

    // B's users work in every market, so B asks for "*"; the hub's admin serves it the UK market only.
    await enrolWithHub(b.admin, { hubUrl: hub.url(), region: 'eu-west' });
    const asked = await hub.hub().store.transaction((tx) => tx.device(`res-b-${kind}`));
    expect(asked?.requestedMarkets).toEqual(['*']);
    const approved = await decideDevice(hub.hub(), {
      deviceId: `res-b-${kind}`,
      decision: 'approved',
      admin: 'olga',
      markets: ['UK'],
    });
    expect(approved).toMatchObject({ ok: true, device: { markets: ['UK'] } });
    const approvals = (await hub.hub().store.transaction((tx) => tx.hubLogEntries(0, 10_000)))
      .map((leaf) => JSON.parse(new TextDecoder().decode(leaf.bytes)))
      .filter((leaf) => leaf.type === 'device.approved' && leaf.device === `res-b-${kind}`);
    expect(approvals).toEqual([expect.objectContaining({ markets: 'UK', admin: 'olga' })]);

    const pulled = await syncPull(b.admin, {}, { batch: 5 });
    expect(pulled.withheld).toBeGreaterThan(0);
    const frLead = leadIdOf(a.admin, 'A-FR-1');
    const gbLead = leadIdOf(a.admin, 'A-GB-1');
    const inbox = b.admin.workstation.db
      .prepare<[string], Buffer>('SELECT bytes FROM sync_inbox WHERE origin = ? ORDER BY seq')
      .pluck()
      .all(originOf(a))
      .map((bytes) => bytes.toString('utf8'));
    expect(inbox.some((text) => text.includes(gbLead))).toBe(true);
    expect(inbox.some((text) => text.includes(frLead))).toBe(false);
    // Every entry about the French lead is withheld, and only those: A's entries naming it are exactly the withheld ones.
    const aEntries = entriesOf(a).map((bytes) => bytes.toString('utf8'));
    // How far B pulled A's log (the pull also brought other devices' entries).
    const pulledOfA = b.admin.workstation.db
      .prepare<[string], number>('SELECT next FROM sync_cursors WHERE origin = ?')
      .pluck()
      .get(originOf(a))!;
    const naming = aEntries.flatMap((text, seq) => (text.includes(frLead) && seq < pulledOfA ? [seq] : []));
    const withheld = b.admin.workstation.db
      .prepare<[string], number>('SELECT seq FROM sync_inbox_withheld WHERE origin = ? ORDER BY seq')
      .pluck()
      .all(originOf(a));
    expect(withheld).toEqual(naming);
    expect(inbox.length + withheld.length).toBe(pulledOfA);
    // Personal data: the UK leads' names arrived, the French lead's did not.
    expect(inboxText(b)).toContain('Threadneedle Ledger Ltd');
    expect(inboxText(b)).not.toContain('Rivoli Registre');
    // A later pull resumes from the cursor over the withheld leaves and still checks against the new root.
    importLeads(a, [customer('A-FR-2', 'Vendome Registre SARL', 'FR'), customer('A-GB-3', 'Poultry Ledger Ltd', 'GB')]);
    await syncPush(a.admin);
    const more = await syncPull(b.admin, {}, { batch: 3 });
    expect(more.entries).toBeGreaterThan(0);
    expect(inboxText(b)).toContain('Poultry Ledger Ltd');
    expect(inboxText(b)).not.toContain('Vendome');
  });

  it('erases a lead on A: the hub deletes its data of every origin, B deletes its inbox copy, every log verifies', async () => {
    const leadId = leadIdOf(a.admin, 'A-GB-1');
    erasedLead = leadId;
    const subject = `lead:${leadId}`;
    expect(inboxSubjects(b, subject)).toBeGreaterThan(0);
    // Another origin's copy of the same subject at the hub (as a device that touched the lead would have uploaded).
    const otherOrigin = originOf(b);
    await hub.hub().store.transaction((tx) =>
      tx.putPersonalData(otherOrigin, [
        {
          sequence: 999_999,
          subject,
          regime: 'prospects',
          salt: new Uint8Array(16),
          sealed: sealPersonalData(hub.keys.regionKey, otherOrigin, 999_999, new TextEncoder().encode('"copy"')),
          entryTime: '2026-11-23T10:00:00.000Z',
        },
      ]),
    );
    // What a device that was offline during the erasure would still hold and upload later: A's record of the lead.
    const stale = a.admin.workstation.db
      .prepare<[string], { sequence: number; regime: string; salt: Buffer; data: Buffer }>(
        'SELECT sequence, regime, salt, data FROM audit_personal_data WHERE subject = ? AND data IS NOT NULL',
      )
      .get(subject)!;
    // Inside a required retention period: a senior officer's override, approved by a second one.
    const sam = addUser(a, `sam-${kind}`, ['senior_officer'], ['*']);
    const sue = addUser(a, `sue-${kind}`, ['senior_officer'], ['*']);
    try {
      const requested = ok(sam, 'leads.erase', { leadId, reason: 'erasure request by letter', override: true });
      expect(requested.outcome).toBe('override_requested');
      if (requested.outcome !== 'override_requested') return;
      const erased = ok(sue, 'leads.approveErasureOverride', { requestId: requested.requestId, reason: 'checked' });
      expect(erased.outcome).toBe('erased');
    } finally {
      sam.workstation.close();
      sue.workstation.close();
    }
    const held = async (origin: string) =>
      (await hub.hub().store.transaction((tx) => tx.personalData(origin, 0, 1_000_000))).filter(
        (record) => record.subject === subject,
      ).length;
    expect(await held(originOf(a))).toBeGreaterThan(0);
    await syncPush(a.admin);
    expect(await held(originOf(a))).toBe(0);
    expect(await held(otherOrigin)).toBe(0);
    // Other subjects' data stays, and still opens.
    const kept = await hub.hub().store.transaction((tx) => tx.personalData(originOf(a), 0, 1_000_000));
    expect(
      kept
        .map((record) =>
          Buffer.from(openPersonalData(hub.keys.regionKey, originOf(a), record.sequence, record.sealed)).toString(),
        )
        .join('\n'),
    ).toContain('Cheapside Ledger Ltd');
    // The hub's own log records that it applied the erasure.
    const hubLog = await hub.hub().store.transaction((tx) => tx.hubLogEntries(0, 10_000));
    expect(hubLog.map((leaf) => JSON.parse(new TextDecoder().decode(leaf.bytes)))).toContainEqual(
      expect.objectContaining({ type: 'erasure.applied', subject, origin: originOf(a) }),
    );

    const pulled = await syncPull(b.admin);
    expect(pulled.tombstones).toContainEqual(expect.objectContaining({ kind: 'erasure', subject }));
    expect(inboxSubjects(b, subject)).toBe(0);
    expect(inboxText(b)).not.toContain('Threadneedle');
    expect(inboxText(b)).toContain('Cheapside Ledger Ltd');

    // Data of the erased subject uploaded later (a device offline during the erasure) is skipped, not stored again.
    const deviceA = await hub.hub().store.transaction((tx) => tx.device(`res-a-${kind}`));
    const reupload = await addPersonalData(
      hub.hub(),
      deviceA!,
      new TextEncoder().encode(
        JSON.stringify({
          origin: originOf(a),
          records: [
            {
              sequence: stale.sequence,
              subject,
              regime: stale.regime,
              salt: stale.salt.toString('base64'),
              data: stale.data.toString('base64'),
            },
          ],
        }),
      ),
    );
    expect(reupload.status).toBe(200);
    expect(JSON.parse(String(reupload.body))).toEqual({ stored: 0, skipped: 1 });
    expect(await held(originOf(a))).toBe(0);

    for (const ws of [a, b]) {
      const { report } = verifiedExport(ws);
      expect(report.failures).toEqual([]);
    }
  });

  it("erases B's own copies of a lead it pulled from A: its personal data gone, its projections erased, its log verifies", () => {
    // B applied A's intake of the lead earlier (a sync.applied receipt in B's own log, carrying the lead's data); the
    // pull of A's erasure above erased B's own copies through B's own subject.erased entry (decision 0251).
    const leadId = erasedLead;
    const subject = `lead:${leadId}`;
    const db = b.admin.workstation.db;
    const ownRecords = db
      .prepare<[string], { data: Buffer | null }>('SELECT data FROM audit_personal_data WHERE subject = ?')
      .all(subject);
    // B held the lead's data once (its receipt), and holds none of it now.
    expect(ownRecords.length).toBeGreaterThan(0);
    expect(ownRecords.filter((record) => record.data !== null)).toEqual([]);
    const erasures = entriesOf(b)
      .map((bytes) => JSON.parse(bytes.toString('utf8')))
      .filter((entry) => entry.type === 'subject.erased' && entry.payload.subject === subject);
    expect(erasures).toEqual([expect.objectContaining({ actor: 'system:sync' })]);
    // Nothing of the lead's personal data is left anywhere in B's store: projections, log data, inbox.
    const lead = db
      .prepare<[string], { subject: string; source_id: string; facts: string }>(
        'SELECT subject, source_id, facts FROM leads WHERE id = ?',
      )
      .get(leadId);
    expect(lead).toBeDefined();
    expect(JSON.stringify(lead)).not.toContain('Threadneedle');
    expect(lead!.subject).toMatch(/erased/);
    const view = ok(b.admin, 'leads.get', { leadId, purpose: 'erasure check' });
    expect(JSON.stringify(view)).not.toContain('Threadneedle');
    const personalText = db
      .prepare<[], Buffer>('SELECT data FROM audit_personal_data WHERE data IS NOT NULL')
      .pluck()
      .all()
      .map((data) => data.toString('utf8'))
      .join('\n');
    expect(personalText).not.toContain('Threadneedle');
    // The other UK lead B pulled is untouched.
    expect(personalText).toContain('Cheapside Ledger Ltd');
    expect(verifiedExport(b).report.failures).toEqual([]);
  });

  it('propagates retention expiry: the hub and the other inbox drop the expired regime, and the logs verify', async () => {
    // Six years on (every device's clock with A's, which the hub reads): the 5-year EMI records expire.
    for (const ws of [a, b, d]) ws.clock.advance(6 * YEAR_MS);
    const run = purgeExpired(a.admin.workstation, RETENTION_ACTOR);
    expect(run.records).toBeGreaterThan(0);
    const regimes = run.rules.filter((rule) => Number(rule.subjects) > 0).map((rule) => rule.regime);
    expect(regimes.length).toBeGreaterThan(0);
    const heldUnder = async (regime: string) =>
      (await hub.hub().store.transaction((tx) => tx.personalData(originOf(a), 0, 1_000_000))).filter(
        (record) => record.regime === regime,
      ).length;
    expect(await heldUnder(regimes[0]!)).toBeGreaterThan(0);
    await syncPush(a.admin);
    for (const regime of regimes) expect(await heldUnder(regime)).toBe(0);

    const inboxUnder = (regime: string): number =>
      b.admin.workstation.db
        .prepare<[string], number>('SELECT count(*) FROM sync_inbox_personal_data WHERE regime = ?')
        .pluck()
        .get(regime)!;
    expect(inboxUnder(regimes[0]!)).toBeGreaterThan(0);
    const pulled = await syncPull(b.admin);
    expect(pulled.tombstones).toContainEqual(expect.objectContaining({ kind: 'retention', regime: regimes[0] }));
    for (const regime of regimes) expect(inboxUnder(regime)).toBe(0);
    for (const ws of [a, b]) expect(verifiedExport(ws).report.failures).toEqual([]);
  });

  it('names its region in an export: in the signed export entry and the manifest, and the verifier holds them equal', () => {
    const { files, report } = verifiedExport(a);
    expect(report.failures).toEqual([]);
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')!));
    expect(manifest.region).toBe('eu-west');
    const entries = new TextDecoder().decode(files.get('entries.jsonl')!).trim().split('\n');
    expect(JSON.parse(entries.at(-1)!).payload.region).toBe('eu-west');
    // A manifest that claims another region than the signed entry is caught.
    const forged = new Map(files);
    forged.set('manifest.json', new TextEncoder().encode(JSON.stringify({ ...manifest, region: 'us-west' })));
    const forgedReport = verifyAuditBundle(forged, { sha256: nodeSha256 }).report;
    expect(forgedReport.failures.map((failure) => failure.message).join('\n')).toMatch(/region us-west/);
  });
});
