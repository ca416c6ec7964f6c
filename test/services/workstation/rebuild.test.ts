// After a long random sequence of commands by several users, the projections rebuilt from the audit log equal the live tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { generateLeads } from '../../fixtures/generate-leads.ts';
import { seededRandom } from '../../../core/shared/seeded-random.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation, leadIdOf } from '../../support/workstation.ts';

const DISPOSITIONS: Record<string, string[]> = {
  screening_review: ['clear_false_positive', 'confirm_match', 'escalate', 'request_information'],
  enhanced_due_diligence: ['reject', 'clear_false_positive', 'confirm_match', 'escalate'],
  compliance_review: ['reject', 'escalate', 'request_information', 'approve_assignment'],
  expansion_review: ['pursue_expansion', 'decline_expansion', 'escalate'],
  suitability_review: ['reject', 'request_information', 'approve_assignment'],
};

describe('projection rebuild', () => {
  const ws = createTestWorkstation();
  const users: Session[] = [
    ws.admin,
    addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']),
    addUser(ws, 'sam', ['senior_officer'], ['*']),
    addUser(ws, 'sue', ['senior_officer'], ['*']),
    addUser(ws, 'uma', ['compliance_officer'], ['US-CA']),
  ];
  afterAll(() => users.forEach((session) => session.workstation.close()));

  it('equals the live tables after 600 random commands, erasures among them', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const leads = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
      .trim()
      .split('\n');
    let batch = 0;
    const outcomes = new Map<string, number>();
    const tally = (method: string, ok: boolean): void => {
      const key = `${method}:${ok ? 'ok' : 'refused'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    };
    const call = (session: Session, method: string, request: unknown): unknown => {
      const reply = handleApiCall(session, method, request);
      tally(method, reply.ok);
      return reply.ok ? reply.value : null;
    };
    call(ws.admin, 'leads.import', {
      fileName: 'a.jsonl',
      format: 'jsonl',
      content: leads.join('\n'),
      mode: 'all',
      sourceSystem: 'crm',
    });
    const leadIds = leads.map((line) => leadIdOf(ws.admin, JSON.parse(line).id as string));
    for (let step = 0; step < 600; step += 1) {
      const user = pick(users);
      const roll = random();
      ws.clock.advance(Math.floor(random() * 3_600_000));
      if (roll < 0.08) {
        batch += 1;
        const generated = generateLeads(batch, 5).map((lead) =>
          JSON.stringify({ ...lead, id: `G-${batch}-${lead.id}`, productInterests: ['business-payments'] }),
        );
        call(user, 'leads.import', {
          fileName: 'g.jsonl',
          format: 'jsonl',
          content: generated.join('\n'),
          mode: 'valid',
          sourceSystem: 'gen',
        });
        continue;
      }
      if (roll < 0.12) {
        call(user, 'leads.get', {
          leadId: pick(leadIds),
          purpose: 'random read',
        });
        continue;
      }
      if (roll < 0.14) {
        call(ws.admin, 'users.setMarkets', {
          userId: 'olga',
          markets: [pick(['UK', 'EU-Passported', 'US-CA', '*'])],
          reason: 'rotation of desks',
        });
        continue;
      }
      if (roll < 0.15) {
        // The leaver process (decision 0039): uma leaves (her claims are released) and comes back, again and again.
        const active = call(ws.admin, 'users.list', {}) as { id: string; active: boolean }[];
        const umaActive = active.find((one) => one.id === 'uma')!.active;
        call(ws.admin, 'users.setActive', {
          userId: 'uma',
          active: !umaActive,
          reason: umaActive ? 'left the US desk' : 'back on the US desk',
          ...(umaActive ? {} : { initialPassphrase: 'uma passphrase 123' }),
        });
        continue;
      }
      if (roll < 0.17) {
        // Erasure (issue 13): straight away, refused inside a required period, or an override and its approval.
        const erasers = [users[2]!, users[3]!];
        const pending = call(pick(erasers), 'leads.erasureStatus', {
          leadId: pick(leadIds),
        }) as { leadId: string; pendingOverride: { requestId: string } | null } | null;
        if (pending?.pendingOverride)
          call(pick(erasers), 'leads.approveErasureOverride', {
            requestId: pending.pendingOverride.requestId,
            reason: 'approved in the random walk',
          });
        else if (pending) {
          const erased = call(pick(erasers), 'leads.erase', {
            leadId: pending.leadId,
            reason: 'erasure requested in the random walk',
            override: random() < 0.5,
          }) as { outcome: string; requestId?: string } | null;
          // The second pair of eyes, at once: sometimes the requester (refused), mostly the other one.
          if (erased?.outcome === 'override_requested')
            call(pick(erasers), 'leads.approveErasureOverride', {
              requestId: erased.requestId,
              reason: 'approved in the random walk',
            });
        }
        continue;
      }
      if (roll < 0.27) {
        // The second pair of eyes on what awaits it (four-eyes decisions are few among hundreds of open cases).
        const checker = random() < 0.2 ? users[0]! : pick([users[2]!, users[3]!]);
        const awaiting = call(checker, 'cases.list', { status: ['awaiting_approval'], pageSize: 100 }) as {
          rows: { id: string }[];
        } | null;
        if (awaiting && awaiting.rows.length > 0)
          call(checker, random() < 0.7 ? 'cases.approve' : 'cases.return', {
            caseId: pick(awaiting.rows).id,
            reason: 'reviewed in the random walk',
          });
        continue;
      }
      const page = call(user, 'cases.list', { status: ['open', 'claimed', 'awaiting_approval'], pageSize: 100 }) as {
        rows: { id: string; type: string; status: string; claimedBy: string | null }[];
      } | null;
      if (!page || page.rows.length === 0) continue;
      const kase = pick(page.rows);
      if (kase.status === 'awaiting_approval') {
        // ada created every other account, so she is the same person as each of them (decision 0161): mostly a refusal.
        const checker = random() < 0.2 ? users[0]! : pick([users[2]!, users[3]!]);
        call(checker, random() < 0.7 ? 'cases.approve' : 'cases.return', {
          caseId: kase.id,
          reason: 'reviewed in the random walk',
        });
      } else if (kase.status === 'open' || kase.claimedBy !== user.user.id) {
        call(user, 'cases.claim', { caseId: kase.id });
      } else if (random() < 0.1) {
        call(user, 'cases.release', { caseId: kase.id });
      } else {
        const disposition = pick(DISPOSITIONS[kase.type] ?? ['escalate']);
        call(user, 'cases.decide', {
          caseId: kase.id,
          disposition,
          reason: 'decided in the random walk',
          ...(disposition === 'approve_assignment'
            ? { assignment: { entityId: 'northwind-uk-ltd', teamId: 'uk-sme', repId: 'rep-olivia' } }
            : {}),
        });
      }
    }
    // The walk really exercised the commands (successes and refusals alike).
    for (const method of [
      'cases.claim',
      'cases.decide',
      'cases.approve',
      'leads.import',
      'users.setActive',
      'leads.erase',
      'leads.approveErasureOverride',
    ])
      expect(outcomes.get(`${method}:ok`) ?? 0, `${method}: ${JSON.stringify([...outcomes])}`).toBeGreaterThan(0);
    const db = ws.admin.workstation.db;
    // The refusal counters (kept by triggers) equal a count over the product paths, live and after the rebuild.
    const refusalsCounted = () =>
      db
        .prepare(
          `SELECT coalesce(p.reason, '') AS reason, coalesce(p.queue, '') AS queue, coalesce(l.jurisdiction, '') AS jurisdiction,
             count(*) AS count FROM product_paths p JOIN leads l ON l.id = p.lead_id WHERE p.outcome = 'refused'
           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        )
        .all();
    const refusalsKept = () => db.prepare('SELECT * FROM refusal_counts WHERE count > 0 ORDER BY 1, 2, 3').all();
    // The SLA-day counters (triggers on cases) equal a count over the active cases, live and after the rebuild.
    const dueCounted = () =>
      db
        .prepare(
          `SELECT type, status, coalesce(jurisdiction, '') AS jurisdiction, substr(sla_due_at, 1, 10) AS due_day,
             count(*) AS count FROM cases WHERE status <> 'closed' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        )
        .all();
    const dueKept = () =>
      db.prepare('SELECT type, status, jurisdiction, due_day, count FROM case_due_counts ORDER BY 1, 2, 3, 4').all();
    expect(dueCounted().length).toBeGreaterThan(0);
    expect(dueKept()).toEqual(dueCounted());
    expect(refusalsCounted().length).toBeGreaterThan(0);
    expect(refusalsKept()).toEqual(refusalsCounted());
    const live = projectionSnapshot(db);
    expect((live.cases as unknown[]).length).toBeGreaterThan(20);
    expect(outcomes.get('users.setActive:ok')).toBeGreaterThan(1);
    const { entries } = rebuildProjections(db);
    expect(entries).toBeGreaterThan(200);
    expect(projectionSnapshot(db)).toEqual(live);
    expect(refusalsKept()).toEqual(refusalsCounted());
    expect(dueKept()).toEqual(dueCounted());
  });
});
