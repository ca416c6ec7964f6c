// The routing state read once per transaction (projection/routing-state.ts): inside one transaction that assigns,
// ends and re-routes paths, the copy routing starts from always equals its tables, and a savepoint that rolls back
// takes the copy with it.
import { afterAll, describe, expect, it } from 'vitest';
import { commandPath } from '../../../electron/services/workstation/commands/lifecycle.ts';
import { updateLeadFacts } from '../../../electron/services/workstation/commands/lead-facts.ts';
import { currentRoutingState } from '../../../electron/services/workstation/projection/routing-state.ts';
import { commit } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { createLifecycleWorkstation, ingest, prospect } from '../../support/lifecycle.ts';

const tables = (session: Session) => ({
  cursors: Object.fromEntries(
    (
      session.workstation.db.prepare('SELECT team_id, cursor FROM routing_cursors').all() as {
        team_id: string;
        cursor: number;
      }[]
    ).map((row) => [row.team_id, row.cursor]),
  ),
  openAssignments: Object.fromEntries(
    (
      session.workstation.db.prepare('SELECT rep_id, open FROM rep_load').all() as { rep_id: string; open: number }[]
    ).map((row) => [row.rep_id, row.open]),
  ),
});

describe('one routing state per transaction, kept in step with the projector', () => {
  const ws = createLifecycleWorkstation({ capacity: 1 });
  afterAll(() => ws.close());

  it('equals its tables after assignments, a path that ends, a hold that lifts and a waiting path retried', () => {
    const db = ws.admin.workstation.db;
    // Sam and Cora on the admin's connection, so their commands nest inside this one transaction.
    const sam: Session = { workstation: ws.admin.workstation, user: ws.sam.user };
    const cora: Session = { workstation: ws.admin.workstation, user: ws.cora.user };
    const seen: unknown[] = [];
    commit(ws.admin.workstation, () => {
      const before = currentRoutingState(db);
      expect(before).toEqual(tables(ws.admin));
      // Olivia (capacity 1) takes the first crypto path; the second waits for capacity.
      const [first, second] = ingest(ws.admin, prospect('RS-1'), prospect('RS-2'));
      expect(currentRoutingState(db)).toBe(before);
      expect(currentRoutingState(db)).toEqual(tables(ws.admin));
      expect(currentRoutingState(db).openAssignments['rep-olivia']).toBe(1);
      seen.push(db.prepare('SELECT outcome FROM product_paths WHERE lead_id = ?').pluck().get(second));
      // Her path ends: her load falls and the waiting path is retried onto her, all in this transaction.
      const ended = commandPath(
        sam,
        { leadId: first!, productId: 'crypto-custody' },
        {
          kind: 'close',
          reason: 'compliance_decision',
        },
      );
      expect(ended.ok).toBe(true);
      seen.push(db.prepare('SELECT outcome FROM product_paths WHERE lead_id = ?').pluck().get(second));
      expect(currentRoutingState(db)).toEqual(tables(ws.admin));
      // A lead held for KYC whose KYC is verified: routed on (to a rep under capacity, or waiting).
      const [held] = ingest(
        ws.admin,
        prospect('RS-3', {
          productInterests: ['business-payments'],
          customerType: 'professional',
          kycStatus: 'pending',
        }),
      );
      expect(db.prepare('SELECT outcome FROM product_paths WHERE lead_id = ?').pluck().get(held)).toBe('held');
      updateLeadFacts(cora, { leadId: held!, facts: { kycStatus: 'verified' } });
      expect(db.prepare('SELECT outcome FROM product_paths WHERE lead_id = ?').pluck().get(held)).not.toBe('held');
      expect(currentRoutingState(db)).toEqual(tables(ws.admin));
    });
    expect(seen).toEqual(['waiting_for_capacity', 'assigned']);
    // Outside a transaction it is read afresh.
    expect(currentRoutingState(db)).toEqual(tables(ws.admin));
  });

  it('forgets the copy when a savepoint inside the transaction rolls back', () => {
    const db = ws.admin.workstation.db;
    commit(ws.admin.workstation, () => {
      const before = structuredClone(currentRoutingState(db));
      expect(() =>
        commit(ws.admin.workstation, () => {
          ingest(
            ws.admin,
            prospect('RS-4', {
              productInterests: ['business-payments'],
              customerType: 'professional',
              kycStatus: 'verified',
              address: { line1: '1 rue de Rivoli', city: 'Paris', country: 'FR' },
              kycPrescreenJurisdiction: 'FR',
            }),
          );
          const after = currentRoutingState(db);
          expect(after).not.toEqual(before);
          throw new Error('rolled back');
        }),
      ).toThrow('rolled back');
      expect(currentRoutingState(db)).toEqual(tables(ws.admin));
      expect(currentRoutingState(db)).toEqual(before);
    });
  });
});
