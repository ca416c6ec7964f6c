// One audit entry per lead (decision 0263) on a real encrypted workstation: a lead's ingestion, screening and every
// path's decision in one lead.intake entry; the cases its refusals open derived from it (C-<log tag>-<sequence>, then
// -2, decision 0265);
// and the case view's answer (cases.get: trace and names) the same as from the format-3 trace routing wrote before.
import { afterAll, describe, expect, it } from 'vitest';
import { auditTraceOf } from '../../../core/routing/audit-trace.ts';
import { LeadSchema } from '../../../core/routing/lead.ts';
import type { Lead } from '../../../core/routing/lead.ts';
import { canonicalJson } from '../../../core/shared/canonical-json.ts';
import { traceNamesOf, stringsIn } from '../../../core/routing/trace-names.ts';
import { caseIdOf, intakeCaseIds, LEAD_INTAKE_PAYLOAD_VERSION, logTag } from '../../../core/cases/intake-case-ids.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { commit } from '../../../electron/services/workstation/session/workstation.ts';
import { auditLogIdentity } from '../../../electron/services/audit/audit-log.ts';
import { importLeads } from '../../../electron/services/workstation/commands/intake.ts';
import { loadExampleLeads } from '../../support/examples.ts';
import { call } from '../../support/api.ts';
import { createTestWorkstation } from '../../support/workstation.ts';

describe('lead.intake: one entry per lead', () => {
  const ws = createTestWorkstation();
  afterAll(() => ws.admin.workstation.close());
  const db = ws.admin.workstation.db;
  const before = db.prepare('SELECT max(sequence) FROM audit_entries').pluck().get() as number;
  // The fintech example's leads, screened (no hits, one with a strong one), some asking for two or three products, and
  // booked with an entity (multi-entity booking): assignments, refusals, holds and bookings.
  const examples = loadExampleLeads('fintech');
  const leads: Lead[] = [
    ...examples,
    ...examples.map((lead, index) =>
      LeadSchema.parse({
        ...lead,
        id: `${lead.id}-booked`,
        bookingEntity: index % 2 === 0 ? 'northwind-eu-ab' : 'northwind-us-llc',
        screening: {
          screenedAt: '2026-11-23T09:00:00Z',
          hits:
            index === 1
              ? [
                  {
                    party: 'company',
                    listId: 'ofac-sdn',
                    listVersion: 'v1',
                    entryId: 'E-1',
                    listKind: 'sanctions',
                    entryName: 'Listed Name',
                    score: 0.97,
                    strength: 'strong',
                  },
                ]
              : [],
        },
      }),
    ),
  ];
  const result = importLeads(
    ws.admin,
    leads.map((lead, index) => ({ line: index + 1, lead })),
    [],
    { sourceSystem: 'crm', mode: 'valid', screening: { kind: 'prescreened', screenedWith: null } },
  );

  it('writes one entry per lead, naming the lead only', () => {
    const entries = db
      .prepare('SELECT type, count(*) AS n FROM audit_entries WHERE sequence > ? GROUP BY type')
      .all(before) as { type: string; n: number }[];
    expect(result.imported).toBeGreaterThan(40);
    expect(entries).toEqual([{ type: 'lead.intake', n: result.imported }]);
    expect(result.paths.length).toBeGreaterThan(leads.length);
    const subjects = db
      .prepare('SELECT count(*) FROM audit_entry_subjects WHERE sequence > ?')
      .pluck()
      .get(before) as number;
    expect(subjects).toBe(result.imported);
  });

  it('opens the refusals’ cases with ids derived from the entry, and the case view explains them as before', () => {
    const refused = result.paths.filter((path) => path.caseId !== null);
    expect(refused.length).toBeGreaterThan(2);
    const outcomes = new Set(result.paths.map((path) => path.decision.outcome.kind));
    for (const kind of ['assigned', 'refused', 'held']) expect(outcomes).toContain(kind);
    const policy = ws.admin.workstation.policy().loaded.policy;
    const tag = logTag(auditLogIdentity(db).logId);
    expect(tag).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}$/);
    for (const path of refused) {
      const row = db
        .prepare('SELECT opened_seq, decision_seq, lead_id, product_id FROM cases WHERE id = ?')
        .get(path.caseId!) as { opened_seq: number; decision_seq: number; lead_id: string; product_id: string };
      expect(path.caseId).toMatch(new RegExp(`^C-${tag}-${row.opened_seq}(-[2-9])?$`));
      expect(row.decision_seq).toBe(row.opened_seq);
      const detail = call<{ trace: Record<string, unknown>; names: unknown; history: { type: string }[] }>(
        ws.admin,
        'cases.get',
        { caseId: path.caseId },
      );
      const format3 = JSON.parse(canonicalJson(auditTraceOf(path.decision))) as Record<string, unknown>;
      expect(canonicalJson(detail.trace)).toBe(canonicalJson(format3));
      const mentioned = stringsIn(format3);
      if ('rules' in format3) for (const rule of policy.rules) mentioned.add(rule.id);
      expect(detail.names).toEqual(JSON.parse(canonicalJson(traceNamesOf(policy, (id) => mentioned.has(id)))));
      expect(detail.history[0]?.type).toBe('lead.intake');
    }
    // A lead with two refusals opens C-<log tag>-<sequence> and C-<log tag>-<sequence>-2.
    const twice = refused.find(
      (path, index) => refused.findIndex((other) => other.decision.leadId === path.decision.leadId) !== index,
    );
    if (twice) expect(twice.caseId).toMatch(new RegExp(`^C-${tag}-\\d+-2$`));
  });

  it('keeps the screening and its hit names beside the log in the lead’s projection', () => {
    const screened = db
      .prepare("SELECT screening FROM leads WHERE screening LIKE '%Listed Name%'")
      .pluck()
      .all() as string[];
    expect(screened).toHaveLength(1);
  });

  it('projects live what a replay of the log projects (the lead row written once, nothing read back)', () => {
    // The live projection of a lead.intake entry takes the personal data from the append and writes the lead's
    // screening and first tag with its row (decision 0283); a rebuild reads both from the log and beside it.
    const kinds = db.prepare('SELECT outcome, count(*) AS n FROM product_paths GROUP BY outcome').all() as {
      outcome: string;
      n: number;
    }[];
    expect(kinds.map((kind) => kind.outcome).sort()).toEqual(expect.arrayContaining(['assigned', 'refused']));
    expect(db.prepare('SELECT count(*) FROM path_lifecycle').pluck().get()).toBeGreaterThan(0);
    expect(
      db.prepare('SELECT count(*) FROM leads WHERE screening IS NOT NULL AND jurisdiction IS NOT NULL').pluck().get(),
    ).toBeGreaterThan(0);
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});

describe('a lead.intake entry written before decision 0265 (payload version 2)', () => {
  const ws = createTestWorkstation();
  afterAll(() => ws.admin.workstation.close());
  const db = ws.admin.workstation.db;
  const refused = loadExampleLeads('fintech');
  importLeads(
    ws.admin,
    refused.map((lead, index) => ({ line: index + 1, lead })),
    [],
    { sourceSystem: 'crm', mode: 'valid', screening: { kind: 'prescreened', screenedWith: null } },
  );

  it('keeps the case ids it had (C-<sequence>), live and rebuilt, beside version 3 ids that name the log', () => {
    // A version 3 entry that opened a case, written again as the writer before decision 0265 wrote it: pv 2.
    const { sequence, canonical } = db
      .prepare(
        `SELECT e.sequence, e.canonical FROM audit_entries e JOIN cases c ON c.opened_seq = e.sequence
         WHERE e.type = 'lead.intake' ORDER BY e.sequence LIMIT 1`,
      )
      .get() as { sequence: number; canonical: Buffer };
    const entry = JSON.parse(canonical.toString('utf8')) as { payload: Record<string, unknown> };
    expect(entry.payload.pv).toBe(LEAD_INTAKE_PAYLOAD_VERSION);
    const personal = db.prepare('SELECT regime, data FROM audit_personal_data WHERE sequence = ?').get(sequence) as {
      regime: string;
      data: Buffer;
    };
    const old = commit(ws.admin.workstation, (append) =>
      append({
        actor: 'user:ada',
        type: 'lead.intake',
        subjects: ['lead:L-PV2'],
        payload: { ...entry.payload, pv: 2, leadId: 'L-PV2' } as never,
        personalData: {
          subject: 'lead:L-PV2',
          regime: personal.regime,
          data: { ...(JSON.parse(personal.data.toString('utf8')) as object), sourceId: 'L-PV2' } as never,
        },
      }),
    );
    const ids = (leadId: string) =>
      db.prepare('SELECT id FROM cases WHERE lead_id = ? ORDER BY id').pluck().all(leadId) as string[];
    const oldIds = ids('L-PV2');
    expect(oldIds.length).toBeGreaterThan(0);
    expect(oldIds[0]).toBe(`C-${old.sequence}`);
    for (const id of oldIds) expect(id).toMatch(new RegExp(`^C-${old.sequence}(-[2-9])?$`));
    const tag = logTag(auditLogIdentity(db).logId);
    const newIds = db.prepare("SELECT id FROM cases WHERE lead_id <> 'L-PV2'").pluck().all() as string[];
    for (const id of newIds) expect(id).toMatch(new RegExp(`^C-${tag}-\\d+(-[2-9])?$`));
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
    expect(ids('L-PV2')).toEqual(oldIds);
  });
});

describe('log tags', () => {
  it('are five Crockford base32 characters of the log id’s SHA-256, the same on every call', () => {
    expect(logTag('apply-a-sqlite')).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(logTag('apply-a-sqlite')).toBe(logTag('apply-a-sqlite'));
    expect(logTag('apply-a-sqlite')).not.toBe(logTag('apply-b-sqlite'));
    // sha256("abc") starts ba 78 16 bf: 10111 01001 11100 00001 01101 -> Q 9 W 1 D.
    expect(logTag('abc')).toBe('Q9W1D');
    expect(caseIdOf('abc', 42)).toBe('C-Q9W1D-42');
    expect(intakeCaseIds({ log: 'abc', sequence: '7', pv: 3 }, [{ case: {} }, { case: null }, { case: {} }])).toEqual([
      'C-Q9W1D-7',
      null,
      'C-Q9W1D-7-2',
    ]);
    expect(intakeCaseIds({ log: 'abc', sequence: '7', pv: 2 }, [{ case: {} }, { case: {} }])).toEqual(['C-7', 'C-7-2']);
  });
});
