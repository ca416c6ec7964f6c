// Planned contacts (issue 14, decision 0239): an owner plans a contact and is warned, before the time comes, that it
// would fall outside the prospect's outreach window, or that another gate would refuse it; the warning is recorded,
// shown in My leads, the timeline and the due-soon list, and goes when the contact is recorded or the plan withdrawn.
import { afterAll, describe, expect, it } from 'vitest';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { call, callError } from '../../support/api.ts';
import { createLifecycleWorkstation, ingest, prospect } from '../../support/lifecycle.ts';
import { addUser } from '../../support/workstation.ts';

type Warning = { kind: string; rule: { id: string }; message: string; safeFrom: string | null };
type Planned = { channel: string; at: string; plannedBy: string; warnings: Warning[] } | null;

describe('a contact planned outside the prospect’s outreach window', () => {
  const ws = createLifecycleWorkstation();
  const marcus = addUser(ws, 'rep-marcus', ['field_rep'], ['US-CA']);
  const dana = addUser(ws, 'rep-dana', ['field_rep'], ['US-CA']);
  afterAll(() => {
    marcus.workstation.close();
    dana.workstation.close();
    ws.close();
  });
  // A Californian retail prospect for business payments: the US SMB desk takes it; TCPA calls only 08:00-21:00 local.
  const [leadId] = ingest(
    ws.admin,
    prospect('US-1', {
      productInterests: ['business-payments'],
      kycStatus: 'verified',
      address: { line1: '1 Market St', city: 'San Francisco', subdivision: 'CA', country: 'US' },
      kycPrescreenJurisdiction: 'US-CA',
    }),
  );
  const path = { leadId: leadId!, productId: 'business-payments' };
  const owner = () =>
    (
      ws.admin.workstation.db.prepare('SELECT owner FROM path_lifecycle WHERE lead_id = ?').get(leadId) as {
        owner: string;
      }
    ).owner;
  const rep = () => (owner() === 'rep-marcus' ? marcus : dana);

  it('warns the owner when planning, with the first safe time, and records the warning', () => {
    call(ws.sam, 'leads.updateFacts', { leadId: leadId!, facts: { timeZone: 'America/Los_Angeles' } });
    // 11:00 UTC on 8 December is 03:00 in San Francisco.
    const planned = call<{ plan: unknown; warnings: Warning[]; sequence: number }>(rep(), 'paths.planContact', {
      ...path,
      plan: { channel: 'phone', at: '2026-12-08T11:00:00.000Z' },
    });
    expect(planned.plan).toEqual({ channel: 'phone', at: '2026-12-08T11:00:00.000Z', plannedBy: owner() });
    const window = planned.warnings.find((warning) => warning.kind === 'outside_outreach_window');
    expect(window).toMatchObject({ rule: { id: 'W-TCPA-US' }, safeFrom: '2026-12-08T16:00:00.000Z' });
    expect(window!.message).toContain('the phone contact planned for 2026-12-08 11:00 UTC would breach W-TCPA-US');
    const canonical = ws.admin.workstation.db
      .prepare("SELECT canonical FROM audit_entries WHERE type = 'path.contact_planned' ORDER BY sequence")
      .pluck()
      .all() as Buffer[];
    expect(JSON.parse(canonical.at(-1)!.toString('utf8'))).toMatchObject({
      actor: `user:${owner()}`,
      subjects: [`lead:${leadId}`, `rep:${owner()}`],
      payload: {
        plan: { channel: 'phone', at: '2026-12-08T11:00:00.000Z' },
        warnings: expect.arrayContaining([
          { kind: 'outside_outreach_window', rule: 'W-TCPA-US', safeFrom: '2026-12-08T16:00:00.000Z' },
        ]),
      },
    });
  });

  it('shows the plan and its warning in My leads, the timeline and the due-soon list before the time comes', () => {
    const mine = call<{ rows: { leadId: string; planned: Planned }[] }>(rep(), 'paths.mine', {});
    const row = mine.rows.find((each) => each.leadId === leadId)!;
    expect(row.planned).toMatchObject({ channel: 'phone', at: '2026-12-08T11:00:00.000Z' });
    expect(row.planned!.warnings.map((warning) => warning.kind)).toContain('outside_outreach_window');
    expect(call<{ planned: Planned }>(rep(), 'paths.get', path).planned).toEqual(row.planned);
    const due = call<{ items: { leadId: string; kind: string; text: string; warnings: Warning[] }[] }>(
      rep(),
      'paths.dueSoon',
      { horizonHours: 48 },
    );
    const item = due.items.find((each) => each.kind === 'planned_contact')!;
    expect(item).toMatchObject({ leadId, at: '2026-12-08T11:00:00.000Z' });
    expect(item.text).toMatch(/^phone contact planned for 2026-12-08 11:00 UTC \(in 25 h 00 min 00 s\); warning: /);
    expect(item.warnings.map((warning) => warning.kind)).toContain('outside_outreach_window');
    // Not within two hours.
    const soon = call<{ items: { kind: string }[] }>(rep(), 'paths.dueSoon', { horizonHours: 2 });
    expect(soon.items.filter((each) => each.kind === 'planned_contact')).toEqual([]);
  });

  it('has no window warning once planned inside the window, and refuses a time in the past', () => {
    const planned = call<{ warnings: Warning[] }>(rep(), 'paths.planContact', {
      ...path,
      plan: { channel: 'phone', at: '2026-12-08T17:00:00.000Z' },
    });
    expect(planned.warnings.map((warning) => warning.kind)).not.toContain('outside_outreach_window');
    expect(
      callError(rep(), 'paths.planContact', { ...path, plan: { channel: 'phone', at: '2026-12-06T17:00:00.000Z' } }),
    ).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('in the past') });
    // Another rep may not plan on this path.
    const other = owner() === 'rep-marcus' ? dana : marcus;
    expect(
      callError(other, 'paths.planContact', { ...path, plan: { channel: 'email', at: '2026-12-08T17:00:00.000Z' } })
        .code,
    ).toBe('forbidden');
  });

  it('goes when the contact is recorded, and the rebuild from the log equals the live tables', () => {
    const recorded = call<{ ok: boolean }>(rep(), 'paths.recordOutreach', {
      ...path,
      direction: 'outbound',
      channel: 'email',
      content: { kind: 'template', template: 'INTRO', version: 1 },
    });
    expect(recorded.ok).toBe(true);
    expect(call<{ planned: Planned }>(rep(), 'paths.get', path).planned).toBeNull();
    expect(callError(rep(), 'paths.planContact', { ...path, plan: null }).code).toBe('conflict');
    // Plan again, then withdraw it.
    call(rep(), 'paths.planContact', { ...path, plan: { channel: 'phone', at: '2026-12-09T17:00:00.000Z' } });
    expect(call<{ planned: Planned }>(rep(), 'paths.get', path).planned).not.toBeNull();
    expect(call<{ plan: unknown }>(rep(), 'paths.planContact', { ...path, plan: null }).plan).toBeNull();
    expect(call<{ planned: Planned }>(rep(), 'paths.get', path).planned).toBeNull();
    call(rep(), 'paths.planContact', { ...path, plan: { channel: 'phone', at: '2026-12-09T18:00:00.000Z' } });
    const db = ws.admin.workstation.db;
    const live = projectionSnapshot(db);
    expect(JSON.stringify(live)).toContain('2026-12-09T18:00:00.000Z');
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});
