// Migration 0014: each lead's residency region in the projection, filled from the log, and the withheld-entry table.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0014Residency as migration } from '../../../../electron/services/store/migrations/0014-residency.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-residency');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it("fills each lead's residency region from its lead.ingested entry, and keeps 32-byte leaf hashes only", () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    // Two leads logged before the migration: one whose entry names a region, one from a policy without residency.
    const entry = (sequence: number, payload: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ sequence: String(sequence), type: 'lead.ingested', payload }));
    const columns = db
      .prepare<[], { name: string; notnull: number }>(
        'SELECT name, "notnull" FROM pragma_table_info(\'audit_entries\')',
      )
      .all();
    expect(columns.map((c) => c.name)).toContain('canonical');
    db.pragma('foreign_keys = OFF');
    // The audit table refuses nothing on INSERT; fill only the columns the migration reads, with placeholders.
    const insertEntry = db.prepare(
      `INSERT INTO audit_entries (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const row = (sequence: number, canonical: Buffer) =>
      columns.map((c) =>
        c.name === 'sequence'
          ? sequence
          : c.name === 'canonical'
            ? canonical
            : c.name === 'type'
              ? 'lead.ingested'
              : c.notnull
                ? placeholderFor(c.name)
                : null,
      );
    const placeholderFor = (name: string): unknown =>
      /hash|previous|leaf/.test(name) ? Buffer.alloc(32) : name === 'time' ? '2026-11-23T10:00:00.000Z' : 'x';
    insertEntry.run(
      ...row(0, entry(0, { leadId: 'L1', residency: { region: 'eu-west', basis: 'market', markets: ['UK'] } })),
    );
    insertEntry.run(...row(1, entry(1, { leadId: 'L2' })));
    const insertLead = db.prepare(
      `INSERT INTO leads (id, source_system, source_id, facts, scope, subject, status, ingested_at, ingested_seq)
       VALUES (?, 'crm', ?, '{}', 'GB', ?, 'active', '2026-11-23T10:00:00.000Z', ?)`,
    );
    insertLead.run('L1', 'S1', 'lead:L1', 0);
    insertLead.run('L2', 'S2', 'lead:L2', 1);
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    expect(db.prepare('SELECT id, residency_region FROM leads ORDER BY id').all()).toEqual([
      { id: 'L1', residency_region: 'eu-west' },
      { id: 'L2', residency_region: null },
    ]);
    const withheld = db.prepare('INSERT INTO sync_inbox_withheld (origin, seq, leaf_hash) VALUES (?, ?, ?)');
    expect(() => withheld.run('o', 0, Buffer.alloc(31))).toThrow(/CHECK/);
    withheld.run('o', 0, Buffer.alloc(32));
    db.close();
  });
});
