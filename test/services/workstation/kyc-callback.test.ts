// KYC outcomes by signed callback (decision 0213): a verified callback is applied once through the applier and
// audited; a forged, stale, replayed, malformed or unknown one is refused, audited as kyc.callback_refused, and
// applies nothing. Also through the browser host's /kyc/callback route.
import { beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { configureKycConnector } from '../../../electron/services/workstation/commands/kyc-outbox.ts';
import { receiveKycCallback } from '../../../electron/services/workstation/commands/kyc-outcomes.ts';
import { startBrowserHost } from '../../../electron/services/host/browser-host.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';
import {
  applyKycOutcome,
  kycConnectorSession,
  updateLeadFacts,
} from '../../../electron/services/workstation/commands/lead-facts.ts';
import { call } from '../../support/api.ts';
import type { TestWorkstation } from '../../support/workstation.ts';
import {
  appliedRows,
  createAppliedTable,
  entriesOfType,
  importExampleLeads,
  newSecret,
  queueInitiations,
  recordingApplier,
} from '../../support/kyc.ts';

let ws: TestWorkstation;
let leads: string[];
let events: string[];
const callbackSecret = newSecret();

const callbackBody = (eventId: string, leadId: string, status = 'verified'): Buffer =>
  Buffer.from(
    JSON.stringify({
      type: 'kyc.outcome.reported',
      timestamp: new Date().toISOString(),
      data: { eventId, leadId, status, reference: 'KYC-CASE-1' },
    }),
  );

const signed = (
  body: Buffer,
  messageId: string,
  options: { secret?: string; at?: Date } = {},
): Record<string, string> => {
  // The workstation's clock by default: the replay window is read on it (decision 0238).
  const at = options.at ?? ws.clock.now();
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? callbackSecret).sign(messageId, at, body),
  };
};

const leadOf = (eventId: string): string =>
  (
    ws.admin.workstation.db.prepare('SELECT lead_id FROM kyc_outbox WHERE event_id = ?').get(eventId) as {
      lead_id: string;
    }
  ).lead_id;

const receive = (headers: Record<string, string>, body: Buffer) =>
  receiveKycCallback(ws.admin, { headers, body }, recordingApplier);

beforeAll(() => {
  ws = createTestWorkstation();
  leads = importExampleLeads(ws.admin);
  events = queueInitiations(ws.admin, leads, 6);
  createAppliedTable(ws.admin);
  configureKycConnector(ws.admin, { kind: 'none', callbackSecret });
});

describe('a signed KYC callback', () => {
  it('is applied once, audited, and its replay is refused and audited', () => {
    const event = events[0]!;
    const body = callbackBody(event, leadOf(event));
    const headers = signed(body, 'msg_first');
    expect(receive(headers, body)).toEqual({ status: 200, body: { accepted: true, duplicate: false } });
    expect(receive(headers, body)).toEqual({
      status: 200,
      body: { accepted: false, reason: 'replayed', duplicate: true },
    });
    expect(appliedRows(ws.admin)).toEqual([
      { source: 'webhook:msg_first', lead_id: leadOf(event), status: 'verified' },
    ]);
    const received = entriesOfType(ws.admin, 'kyc.outcome_received');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      actor: 'system:kyc',
      subjects: [`lead:${leadOf(event)}`, `kyc:${event}`],
      payload: { eventId: event, status: 'verified', source: 'webhook', messageId: 'msg_first', applied: true },
    });
    expect(entriesOfType(ws.admin, 'kyc.callback_refused').at(-1)).toMatchObject({
      payload: { reason: 'replayed', messageId: 'msg_first', eventId: event },
    });
    expect(ws.admin.workstation.db.prepare('SELECT outcome FROM kyc_outbox WHERE event_id = ?').get(event)).toEqual({
      outcome: 'verified',
    });
  });

  it('refuses a forged signature, a stale or future timestamp, missing headers, a bad body, an unknown event and a wrong lead', () => {
    const event = events[1]!;
    const lead = leadOf(event);
    const body = callbackBody(event, lead);
    const before = appliedRows(ws.admin).length;
    const cases: [Record<string, string>, Buffer, string, number][] = [
      [signed(body, 'msg_forged', { secret: newSecret() }), body, 'bad_signature', 401],
      [{ ...signed(body, 'msg_tampered'), 'webhook-id': 'msg_other' }, body, 'bad_signature', 401],
      [
        signed(body, 'msg_stale', { at: new Date(ws.clock.now().getTime() - 10 * 60_000) }),
        body,
        'stale_timestamp',
        401,
      ],
      [
        signed(body, 'msg_future', { at: new Date(ws.clock.now().getTime() + 10 * 60_000) }),
        body,
        'stale_timestamp',
        401,
      ],
      [{ 'webhook-id': 'msg_bare' }, body, 'missing_headers', 400],
    ];
    const notJson = Buffer.from('{"type":');
    cases.push([signed(notJson, 'msg_notjson'), notJson, 'invalid_body', 400]);
    const badStatus = callbackBody(event, lead, 'approved');
    cases.push([signed(badStatus, 'msg_badstatus'), badStatus, 'invalid_body', 400]);
    const unknown = callbackBody(`kyc_${'0'.repeat(32)}`, lead);
    cases.push([signed(unknown, 'msg_unknown'), unknown, 'unknown_event', 404]);
    const wrongLead = callbackBody(
      event,
      leads.find((id) => id !== lead)!,
    );
    cases.push([signed(wrongLead, 'msg_wronglead'), wrongLead, 'lead_mismatch', 422]);
    for (const [headers, sent, reason, status] of cases) {
      const refusedBefore = entriesOfType(ws.admin, 'kyc.callback_refused').length;
      expect(receive(headers, sent), reason).toEqual({ status, body: { accepted: false, reason } });
      const refusals = entriesOfType(ws.admin, 'kyc.callback_refused');
      expect(refusals).toHaveLength(refusedBefore + 1);
      expect(refusals.at(-1)!.payload.reason).toBe(reason);
      expect(refusals.at(-1)!.actor).toBe('system:kyc');
    }
    expect(appliedRows(ws.admin)).toHaveLength(before);
    // A refused message id is not burnt: the genuine message with an id a forger tried is still applied.
    const genuine = signed(body, 'msg_forged');
    expect(receive(genuine, body).status).toBe(200);
    expect(appliedRows(ws.admin)).toHaveLength(before + 1);
  });

  it('reads the replay window on the workstation’s clock, not the system’s (decision 0238)', () => {
    const event = events[3]!;
    const body = callbackBody(event, leadOf(event));
    // The workstation's clock is two weeks behind the system's here: a message signed at the system's time is stale
    // to it, however fresh the package would find it; one signed at the workstation's time is applied.
    expect(Math.abs(Date.now() - ws.clock.now().getTime())).toBeGreaterThan(3_600_000);
    expect(receive(signed(body, 'msg_system_clock', { at: new Date() }), body)).toEqual({
      status: 401,
      body: { accepted: false, reason: 'stale_timestamp' },
    });
    // Four minutes either way of the workstation's time is inside the window; six is not.
    const at = (minutes: number) => ({ at: new Date(ws.clock.now().getTime() + minutes * 60_000) });
    expect(receive(signed(body, 'msg_six_late', at(-6)), body).status).toBe(401);
    expect(receive(signed(body, 'msg_six_early', at(6)), body).status).toBe(401);
    expect(receive(signed(body, 'msg_four_early', at(4)), body)).toEqual({
      status: 200,
      body: { accepted: true, duplicate: false },
    });
  });

  it('answers 503 while the workstation is locked, refuses a browser origin, and applies through the host route', async () => {
    const host = await startBrowserHost({
      dbPath: ws.path,
      staticDir: null,
      deps: { now: () => new Date(), scryptCost: { N: 2 ** 10, r: 8, p: 1 } },
      kycApplier: recordingApplier,
      kycDeliveryIntervalMs: 0,
    });
    try {
      const url = `http://127.0.0.1:${host.port}/kyc/callback`;
      const event = events[2]!;
      const body = callbackBody(event, leadOf(event));
      const post = (headers: Record<string, string>) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const realTime = { at: new Date() };
      const locked = await post(signed(body, 'msg_host', realTime));
      expect(locked.status).toBe(503);
      expect(locked.headers.get('retry-after')).toBe('30');
      const unlock = await fetch(`http://127.0.0.1:${host.port}/api/session.unlock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
        body: JSON.stringify({ userId: 'ada', passphrase: ADMIN_PASSPHRASE }),
      });
      expect(((await unlock.json()) as { ok: boolean }).ok).toBe(true);
      const fromPage = await post({ ...signed(body, 'msg_host', realTime), origin: `http://127.0.0.1:${host.port}` });
      expect(fromPage.status).toBe(403);
      const answered = await post(signed(body, 'msg_host', realTime));
      expect(answered.status).toBe(200);
      expect(await answered.json()).toEqual({ accepted: true, duplicate: false });
      const forged = await post(signed(body, 'msg_host2', { ...realTime, secret: newSecret() }));
      expect(forged.status).toBe(401);
      expect(appliedRows(ws.admin).map((row) => row.source)).toContain('webhook:msg_host');
      expect(appliedRows(ws.admin).map((row) => row.source)).not.toContain('webhook:msg_host2');
    } finally {
      await host.close();
    }
  });
});

describe('the connector as the principal of a verified callback (decision 0236)', () => {
  it('applies the outcome as system:kyc whoever is signed in, and may change nothing but the KYC status', () => {
    const auditor = addUser(ws, 'audra', ['auditor'], ['*']);
    try {
      const event = events[1]!;
      const lead = leadOf(event);
      const body = callbackBody(event, lead, 'pending');
      // Signed in on the host: an auditor, who may not update lead facts.
      expect(receiveKycCallback(auditor, { headers: signed(body, 'msg_connector'), body }, applyKycOutcome)).toEqual({
        status: 200,
        body: { accepted: true, duplicate: false },
      });
      expect(entriesOfType(ws.admin, 'lead.facts_updated').at(-1)).toMatchObject({
        actor: 'system:kyc',
        subjects: [`lead:${lead}`],
        payload: { leadId: lead, fields: ['kycStatus'], after: { kycStatus: 'pending' }, source: { kind: 'webhook' } },
      });
      const connector = kycConnectorSession(auditor);
      expect(() =>
        updateLeadFacts(
          connector,
          { leadId: lead, facts: { customerType: 'retail' } },
          { kind: 'webhook', eventId: 'x1' },
        ),
      ).toThrow(/only report a KYC status from a verified callback/);
      expect(() =>
        updateLeadFacts(connector, { leadId: lead, facts: { kycStatus: 'verified' } }, { kind: 'user', eventId: null }),
      ).toThrow(/only report a KYC status/);
      // Its session is no person's: every other service refuses it.
      expect(() => call(connector, 'cases.list', {})).toThrow();
    } finally {
      auditor.workstation.close();
    }
  });
});
