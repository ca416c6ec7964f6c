// Migration 0011: the KYC outbox, the connector's configuration and the callback receipts (decision 0210).
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0011KycOutbox as migration } from '../../../../electron/services/store/migrations/0011-kyc-outbox.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-kyc-outbox');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('adds the outbox with its states, one event per qualification, one connector row and unique receipts', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    db.prepare(
      "INSERT INTO leads VALUES ('L-1', 'crm', 'c-1', '{}', 'GB', NULL, 'A. B.', 'active', 't', 1, NULL)",
    ).run();
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    const insert = db.prepare(
      `INSERT INTO kyc_outbox (event_id, path_sequence, lead_id, product_id, jurisdiction, body, queued_at, queued_seq,
         state, next_attempt_at) VALUES (?, ?, ?, 'p', 'GB', '{}', 't', 1, ?, 't')`,
    );
    insert.run('kyc_1', 7, 'L-1', 'pending');
    expect(() => insert.run('kyc_2', 7, 'L-1', 'pending')).toThrow(/UNIQUE/);
    expect(() => insert.run('kyc_3', 8, 'L-1', 'sent')).toThrow(/CHECK/);
    expect(() => insert.run('kyc_4', 9, 'L-404', 'pending')).toThrow(/FOREIGN KEY/);
    const connector = db.prepare(
      "INSERT INTO kyc_connector (id, kind, configured_at, configured_seq) VALUES (?, 'none', 't', 1)",
    );
    connector.run(1);
    expect(() => connector.run(2)).toThrow(/CHECK/);
    const receipt = db.prepare(
      "INSERT INTO kyc_callback_receipts (message_id, event_id, received_at, outcome, sequence) VALUES ('msg_1', 'kyc_1', 't', 'verified', 3)",
    );
    receipt.run();
    expect(() => receipt.run()).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
});
