// The product-path lifecycle through the one door (issue 14): each command and its refusal on a real encrypted
// database with an injected clock, the KYC hand-off at QUALIFIED, capacity that comes back, holds that lift.
import { afterAll, describe, expect, it } from 'vitest';
import { commandPath } from '../../../electron/services/workstation/commands/lifecycle.ts';
import type { LifecycleResult } from '../../../electron/services/workstation/commands/lifecycle.ts';
import { applyKycOutcome, updateLeadFacts } from '../../../electron/services/workstation/commands/lead-facts.ts';
import { readPathState } from '../../../electron/services/workstation/projection/lifecycle-projection.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { throughTheDoor } from '../../../electron/services/workstation/session/access.ts';
import { call, refusalsLogged } from '../../support/api.ts';
import { createLifecycleWorkstation, ingest, prospect } from '../../support/lifecycle.ts';
import { addUser } from '../../support/workstation.ts';

const HOUR = 3_600_000;
const RW_CRYPTO = { template: 'RW-CRYPTO', version: 2 };
const email = { kind: 'record_outreach', direction: 'outbound', channel: 'email' } as const;

const accepted = (result: LifecycleResult) => {
  if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
  return result;
};
const refused = (result: LifecycleResult) => {
  if (result.ok) throw new Error('accepted, but a refusal was expected');
  return result;
};

const entriesOf = (session: Session, type: string) =>
  (
    session.workstation.db
      .prepare('SELECT canonical FROM audit_entries WHERE type = ? ORDER BY sequence')
      .all(type) as { canonical: Buffer }[]
  ).map(
    (row) =>
      JSON.parse(row.canonical.toString('utf8')) as {
        actor: string;
        subjects: string[];
        payload: Record<string, unknown>;
      },
  );

const load = (session: Session, rep: string): number =>
  (
    session.workstation.db.prepare('SELECT open FROM rep_load WHERE rep_id = ?').get(rep) as
      { open: number } | undefined
  )?.open ?? 0;

const openPaths = (session: Session, rep: string): number =>
  (
    session.workstation.db
      .prepare('SELECT count(*) AS n FROM path_lifecycle WHERE owner = ? AND open = 1')
      .get(rep) as { n: number }
  ).n;

describe('a crypto-custody path from NEW to WON under the FCA rules', () => {
  const ws = createLifecycleWorkstation();
  afterAll(() => ws.close());
  const [leadId] = ingest(ws.admin, prospect('P-1'));
  const path = { leadId: leadId!, productId: 'crypto-custody' };

  it('starts at NEW with its rep, who is told, and counts in the rep’s load', () => {
    expect(readPathState(ws.admin.workstation.db, path.leadId, path.productId)).toMatchObject({
      stage: 'NEW',
      owner: 'rep-olivia',
    });
    const notes = ws.admin.workstation.db
      .prepare("SELECT audience, kind, message FROM notifications WHERE audience = 'rep:rep-olivia'")
      .all();
    expect(notes).toEqual([
      {
        audience: 'rep:rep-olivia',
        kind: 'assignment',
        message: `Lead ${leadId} (crypto-custody) was assigned to you.`,
      },
    ]);
    expect(load(ws.admin, 'rep-olivia')).toBe(1);
    // The rep reads it through the api; another rep does not see it.
    const mine = call<{ message: string }[]>(ws.olivia, 'notifications.list', {});
    expect(mine.map((note) => note.message)).toEqual([`Lead ${leadId} (crypto-custody) was assigned to you.`]);
    expect(call<unknown[]>(ws.harry, 'notifications.list', {})).toEqual([]);
  });

  it('refuses a cold call and a first contact without the risk warning, each an audit entry naming rule and unblock', () => {
    const call = refused(
      commandPath(ws.olivia, path, {
        ...email,
        channel: 'phone',
        content: { kind: 'summary', text: 'Called about custody' },
      }),
    );
    expect(call.refusal.rule.id).toBe('CC-COBS-4.8-CRYPTO-RETAIL');
    const mail = refused(
      commandPath(ws.olivia, path, { ...email, content: { kind: 'template', template: 'INTRO', version: 1 } }),
    );
    expect(mail.refusal.rule.id).toBe('D-PS23-6-RISK-WARNING');
    expect(mail.refusal.unblock.kind).toBe('send_disclosures');
    const logged = entriesOf(ws.admin, 'path.command_refused');
    expect(
      logged.map((entry) => [entry.payload.command, entry.payload.target, (entry.payload.rule as { id: string }).id]),
    ).toEqual([
      ['record_outreach', 'phone', 'CC-COBS-4.8-CRYPTO-RETAIL'],
      ['record_outreach', 'email', 'D-PS23-6-RISK-WARNING'],
    ]);
    expect(logged[1]!.subjects).toEqual([`lead:${leadId}`, 'rep:rep-olivia']);
    expect(logged[1]!.actor).toBe('user:rep-olivia');
    expect(readPathState(ws.admin.workstation.db, path.leadId, path.productId)!.stage).toBe('NEW');
  });

  it('records the first contact with the risk warning: CONTACTED, the summary beside the log', () => {
    const result = accepted(
      commandPath(ws.olivia, path, {
        ...email,
        content: { kind: 'summary', text: 'Sent the custody brochure to Ms Prospect' },
        disclosures: [RW_CRYPTO],
      }),
    );
    expect(result.stage).toBe('CONTACTED');
    const [entry] = entriesOf(ws.admin, 'path.outreach_recorded');
    expect(entry!.payload).toMatchObject({
      channel: 'email',
      direction: 'outbound',
      by: 'rep-olivia',
      content: { kind: 'summary' },
      disclosures: [RW_CRYPTO],
      authorisation: 'unrestricted',
      stage: { from: 'NEW', to: 'CONTACTED' },
    });
    expect(JSON.stringify(entry)).not.toContain('brochure');
    const state = readPathState(ws.admin.workstation.db, path.leadId, path.productId)!;
    expect(state.outreach[0]!.content).toEqual({ kind: 'summary', text: 'Sent the custody brochure to Ms Prospect' });
    expect(state.disclosures).toEqual([{ ...RW_CRYPTO, at: '2026-12-07T10:00:00.000Z', channel: 'email' }]);
  });

  it('enqueues the KYC initiation with the move to QUALIFIED, in the same transaction', () => {
    const result = accepted(commandPath(ws.olivia, path, { kind: 'advance', to: 'QUALIFIED' }));
    expect(result.kycInitiationEnqueued).toBe(true);
    expect(ws.kyc).toEqual([
      expect.objectContaining({
        leadId,
        productId: 'crypto-custody',
        jurisdiction: 'GB',
        requestedBy: 'user:rep-olivia',
        pathSequence: result.sequences[0],
      }),
    ]);
    expect(entriesOf(ws.admin, 'path.stage_changed').at(-1)!.payload).toMatchObject({
      command: 'advance',
      from: 'CONTACTED',
      to: 'QUALIFIED',
      kycInitiationDue: true,
    });
  });

  it('refuses PROPOSAL until the client’s request, cooling-off, KYC and the travel-rule checklist allow it', () => {
    const proposal = { kind: 'advance', to: 'PROPOSAL' } as const;
    expect(refused(commandPath(ws.olivia, path, proposal)).refusal.gate).toBe('cooling_off');
    updateLeadFacts(ws.olivia, { leadId: path.leadId, facts: { requestedAt: '2026-12-07T10:00:00.000Z' } });
    ws.clock.advance(HOUR);
    const first = refused(commandPath(ws.olivia, path, proposal)).refusal;
    expect(first.rule.id).toBe('K-MLR-28-CRYPTO');
    expect(first.gates.map((gate) => gate.kind)).toEqual(
      expect.arrayContaining(['kyc_verified', 'checklist', 'cooling_off']),
    );
    // KYC from the connector: verified.
    const kyc = applyKycOutcome(ws.cora, {
      leadId: path.leadId,
      status: 'verified',
      source: { kind: 'webhook', eventId: 'msg_1' },
    });
    expect(kyc.changed).toEqual(['kycStatus']);
    expect(
      applyKycOutcome(ws.cora, {
        leadId: path.leadId,
        status: 'verified',
        source: { kind: 'webhook', eventId: 'msg_1' },
      }).duplicate,
    ).toBe(true);
    for (const item of ['travel-rule-data', 'self-hosted-wallet-check'])
      accepted(commandPath(ws.olivia, path, { kind: 'complete_checklist_item', item }));
    const during = refused(commandPath(ws.olivia, path, proposal)).refusal;
    expect(during.rule.id).toBe('CO-PS22-10-PS23-6');
    expect(during.unblock).toMatchObject({ kind: 'wait_until', at: '2026-12-08T10:00:00.000Z' });
    ws.clock.advance(22 * HOUR);
    expect(refused(commandPath(ws.olivia, path, proposal)).refusal.message).toContain('(1 h 00 min 00 s left)');
    ws.clock.advance(HOUR);
    expect(accepted(commandPath(ws.olivia, path, proposal)).stage).toBe('PROPOSAL');
  });

  it('frees the rep’s capacity when the path is won', () => {
    expect(load(ws.admin, 'rep-olivia')).toBe(1);
    expect(accepted(commandPath(ws.olivia, path, { kind: 'win' })).stage).toBe('WON');
    expect(load(ws.admin, 'rep-olivia')).toBe(0);
    expect(refused(commandPath(ws.sam, path, { kind: 'close', reason: 'other' })).refusal.gate).toBe('path_open');
  });

  it('rebuilds every lifecycle table from the log, equal to the live ones', () => {
    const db = ws.admin.workstation.db;
    const live = projectionSnapshot(db);
    expect(live.path_lifecycle).toHaveLength(1);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});

describe('who may act on a path (decision 0201)', () => {
  const ws = createLifecycleWorkstation();
  afterAll(() => ws.close());
  const [leadId] = ingest(ws.admin, prospect('P-2'));
  const path = { leadId: leadId!, productId: 'crypto-custody' };
  const door = (session: Session, run: () => unknown) => () => throughTheDoor(session, 'paths.transition', run);

  it('refuses another rep and a compliance officer, each logged as access.denied; a senior officer may close', () => {
    expect(door(ws.harry, () => commandPath(ws.harry, path, { kind: 'lose', reason: 'no_response' }))).toThrow(
      /rep-harry may not lose on .*: it is rep-olivia's path/,
    );
    expect(door(ws.cora, () => commandPath(ws.cora, path, { kind: 'advance', to: 'QUALIFIED' }))).toThrow(/may not/);
    expect(() =>
      commandPath(ws.sam, path, {
        ...email,
        content: { kind: 'template', template: 'X', version: 1 },
        disclosures: [RW_CRYPTO],
      }),
    ).toThrow(/only its owner rep-olivia records contacts/);
    expect(refusalsLogged(ws.admin).map((row) => [row.actor, row.reason])).toEqual([
      ['user:rep-harry', 'forbidden'],
      ['user:cora', 'forbidden'],
    ]);
    expect(accepted(commandPath(ws.sam, path, { kind: 'close', reason: 'compliance_decision' })).stage).toBe('CLOSED');
    expect(load(ws.admin, 'rep-olivia')).toBe(0);
  });

  it('lets the owner record consent and do-not-contact, but not KYC, nor lift do-not-contact', () => {
    const [other] = ingest(ws.admin, prospect('P-3'));
    updateLeadFacts(ws.olivia, {
      leadId: other!,
      facts: {
        consents: [{ channels: ['phone'], at: '2026-12-07T09:00:00.000Z', reference: 'Signed form 77 from Ms P' }],
      },
    });
    updateLeadFacts(ws.olivia, { leadId: other!, facts: { doNotContact: true } });
    expect(() => updateLeadFacts(ws.olivia, { leadId: other!, facts: { kycStatus: 'verified' } })).toThrow(
      /may not update kycStatus \(needs lead.update_facts\)/,
    );
    expect(() => updateLeadFacts(ws.olivia, { leadId: other!, facts: { doNotContact: false } })).toThrow(
      /may not withdraw do-not-contact/,
    );
    expect(() => updateLeadFacts(ws.harry, { leadId: other!, facts: { doNotContact: true } })).not.toThrow();
    const facts = entriesOf(ws.admin, 'lead.facts_updated');
    expect(facts[0]!.payload).toMatchObject({
      fields: ['consents'],
      before: { consents: [] },
      after: { consents: [{ channels: ['phone'], at: '2026-12-07T09:00:00.000Z' }] },
    });
    expect(JSON.stringify(facts[0])).not.toContain('Signed form');
    const state = readPathState(ws.admin.workstation.db, other!, 'crypto-custody')!;
    expect(state.facts.consents[0]!.reference).toBe('Signed form 77 from Ms P');
    expect(state.facts.doNotContact).toBe(true);
    const blocked = refused(
      commandPath(
        ws.olivia,
        { leadId: other!, productId: 'crypto-custody' },
        {
          ...email,
          content: { kind: 'template', template: 'X', version: 1 },
          disclosures: [RW_CRYPTO],
        },
      ),
    );
    expect(blocked.refusal.gate).toBe('do_not_contact');
  });
});

describe('capacity that comes back', () => {
  const ws = createLifecycleWorkstation({ capacity: 2 });
  afterAll(() => ws.close());

  it('retries waiting paths oldest first when a path ends, KYC fails, or a path is reassigned away', () => {
    const ids = ingest(ws.admin, ...['W-1', 'W-2', 'W-3', 'W-4', 'W-5'].map((id) => prospect(id)));
    const outcome = () =>
      ws.admin.workstation.db
        .prepare(
          "SELECT lead_id AS lead, outcome, rep_id AS rep FROM product_paths WHERE product_id = 'crypto-custody'",
        )
        .all() as { lead: string; outcome: string; rep: string | null }[];
    const of = (id: string) => outcome().find((row) => row.lead === id)!.outcome;
    expect(ids.map(of)).toEqual([
      'assigned',
      'assigned',
      'waiting_for_capacity',
      'waiting_for_capacity',
      'waiting_for_capacity',
    ]);
    expect(load(ws.admin, 'rep-olivia')).toBe(2);

    const lost = accepted(
      commandPath(
        ws.olivia,
        { leadId: ids[0]!, productId: 'crypto-custody' },
        { kind: 'lose', reason: 'not_interested' },
      ),
    );
    expect(lost.rerouted).toEqual([
      expect.objectContaining({ leadId: ids[2], outcome: 'assigned', repId: 'rep-olivia' }),
    ]);
    expect(of(ids[3]!)).toBe('waiting_for_capacity');

    const failed = applyKycOutcome(ws.cora, {
      leadId: ids[1]!,
      status: 'failed',
      source: { kind: 'file', eventId: 'R-9' },
    });
    expect(failed.paths).toEqual([{ productId: 'crypto-custody', effect: 'closed', outcome: 'CLOSED' }]);
    expect(failed.rerouted).toEqual([expect.objectContaining({ leadId: ids[3], outcome: 'assigned' })]);
    expect(readPathState(ws.admin.workstation.db, ids[1]!, 'crypto-custody')!.ending).toMatchObject({
      stage: 'CLOSED',
      reason: 'kyc_failed',
    });
    expect(load(ws.admin, 'rep-olivia')).toBe(2);
    expect(openPaths(ws.admin, 'rep-olivia')).toBe(2);
    // The retries are routing decisions in the log, naming why they ran.
    const retries = entriesOf(ws.admin, 'routing.decided').filter((entry) =>
      entry.subjects.includes('routing:capacity-retry'),
    );
    expect(retries.map((entry) => entry.payload.leadId)).toEqual([ids[2], ids[3]]);
  });

  it('reassigns only to a rep the licensing map allows and who has capacity; the load moves with the path', () => {
    const [, , third] = ws.admin.workstation.db
      .prepare('SELECT lead_id FROM path_lifecycle WHERE open = 1 ORDER BY opened_at, lead_id')
      .pluck()
      .all() as string[];
    void third;
    const open = ws.admin.workstation.db
      .prepare('SELECT lead_id FROM path_lifecycle WHERE open = 1 ORDER BY lead_id')
      .pluck()
      .all() as string[];
    const path = { leadId: open[0]!, productId: 'crypto-custody' };
    expect(() => commandPath(ws.sam, path, { kind: 'reassign', to: 'rep-harry' })).toThrow(
      /may not go to rep-harry: rep rep-harry is not individually authorised for crypto-custody/,
    );
    expect(() => commandPath(ws.olivia, path, { kind: 'reassign', to: 'rep-harry' })).toThrow(/needs path.supervise/);
    expect(() => commandPath(ws.sam, path, { kind: 'reassign', to: 'rep-nobody' })).toThrow(
      /not a rep of the active policy/,
    );
  });

  it('rebuilds to the same tables', () => {
    const db = ws.admin.workstation.db;
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});

describe('holds that lift', () => {
  const ws = createLifecycleWorkstation();
  afterAll(() => ws.close());

  it('routes a path held for KYC once the KYC result says verified, exactly once per event id', () => {
    const [leadId] = ingest(
      ws.admin,
      prospect('H-1', { productInterests: ['business-payments'], customerType: 'professional', kycStatus: 'pending' }),
    );
    const row = () =>
      ws.admin.workstation.db
        .prepare('SELECT outcome, reason, rep_id AS rep FROM product_paths WHERE lead_id = ?')
        .get(leadId) as { outcome: string; reason: string | null; rep: string | null };
    expect(row()).toMatchObject({ outcome: 'held', reason: 'kyc_not_verified' });
    const result = applyKycOutcome(ws.cora, {
      leadId: leadId!,
      status: 'verified',
      source: { kind: 'webhook', eventId: 'msg_h1' },
    });
    expect(result.paths).toEqual([{ productId: 'business-payments', effect: 'routed', outcome: 'assigned' }]);
    expect(row().outcome).toBe('assigned');
    expect(readPathState(ws.admin.workstation.db, leadId!, 'business-payments')).toMatchObject({
      stage: 'NEW',
      facts: { kycStatus: 'verified' },
    });
    const entries = entriesOf(ws.admin, 'lead.facts_updated');
    expect(entries.at(-1)!.payload).toMatchObject({
      before: { kycStatus: 'pending' },
      after: { kycStatus: 'verified' },
      source: { kind: 'webhook', eventId: 'msg_h1' },
    });
    const again = applyKycOutcome(ws.cora, {
      leadId: leadId!,
      status: 'verified',
      source: { kind: 'webhook', eventId: 'msg_h1' },
    });
    expect(again).toMatchObject({ duplicate: true, sequence: null });
    expect(entriesOf(ws.admin, 'lead.facts_updated')).toHaveLength(entries.length);
  });

  it('reassigns a path to another authorised rep: the load moves with it and the new owner is told', () => {
    const db = ws.admin.workstation.db;
    const row = db
      .prepare(
        "SELECT lead_id AS leadId, owner FROM path_lifecycle WHERE product_id = 'business-payments' AND open = 1",
      )
      .get() as { leadId: string; owner: string };
    const to = row.owner === 'rep-olivia' ? 'rep-harry' : 'rep-olivia';
    const before = { from: load(ws.admin, row.owner), to: load(ws.admin, to) };
    const result = accepted(
      commandPath(ws.sam, { leadId: row.leadId, productId: 'business-payments' }, { kind: 'reassign', to }),
    );
    expect(result.owner).toBe(to);
    expect([load(ws.admin, row.owner), load(ws.admin, to)]).toEqual([before.from - 1, before.to + 1]);
    expect(db.prepare('SELECT rep_id FROM product_paths WHERE lead_id = ?').pluck().get(row.leadId)).toBe(to);
    expect(db.prepare('SELECT audience FROM notifications WHERE seq = ?').pluck().get(result.sequences[0])).toBe(
      `rep:${to}`,
    );
    expect(entriesOf(ws.admin, 'path.reassigned').at(-1)!.payload).toMatchObject({
      from: row.owner,
      to,
      teamId: 'uk-sme',
    });
  });

  it('keeps a path held while the fact that held it stays, writing no routing entry', () => {
    const [leadId] = ingest(
      ws.admin,
      prospect('H-2', { productInterests: ['business-payments'], customerType: 'professional', kycStatus: 'pending' }),
    );
    const before = entriesOf(ws.admin, 'routing.decided').length;
    const result = updateLeadFacts(ws.cora, { leadId: leadId!, facts: { amlDocumentation: 'partial' } });
    expect(result.paths).toEqual([]);
    expect(entriesOf(ws.admin, 'routing.decided')).toHaveLength(before);
  });

  it('rebuilds to the same tables', () => {
    const db = ws.admin.workstation.db;
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});

describe('the lifecycle through the api contract', () => {
  const ws = createLifecycleWorkstation({ capacity: 1 });
  afterAll(() => ws.close());
  const [first, waiting] = ingest(ws.admin, prospect('A-1'), prospect('A-2'));
  const [held] = ingest(
    ws.admin,
    prospect('A-3', { productInterests: ['business-payments'], customerType: 'professional', kycStatus: 'pending' }),
  );
  const path = { leadId: first!, productId: 'crypto-custody' };

  it('answers My leads with what blocks each next step, and a refusal as a value', () => {
    type Mine = {
      total: number;
      rows: { leadId: string; stage: string; next: string; blockedBy: { kind: string; rule: { id: string } }[] }[];
    };
    const mine = call<Mine>(ws.olivia, 'paths.mine', {});
    expect(mine.total).toBe(1);
    expect(mine.rows[0]).toMatchObject({ leadId: first, stage: 'NEW', next: 'first contact' });
    expect(mine.rows[0]!.blockedBy.map((gate) => gate.rule.id)).toContain('D-PS23-6-RISK-WARNING');
    const refused = call<{ ok: boolean; refusal: { rule: { id: string }; unblock: { kind: string } } }>(
      ws.olivia,
      'paths.transition',
      { ...path, action: 'advance', to: 'QUALIFIED' },
    );
    expect(refused).toMatchObject({
      ok: false,
      refusal: { rule: { id: 'lifecycle.stage-order' }, unblock: { kind: 'reach_stage' } },
    });
    const contacted = call<{ ok: boolean; stage: string }>(ws.olivia, 'paths.recordOutreach', {
      ...path,
      direction: 'outbound',
      channel: 'email',
      content: { kind: 'template', template: 'INTRO', version: 1 },
      disclosures: [RW_CRYPTO],
    });
    expect(contacted).toMatchObject({ ok: true, stage: 'CONTACTED' });
  });

  it('shows the cooling-off countdown in the due-soon list and on the path', () => {
    call(ws.olivia, 'leads.updateFacts', {
      leadId: first,
      productId: 'crypto-custody',
      facts: { requestedAt: '2026-12-07T09:30:00.000Z' },
    });
    const due = call<{ items: { leadId: string; at: string; text: string }[] }>(ws.olivia, 'paths.dueSoon', {});
    expect(due.items).toEqual([
      expect.objectContaining({
        leadId: first,
        at: '2026-12-08T09:30:00.000Z',
        text: 'cooling-off ends 2026-12-08 09:30 UTC (23 h 30 min 00 s left)',
      }),
    ]);
    const detail = call<{ coolingOff: { status: string }; outreach: { content: string; disclosures: string[] }[] }>(
      ws.olivia,
      'paths.get',
      path,
    );
    expect(detail.coolingOff.status).toBe('running');
    expect(detail.outreach).toEqual([expect.objectContaining({ content: 'INTRO v1', disclosures: ['RW-CRYPTO v2'] })]);
    expect(call<{ items: unknown[] }>(ws.olivia, 'paths.dueSoon', { horizonHours: 1 }).items).toEqual([]);
  });

  it('lists held and waiting paths with what each waits for, for compliance', () => {
    const list = call<{ rows: { leadId: string; kind: string; waitsFor: string[] }[] }>(
      ws.cora,
      'paths.heldAndWaiting',
      {},
    );
    expect(list.rows).toEqual([
      expect.objectContaining({
        leadId: waiting,
        kind: 'waiting_for_capacity',
        waitsFor: ['a rep with capacity at northwind-uk-ltd'],
      }),
      expect.objectContaining({ leadId: held, kind: 'held', waitsFor: ['KYC verified'] }),
    ]);
    // Paged in SQL in the same order; a user of other markets sees none of them (and no total that counts them).
    type Page = { total: number; rows: { leadId: string }[] };
    const pageOf = (session: Session, page: number) =>
      call<Page>(session, 'paths.heldAndWaiting', { page, pageSize: 1 });
    expect([0, 1, 2].map((page) => pageOf(ws.cora, page))).toEqual([
      { total: 2, rows: [expect.objectContaining({ leadId: waiting })] },
      { total: 2, rows: [expect.objectContaining({ leadId: held })] },
      { total: 2, rows: [] },
    ]);
    const elsewhere = addUser(ws, 'ursula', ['compliance_officer'], ['US-CA']);
    expect(pageOf(elsewhere, 0)).toEqual({ total: 0, rows: [] });
    elsewhere.workstation.close();
    // A lost path frees Olivia's one slot: the waiting path is hers now, and the list no longer has it.
    const lost = call<{ rerouted: { leadId: string; outcome: string }[] }>(ws.olivia, 'paths.transition', {
      ...path,
      action: 'lose',
      reason: 'not_interested',
    });
    expect(lost.rerouted).toEqual([expect.objectContaining({ leadId: waiting, outcome: 'assigned' })]);
    expect(
      call<{ rows: { leadId: string }[] }>(ws.cora, 'paths.heldAndWaiting', {}).rows.map((row) => row.leadId),
    ).toEqual([held]);
  });
});

describe("the workstation's own KYC outbox takes the hand-off (no stand-in)", () => {
  const ws = createLifecycleWorkstation({ productionKyc: true });
  afterAll(() => ws.close());
  const [leadId] = ingest(ws.admin, prospect('P-OUTBOX'));
  const path = { leadId: leadId!, productId: 'crypto-custody' };

  it('queues one initiation event in the outbox with the move to QUALIFIED', () => {
    accepted(
      commandPath(ws.olivia, path, {
        ...email,
        content: { kind: 'summary', text: 'First contact' },
        disclosures: [RW_CRYPTO],
      }),
    );
    const result = accepted(commandPath(ws.olivia, path, { kind: 'advance', to: 'QUALIFIED' }));
    expect(result.kycInitiationEnqueued).toBe(true);
    expect(ws.kyc).toEqual([]);
    const rows = ws.admin.workstation.db
      .prepare('SELECT lead_id, product_id FROM kyc_outbox WHERE lead_id = ?')
      .all(leadId) as { lead_id: string; product_id: string }[];
    expect(rows).toEqual([{ lead_id: leadId, product_id: 'crypto-custody' }]);
    expect(entriesOf(ws.admin, 'kyc.initiation_queued').at(-1)).toMatchObject({
      subjects: expect.arrayContaining([`lead:${leadId}`]),
    });
  });
});
