// The dashboard on a real encrypted workstation: queue ageing, overdue and refusals by reason equal a brute-force
// count over the cases and product paths tables, inside each user's markets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inScope } from '../../../core/access/roles.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';
import { call } from '../../support/api.ts';

type Ages = { under1d: number; from1dTo3d: number; from3dTo7d: number; over7d: number };
type Summary = {
  at: string;
  queues: { queue: string; open: number; overdue: number; age: Ages }[];
  refusals: { reason: string; queue: string; count: number }[];
};

const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The fintech leads in four batches a few days apart, so open cases fall in every age bucket; one case closed. */
const setup = () => {
  const ws = createTestWorkstation();
  open.push(ws.admin);
  const users = {
    all: addUser(ws, 'sam', ['senior_officer'], ['*']),
    europe: addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']),
    california: addUser(ws, 'uma', ['compliance_officer'], ['US-CA']),
    auditor: addUser(ws, 'audrey', ['auditor'], ['GCC']),
    rep: addUser(ws, 'fred', ['field_rep'], ['*']),
  };
  open.push(...Object.values(users));
  const lines = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const batches = [lines.slice(0, 7), lines.slice(7, 14), lines.slice(14, 20), lines.slice(20)];
  const gaps = [4 * DAY, 2 * DAY, DAY + 20 * HOUR, 9 * HOUR];
  batches.forEach((batch, index) => {
    call(ws.admin, 'leads.import', {
      fileName: `batch-${index}.jsonl`,
      format: 'jsonl',
      content: `${batch.join('\n')}\n`,
      mode: 'all',
      sourceSystem: 'crm',
    });
    ws.clock.advance(gaps[index]!);
  });
  const rows = call<{ rows: { id: string; type: string }[] }>(users.all, 'cases.list', { pageSize: 500 }).rows;
  const closing = rows.find((row) => row.type === 'expansion_review')!;
  call(users.all, 'cases.claim', { caseId: closing.id });
  call(users.all, 'cases.decide', {
    caseId: closing.id,
    disposition: 'decline_expansion',
    reason: 'no appetite for this market',
  });
  return { ws, users };
};

/** What the dashboard should say, counted row by row from the tables with the same scope rule the services use. */
const bruteForce = (session: Session): Omit<Summary, 'at'> => {
  const db = session.workstation.db;
  const vocabulary = session.workstation.policy().compiled.vocabulary;
  const now = session.workstation.deps.now().getTime();
  const queues = new Map<string, { open: number; overdue: number; age: Ages }>();
  for (const queue of [
    'screening_review',
    'enhanced_due_diligence',
    'compliance_review',
    'expansion_review',
    'suitability_review',
  ])
    queues.set(queue, { open: 0, overdue: 0, age: { under1d: 0, from1dTo3d: 0, from3dTo7d: 0, over7d: 0 } });
  const cases = db
    .prepare<[], { type: string; status: string; jurisdiction: string | null; opened_at: string; sla_due_at: string }>(
      'SELECT type, status, jurisdiction, opened_at, sla_due_at FROM cases',
    )
    .all();
  for (const row of cases) {
    if (row.status === 'closed' || !inScope(session.user, row.jurisdiction, vocabulary)) continue;
    const entry = queues.get(row.type)!;
    entry.open++;
    if (Date.parse(row.sla_due_at) < now) entry.overdue++;
    const age = now - Date.parse(row.opened_at);
    if (age < DAY) entry.age.under1d++;
    else if (age < 3 * DAY) entry.age.from1dTo3d++;
    else if (age < 7 * DAY) entry.age.from3dTo7d++;
    else entry.age.over7d++;
  }
  const refusals = new Map<string, { reason: string; queue: string; count: number }>();
  const paths = db
    .prepare<[], { reason: string; queue: string; jurisdiction: string | null }>(
      "SELECT p.reason, p.queue, l.jurisdiction FROM product_paths p JOIN leads l ON l.id = p.lead_id WHERE p.outcome = 'refused'",
    )
    .all();
  for (const row of paths) {
    if (!inScope(session.user, row.jurisdiction, vocabulary)) continue;
    const key = `${row.reason}|${row.queue}`;
    const entry = refusals.get(key) ?? { reason: row.reason, queue: row.queue, count: 0 };
    entry.count++;
    refusals.set(key, entry);
  }
  return {
    queues: [...queues].map(([queue, entry]) => ({ queue, ...entry })),
    refusals: [...refusals.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
};

describe('dashboard.summary', () => {
  it('equals a brute-force count over the cases and product paths, for every market scope', () => {
    const { ws, users } = setup();
    for (const session of [users.all, users.europe, users.california, users.auditor, ws.admin]) {
      const summary = call<Summary>(session, 'dashboard.summary', {});
      const { at: _at, ...figures } = summary;
      expect(figures, session.user.id).toEqual(bruteForce(session));
    }
    const all = call<Summary>(users.all, 'dashboard.summary', {});
    // The fixture reaches every age bucket and has refusals and overdue cases, so the comparison above means something.
    for (const bucket of ['under1d', 'from1dTo3d', 'from3dTo7d', 'over7d'] as const)
      expect(
        all.queues.some((queue) => queue.age[bucket] > 0),
        bucket,
      ).toBe(true);
    expect(all.queues.some((queue) => queue.overdue > 0)).toBe(true);
    expect(all.refusals.length).toBeGreaterThan(2);
    // Open cases agree with the queue badges (cases.counts).
    const counts = call<{ queues: { queue: string; open: number }[] }>(users.all, 'cases.counts', {});
    expect(all.queues.map((queue) => [queue.queue, queue.open])).toEqual(
      counts.queues.map((queue) => [queue.queue, queue.open]),
    );
    // Scopes really narrow: Europe and California see less than everything, and different things.
    const total = (summary: Summary): number => summary.refusals.reduce((sum, refusal) => sum + refusal.count, 0);
    const europe = call<Summary>(users.europe, 'dashboard.summary', {});
    const california = call<Summary>(users.california, 'dashboard.summary', {});
    expect(total(europe)).toBeGreaterThan(0);
    expect(total(california)).toBeGreaterThan(0);
    expect(total(europe) + total(california)).toBeLessThanOrEqual(total(all));
    expect(total(europe)).toBeLessThan(total(all));
  });

  it('moves cases between buckets as time passes', () => {
    const { ws, users } = setup();
    const before = call<Summary>(users.all, 'dashboard.summary', {});
    ws.clock.advance(60 * DAY);
    const after = call<Summary>(users.all, 'dashboard.summary', {});
    for (const queue of after.queues) {
      expect(queue.age.over7d).toBe(queue.open);
      expect(queue.overdue).toBe(queue.open);
    }
    expect(after.queues.map((queue) => queue.open)).toEqual(before.queues.map((queue) => queue.open));
    expect(bruteForce(users.all).queues).toEqual(after.queues);
  });

  it('is refused to a user who may not read cases', () => {
    const { users } = setup();
    const reply = handleApiCall(users.rep, 'dashboard.summary', {});
    expect(reply.ok ? 'ok' : reply.error.code).toBe('forbidden');
  });
});
