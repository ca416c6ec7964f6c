// Migration 0006: who requested each account's creation (backfilled from the user.created entry's actor), the
// meta-action requests projection and the pending key slots side table.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0006MetaApprovals as migration } from '../../../../electron/services/store/migrations/0006-meta-approvals.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-meta-approvals');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('records that existing accounts were requested by the user who created them, and nobody for system:setup', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    const hash = Buffer.alloc(32);
    const entry = db.prepare("INSERT INTO audit_entries VALUES (?, 't', 'user.created', ?, x'7b7d', ?)");
    entry.run(0, 'system:setup', hash);
    entry.run(1, 'user:ada', hash);
    const user = db.prepare("INSERT INTO users VALUES (?, ?, '[]', '[]', 1, ?)");
    user.run('ada', 'Ada', 0);
    user.run('sam', 'Sam', 1);
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    expect(db.prepare('SELECT id, requested_by FROM users ORDER BY id').all()).toEqual([
      { id: 'ada', requested_by: null },
      { id: 'sam', requested_by: 'ada' },
    ]);
    expect(() =>
      db
        .prepare(
          "INSERT INTO meta_requests (id, action, target, change, requested_by, requested_at, requested_seq, status) VALUES ('MR-1', 'user.create', 'user:x', '{}', 'ada', 't', 1, 'maybe')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(db.prepare('SELECT count(*) AS n FROM meta_request_slots').get()).toEqual({ n: 0 });
    db.close();
  });
});
