// cases.counts' overdue figures (decision 0050: SLA-day counters plus a range over today's cases) equal a plain count
// of the active cases due before now, for all markets and for a scoped officer, as the clock moves through a day.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { caseFixtureWriter } from '../../fixtures/store.ts';
import { call } from '../../support/api.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';

const ws = createTestWorkstation();
const officer = addUser(ws, 'olga', ['compliance_officer'], ['GB']);
afterAll(() => {
  officer.workstation.close();
  ws.admin.workstation.close();
  rmSync(ws.dir, { recursive: true, force: true });
});

type Counts = { queues: { queue: string; overdue: number }[] };
const QUEUES = ['compliance_review', 'expansion_review', 'screening_review'];
const STATUSES = ['open', 'claimed', 'awaiting_approval', 'closed'] as const;

describe('overdue counts', () => {
  it('equal a count of the active cases due before now', () => {
    const db = ws.admin.workstation.db;
    const base = Date.parse('2026-11-23T00:00:00.000Z');
    db.transaction(() => {
      const fixture = caseFixtureWriter(db);
      for (let i = 0; i < 600; i++) {
        const jurisdiction = ['GB', 'FR', null][i % 3]!;
        fixture.lead(`OL-${i}`, jurisdiction, `Subject ${i}`);
        fixture.addCase({
          id: `OC-${i}`,
          type: QUEUES[i % 3]!,
          leadId: `OL-${i}`,
          risk: 'low',
          jurisdiction,
          openedAt: new Date(base - 10 * 86_400_000),
          // Spread over five days before today, today itself and two days after, to the minute.
          slaDueAt: new Date(base + ((i * 7919) % (8 * 1440)) * 60_000 - 5 * 86_400_000),
          status: STATUSES[(i * 13) % 4]!,
          claimedBy: null,
          makerId: null,
          subject: `Subject ${i}`,
        });
      }
      fixture.finish();
    })();
    const expected = (now: string, scoped: boolean): Record<string, number> =>
      Object.fromEntries(
        QUEUES.map((queue) => [
          queue,
          (
            db
              .prepare(
                `SELECT count(*) AS n FROM cases WHERE type = ? AND status <> 'closed' AND sla_due_at < ?
                 AND (? = 0 OR jurisdiction = 'GB')`,
              )
              .get(queue, now, scoped ? 1 : 0) as { n: number }
          ).n,
        ]),
      );
    const got = (session: typeof officer): Record<string, number> =>
      Object.fromEntries(
        call<Counts>(session, 'cases.counts', {})
          .queues.filter((row) => QUEUES.includes(row.queue))
          .map((row) => [row.queue, row.overdue]),
      );
    for (const now of ['2026-11-23T00:00:00.000Z', '2026-11-23T13:37:00.000Z', '2026-11-25T23:59:59.999Z']) {
      ws.clock.set(now);
      expect(got(ws.admin)).toEqual(expected(now, false));
      expect(got(officer)).toEqual(expected(now, true));
      expect(Object.values(expected(now, true)).some((n) => n > 0)).toBe(true);
    }
  });
});
