// The reassignment screen's candidates (decision 0241): every rep of the policy but the owner, checked as the
// reassignment itself checks them (licensing map, capacity), with the reasons in words; supervisors only.
import { afterAll, describe, expect, it } from 'vitest';
import { call, callError } from '../../support/api.ts';
import { createLifecycleWorkstation, ingest, prospect } from '../../support/lifecycle.ts';

type Candidates = {
  owner: string;
  candidates: { repId: string; eligible: boolean; whyNot: string[] }[];
};

describe('who may take a path', () => {
  const ws = createLifecycleWorkstation();
  afterAll(() => ws.close());
  const [crypto] = ingest(ws.admin, prospect('R-1'));
  const [payments] = ingest(
    ws.admin,
    prospect('R-2', { productInterests: ['business-payments'], customerType: 'professional', kycStatus: 'verified' }),
  );

  it('lists nobody for a crypto path only its owner is authorised for, each with the reason', () => {
    const { owner, candidates } = call<Candidates>(ws.sam, 'paths.reassignCandidates', {
      leadId: crypto,
      productId: 'crypto-custody',
    });
    expect(owner).toBe('rep-olivia');
    expect(candidates.some((candidate) => candidate.repId === 'rep-olivia')).toBe(false);
    expect(candidates.every((candidate) => !candidate.eligible)).toBe(true);
    const harry = candidates.find((candidate) => candidate.repId === 'rep-harry')!;
    expect(harry.whyNot.join('; ')).toContain('crypto-custody');
  });

  it('offers the licensed rep under capacity first, and the reassignment it offers goes through', () => {
    const { owner, candidates } = call<Candidates>(ws.sam, 'paths.reassignCandidates', {
      leadId: payments,
      productId: 'business-payments',
    });
    const eligible = candidates.filter((candidate) => candidate.eligible);
    expect(eligible.length).toBeGreaterThan(0);
    expect(candidates.slice(0, eligible.length)).toEqual(eligible);
    expect(eligible.map((candidate) => candidate.repId)).toContain(owner === 'rep-olivia' ? 'rep-harry' : 'rep-olivia');
    // Reps of other desks are refused by the licensing map (the UK SME desk sells to GB).
    expect(candidates.find((candidate) => candidate.repId === 'rep-marcus')?.eligible).toBe(false);
    const to = eligible[0]!.repId;
    expect(
      call<{ ok: boolean; owner: string }>(ws.sam, 'paths.reassign', {
        leadId: payments,
        productId: 'business-payments',
        to,
      }),
    ).toMatchObject({ ok: true, owner: to });
  });

  it('is for supervisors only', () => {
    expect(callError(ws.olivia, 'paths.reassignCandidates', { leadId: crypto, productId: 'crypto-custody' }).code).toBe(
      'forbidden',
    );
  });
});
