// Migration 0001: the audit tables exist, are STRICT, and their triggers keep the log append-only.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../../../electron/services/store/database.ts';
import type { Database } from '../../../../electron/services/store/database.ts';
import { randomKey, tempDir } from '../temp.ts';

const dir = tempDir('m0001');

const fresh = (name: string): Database => createDatabase(join(dir, name), randomKey());

const errorOf = (run: () => unknown): string => {
  try {
    run();
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

const hash = Buffer.alloc(32, 1);

const seed = (db: Database): void => {
  db.prepare("INSERT INTO audit_entries VALUES (0, 't', 'log.created', 'system:x', x'7b7d', ?)").run(hash);
  db.prepare("INSERT INTO audit_entries VALUES (1, 't', 'lead.ingested', 'system:x', x'7b7d', ?)").run(hash);
};

describe('migration 0001-audit', () => {
  it('creates the audit tables as STRICT tables', () => {
    const db = fresh('tables.db');
    const tables = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all();
    expect(tables.map((table) => table.name)).toEqual([
      'audit_checkpoints',
      'audit_entries',
      'audit_entry_subjects',
      'audit_log',
      'audit_personal_data',
      'audit_signing_keys',
      'audit_tree_nodes',
    ]);
    for (const table of tables) expect(table.sql).toMatch(/STRICT/);
    expect(errorOf(() => db.prepare("INSERT INTO audit_log VALUES (1, x'00', 'o')").run())).toMatch(
      /cannot store BLOB value in TEXT column/,
    );
    db.close();
  });

  it('rejects UPDATE and DELETE of entries, nodes and checkpoints, and gaps in the sequence', () => {
    const db = fresh('append-only.db');
    seed(db);
    expect(errorOf(() => db.prepare("UPDATE audit_entries SET time = 'u' WHERE sequence = 0").run())).toContain(
      'append-only',
    );
    expect(errorOf(() => db.prepare('DELETE FROM audit_entries WHERE sequence = 1').run())).toContain('append-only');
    expect(
      errorOf(() => db.prepare("INSERT INTO audit_entries VALUES (5, 't', 'x', 'a:b', x'7b7d', ?)").run(hash)),
    ).toContain('without gaps');
    db.prepare('INSERT INTO audit_tree_nodes VALUES (0, 0, ?)').run(hash);
    expect(errorOf(() => db.prepare('UPDATE audit_tree_nodes SET hash = ?').run(Buffer.alloc(32, 2)))).toContain(
      'append-only',
    );
    db.prepare("INSERT INTO audit_checkpoints VALUES (1, ?, 'note')").run(hash);
    expect(errorOf(() => db.prepare('DELETE FROM audit_checkpoints').run())).toContain('append-only');
    db.close();
  });

  it('lets personal data be erased (data and salt gone, tombstone kept) and nothing else', () => {
    const db = fresh('personal.db');
    seed(db);
    db.prepare(
      "INSERT INTO audit_personal_data (sequence, subject, regime, commitment, salt, data) VALUES (1, 'lead:L', 'payments', ?, ?, x'7b7d')",
    ).run(hash, Buffer.alloc(16, 9));
    expect(errorOf(() => db.prepare("UPDATE audit_personal_data SET data = x'00' WHERE sequence = 1").run())).toContain(
      'can only be erased',
    );
    expect(errorOf(() => db.prepare('DELETE FROM audit_personal_data').run())).toContain('never deleted');
    db.prepare('UPDATE audit_personal_data SET data = NULL, salt = NULL, erased_by = 1 WHERE sequence = 1').run();
    expect(db.prepare('SELECT data, salt, erased_by FROM audit_personal_data').get()).toEqual({
      data: null,
      salt: null,
      erased_by: 1,
    });
    expect(
      errorOf(() => db.prepare('UPDATE audit_personal_data SET erased_by = 0 WHERE sequence = 1').run()),
    ).toContain('can only be erased');
    db.close();
  });

  it('lets a signing key be retired once, which destroys its seed', () => {
    const db = fresh('keys.db');
    seed(db);
    db.prepare("INSERT INTO audit_signing_keys VALUES ('k1', 'n', 'v', 'a', 'b', 0, NULL, ?)").run(Buffer.alloc(32, 4));
    expect(errorOf(() => db.prepare("UPDATE audit_signing_keys SET valid_until = 'z'").run())).toContain(
      'only be retired',
    );
    expect(errorOf(() => db.prepare('UPDATE audit_signing_keys SET retired_at = 1').run())).toMatch(
      /only be retired|CHECK/,
    );
    db.prepare('UPDATE audit_signing_keys SET retired_at = 1, seed = NULL').run();
    expect(errorOf(() => db.prepare('UPDATE audit_signing_keys SET retired_at = 0, seed = NULL').run())).toContain(
      'only be retired',
    );
    expect(errorOf(() => db.prepare('DELETE FROM audit_signing_keys').run())).toContain('kept');
    db.close();
  });
});
