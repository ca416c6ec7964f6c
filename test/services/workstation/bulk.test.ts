// Bulk decisions over a real encrypted workstation: every item its own claim + decision and its own transaction, a
// result per item, and no stop at the first failure (out of scope, claimed by another, four-eyes, wrong disposition).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';
import { call, refusalsLogged } from '../../support/api.ts';

type Row = { id: string; leadId: string; status: string; type: string; claimedBy: string | null };
type Result = { caseId: string; ok: boolean; case?: Row; error?: { code: string; message: string } };

const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

const setup = () => {
  const ws = createTestWorkstation();
  open.push(ws.admin);
  const olga = addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']);
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  open.push(olga, sam);
  call(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  const byLead = (leadId: string): Row =>
    call<{ rows: Row[] }>(ws.admin, 'cases.list', {
      search: leadId,
      status: ['open', 'claimed', 'awaiting_approval', 'closed'],
    }).rows[0]!;
  const entries = (): number =>
    (ws.admin.workstation.db.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;
  return { ws, olga, sam, byLead, entries };
};

describe('cases.decideMany', () => {
  it('decides each item on its own, answering a result per item without stopping at a failure', () => {
    const { olga, sam, byLead, entries } = setup();
    const intent = byLead('L-INTENT'); // compliance review, GB: olga's market
    const unknownType = byLead('L-CT-UNKNOWN'); // compliance review, GB
    const claimedBySam = byLead('L-CONFLICT'); // compliance review, GB
    const california = byLead('L-CA-GAMBLING'); // outside olga's markets
    const sanctions = byLead('L-SANCTIONS'); // screening review, high risk: four-eyes
    call(sam, 'cases.claim', { caseId: claimedBySam.id });
    const before = entries();

    const results = call<Result[]>(olga, 'cases.decideMany', {
      items: [
        { caseId: intent.id, disposition: 'reject', reason: 'residence contradicts the stated market' },
        { caseId: california.id, disposition: 'reject', reason: 'not my market at all' },
        { caseId: claimedBySam.id, disposition: 'reject', reason: 'sam holds this one' },
        { caseId: unknownType.id, disposition: 'pursue_expansion', reason: 'not a disposition of this type' },
        { caseId: sanctions.id, disposition: 'confirm_match', reason: 'strong match on every field' },
        { caseId: 'C-NOPE', disposition: 'reject', reason: 'there is no such case' },
      ],
    });
    expect(results.map((result) => result.caseId)).toEqual([
      intent.id,
      california.id,
      claimedBySam.id,
      unknownType.id,
      sanctions.id,
      'C-NOPE',
    ]);
    expect(results[0]).toMatchObject({ ok: true, case: { status: 'closed', resolution: 'reject', makerId: 'olga' } });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(results[2]).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('sam') },
    });
    expect(results[3]).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(results[4]).toMatchObject({ ok: true, case: { status: 'awaiting_approval', makerId: 'olga' } });
    expect(results[5]).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // A failed item undid its own claim: the case is open and unclaimed as before, with no entry for it.
    expect(byLead('L-CT-UNKNOWN')).toMatchObject({ status: 'open', claimedBy: null });
    expect(byLead('L-CONFLICT')).toMatchObject({ status: 'claimed', claimedBy: 'sam' });
    // Two successes, each a claim and a decision, and the out-of-market item's refusal (decision 0130).
    expect(entries() - before).toBe(5);
    expect(refusalsLogged(olga).at(-1)).toEqual({
      actor: 'user:olga',
      action: 'cases.decideMany',
      reason: 'out_of_market',
      subjects: [`case:${california.id}`],
    });
    // Four-eyes still holds for bulk decisions: the maker cannot check it.
    expect(handleApiCall(olga, 'cases.approve', { caseId: sanctions.id, reason: 'my own check' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('checks each reason per item, and refuses a malformed request whole', () => {
    const { olga, byLead, entries, ws } = setup();
    const intent = byLead('L-INTENT');
    const unknownType = byLead('L-CT-UNKNOWN');
    const results = call<Result[]>(olga, 'cases.decideMany', {
      items: [
        { caseId: intent.id, disposition: 'reject', reason: '   no  ' },
        { caseId: unknownType.id, disposition: 'escalate', reason: 'customer type needs a senior look' },
      ],
    });
    expect(results[0]).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/reason/) },
    });
    // escalate is not final: the case stays open for more work, with the maker's note.
    expect(results[1]).toMatchObject({ ok: true, case: { status: 'open', makerId: 'olga' } });
    expect(byLead('L-INTENT')).toMatchObject({ status: 'open', claimedBy: null });

    const before = entries();
    for (const bad of [
      { items: [] },
      {
        items: [
          { caseId: intent.id, disposition: 'reject', reason: 'twice over' },
          { caseId: intent.id, disposition: 'reject', reason: 'twice over' },
        ],
      },
      { items: [{ caseId: intent.id, disposition: 'shrug', reason: 'not a disposition' }] },
      {
        items: Array.from({ length: 101 }, (_, i) => ({ caseId: `C-${i}`, disposition: 'reject', reason: 'too many' })),
      },
    ])
      expect(handleApiCall(olga, 'cases.decideMany', bad)).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    expect(entries()).toBe(before);

    // What bulk decisions wrote is ordinary audit history: the projections rebuild to the same tables.
    const live = projectionSnapshot(ws.admin.workstation.db);
    rebuildProjections(ws.admin.workstation.db);
    expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(live);
  });
});
