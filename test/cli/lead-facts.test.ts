// `perimeter leads facts --db FILE --user ID FILE`: a result file of fact updates, all or nothing, exactly once per
// record id; a problem names the file, the record and the field (exit 1); an unreadable file exits 2.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createLifecycleWorkstation, ingest, prospect } from '../support/lifecycle.ts';

describe('perimeter leads facts', () => {
  const ws = createLifecycleWorkstation();
  afterAll(() => ws.close());
  const [held, other] = ingest(
    ws.admin,
    prospect('F-1', { productInterests: ['business-payments'], customerType: 'professional', kycStatus: 'pending' }),
    prospect('F-2'),
  );
  const db = ws.admin.workstation.db;
  const as = { PERIMETER_PASSPHRASE: 'cora passphrase 123' };
  const facts = (name: string, results: unknown[]): string => {
    const file = join(ws.dir, name);
    writeFileSync(file, JSON.stringify({ format: 'perimeter-lead-facts', version: 1, results }));
    return file;
  };
  const run = (file: string) => runCli(['leads', 'facts', '--db', ws.path, '--user', 'cora', file], { env: as });
  const updates = (): number =>
    db.prepare("SELECT count(*) FROM audit_entries WHERE type = 'lead.facts_updated'").pluck().get() as number;

  it('refuses a file with a bad record, naming file, record and field, and writes nothing', () => {
    const file = facts('bad.json', [
      { id: 'K-1', leadId: held, facts: { kycStatus: 'verified' } },
      { id: 'K-2', leadId: other, facts: { kycStatus: 'approved' } },
    ]);
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}: record 2 (K-2): facts.kycStatus:`);
    expect(updates()).toBe(0);
  });

  it('refuses a record naming an unknown lead, with its record, and writes nothing of the file', () => {
    const file = facts('unknown.json', [
      { id: 'K-1', leadId: held, facts: { kycStatus: 'verified' } },
      { id: 'K-3', leadId: 'L-NOSUCHLEAD00000', facts: { amlDocumentation: 'complete' } },
    ]);
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}: record 2 (K-3): no lead L-NOSUCHLEAD00000`);
    expect(updates()).toBe(0);
  });

  it('applies a good file in one transaction: KYC verified lifts the hold, the client’s request is recorded', () => {
    const file = facts('kyc.json', [
      { id: 'K-1', leadId: held, facts: { kycStatus: 'verified' } },
      { id: 'R-1', leadId: other, productId: 'crypto-custody', facts: { requestedAt: '2026-12-07T09:00:00Z' } },
      { leadId: other, suitability: { productId: 'crypto-custody', outcome: 'suitable' } },
    ]);
    const result = run(file);
    expect(result.status, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as {
      applied: number;
      duplicates: number;
      results: { paths: unknown[] }[];
    };
    expect(answer).toMatchObject({ applied: 3, duplicates: 0 });
    expect(answer.results[0]!.paths).toEqual([
      { productId: 'business-payments', effect: 'routed', outcome: 'assigned' },
    ]);
    expect(db.prepare('SELECT outcome FROM product_paths WHERE lead_id = ?').pluck().get(held)).toBe('assigned');
    expect(updates()).toBe(3);
    // Again: the records with an id are skipped; the one without is a new assessment (who and when are its own).
    const again = run(file);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 1, duplicates: 2, unchanged: 0 });
    expect(updates()).toBe(4);
  });

  it('exits 2 for a file it cannot read', () => {
    const result = run(join(ws.dir, 'missing.json'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('missing.json: cannot read it');
  });
});
