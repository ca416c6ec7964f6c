// Properties of the lifecycle at the service level (issue 14): whatever sequence of commands users send through the
// door, no path reaches PROPOSAL before its cooling-off has elapsed, without the required risk warning or with KYC not
// verified where the policy requires it; a rep's open count never goes negative and always equals their open paths,
// after retries and reassignments too; and the projections rebuild from the log to the same rows.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { commandPath } from '../../../electron/services/workstation/commands/lifecycle.ts';
import type { PathCommand } from '../../../electron/services/workstation/commands/lifecycle.ts';
import { applyKycOutcome, updateLeadFacts } from '../../../electron/services/workstation/commands/lead-facts.ts';
import { readPathState } from '../../../electron/services/workstation/projection/lifecycle-projection.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { WorkstationError } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { createLifecycleWorkstation, ingest, prospect } from '../../support/lifecycle.ts';

const HOUR = 3_600_000;
const RW_CRYPTO = { template: 'RW-CRYPTO', version: 2 };

type Step =
  | { kind: 'ingest'; product: 'crypto-custody' | 'business-payments'; kyc: 'not_started' | 'pending' | 'verified' }
  | { kind: 'command'; path: number; as: 'owner' | 'sam'; command: PathCommand }
  | { kind: 'request'; path: number }
  | { kind: 'kyc'; path: number; status: 'pending' | 'verified' | 'failed' }
  | { kind: 'wait'; hours: number }
  /** The next sensible step on a path (a contact with the warning, the next stage, the missing fact): progress. */
  | { kind: 'progress'; path: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('progress' as const), path: fc.nat(50) }), weight: 6 },
  fc.record({
    kind: fc.constant('ingest' as const),
    product: fc.constantFrom('crypto-custody' as const, 'business-payments' as const),
    kyc: fc.constantFrom('not_started' as const, 'pending' as const, 'verified' as const),
  }),
  fc.record({
    kind: fc.constant('command' as const),
    path: fc.nat(50),
    as: fc.constantFrom('owner' as const, 'owner' as const, 'sam' as const),
    command: fc.oneof(
      fc.record({
        kind: fc.constant('record_outreach' as const),
        direction: fc.constant('outbound' as const),
        channel: fc.constantFrom('email' as const, 'phone' as const),
        content: fc.constant({ kind: 'template' as const, template: 'INTRO', version: 1 }),
        disclosures: fc.constantFrom([], [RW_CRYPTO]),
      }),
      fc.constant({ kind: 'advance' as const, to: 'QUALIFIED' as const }),
      fc.constant({ kind: 'advance' as const, to: 'PROPOSAL' as const }),
      fc.constant({ kind: 'advance' as const, to: 'PROPOSAL' as const }),
      fc.constant({ kind: 'win' as const }),
      fc.constant({ kind: 'lose' as const, reason: 'no_response' as const }),
      fc.constant({ kind: 'close' as const, reason: 'other' as const }),
      fc.constantFrom('travel-rule-data', 'self-hosted-wallet-check').map((item) => ({
        kind: 'complete_checklist_item' as const,
        item,
      })),
      fc.constantFrom('rep-olivia', 'rep-harry', 'rep-priya').map((to) => ({ kind: 'reassign' as const, to })),
    ) as fc.Arbitrary<PathCommand>,
  }),
  fc.record({ kind: fc.constant('request' as const), path: fc.nat(50) }),
  fc.record({
    kind: fc.constant('kyc' as const),
    path: fc.nat(50),
    status: fc.constantFrom('pending' as const, 'verified' as const, 'verified' as const, 'failed' as const),
  }),
  fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 0, max: 30 }) }),
);

describe('the lifecycle under any sequence of commands', () => {
  const ws = createLifecycleWorkstation({ capacity: 6 });
  afterAll(() => ws.close());
  const db = ws.admin.workstation.db;
  const reps: Record<string, Session> = { 'rep-olivia': ws.olivia, 'rep-harry': ws.harry };
  let leads = 0;
  let proposals = 0;
  let events = 0;

  const paths = (): { leadId: string; productId: string; owner: string }[] =>
    db
      .prepare(
        'SELECT lead_id AS leadId, product_id AS productId, owner FROM path_lifecycle ORDER BY open DESC, updated_seq, lead_id',
      )
      .all() as { leadId: string; productId: string; owner: string }[];

  const checkCapacity = (): void => {
    const load = Object.fromEntries(
      (db.prepare('SELECT rep_id, open FROM rep_load').all() as { rep_id: string; open: number }[]).map((row) => [
        row.rep_id,
        row.open,
      ]),
    );
    const open = Object.fromEntries(
      (
        db.prepare('SELECT owner, count(*) AS n FROM path_lifecycle WHERE open = 1 GROUP BY owner').all() as {
          owner: string;
          n: number;
        }[]
      ).map((row) => [row.owner, row.n]),
    );
    for (const rep of new Set([...Object.keys(load), ...Object.keys(open)])) {
      expect(load[rep] ?? 0, `rep ${rep}`).toBeGreaterThanOrEqual(0);
      expect(load[rep] ?? 0, `rep ${rep}: open count against open paths`).toBe(open[rep] ?? 0);
    }
  };

  const progress = (ref: { leadId: string; productId: string }, owner: string): void => {
    const state = readPathState(db, ref.leadId, ref.productId)!;
    const rep = reps[owner] ?? ws.sam;
    const crypto = ref.productId === 'crypto-custody';
    const attempt = (command: PathCommand): void => void check(rep, ref, command);
    if (state.stage === 'NEW')
      return attempt({
        kind: 'record_outreach',
        direction: 'outbound',
        channel: 'email',
        content: { kind: 'template', template: 'INTRO', version: 1 },
        disclosures: crypto ? [RW_CRYPTO] : [],
      });
    if (state.stage === 'CONTACTED') return attempt({ kind: 'advance', to: 'QUALIFIED' });
    if (state.stage === 'PROPOSAL') return attempt({ kind: 'win' });
    if (state.stage !== 'QUALIFIED') return;
    if (crypto && state.facts.requestedAt === null) {
      updateLeadFacts(rep, { ...ref, facts: { requestedAt: ws.clock.now().toISOString() } });
      return;
    }
    if (state.facts.kycStatus !== 'verified' && state.facts.kycStatus !== 'failed') {
      applyKycOutcome(ws.cora, {
        leadId: ref.leadId,
        status: 'verified',
        source: { kind: 'file', eventId: `E-${(events += 1)}` },
      });
      return;
    }
    const done = state.checklist.map((entry) => entry.item);
    const missing = crypto
      ? ['travel-rule-data', 'self-hosted-wallet-check'].find((item) => !done.includes(item))
      : undefined;
    if (missing) return attempt({ kind: 'complete_checklist_item', item: missing });
    attempt({ kind: 'advance', to: 'PROPOSAL' });
  };

  /** Runs a command and checks the oracle when it takes a crypto path to PROPOSAL. */
  const check = (session: Session, ref: { leadId: string; productId: string }, command: PathCommand): void => {
    const before = readPathState(db, ref.leadId, ref.productId)!;
    const result = commandPath(session, ref, command);
    if (
      result.ok &&
      result.stage === 'PROPOSAL' &&
      before.stage === 'QUALIFIED' &&
      ref.productId === 'crypto-custody'
    ) {
      proposals += 1;
      // The oracle: the policy's rules for a new UK retail client of crypto custody, written out independently.
      const now = ws.clock.now().getTime();
      expect(before.facts.requestedAt).not.toBeNull();
      expect(now - Date.parse(before.facts.requestedAt!)).toBeGreaterThanOrEqual(24 * HOUR);
      expect(before.disclosures.some((sent) => sent.template === 'RW-CRYPTO' && sent.version === 2)).toBe(true);
      expect(before.facts.kycStatus).toBe('verified');
      expect(before.checklist.map((entry) => entry.item).sort()).toEqual([
        'self-hosted-wallet-check',
        'travel-rule-data',
      ]);
    }
  };

  const run = (step: Step): void => {
    if (step.kind === 'wait') return ws.clock.advance(step.hours * HOUR);
    if (step.kind === 'ingest') {
      leads += 1;
      ingest(
        ws.admin,
        prospect(`PP-${leads}`, {
          productInterests: [step.product],
          kycStatus: step.kyc,
          ...(step.product === 'business-payments' ? { customerType: 'professional' } : {}),
        }),
      );
      return;
    }
    const all = paths();
    if (all.length === 0) return;
    const path = all[step.path % all.length]!;
    const ref = { leadId: path.leadId, productId: path.productId };
    try {
      if (step.kind === 'progress') return progress(ref, path.owner);
      if (step.kind === 'request') {
        const state = readPathState(db, ref.leadId, ref.productId)!;
        if (state.facts.requestedAt !== null) return;
        updateLeadFacts(reps[path.owner] ?? ws.sam, {
          leadId: ref.leadId,
          productId: ref.productId,
          facts: { requestedAt: ws.clock.now().toISOString() },
        });
        return;
      }
      if (step.kind === 'kyc') {
        applyKycOutcome(ws.cora, {
          leadId: ref.leadId,
          status: step.status,
          source: { kind: 'file', eventId: `E-${(events += 1)}` },
        });
        return;
      }
      check(step.as === 'owner' ? (reps[path.owner] ?? ws.sam) : ws.sam, ref, step.command);
    } catch (error) {
      // The door's refusals (not the owner, a reassignment the map or capacity refuses) are answers, not failures.
      if (!(error instanceof WorkstationError) || !['forbidden', 'conflict'].includes(error.code)) throw error;
    }
  };

  it('keeps the conduct gates and the capacity invariant, and rebuilds to the same rows', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 60 }), (steps) => {
        for (const step of steps) {
          run(step);
          checkCapacity();
        }
      }),
      // A fixed seed by default, so the count of proposals below is stable; LIFECYCLE_SEED explores others.
      { numRuns: 40, seed: Number(process.env.LIFECYCLE_SEED ?? 20261207) },
    );
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
    // The sequences did reach PROPOSAL sometimes, so the oracle above was exercised.
    expect(leads).toBeGreaterThan(10);
    expect(proposals).toBeGreaterThan(0);
    console.log(`lifecycle properties: ${leads} leads, ${paths().length} paths, ${proposals} proposals reached`);
  }, 300_000);
});
