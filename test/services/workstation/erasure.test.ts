// Erasing a lead and retention per regime, through the session-checked api: nothing of the person is left in any table
// or any exported file but tombstones and hashes, the rebuild equals the live tables, the chain verifies; a required
// retention period refuses an erasure with its end date unless a second senior officer approves an override.
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../core/api/contract.ts';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { purgeExpired, RETENTION_ACTOR } from '../../../electron/services/workstation/commands/erasure.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import type { Database } from '../../../electron/services/store/database.ts';
import { leadIdOf, addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

const NAME = 'Quillfeather Trading Ltda';
const PERSON = 'Ximena Quillfeather';
const EMAIL = 'ximena@quillfeather.example';
const STREET = 'Rua Augusta 77';

/** A Brazilian prospect: refused into expansion review (a case that copies its name), regime `prospects`. */
const prospect = (id: string, name = NAME, person = PERSON, email = EMAIL) => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  productInterests: ['business-payments'],
  company: { name, industry: 'hospitality' },
  person: { fullName: person },
  address: { line1: `${STREET}, ${id}`, city: 'São Paulo', country: 'BR' },
  kycPrescreenJurisdiction: 'BR',
  attributes: { email },
});

/** A UK customer the EMI takes: its data is kept 5 years under UK MLR 2017 reg. 40 (required). */
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

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

const refusal = (session: Session, method: string, request: unknown): { code: string; message: string } => {
  const reply = handleApiCall(session, method, request);
  if (reply.ok) throw new Error(`${method} went through`);
  return reply.error;
};

const importLeads = (ws: TestWorkstation, leads: object[]): void => {
  ok(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: leads.map((lead) => JSON.stringify(lead)).join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
};

/** The internal ids intake gave leads, by their source ids: read before an erasure blanks the source ids. */
const idsOf = (ws: TestWorkstation, ...sourceIds: string[]): Record<string, string> =>
  Object.fromEntries(sourceIds.map((sourceId) => [sourceId, leadIdOf(ws.admin, sourceId)]));

/** Every row of every table, blobs read as UTF-8 text, so a name anywhere in the store is found. */
const dumpTables = (db: Database): Map<string, string> => {
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all();
  return new Map(
    tables.map((table) => [
      table,
      JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all(), (_key, value) =>
        value && value.type === 'Buffer' ? Buffer.from(value.data).toString('utf8') : value,
      ),
    ]),
  );
};

const holding = (where: ReadonlyMap<string, string | Uint8Array>, needle: string): string[] =>
  [...where]
    .filter(([, content]) =>
      (typeof content === 'string' ? content : Buffer.from(content).toString('utf8')).includes(needle),
    )
    .map(([name]) => name);

const personalDataOf = (db: Database, subject: string): unknown[] =>
  db
    .prepare<[string], { data: Buffer | null }>(
      'SELECT data FROM audit_personal_data WHERE subject = ? ORDER BY sequence',
    )
    .all(subject)
    .map((row) => (row.data ? JSON.parse(row.data.toString('utf8')) : null));

describe('erasing a lead', () => {
  const ws = createTestWorkstation();
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const olga = addUser(ws, 'olga', ['compliance_officer'], ['*']);
  const ukSenior = addUser(ws, 'uki', ['senior_officer'], ['UK']);
  afterAll(() => [ws.admin, sam, olga, ukSenior].forEach((session) => session.workstation.close()));
  const db = ws.admin.workstation.db;
  importLeads(ws, [
    prospect('L-ERASE-1'),
    prospect('L-KEEP-1', 'Unrelated Goods Ltda', 'Bruno Kept', 'bruno@kept.example'),
  ]);
  const id = idsOf(ws, 'L-ERASE-1', 'L-KEEP-1');

  it('is refused without lead.erase, and looks like "no such lead" outside the user\'s markets', () => {
    expect(refusal(olga, 'leads.erase', { leadId: id['L-ERASE-1']!, reason: 'customer asked' }).code).toBe('forbidden');
    expect(refusal(ukSenior, 'leads.erase', { leadId: id['L-ERASE-1']!, reason: 'customer asked' })).toEqual({
      code: 'not_found',
      message: `no lead ${id['L-ERASE-1']}`,
    });
    expect(personalDataOf(db, `lead:${id['L-ERASE-1']!}`)[0]).not.toBeNull();
  });

  it('removes the subject from the side store and every projection in one command, leaving placeholders', () => {
    const before = ok(sam, 'cases.list', { search: 'Quillfeather', pageSize: 50 });
    expect(before.rows.map((row: { subject: string }) => row.subject)).toEqual([NAME]);

    const outcome = ok(sam, 'leads.erase', {
      leadId: id['L-ERASE-1']!,
      reason: 'GDPR art. 17 request R-2026-11',
    });
    expect(outcome).toMatchObject({ outcome: 'erased', leadId: id['L-ERASE-1']!, records: 1 });

    expect(db.prepare('SELECT subject, source_id, facts FROM leads WHERE id = ?').get(id['L-ERASE-1']!)).toMatchObject({
      subject: `[erased] ${id['L-ERASE-1']}`,
      source_id: `[erased] ${id['L-ERASE-1']}`,
    });
    // Attribute values are personal data beside the log (decision 0141): the routing facts never held them.
    const facts = (db.prepare('SELECT facts FROM leads WHERE id = ?').get(id['L-ERASE-1']!) as { facts: string }).facts;
    expect(JSON.parse(facts)).not.toHaveProperty('attributes');
    expect(facts).not.toContain(EMAIL);
    // The queue shows the placeholder, and search no longer finds the name.
    expect(ok(sam, 'cases.list', { search: 'Quillfeather', pageSize: 50 }).rows).toEqual([]);
    // The CRM's id for the lead went with its personal data: only the internal id still finds the case.
    expect(ok(sam, 'cases.list', { search: 'L-ERASE-1', pageSize: 50 }).rows).toEqual([]);
    const queue = ok(sam, 'cases.list', { search: id['L-ERASE-1']!, pageSize: 50 });
    expect(queue.rows.map((row: { subject: string }) => row.subject)).toEqual([`[erased] ${id['L-ERASE-1']}`]);
    // The other lead keeps everything.
    expect(db.prepare('SELECT subject FROM leads WHERE id = ?').get(id['L-KEEP-1']!)).toEqual({
      subject: 'Unrelated Goods Ltda',
    });
    expect(ok(sam, 'leads.erasureStatus', { leadId: id['L-ERASE-1']! })).toMatchObject({
      erased: true,
      hold: null,
    });
  });

  it('leaves nothing of the person in any table or any file of a bundle, with or without personal data', () => {
    const withData = exportAuditBundle(db, { now: ws.clock.now(), actor: 'user:ada', includePersonalData: true });
    const withoutData = exportAuditBundle(db, { now: ws.clock.now(), actor: 'user:ada' });
    const tables = dumpTables(db);
    expect(tables.size).toBeGreaterThan(10);
    for (const where of [withData.files, withoutData.files, tables] as ReadonlyMap<string, string | Uint8Array>[]) {
      // The source system's id too: the log and the tables name the lead by its internal id only (decision 0178).
      for (const needle of [NAME, PERSON, `${STREET}, L-ERASE-1`, 'Quillfeather', EMAIL, 'L-ERASE-1'])
        expect(holding(where, needle), needle).toEqual([]);
      // What is left of the lead is its pseudonymous id, which says nothing about the person.
      expect(holding(where, id['L-ERASE-1']!).length).toBeGreaterThan(0);
      // The kept lead is still there: the search itself works.
      if (where !== withoutData.files) expect(holding(where, 'Unrelated Goods Ltda').length).toBeGreaterThan(0);
    }
    // A kept lead's source id is personal data: in the bundle with personal data, nowhere in the one without.
    expect(holding(withData.files, 'L-KEEP-1')).toEqual(['personal-data.jsonl']);
    expect(holding(withoutData.files, 'L-KEEP-1')).toEqual([]);

    for (const bundle of [withData, withoutData]) {
      const { report } = verifyAuditBundle(bundle.files, { sha256: nodeSha256 });
      expect(report.failures).toEqual([]);
    }
    const { report } = verifyAuditBundle(withData.files, { sha256: nodeSha256 });
    expect(report.summary.personalData).toMatchObject({ included: true });
    expect(report.summary.personalData?.erased).toBeGreaterThanOrEqual(1);
  });

  it('keeps the rebuild from the log equal to the live tables', () => {
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});

describe('a required retention period', () => {
  const ws = createTestWorkstation();
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const sue = addUser(ws, 'sue', ['senior_officer'], ['*']);
  afterAll(() => [ws.admin, sam, sue].forEach((session) => session.workstation.close()));
  const db = ws.admin.workstation.db;
  importLeads(ws, [customer('L-UK-1', 'Thames Ledger Ltd'), customer('L-UK-2', 'Fleet Street Coins Ltd')]);
  const id = idsOf(ws, 'L-UK-1', 'L-UK-2');

  it('refuses an erasure with the regime, the period and the date it ends, and logs the refusal', () => {
    const outcome = ok(sam, 'leads.erase', {
      leadId: id['L-UK-1']!,
      reason: 'customer asked by letter',
    });
    expect(outcome).toMatchObject({
      outcome: 'refused',
      regime: 'Electronic Money Regulations 2011 (authorised EMI)',
      years: 5,
      basis: 'UK MLR 2017 reg. 40',
      erasableFrom: '2031-11-23',
      message:
        'kept under Electronic Money Regulations 2011 (authorised EMI) for 5 years (UK MLR 2017 reg. 40): erasable from 2031-11-23',
    });
    expect(personalDataOf(db, `lead:${id['L-UK-1']!}`)[0]).toMatchObject({
      company: { name: 'Thames Ledger Ltd' },
    });
    const entry = db
      .prepare<[number], { canonical: Buffer }>('SELECT canonical FROM audit_entries WHERE sequence = ?')
      .get(Number(outcome.outcome === 'refused' ? outcome.sequence : -1))!;
    const refused = JSON.parse(entry.canonical.toString('utf8'));
    expect(refused).toMatchObject({
      type: 'erasure.refused',
      actor: 'user:sam',
      subjects: [`lead:${id['L-UK-1']!}`, 'user:sam'],
      payload: { regime: 'Electronic Money Regulations 2011 (authorised EMI)', years: 5, erasableFrom: '2031-11-23' },
    });
    // The reason is free text: beside the log, not in the hashed entry.
    expect(entry.canonical.toString('utf8')).not.toContain('customer asked by letter');
    expect(personalDataOf(db, 'user:sam')).toContainEqual({ reason: 'customer asked by letter' });
  });

  it("erases on a senior officer's override approved by a second one, never by the requester", () => {
    const requested = ok(sam, 'leads.erase', {
      leadId: id['L-UK-1']!,
      reason: 'court order 2026/114',
      override: true,
    });
    expect(requested).toMatchObject({ outcome: 'override_requested', erasableFrom: '2031-11-23' });
    if (requested.outcome !== 'override_requested') return;
    expect(personalDataOf(db, `lead:${id['L-UK-1']!}`)[0]).not.toBeNull();
    expect(ok(sue, 'leads.erasureStatus', { leadId: id['L-UK-1']! }).pendingOverride).toMatchObject({
      requestId: requested.requestId,
      requestedBy: 'sam',
    });
    // A second request for the same lead while one waits is refused.
    expect(refusal(sue, 'leads.erase', { leadId: id['L-UK-1']!, reason: 'again please', override: true }).code).toBe(
      'conflict',
    );
    // Maker ≠ checker: the requester cannot approve.
    const own = refusal(sam, 'leads.approveErasureOverride', { requestId: requested.requestId, reason: 'looks right' });
    expect(own.code).toBe('forbidden');
    expect(own.message).toContain('second senior officer');
    expect(personalDataOf(db, `lead:${id['L-UK-1']!}`)[0]).not.toBeNull();
    // The admin is a senior officer too (initialise gives both roles) but an unrelated lead stays untouched throughout.
    const approved = ok(sue, 'leads.approveErasureOverride', {
      requestId: requested.requestId,
      reason: 'court order seen',
    });
    expect(approved).toMatchObject({ outcome: 'erased', leadId: id['L-UK-1']!, records: 1 });
    expect(personalDataOf(db, `lead:${id['L-UK-1']!}`)).toEqual([null]);
    expect(db.prepare('SELECT subject FROM leads WHERE id = ?').get(id['L-UK-1']!)).toEqual({
      subject: `[erased] ${id['L-UK-1']}`,
    });
    expect(personalDataOf(db, `lead:${id['L-UK-2']!}`)[0]).not.toBeNull();
    expect(
      refusal(sue, 'leads.approveErasureOverride', { requestId: requested.requestId, reason: 'twice?' }).code,
    ).toBe('not_found');
    const types = db
      .prepare<[], string>('SELECT type FROM audit_entries ORDER BY sequence DESC LIMIT 2')
      .pluck()
      .all()
      .reverse();
    expect(types).toEqual(['erasure.override_approved', 'subject.erased']);
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});

describe('retention per regime', () => {
  const ws = createTestWorkstation();
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const uki = addUser(ws, 'uki', ['senior_officer'], ['UK']);
  afterAll(() => [ws.admin, sam, uki].forEach((session) => session.workstation.close()));
  const db = ws.admin.workstation.db;
  // 2026-11-23: a prospect (2 years) and a customer (5 years, required); a year later another prospect.
  importLeads(ws, [prospect('L-P-OLD', 'Old Prospect Ltda'), customer('L-C-OLD', 'Old Customer Ltd')]);
  ws.clock.set('2027-11-23T10:00:00.000Z');
  importLeads(ws, [prospect('L-P-NEW', 'New Prospect Ltda')]);
  const id = idsOf(ws, 'L-P-OLD', 'L-C-OLD', 'L-P-NEW');

  it('purges nothing and logs nothing before any period has passed', () => {
    const entries = db.prepare('SELECT count(*) AS n FROM audit_entries').get();
    expect(purgeExpired(ws.admin.workstation, RETENTION_ACTOR)).toMatchObject({ sequence: null, records: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM audit_entries').get()).toEqual(entries);
  });

  it('purges exactly what expired when the clock passes a period, with its projection copies', () => {
    ws.clock.set('2028-11-24T00:00:00.000Z');
    const run = purgeExpired(ws.admin.workstation, RETENTION_ACTOR);
    expect(run.records).toBe(1);
    expect(run.rules.find((rule) => rule.regime === 'prospects')).toEqual({
      regime: 'prospects',
      years: 2,
      cutoff: '2026-11-24T00:00:00.000Z',
      subjects: '1',
    });
    expect(personalDataOf(db, `lead:${id['L-P-OLD']!}`)).toEqual([null]);
    expect(personalDataOf(db, `lead:${id['L-P-NEW']!}`)[0]).not.toBeNull();
    expect(personalDataOf(db, `lead:${id['L-C-OLD']!}`)[0]).not.toBeNull();
    expect(db.prepare('SELECT subject FROM leads ORDER BY ingested_seq').pluck().all()).toEqual([
      `[erased] ${id['L-P-OLD']}`,
      'Old Customer Ltd',
      'New Prospect Ltda',
    ]);
    expect(db.prepare('SELECT subject FROM cases WHERE lead_id = ?').pluck().all(id['L-P-OLD'])).toEqual([
      `[erased] ${id['L-P-OLD']}`,
    ]);
    const report = ok(sam, 'retention.report', {});
    expect(report.lastRuns[0]).toMatchObject({ sequence: run.sequence, actor: RETENTION_ACTOR, records: 1 });
    expect(report.rules.find((rule: { regime: string }) => rule.regime === 'prospects')).toMatchObject({
      heldSubjects: 1,
      expiredSubjects: 0,
    });
  });

  it('purges a required period only once it has ended, and the rebuild still equals the live tables', () => {
    ws.clock.set('2031-11-22T10:00:00.000Z');
    const atEnd = ok(sam, 'retention.run', {});
    // The newer prospect (2 years from 2027) went; the customer is held until 2031-11-23.
    expect(atEnd.records).toBe(1);
    expect(personalDataOf(db, `lead:${id['L-P-NEW']!}`)).toEqual([null]);
    expect(personalDataOf(db, `lead:${id['L-C-OLD']!}`)[0]).not.toBeNull();
    ws.clock.set('2031-11-23T10:00:01.000Z');
    expect(refusal(uki, 'retention.run', {}).code).toBe('forbidden');
    expect(ok(sam, 'retention.run', {}).records).toBe(1);
    expect(personalDataOf(db, `lead:${id['L-C-OLD']!}`)).toEqual([null]);
    expect(db.prepare('SELECT subject FROM leads ORDER BY ingested_seq').pluck().all()).toEqual([
      `[erased] ${id['L-P-OLD']}`,
      `[erased] ${id['L-C-OLD']}`,
      `[erased] ${id['L-P-NEW']}`,
    ]);
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});
