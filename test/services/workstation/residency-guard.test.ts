// The residency refusal at intake derives each record's region before routing (decision 0270): it must be the region
// the lead.intake entry records for the same record, or a pinned workstation would refuse leads intake would place in
// its region (or take in others). Checked on both examples' leads, on an unpinned workstation (which takes in all).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLeadRecords } from '../../../electron/services/leads/read-lead-file.ts';
import { importLeads } from '../../../electron/services/workstation/commands/intake.ts';
import { intakeResidencyOf } from '../../../electron/services/workstation/commands/residency-guard.ts';
import { examplesDir } from '../../support/examples.ts';
import { createTestWorkstation, leadIdOf } from '../../support/workstation.ts';

describe.each(['fintech', 'bank-insurer'] as const)('the intake residency of the %s leads', (example) => {
  it('is the region the lead.intake entry records, record by record', () => {
    const ws = createTestWorkstation({ example });
    try {
      const text = readFileSync(join(examplesDir, example, 'leads.jsonl'), 'utf8');
      const read = readLeadRecords(text, 'leads.jsonl', 'jsonl');
      expect(read.problems).toEqual([]);
      const result = importLeads(ws.admin, read.leads, [], { sourceSystem: 'crm', mode: 'valid' });
      expect(result.rejected).toEqual([]);
      const policy = ws.admin.workstation.policy();
      const intake = new Map(
        ws.admin.workstation.db
          .prepare<[], Buffer>('SELECT canonical FROM audit_entries ORDER BY sequence')
          .pluck()
          .all()
          .map((bytes) => JSON.parse(bytes.toString('utf8')))
          .filter((entry) => entry.type === 'lead.intake')
          .map((entry) => [entry.payload.leadId as string, entry.payload.residency ?? null]),
      );
      const regions = new Set<string | null>();
      for (const { lead } of read.leads) {
        const derived = intakeResidencyOf(lead, policy);
        expect(derived, lead.id).toEqual(intake.get(leadIdOf(ws.admin, lead.id)));
        regions.add(derived?.region ?? null);
      }
      // The examples place leads in more than one region, so the comparison covers a refusal and an acceptance.
      expect(regions.size).toBeGreaterThan(1);
    } finally {
      ws.admin.workstation.close();
    }
  });
});
