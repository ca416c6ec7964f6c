// Market scopes and market listings in a real encrypted workstation: the DIFC is not inside onshore UAE.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation, leadIdOf } from '../../support/workstation.ts';

const ws = createTestWorkstation({ example: 'bank-insurer' });
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

// A DIFC address whose KYC jurisdiction cannot be resolved: the path goes to compliance review untagged.
const untaggedDifc = {
  id: 'Z-DIFC-UNTAGGED',
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
  company: { name: 'Gate Holdings Ltd' },
  address: { line1: 'Gate Village, Building 2', city: 'Dubai', country: 'AE' },
  kycPrescreenJurisdiction: 'ZZ',
  productInterests: ['structured-notes'],
};

const imported = handleApiCall(ws.admin, 'leads.import', {
  fileName: 'leads.jsonl',
  format: 'jsonl',
  content: `${readFileSync(join(examplesDir, 'bank-insurer', 'leads.jsonl'), 'utf8').trim()}\n${JSON.stringify(untaggedDifc)}\n`,
  mode: 'all',
  sourceSystem: 'crm',
});
if (!imported.ok) throw new Error(imported.error.message);

const value = <T>(session: Session, method: string, request: unknown): T => {
  const result = handleApiCall(session, method as never, request as never);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
};
type Row = { id: string; leadId: string; jurisdiction: string | null };
const casesOf = (session: Session): Row[] => value<{ rows: Row[] }>(session, 'cases.list', { pageSize: 200 }).rows;
const caseOfLead = (leadId: string): Row => casesOf(ws.admin).find((row) => row.leadId === leadIdOf(ws.admin, leadId))!;
const difcCase = caseOfLead('B-DIFC-RETAIL');
const onshoreCase = caseOfLead('B-AE-ONSHORE-NOTES');
const untaggedCase = caseOfLead('Z-DIFC-UNTAGGED');

const visibility = (session: Session) => {
  const jurisdictions = new Set(casesOf(session).map((row) => row.jurisdiction));
  const opens = (row: Row): boolean => handleApiCall(session, 'cases.get', { caseId: row.id }).ok;
  const reads = (leadId: string): boolean =>
    handleApiCall(session, 'leads.get', { leadId: leadIdOf(ws.admin, leadId), purpose: 'zone scope test' }).ok;
  return {
    listsDifc: jurisdictions.has('AE-DIFC'),
    listsOnshore: jurisdictions.has('AE-DU'),
    opensDifc: opens(difcCase) || opens(untaggedCase),
    opensOnshore: opens(onshoreCase),
    readsDifcLead: reads('B-DIFC-RETAIL'),
    // The lead's own scope, when tagging failed, is its resolved evidence (AE-DIFC), not the address country (AE).
    readsUntaggedDifcLead: reads('Z-DIFC-UNTAGGED'),
    readsOnshoreLead: reads('B-AE-ONSHORE-NOTES'),
  };
};

describe('an officer scoped to onshore UAE or to the DIFC', () => {
  it('has the cases the fixture needs', () => {
    expect(difcCase.jurisdiction).toBe('AE-DIFC');
    expect(onshoreCase.jurisdiction).toBe('AE-DU');
    expect(untaggedCase.jurisdiction).toBe('AE-DIFC');
  });

  it('onshore (by market or by country code) sees onshore cases and leads, never DIFC ones', () => {
    for (const [id, markets] of [
      ['omar', ['UAE-Onshore']],
      ['olga', ['AE']],
    ] as const) {
      const officer = addUser(ws, id, ['senior_officer'], [...markets]);
      expect(visibility(officer), id).toEqual({
        listsDifc: false,
        listsOnshore: true,
        opensDifc: false,
        opensOnshore: true,
        readsDifcLead: false,
        readsUntaggedDifcLead: false,
        readsOnshoreLead: true,
      });
      officer.workstation.close();
    }
  });

  it('DIFC (by market or by zone code) sees DIFC cases and leads, never onshore ones', () => {
    for (const [id, markets] of [
      ['fatima', ['DIFC']],
      ['farid', ['AE-DIFC']],
    ] as const) {
      const officer = addUser(ws, id, ['senior_officer'], [...markets]);
      expect(visibility(officer), id).toEqual({
        listsDifc: true,
        listsOnshore: false,
        opensDifc: true,
        opensOnshore: false,
        readsDifcLead: true,
        readsUntaggedDifcLead: true,
        readsOnshoreLead: false,
      });
      officer.workstation.close();
    }
  });

  it('a scope naming both (GCC names AE and AE-DIFC) sees both', () => {
    const officer = addUser(ws, 'gia', ['senior_officer'], ['GCC']);
    expect(Object.values(visibility(officer)).every(Boolean)).toBe(true);
    officer.workstation.close();
  });

  it('counts only the cases in scope on the dashboard and in the queue counts', () => {
    const onshore = addUser(ws, 'oscar', ['senior_officer'], ['UAE-Onshore']);
    const counts = value<{ queues: { queue: string; open: number }[] }>(onshore, 'cases.counts', {});
    const listed = casesOf(onshore).filter((row) => row.jurisdiction !== null);
    expect(counts.queues.reduce((sum, queue) => sum + queue.open, 0)).toBe(listed.length);
    const summary = value<{ refusals: { reason: string; count: number }[] }>(onshore, 'dashboard.summary', {});
    // Onshore: B-AE-ONSHORE-NOTES only (no licensed entity); the DIFC refusals are not counted.
    expect(summary.refusals).toEqual([{ reason: 'no_licensed_entity', queue: 'expansion_review', count: 1 }]);
    onshore.workstation.close();
  });
});

describe('the markets a lead is listed in, as stored with its routing decision', () => {
  it('lists a DIFC lead in the markets naming the zone, not in the onshore market', () => {
    const detail = value<{ trace: { jurisdiction: { markets: string[] } } }>(ws.admin, 'cases.get', {
      caseId: difcCase.id,
    });
    expect(detail.trace.jurisdiction.markets).toEqual(['GCC', 'DIFC']);
    const onshore = value<{ trace: { jurisdiction: { markets: string[] } } }>(ws.admin, 'cases.get', {
      caseId: onshoreCase.id,
    });
    expect(onshore.trace.jurisdiction.markets).toEqual(['GCC', 'UAE-Onshore']);
  });
});
