// Erasing a lead that has lifecycle data (issue 14): after outreach with a summary in the rep's words, consents with
// their references, an address and a time zone updated after intake, a suitability assessment, a qualification that
// queued a KYC initiation, and notifications, an erasure leaves nothing of the person in any table (path_lifecycle,
// lead_conduct, outreach, facts, notifications, the KYC outbox), and the rebuild from the log still equals the tables.
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../core/api/contract.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Database } from '../../../electron/services/store/database.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { createLifecycleWorkstation, ingest, prospect } from '../../support/lifecycle.ts';
import { addUser } from '../../support/workstation.ts';

const COMPANY = 'Marchbanks Quayle Holdings';
const PERSON = 'Wilhelmina Quayle-Oduya';
const STREET = '14 Threadneedle Walk';
const NEW_STREET = '9 Cornhill Passage';
const CONSENT = 'signed consent form QUAYLE-0042';
const SUMMARY = `Spoke with ${PERSON} about custody of her bitcoin; she asked for the fee schedule`;
const EMAIL = 'wilhelmina@quayle.example';

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

/** Every row of every table as text (blobs as UTF-8), so a name anywhere in the store is found. */
const tablesHolding = (db: Database, needle: string): string[] =>
  db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all()
    .filter((table) =>
      JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all(), (_key, value) =>
        value && value.type === 'Buffer' ? Buffer.from(value.data).toString('utf8') : value,
      ).includes(needle),
    );

describe('erasing a lead that has lifecycle data', () => {
  const ws = createLifecycleWorkstation({ productionKyc: true });
  const sue = addUser(ws, 'sue', ['senior_officer'], ['*']);
  afterAll(() => {
    sue.workstation.close();
    ws.close();
  });
  const db = ws.admin.workstation.db;
  const [leadId, keptId] = ingest(
    ws.admin,
    prospect('P-ERASE', {
      company: { name: COMPANY, industry: 'software' },
      person: { fullName: PERSON },
      address: { line1: STREET, city: 'London', country: 'GB' },
      attributes: { email: EMAIL },
    }),
    prospect('P-KEEP', { person: { fullName: 'Kept Person' } }),
  );
  const path = { leadId: leadId!, productId: 'crypto-custody' };

  it('has the person in the lifecycle tables before the erasure', () => {
    ok(ws.cora, 'leads.updateFacts', {
      leadId: leadId!,
      facts: {
        consents: [{ channels: ['phone', 'email'], at: '2026-11-22T10:00:00.000Z', reference: CONSENT }],
        timeZone: 'Europe/London',
      },
      address: { line1: NEW_STREET, city: 'London', country: 'GB' },
      suitability: { productId: 'crypto-custody', outcome: 'suitable' },
    });
    expect(
      ok(ws.olivia, 'paths.recordOutreach', {
        ...path,
        direction: 'outbound',
        channel: 'email',
        content: { kind: 'summary', text: SUMMARY },
        disclosures: [{ template: 'RW-CRYPTO', version: 2 }],
      }),
    ).toMatchObject({ ok: true, stage: 'CONTACTED' });
    expect(ok(ws.olivia, 'paths.transition', { ...path, action: 'advance', to: 'QUALIFIED' })).toMatchObject({
      ok: true,
      stage: 'QUALIFIED',
    });
    expect(db.prepare('SELECT count(*) FROM kyc_outbox WHERE lead_id = ?').pluck().get(leadId)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM notifications').pluck().get()).toBeGreaterThan(0);
    // The test can fail: before the erasure the free text and the address are in the lifecycle's tables.
    expect(tablesHolding(db, SUMMARY)).toContain('path_lifecycle');
    expect(tablesHolding(db, CONSENT)).toEqual(expect.arrayContaining(['path_lifecycle', 'lead_conduct']));
    expect(tablesHolding(db, NEW_STREET)).toContain('lead_conduct');
  });

  it('leaves nothing of the person in any table, lifecycle tables included, and keeps the path’s history', () => {
    const requested = ok(ws.sam, 'leads.erase', { leadId: leadId!, reason: 'data subject request', override: true });
    const erased =
      requested.outcome === 'override_requested'
        ? ok(sue, 'leads.approveErasureOverride', { requestId: requested.requestId, reason: 'request verified' })
        : requested;
    expect(erased).toMatchObject({ outcome: 'erased', leadId });
    for (const needle of [COMPANY, PERSON, STREET, NEW_STREET, CONSENT, SUMMARY, 'Quayle', EMAIL, 'P-ERASE'])
      expect(tablesHolding(db, needle), needle).toEqual([]);
    // The pseudonymous history stays: the stage, the outreach's time and channel, the disclosures, the KYC event.
    const state = JSON.parse(
      db.prepare('SELECT state FROM path_lifecycle WHERE lead_id = ?').pluck().get(leadId) as string,
    ) as { stage: string; outreach: { channel: string; content: unknown }[]; facts: { consents: unknown[] } };
    expect(state.stage).toBe('QUALIFIED');
    expect(state.outreach).toEqual([
      expect.objectContaining({ channel: 'email', content: { kind: 'summary', text: '[erased]' } }),
    ]);
    expect(state.facts.consents).toEqual([expect.objectContaining({ reference: '[erased]' })]);
    expect(db.prepare('SELECT address FROM lead_conduct WHERE lead_id = ?').pluck().get(leadId)).toBeNull();
    expect(db.prepare('SELECT count(*) FROM kyc_outbox WHERE lead_id = ?').pluck().get(leadId)).toBe(1);
    // The other lead keeps its data.
    expect(tablesHolding(db, 'Kept Person').length).toBeGreaterThan(0);
    expect(keptId).toBeDefined();
  });

  it('keeps the rebuild from the log equal to the live tables', () => {
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
    for (const needle of [PERSON, NEW_STREET, CONSENT, SUMMARY]) expect(tablesHolding(db, needle), needle).toEqual([]);
  });
});
