// Migration 0012: planned contacts (a projection, one per path) and proposed KYC connector changes (decision 0240).
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0012PlannedContacts as migration } from '../../../../electron/services/store/migrations/0012-planned-contacts.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-planned-contacts');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('adds one planned contact per path of a known lead, and proposals of a known connector kind', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    db.prepare(
      "INSERT INTO leads VALUES ('L-1', 'crm', 'c-1', '{}', 'GB', NULL, 'A. B.', 'active', 't', 1, NULL)",
    ).run();
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    const plan = db.prepare(
      "INSERT INTO planned_contacts (lead_id, product_id, channel, at, planned_by, planned_seq) VALUES (?, 'p', 'phone', 't', 'rep', 1)",
    );
    plan.run('L-1');
    expect(() => plan.run('L-1')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => plan.run('L-404')).toThrow(/FOREIGN KEY/);
    const proposal = db.prepare('INSERT INTO kyc_connector_proposals (request_id, kind) VALUES (?, ?)');
    proposal.run('MR-1', 'webhook');
    expect(() => proposal.run('MR-2', 'ftp')).toThrow(/CHECK/);
    db.close();
  });
});
