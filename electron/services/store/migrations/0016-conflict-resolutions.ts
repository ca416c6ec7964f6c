// Migration 16: a sync conflict remembers which resolution stands and the ones it superseded (decision 0268): two
// senior officers who resolve the same conflict on two devices converge on the earlier resolution everywhere, and the
// later one is kept on the conflict, not dropped. Projection columns: a rebuild fills them from the log.
import type { Migration } from './migration.ts';

export const migration0016ConflictResolutions: Migration = {
  version: 16,
  name: '0016-conflict-resolutions',
  up: (db) => {
    db.exec(`
      -- The resolution that stands: {origin, seq, by, at, chosen}, canonical JSON; null while the conflict is open.
      ALTER TABLE case_conflicts ADD COLUMN resolution TEXT;
      -- Resolutions of the same conflict that lost to it (taken concurrently elsewhere), as a JSON array.
      ALTER TABLE case_conflicts ADD COLUMN superseded TEXT NOT NULL DEFAULT '[]';
    `);
  },
};
