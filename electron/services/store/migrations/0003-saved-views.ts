// Migration 3: saved queue views, per user. Preferences, not compliance records: outside the audit log and not a
// projection (a rebuild leaves them alone). Inside the encrypted database, since a view's search can name a person.
import type { Migration } from './migration.ts';

export const migration0003SavedViews: Migration = {
  version: 3,
  name: '0003-saved-views',
  up: (db) => {
    db.exec(`
      CREATE TABLE saved_views (
        user_id TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 80),
        filter TEXT NOT NULL CHECK (json_valid(filter)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, id),
        UNIQUE (user_id, name)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
