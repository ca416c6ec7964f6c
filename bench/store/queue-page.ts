// bench/store: queue page latency (p50, p99) over 1,000,000 cases in the encrypted store, through the api contract
// (zod validation, access scope, SQL, response check), for an all-markets user and a market-scoped officer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { seededRandom } from '../../core/shared/seeded-random.ts';
import { benchWorkstation, caseFixtureWriter, measureApiLatency } from '../../test/fixtures/store.ts';

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-queue-'));
const deps = { now: () => new Date('2026-11-23T10:00:00.000Z'), scryptCost: { N: 2 ** 12, r: 8, p: 1 } };
const { admin, sessions } = benchWorkstation({ path: join(dir, 'queue.db'), logId: 'bench-queue', deps }, [
  { id: 'olga', roles: ['compliance_officer'], markets: ['UK', 'EU-Passported'] },
  { id: 'sam', roles: ['senior_officer'], markets: ['*'] },
]);
const officer = sessions['olga']!;
const senior = sessions['sam']!;

// Fixture: projection rows bulk-inserted (intake's own speed is bench/store/intake.ts), spread over jurisdictions,
// queues, risks and SLA times.
const random = seededRandom(5);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const queues = [
  'screening_review',
  'enhanced_due_diligence',
  'compliance_review',
  'expansion_review',
  'suitability_review',
];
const places = ['GB', 'FR', 'DE', 'NL', 'IE', 'SE', 'US-CA', 'US-NY', 'BR', 'AE', 'SG', 'JP', null];
const NOW = Date.parse('2026-11-23T10:00:00Z');
const started = performance.now();
const db = admin.workstation.db;
db.transaction(() => {
  const fixture = caseFixtureWriter(db);
  for (let i = 0; i < CASES; i += 1) {
    const leadId = `BL-${Math.floor(i / 5)}`;
    const place = pick(places);
    const subject = `Company ${Math.floor(random() * 200_000)} Ltd`;
    if (i % 5 === 0) fixture.lead(leadId, place, subject);
    // 90% closed over the last two years; the open 10% opened in the last 20 days, so some are overdue and most not.
    const roll = random();
    const status = roll < 0.9 ? 'closed' : roll < 0.96 ? 'open' : roll < 0.98 ? 'claimed' : 'awaiting_approval';
    const opened = new Date(status === 'closed' ? NOW - random() * 700 * 86_400_000 : NOW - random() * 20 * 86_400_000);
    const due = new Date(opened.getTime() + pick([24, 48, 72, 240]) * 3_600_000);
    const type = pick(queues);
    const risk = pick(['low', 'medium', 'high'] as const);
    fixture.addCase({
      id: `BC-${i}`,
      type,
      leadId,
      risk,
      jurisdiction: place,
      openedAt: opened,
      slaDueAt: due,
      status,
      claimedBy: status === 'claimed' ? 'olga' : null,
      makerId: status === 'awaiting_approval' ? pick(['olga', 'bench']) : null,
      subject,
    });
  }
  fixture.finish();
})();
db.pragma('optimize');
console.log(
  `fixture: ${CASES.toLocaleString('en')} cases inserted in ${((performance.now() - started) / 1000).toFixed(1)} s (encrypted store)`,
);

const measure = (label: string, session: Session, method: string, request: () => unknown): void =>
  measureApiLatency({ queries: QUERIES, digits: 2, width: 58 }, label, session, method, request);

console.log(`${QUERIES} calls each through handleApiCall (goal: p99 < 20 ms for a page):`);
measure('page 1 of a queue, by SLA, all markets', senior, 'cases.list', () => ({ queue: pick(queues), pageSize: 50 }));
measure('page 1 of a queue, by SLA, scoped to UK + EU', officer, 'cases.list', () => ({
  queue: pick(queues),
  pageSize: 50,
}));
measure('page 20 of a queue, by risk desc, all markets', senior, 'cases.list', () => ({
  queue: pick(queues),
  sort: 'risk',
  direction: 'desc',
  page: 20,
  pageSize: 50,
}));
measure('overdue only, all queues, all markets', senior, 'cases.list', () => ({ overdueOnly: true, pageSize: 50 }));
measure('search by subject prefix, all markets', senior, 'cases.list', () => ({
  search: `Company ${Math.floor(random() * 200_000)}`,
  pageSize: 50,
}));
measure('awaiting my approval', senior, 'cases.list', () => ({ awaitingMyApproval: true, pageSize: 50 }));
measure('counts per queue with overdue, all markets', senior, 'cases.counts', () => ({}));
measure('counts per queue with overdue, scoped to UK + EU', officer, 'cases.counts', () => ({}));
for (const session of [officer, senior, admin]) session.workstation.close();
rmSync(dir, { recursive: true, force: true });
