// The webhook connector against a real KYC system on 127.0.0.1 (node:http) that fails, times out, answers twice and
// restarts (decision 0211): the workstation's background job delivers every event, the receiver takes each exactly
// once (deduplicating by webhook-id, as Standard Webhooks asks), and each outcome it calls back is applied exactly once.
import { createServer } from 'node:http';
import type { Server, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startBrowserHost } from '../../../electron/services/host/browser-host.ts';
import type { BrowserHost } from '../../../electron/services/host/browser-host.ts';
import { configureKycConnector } from '../../../electron/services/workstation/commands/kyc-outbox.ts';
import { deliverKycOutbox } from '../../../electron/services/workstation/commands/kyc-delivery.ts';
import { KycInitiationEventSchema } from '../../../core/kyc/event.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation, TEST_SCRYPT } from '../../support/workstation.ts';
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

const EVENTS = 24;
const TIMEOUT_MS = 400;
const secret = newSecret();
const callbackSecret = newSecret();

/** The KYC system: verifies each delivery, takes each event once, and calls back an outcome for each new event. */
type Receiver = {
  port: number;
  requests: number;
  /** Deliveries by event id (duplicates included). */
  deliveries: Map<string, number>;
  /** Events taken (processed) once each. */
  taken: Set<string>;
  refusedSignatures: number;
  callbacksTwice: number;
  restart: () => Promise<void>;
  close: () => Promise<void>;
};

const startReceiver = async (callbackUrl: () => string): Promise<Receiver> => {
  const verifier = new Webhook(secret);
  const signer = new Webhook(callbackSecret);
  const state: Receiver = {
    port: 0,
    requests: 0,
    deliveries: new Map(),
    taken: new Set(),
    refusedSignatures: 0,
    callbacksTwice: 0,
    restart: async () => undefined,
    close: async () => undefined,
  };
  const callBack = async (eventId: string, leadId: string, twice: boolean): Promise<void> => {
    const body = JSON.stringify({
      type: 'kyc.outcome.reported',
      timestamp: new Date().toISOString(),
      data: { eventId, leadId, status: 'verified' },
    });
    const messageId = `msg_${eventId}`;
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signer.sign(messageId, at, body),
    };
    for (let i = 0; i < (twice ? 2 : 1); i += 1) {
      const answer = await fetch(callbackUrl(), { method: 'POST', headers, body });
      await answer.arrayBuffer();
    }
    if (twice) state.callbacksTwice += 1;
  };
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.requests += 1;
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(request.headers[name])]),
      );
      let event;
      try {
        verifier.verify(body, headers, { jsonParse: false });
        event = KycInitiationEventSchema.parse(JSON.parse(body.toString('utf8')));
      } catch {
        state.refusedSignatures += 1;
        response.writeHead(400).end();
        return;
      }
      const id = headers['webhook-id']!;
      expect(id).toBe(event.data.eventId);
      const seen = state.deliveries.get(id) ?? 0;
      state.deliveries.set(id, seen + 1);
      const index = Number.parseInt(id.slice(-4), 16);
      // Fails: a fifth of the events are answered 503 on their first delivery.
      if (seen === 0 && index % 5 === 0) {
        response.writeHead(503).end();
        return;
      }
      const isNew = !state.taken.has(id);
      state.taken.add(id);
      if (isNew) void callBack(id, event.data.leadId, index % 5 === 2);
      // Times out: another fifth is taken but answered only after the sender has given up (so it sends again).
      if (seen === 0 && index % 5 === 1) {
        setTimeout(() => response.writeHead(200).end(), TIMEOUT_MS * 3);
        return;
      }
      response.writeHead(isNew ? 200 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  };
  let server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  state.close = stop;
  // Restarts: down for a while (connections refused), then up again on the same port.
  state.restart = async () => {
    await stop();
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS));
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(state.port, '127.0.0.1', resolve));
  };
  return state;
};

let ws: TestWorkstation;
let events: string[];
let host: BrowserHost;
let receiver: Receiver;

const waitFor = async (done: () => boolean, what: string, limitMs = 60_000): Promise<void> => {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

beforeAll(async () => {
  ws = createTestWorkstation();
  const leads = importExampleLeads(ws.admin);
  events = queueInitiations(ws.admin, leads, EVENTS);
  createAppliedTable(ws.admin);
  receiver = await startReceiver(() => `http://127.0.0.1:${host.port}/kyc/callback`);
  configureKycConnector(ws.admin, {
    kind: 'webhook',
    url: `http://127.0.0.1:${receiver.port}/kyc/initiations`,
    secret,
    callbackSecret,
  });
  host = await startBrowserHost({
    dbPath: ws.path,
    staticDir: null,
    deps: { now: () => new Date(), scryptCost: TEST_SCRYPT },
    kycApplier: recordingApplier,
    kycDeliveryIntervalMs: 40,
    kycDelivery: {
      timeoutMs: TIMEOUT_MS,
      concurrency: 4,
      batchSize: 6,
      schedule: { baseMs: 50, factor: 2, capMs: 400, maxAttempts: 50 },
    },
  });
}, 60_000);

afterAll(async () => {
  await host?.close();
  await receiver?.close();
});

describe('the webhook connector against a real receiver', () => {
  it('delivers every event and applies every outcome exactly once, through failures, timeouts, double answers and a restart', async () => {
    const unlock = await fetch(`http://127.0.0.1:${host.port}/api/session.unlock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: JSON.stringify({ userId: 'ada', passphrase: ADMIN_PASSPHRASE }),
    });
    expect(((await unlock.json()) as { ok: boolean }).ok).toBe(true);
    // The receiver goes down once some events are through.
    await waitFor(() => receiver.taken.size >= 6, 'the first deliveries');
    await receiver.restart();
    const state = (): { state: string; n: number }[] =>
      ws.admin.workstation.db.prepare('SELECT state, count(*) AS n FROM kyc_outbox GROUP BY state').all() as {
        state: string;
        n: number;
      }[];
    await waitFor(
      () => state().length === 1 && state()[0]!.state === 'delivered' && appliedRows(ws.admin).length === EVENTS,
      'every event delivered and applied',
    );
    // Let any late answer or callback land before counting.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 4));

    // The scenario happened: failures, timeouts (sent again), double callbacks.
    const outbox = ws.admin.workstation.db
      .prepare('SELECT event_id, attempts FROM kyc_outbox ORDER BY event_id')
      .all() as { event_id: string; attempts: number }[];
    expect(outbox.filter((row) => row.attempts > 1).length).toBeGreaterThan(0);
    expect([...receiver.deliveries.values()].some((n) => n > 1)).toBe(true);
    expect(receiver.callbacksTwice).toBeGreaterThan(0);
    expect(receiver.refusedSignatures).toBe(0);

    // Delivered: every event, once each, taken once each by the receiver.
    expect(receiver.taken).toEqual(new Set(events));
    const delivered = entriesOfType(ws.admin, 'kyc.initiation_delivered');
    expect(delivered.map((entry) => entry.payload.eventId).sort()).toEqual([...events].sort());
    for (const entry of delivered) {
      expect(entry.actor).toBe('system:kyc');
      expect(entry.payload.connector).toBe('webhook');
      expect(entry.payload.httpStatus).toBe(200);
      expect((entry.payload.disclosed as string[]).length).toBeGreaterThan(0);
    }
    const attemptsLogged = Object.fromEntries(
      delivered.map((entry) => [entry.payload.eventId, entry.payload.attempts]),
    );
    for (const row of outbox) expect(attemptsLogged[row.event_id]).toBe(row.attempts);
    expect(entriesOfType(ws.admin, 'kyc.delivery_dead_lettered')).toEqual([]);

    // Applied: one outcome per event, once; each double callback refused as replayed, and audited.
    expect(
      appliedRows(ws.admin)
        .map((row) => row.source)
        .sort(),
    ).toEqual(events.map((id) => `webhook:msg_${id}`).sort());
    const received = entriesOfType(ws.admin, 'kyc.outcome_received');
    expect(received.map((entry) => entry.payload.eventId).sort()).toEqual([...events].sort());
    expect(received.every((entry) => entry.payload.applied === true)).toBe(true);
    const replays = entriesOfType(ws.admin, 'kyc.callback_refused').filter(
      (entry) => entry.payload.reason === 'replayed',
    );
    expect(replays).toHaveLength(receiver.callbacksTwice);
  }, 120_000);

  it('dead-letters after the limit, shows it in the outbox, and a person can send it again (audited)', async () => {
    await host.close();
    const [dead] = queueInitiations(ws.admin, [appliedRows(ws.admin)[0]!.lead_id], 1, 1000);
    // A port nobody listens on: every attempt is refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    configureKycConnector(ws.admin, {
      kind: 'webhook',
      url: `http://127.0.0.1:${closedPort}/closed`,
      secret,
      callbackSecret,
    });
    const schedule = { baseMs: 1, factor: 1, capMs: 1, maxAttempts: 3 };
    const clock = ws.clock;
    clock.set(new Date().toISOString());
    for (let i = 0; i < 3; i += 1) {
      await deliverKycOutbox(ws.admin.workstation, { schedule, timeoutMs: 500 });
      clock.advance(10);
    }
    const outbox = ws.admin.workstation.db.prepare(
      'SELECT state, attempts, last_error FROM kyc_outbox WHERE event_id = ?',
    );
    expect(outbox.get(dead)).toEqual({ state: 'dead', attempts: 3, last_error: 'connection_refused' });
    expect(entriesOfType(ws.admin, 'kyc.delivery_dead_lettered').at(-1)).toMatchObject({
      payload: { eventId: dead, attempts: 3, lastError: 'connection_refused', connector: 'webhook' },
    });
    const { handleApiCall } = await import('../../../electron/services/workstation/api/api.ts');
    const listed = handleApiCall(ws.admin, 'kyc.outbox', { state: 'dead' });
    expect(listed.ok && (listed.value as { events: { eventId: string }[] }).events.map((e) => e.eventId)).toEqual([
      dead,
    ]);
    const retried = handleApiCall(ws.admin, 'kyc.retry', { eventId: dead });
    expect(retried.ok && retried.value).toMatchObject({ eventId: dead, state: 'pending', attempts: 0 });
    expect(entriesOfType(ws.admin, 'kyc.delivery_retried').at(-1)).toMatchObject({
      actor: 'user:ada',
      payload: { eventId: dead, attempts: 3 },
    });
    const again = handleApiCall(ws.admin, 'kyc.retry', { eventId: dead });
    expect(again.ok ? null : again.error.code).toBe('conflict');
    // The secret is nowhere in the log.
    const log = (
      ws.admin.workstation.db.prepare('SELECT canonical FROM audit_entries').all() as { canonical: Buffer }[]
    )
      .map((row) => row.canonical.toString('utf8'))
      .join('\n');
    expect(log).not.toContain(secret.slice('whsec_'.length));
    expect(log).not.toContain(callbackSecret.slice('whsec_'.length));
  }, 60_000);
});
