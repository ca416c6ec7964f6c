// Personal data and free text stay out of the hashed log (decision 0141): after intake (with upstream screening hits),
// a case decision, a read of personal data and a new user, no entry holds a name, an attribute value, a listed entry's
// name, a reason or a purpose; each is in the personal data beside the log, bound by its entry's commitment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { examplesDir } from '../../support/examples.ts';
import { call } from '../../support/api.ts';
import { leadIdOf, addUser, createTestWorkstation } from '../../support/workstation.ts';

describe('the hashed log', () => {
  const ws = createTestWorkstation();
  const officer = addUser(ws, 'olga', ['compliance_officer'], ['*']);
  afterAll(() => [ws.admin, officer].forEach((session) => session.workstation.close()));

  it('holds no name, attribute value, listed name, reason or purpose; the side store holds each', () => {
    call(ws.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      // A free attribute with an email in it, as CRMs send.
      content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8').replace(
        '"attributes": {"channel": "reseller"}',
        '"attributes": {"channel": "reseller", "contact": "ops@thames-payments.example"}',
      ),
      mode: 'all',
      sourceSystem: 'crm',
    });
    const { rows } = call<{ rows: { id: string; leadId: string }[] }>(officer, 'cases.list', {
      queue: 'screening_review',
    });
    const caseId = rows[0]!.id;
    call(officer, 'cases.claim', { caseId });
    call(officer, 'cases.decide', { caseId, disposition: 'escalate', reason: 'Escalated: ask the MLRO about Ivan' });
    call(officer, 'leads.get', {
      leadId: leadIdOf(ws.admin, 'L-UK-RESELLER'),
      purpose: 'Prepare the reseller onboarding call',
    });
    call(ws.admin, 'users.create', {
      id: 'val',
      name: 'Valentina Personal-Name',
      roles: ['auditor'],
      markets: ['UK'],
      passphrase: 'val passphrase 1234',
    });

    const db = ws.admin.workstation.db;
    const entries = (db.prepare('SELECT canonical FROM audit_entries').pluck().all() as Buffer[])
      .map((bytes) => bytes.toString('utf8'))
      .join('\n');
    const beside = (db.prepare('SELECT data FROM audit_personal_data WHERE data IS NOT NULL').pluck().all() as Buffer[])
      .map((bytes) => bytes.toString('utf8'))
      .join('\n');
    for (const personal of [
      'Atelier Moreau SARL', // a company name
      '12 rue du Sentier', // an address
      'ops@thames-payments.example', // a free attribute's value
      'SIDOROV', // a listed entry's name on an upstream screening hit
      'ask the MLRO', // a decision's reason
      'Prepare the reseller onboarding call', // a read's purpose
      'Valentina Personal-Name', // a user's display name
      'Ada Admin', // the first user's display name
      '"L-UK-RESELLER"', // a source system's id for a lead (decision 0178)
      '"L-FR-SME"',
    ]) {
      expect(entries, personal).not.toContain(personal);
      expect(beside, personal).toContain(personal);
    }
  });
});
