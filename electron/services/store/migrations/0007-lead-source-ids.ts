// Migration 7: leads have internal ids (decision 0178), and the source system's id is looked up by itself: intake's
// duplicate check goes by (source system, source id), which the table's unique constraint already indexes, and an
// officer's search by a CRM id goes by the source id alone, which this index serves.
import type { Migration } from './migration.ts';

export const migration0007LeadSourceIds: Migration = {
  version: 7,
  name: '0007-lead-source-ids',
  up: (db) => {
    db.exec(`CREATE INDEX leads_by_source_id ON leads (source_id);`);
  },
};
