// bench/kyc: KYC outbox delivery to a local receiver (node:http on 127.0.0.1): events/s through the whole connector
// (lease, read the subject's personal data, build the event, sign per Standard Webhooks, POST, record each result and
// its audit entry in the encrypted store), against the goal of 1,000 events/s, and beside the floor: bare POSTs of
// the same bodies to the same receiver at the same concurrency through the same HTTP client (keep-alive node:http),
// with no outbox bookkeeping, no signing, no store.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { configureKycConnector } from '../../electron/services/workstation/commands/kyc-outbox.ts';
import { deliverKycOutbox } from '../../electron/services/workstation/commands/kyc-delivery.ts';
import { postBytes } from '../../electron/services/kyc/webhook.ts';
import { importExampleLeads, queueInitiations } from '../../test/support/kyc.ts';
import { createTestWorkstation } from '../../test/support/workstation.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const GOAL_PER_SECOND = 1_000;

let received = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received += 1;
    response.writeHead(200, { 'content-length': '0' }).end();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kyc`;

const ws = createTestWorkstation();
ws.clock.set(new Date().toISOString());
const leads = importExampleLeads(ws.admin);
let started = performance.now();
for (let from = 1; from <= EVENTS; from += 5_000)
  queueInitiations(ws.admin, leads, Math.min(5_000, EVENTS - from + 1), from);
const queueMs = performance.now() - started;
configureKycConnector(ws.admin, {
  kind: 'webhook',
  url,
  secret: `whsec_${randomBytes(32).toString('base64')}`,
});
// The bodies as delivered, for the floor: read back before they are sent (same size and shape).
const bodies = (
  ws.admin.workstation.db.prepare('SELECT body FROM kyc_outbox ORDER BY queued_seq').all() as { body: string }[]
).map((row) => Buffer.from(row.body));

started = performance.now();
const pass = await deliverKycOutbox(ws.admin.workstation, { concurrency: CONCURRENCY, batchSize: BATCH });
const outboxMs = performance.now() - started;
if (pass.delivered !== EVENTS || received !== EVENTS)
  throw new Error(`delivered ${pass.delivered}, received ${received}, of ${EVENTS}`);

// The floor: the same bodies POSTed bare, CONCURRENCY at a time.
received = 0;
started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const answer = await postBytes(url, { 'content-type': 'application/json' }, body, 15_000);
      if (!answer.ok) throw new Error(`bare POST failed: ${answer.error}`);
    }
  }),
);
const bareMs = performance.now() - started;
server.close();
ws.admin.workstation.close();

const rate = (ms: number): number => Math.round((EVENTS / ms) * 1000);
const load = loadavg()
  .map((value) => value.toFixed(2))
  .join(' ');
console.log(
  `KYC outbox delivery, ${EVENTS.toLocaleString('en-GB')} events, concurrency ${CONCURRENCY}, batches of ${BATCH}`,
);
console.log(
  `  queueing (enqueueKycInitiation, up to 5,000 per transaction): ${rate(queueMs).toLocaleString('en-GB')} events/s`,
);
console.log(
  `  figure: outbox delivery to a local receiver   ${rate(outboxMs).toLocaleString('en-GB')} events/s (${(outboxMs / 1000).toFixed(2)} s)`,
);
console.log(
  `  goal:                                        ${GOAL_PER_SECOND.toLocaleString('en-GB')} events/s  ${rate(outboxMs) >= GOAL_PER_SECOND ? 'met' : 'NOT met'}`,
);
console.log(
  `  floor: bare POSTs of the same bodies          ${rate(bareMs).toLocaleString('en-GB')} events/s (${(bareMs / 1000).toFixed(2)} s)`,
);
console.log(`  outbox time / bare POST time: ${(outboxMs / bareMs).toFixed(2)}×`);
console.log(`  load average at the end (1, 5, 15 min): ${load} on ${navigator.hardwareConcurrency} cores`);
