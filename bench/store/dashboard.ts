// bench/store: dashboard.summary over 1,000,000 cases (and as many refused product paths), and audit.list pages over a
// large log, in the encrypted store through the api contract, for an all-markets user and a market-scoped officer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAuditEvent } from '../../electron/services/audit/audit-log.ts';
import type { AuditEvent } from '../../electron/services/audit/audit-log.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { QUEUE_FOR_REFUSAL } from '../../core/routing/outcome.ts';
import { seededRandom } from '../../core/shared/seeded-random.ts';
import { benchWorkstation, caseFixtureWriter, measureApiLatency } from '../../test/fixtures/store.ts';

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-dashboard-'));
const NOW = Date.parse('2026-11-23T10:00:00Z');
// The log's entries run up to NOW, one a minute, and the log never goes back in time: set up before them.
let clock = NOW - (ENTRIES + 1440) * 60_000;
const deps = { now: () => new Date(clock), scryptCost: { N: 2 ** 12, r: 8, p: 1 } };
const path = join(dir, 'dashboard.db');
const { admin, sessions } = benchWorkstation({ path, logId: 'bench-dashboard', deps }, [
  { id: 'olga', roles: ['compliance_officer'], markets: ['UK', 'EU-Passported'] },
  { id: 'aud', roles: ['auditor'], markets: ['*'] },
]);
const officer = sessions['olga']!;
const auditor = sessions['aud']!;

// Cases as bench/store/queue-page.ts lays them out (90% closed over two years, the open 10% from the last 20 days),
// and one refused product path per case, its reason drawn from the refusal reasons of the case's queue.
const random = seededRandom(5);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const reasonsByQueue = new Map<string, string[]>();
for (const [reason, queue] of Object.entries(QUEUE_FOR_REFUSAL))
  reasonsByQueue.set(queue, [...(reasonsByQueue.get(queue) ?? []), reason]);
const queues = [...reasonsByQueue.keys()];
const places = ['GB', 'FR', 'DE', 'NL', 'IE', 'SE', 'US-CA', 'US-NY', 'BR', 'AE', 'SG', 'JP', null];
const db = admin.workstation.db;
let started = performance.now();
db.transaction(() => {
  const fixture = caseFixtureWriter(db);
  const path = db.prepare(
    "INSERT INTO product_paths (lead_id, product_id, outcome, queue, reason, rule_version, decided_seq) VALUES (?, ?, 'refused', ?, ?, 'sha256:bench', 0)",
  );
  let place: string | null = null;
  for (let i = 0; i < CASES; i += 1) {
    const leadId = `BL-${Math.floor(i / 5)}`;
    if (i % 5 === 0) {
      place = pick(places);
      fixture.lead(leadId, place, `Company ${Math.floor(random() * 200_000)} Ltd`);
    }
    const roll = random();
    const status = roll < 0.9 ? 'closed' : roll < 0.96 ? 'open' : roll < 0.98 ? 'claimed' : 'awaiting_approval';
    const opened = new Date(status === 'closed' ? NOW - random() * 700 * 86_400_000 : NOW - random() * 20 * 86_400_000);
    const type = pick(queues);
    fixture.addCase({
      id: `BC-${i}`,
      type,
      leadId,
      risk: pick(['low', 'medium', 'high'] as const),
      jurisdiction: place,
      openedAt: opened,
      slaDueAt: new Date(opened.getTime() + pick([24, 48, 72, 240]) * 3_600_000),
      status,
      claimedBy: status === 'claimed' ? 'olga' : null,
      makerId: status === 'awaiting_approval' ? 'bench' : null,
      subject: `Company ${i}`,
    });
    path.run(leadId, `p-${i % 5}`, type, pick(reasonsByQueue.get(type)!));
  }
  fixture.finish();
})();
console.log(
  `fixture: ${CASES.toLocaleString('en')} cases and refused paths in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

// A large log: entries of several types and actors, each about the size of a case decision, on distinct minutes.
started = performance.now();
const types = ['case.decided', 'case.claimed', 'lead.screened', 'personal_data.read'] as const;
const state = {
  status: 'claimed',
  claimedBy: 'olga',
  claimedAt: '2025-01-01T00:00:00.000Z',
  maker: null,
  checker: null,
  resolution: null,
  closedAt: null,
} as const;
// Payloads of each type in the shape the services write (version 2): free text beside the log.
const benchEvent = (type: (typeof types)[number], i: number, subject: string): AuditEvent => {
  const base = {
    time: new Date(NOW - (ENTRIES - i) * 60_000),
    actor: `user:u-${i % 50}`,
    subjects: [`case:BC-${i}`, subject],
  };
  const personalData = <D>(data: D) => ({ subject, regime: 'bench', data });
  if (type === 'personal_data.read')
    return {
      ...base,
      type,
      payload: { pv: 2, fields: ['person'], sequences: [] },
      personalData: personalData({ purpose: 'bench review of the file' }),
    };
  if (type === 'lead.screened')
    return {
      ...base,
      type,
      payload: {
        pv: 2,
        leadId: subject.slice(5),
        outcome: 'clear',
        screening: { screenedAt: '2025-01-01T00:00:00.000Z', hits: [] },
      },
    };
  if (type === 'case.claimed') return { ...base, type, payload: { pv: 2, caseId: `BC-${i}`, action: 'claim', state } };
  return {
    ...base,
    type,
    payload: { pv: 2, caseId: `BC-${i}`, decision: 'escalate', violations: [], state },
    personalData: personalData({ reason: 'needs a second look at the ownership structure' }),
  };
};
const BATCH = 20_000;
for (let from = 0; from < ENTRIES; from += BATCH)
  db.transaction(() => {
    for (let i = from; i < Math.min(ENTRIES, from + BATCH); i += 1) {
      const type = types[i % types.length]!;
      appendAuditEvent(db, benchEvent(type, i, `lead:BL-${i % 100_000}`), {});
    }
  })();
clock = NOW;
db.pragma('optimize');
if (ENTRIES > 0)
  console.log(
    `fixture: ${ENTRIES.toLocaleString('en')} audit entries appended in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

const measure = (label: string, session: Session, method: string, request: () => unknown): void =>
  measureApiLatency({ queries: QUERIES, digits: 1, width: 62 }, label, session, method, request);

console.log(`${QUERIES} calls each through handleApiCall:`);
measure('dashboard.summary, all markets', admin, 'dashboard.summary', () => ({}));
measure('dashboard.summary, scoped to UK + EU-Passported', officer, 'dashboard.summary', () => ({}));
{
  // The comparison: the scan of product_paths the refusal counter replaced (decision 0035).
  const times: number[] = [];
  const scan = db.prepare(
    "SELECT reason, queue, count(*) AS n FROM product_paths WHERE outcome = 'refused' GROUP BY reason, queue",
  );
  for (let i = 0; i < Math.min(QUERIES, 10); i += 1) {
    const t0 = performance.now();
    scan.all();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${'  vs. counting refusals by scanning product_paths (raw SQL)'.padEnd(62)} p50 ${times[Math.floor(times.length / 2)]!.toFixed(1).padStart(7)} ms`,
  );
}
if (ENTRIES > 0) {
  const middle = () => String(Math.floor(random() * ENTRIES));
  measure('audit.list, newest page of 50', auditor, 'audit.list', () => ({}));
  measure('audit.list, a page of 50 from a random cursor', auditor, 'audit.list', () => ({ cursor: middle() }));
  measure('audit.list, one type, random cursor', auditor, 'audit.list', () => ({
    types: ['personal_data.read'],
    cursor: middle(),
  }));
  measure('audit.list, two types, a one-week window', auditor, 'audit.list', () => {
    const start = NOW - Math.floor(random() * ENTRIES) * 60_000;
    return {
      types: ['case.decided', 'case.claimed'],
      from: new Date(start).toISOString(),
      to: new Date(start + 7 * 86_400_000).toISOString(),
    };
  });
  measure('audit.list, one subject (lead, 10 entries)', auditor, 'audit.list', () => ({
    subject: `lead:BL-${Math.floor(random() * 100_000)}`,
  }));
  measure('audit.list, one actor (1 in 50), newest page', auditor, 'audit.list', () => ({
    actor: `u-${Math.floor(random() * 50)}`,
  }));
}
for (const session of [officer, auditor, admin]) session.workstation.close();
rmSync(dir, { recursive: true, force: true });
