// Multi-entity booking through the workstation (decision 0230): the CSV column, the lead's hashed facts, the case a
// booking without a licence opens, and the case view's trace that says why.
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../../support/api.ts';
import { addUser, createTestWorkstation, leadIdOf } from '../../support/workstation.ts';

const HEADER =
  'id,company_name,company_industry,address_line1,address_city,address_country,kyc_prescreen_jurisdiction,booking_entity,customer_type,kyc_status,aml_documentation,products,screened_at';
const row = (id: string, country: string, booking: string) =>
  `${id},Company ${id},software,1 Main Street,Town,${country},${country},${booking},professional,verified,complete,business-payments,2026-11-20T09:00:00Z`;

describe('multi-entity booking in the workstation', () => {
  const ws = createTestWorkstation();
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  afterAll(() => [ws.admin, sam].forEach((session) => session.workstation.close()));
  call(ws.admin, 'leads.import', {
    fileName: 'booked.csv',
    format: 'csv',
    content: [
      HEADER,
      row('B-GB-US', 'GB', 'northwind-us-llc'),
      row('B-FR-EU', 'FR', 'northwind-eu-ab'),
      row('B-GB-NONE', 'GB', ''),
      row('B-GB-JP', 'GB', 'northwind-jp-kk'),
    ].join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  const facts = (sourceId: string): Record<string, unknown> => {
    const leadId = leadIdOf(sam, sourceId);
    const entries = (
      ws.admin.workstation.db
        .prepare("SELECT canonical FROM audit_entries WHERE type = 'lead.intake'")
        .pluck()
        .all() as Buffer[]
    ).map(
      (bytes) => JSON.parse(bytes.toString('utf8')) as { payload: { leadId: string; facts: Record<string, unknown> } },
    );
    return entries.find((entry) => entry.payload.leadId === leadId)!.payload.facts;
  };
  const caseFor = (sourceId: string) => {
    const leadId = leadIdOf(sam, sourceId);
    const rows = call<{ rows: { id: string; leadId: string; reason: string }[] }>(sam, 'cases.list', {
      queue: 'compliance_review',
    }).rows.filter((candidate) => candidate.leadId === leadId);
    return rows;
  };

  it('keeps the booking entity among the hashed facts, and only where a lead names one', () => {
    expect(facts('B-GB-US')).toMatchObject({ bookingEntity: 'northwind-us-llc' });
    expect(facts('B-GB-NONE')).not.toHaveProperty('bookingEntity');
  });

  it('opens a compliance review for a booking entity without a licence, with the reason and the licensed entities', () => {
    const [found] = caseFor('B-GB-US');
    expect(found).toBeDefined();
    const detail = call<{ case: { reason: string }; trace: unknown }>(sam, 'cases.get', { caseId: found!.id });
    expect(JSON.stringify(detail)).toContain('booking_entity_not_licensed');
    expect(JSON.stringify(detail.trace)).toContain('entity.bookingLicensed');
    expect(JSON.stringify(detail.trace)).toContain('northwind-uk-ltd');
    expect(caseFor('B-GB-JP')).toHaveLength(1);
    expect(caseFor('B-GB-NONE')).toHaveLength(0);
  });

  it('assigns a booked lead within its booking entity', () => {
    const leadId = leadIdOf(sam, 'B-FR-EU');
    const paths = ws.admin.workstation.db
      .prepare('SELECT outcome, entity_id FROM product_paths WHERE lead_id = ?')
      .all(leadId) as { outcome: string; entity_id: string }[];
    expect(paths).toEqual([{ outcome: 'assigned', entity_id: 'northwind-eu-ab' }]);
  });
});
