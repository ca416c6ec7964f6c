// The hub's own schema, one numbered migration per version, in the two dialects (decision 0216). Append only.
export type HubMigration = {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
};

export const HUB_MIGRATIONS: readonly HubMigration[] = [
  {
    version: 1,
    name: '0001-hub',
    sqlite: `
      CREATE TABLE hub_devices (
        device_id TEXT PRIMARY KEY, region TEXT NOT NULL, public_key BLOB NOT NULL, origin TEXT NOT NULL UNIQUE,
        log_keys TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'revoked')),
        requested_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT) STRICT;
      CREATE TABLE hub_nonces (device_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL,
        PRIMARY KEY (device_id, nonce)) STRICT;
      CREATE INDEX hub_nonces_expiry ON hub_nonces (expires_at);
      CREATE TABLE hub_origins (origin TEXT PRIMARY KEY, witness_size INTEGER NOT NULL DEFAULT 0,
        mirror_size INTEGER NOT NULL DEFAULT 0, next INTEGER NOT NULL DEFAULT 0) STRICT;
      CREATE TABLE hub_checkpoints (origin TEXT NOT NULL, size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL,
        PRIMARY KEY (origin, size)) STRICT;
      CREATE TABLE hub_entries (origin TEXT NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL, leaf_hash BLOB NOT NULL,
        PRIMARY KEY (origin, seq)) STRICT, WITHOUT ROWID;
      CREATE TABLE hub_personal_data (origin TEXT NOT NULL, seq INTEGER NOT NULL, subject TEXT NOT NULL,
        regime TEXT NOT NULL, salt BLOB NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY (origin, seq)) STRICT;
      CREATE TABLE hub_forks (id INTEGER PRIMARY KEY, origin TEXT NOT NULL, size INTEGER NOT NULL,
        accepted_note TEXT NOT NULL, conflicting_note TEXT NOT NULL, recorded_at TEXT NOT NULL) STRICT;
      CREATE TABLE hub_log (idx INTEGER PRIMARY KEY, bytes BLOB NOT NULL, leaf_hash BLOB NOT NULL) STRICT;
      CREATE TABLE hub_log_checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL) STRICT;
      CREATE TABLE bench_floor (origin TEXT NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL, leaf_hash BLOB NOT NULL,
        PRIMARY KEY (origin, seq)) STRICT, WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE hub_devices (
        device_id TEXT PRIMARY KEY, region TEXT NOT NULL, public_key BYTEA NOT NULL, origin TEXT NOT NULL UNIQUE,
        log_keys TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'revoked')),
        requested_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT);
      CREATE TABLE hub_nonces (device_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at BIGINT NOT NULL,
        PRIMARY KEY (device_id, nonce));
      CREATE INDEX hub_nonces_expiry ON hub_nonces (expires_at);
      CREATE TABLE hub_origins (origin TEXT PRIMARY KEY, witness_size BIGINT NOT NULL DEFAULT 0,
        mirror_size BIGINT NOT NULL DEFAULT 0, next BIGINT NOT NULL DEFAULT 0);
      CREATE TABLE hub_checkpoints (origin TEXT NOT NULL, size BIGINT NOT NULL, root BYTEA NOT NULL, note TEXT NOT NULL,
        PRIMARY KEY (origin, size));
      CREATE TABLE hub_entries (origin TEXT NOT NULL, seq BIGINT NOT NULL, bytes BYTEA NOT NULL, leaf_hash BYTEA NOT NULL,
        PRIMARY KEY (origin, seq));
      CREATE TABLE hub_personal_data (origin TEXT NOT NULL, seq BIGINT NOT NULL, subject TEXT NOT NULL,
        regime TEXT NOT NULL, salt BYTEA NOT NULL, sealed BYTEA NOT NULL, PRIMARY KEY (origin, seq));
      CREATE TABLE hub_forks (id BIGSERIAL PRIMARY KEY, origin TEXT NOT NULL, size BIGINT NOT NULL,
        accepted_note TEXT NOT NULL, conflicting_note TEXT NOT NULL, recorded_at TEXT NOT NULL);
      CREATE TABLE hub_log (idx BIGINT PRIMARY KEY, bytes BYTEA NOT NULL, leaf_hash BYTEA NOT NULL);
      CREATE TABLE hub_log_checkpoints (size BIGINT PRIMARY KEY, root BYTEA NOT NULL, note TEXT NOT NULL);
      CREATE TABLE hub_log_lock (singleton INTEGER PRIMARY KEY CHECK (singleton = 1));
      INSERT INTO hub_log_lock VALUES (1);
      CREATE TABLE bench_floor (origin TEXT NOT NULL, seq BIGINT NOT NULL, bytes BYTEA NOT NULL, leaf_hash BYTEA NOT NULL,
        PRIMARY KEY (origin, seq));
    `,
  },
  {
    // Data residency and erasure propagation (decisions 0249–0252): the markets a device asked for and was approved
    // for; each lead's residency region and markets as its intake entry names them, and the lead of each case; the
    // tombstones applied (erasures and retention purges); the time of the entry beside each personal-data record
    // (filled from the stored entries for the records already there).
    version: 2,
    name: '0002-residency',
    sqlite: `
      ALTER TABLE hub_devices ADD COLUMN requested_markets TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE hub_devices ADD COLUMN markets TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE hub_leads (lead TEXT PRIMARY KEY, region TEXT, markets TEXT NOT NULL, origin TEXT NOT NULL,
        seq INTEGER NOT NULL) STRICT;
      CREATE TABLE hub_case_leads (case_id TEXT PRIMARY KEY, lead TEXT NOT NULL) STRICT;
      CREATE TABLE hub_tombstones (origin TEXT NOT NULL, seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('erasure', 'retention')), subject TEXT NOT NULL DEFAULT '',
        regime TEXT NOT NULL DEFAULT '', cutoff TEXT, removed INTEGER NOT NULL, PRIMARY KEY (origin, seq, kind, subject, regime)) STRICT;
      CREATE INDEX hub_tombstones_subject ON hub_tombstones (subject);
      ALTER TABLE hub_personal_data ADD COLUMN entry_time TEXT;
      UPDATE hub_personal_data SET entry_time = (SELECT json_extract(CAST(e.bytes AS TEXT), '$.time') FROM hub_entries e
        WHERE e.origin = hub_personal_data.origin AND e.seq = hub_personal_data.seq);
      CREATE INDEX hub_personal_data_subject ON hub_personal_data (subject);
      CREATE INDEX hub_personal_data_regime ON hub_personal_data (regime, entry_time);
    `,
    postgres: `
      ALTER TABLE hub_devices ADD COLUMN requested_markets TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE hub_devices ADD COLUMN markets TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE hub_leads (lead TEXT PRIMARY KEY, region TEXT, markets TEXT NOT NULL, origin TEXT NOT NULL,
        seq BIGINT NOT NULL);
      CREATE TABLE hub_case_leads (case_id TEXT PRIMARY KEY, lead TEXT NOT NULL);
      CREATE TABLE hub_tombstones (origin TEXT NOT NULL, seq BIGINT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('erasure', 'retention')), subject TEXT NOT NULL DEFAULT '',
        regime TEXT NOT NULL DEFAULT '', cutoff TEXT, removed BIGINT NOT NULL,
        PRIMARY KEY (origin, seq, kind, subject, regime));
      CREATE INDEX hub_tombstones_subject ON hub_tombstones (subject);
      ALTER TABLE hub_personal_data ADD COLUMN entry_time TEXT;
      UPDATE hub_personal_data p SET entry_time = convert_from(e.bytes, 'UTF8')::jsonb ->> 'time'
        FROM hub_entries e WHERE e.origin = p.origin AND e.seq = p.seq;
      CREATE INDEX hub_personal_data_subject ON hub_personal_data (subject);
      CREATE INDEX hub_personal_data_regime ON hub_personal_data (regime, entry_time);
    `,
  },
  {
    version: 3,
    name: '0003-distribution',
    // Signed distribution of policy bundles and list versions (decision 0253): the publisher keys the hub accepts
    // statements from, and every statement with its content, per stream (policy, list:<id>) and sequence.
    sqlite: `
      CREATE TABLE hub_publishers (verifier_key TEXT PRIMARY KEY, added_by TEXT NOT NULL, added_at TEXT NOT NULL) STRICT;
      CREATE TABLE hub_distributions (stream TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL
        CHECK (kind IN ('policy', 'list')), version TEXT NOT NULL, label TEXT NOT NULL, note TEXT NOT NULL,
        content BLOB NOT NULL, published_at TEXT NOT NULL, received_at TEXT NOT NULL, received_by TEXT NOT NULL,
        PRIMARY KEY (stream, seq)) STRICT;
    `,
    postgres: `
      CREATE TABLE hub_publishers (verifier_key TEXT PRIMARY KEY, added_by TEXT NOT NULL, added_at TEXT NOT NULL);
      CREATE TABLE hub_distributions (stream TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL
        CHECK (kind IN ('policy', 'list')), version TEXT NOT NULL, label TEXT NOT NULL, note TEXT NOT NULL,
        content BYTEA NOT NULL, published_at TEXT NOT NULL, received_at TEXT NOT NULL, received_by TEXT NOT NULL,
        PRIMARY KEY (stream, seq));
    `,
  },
  {
    version: 4,
    name: '0004-device-markets-and-operations',
    // Markets that follow a device's users, and operations devices (decisions 0271, 0273): the markets the hub's admin
    // approved (the ceiling; \`markets\` is now what the device is served, the ceiling met with its users' markets),
    // filled from the served ones for devices approved before; whether the device may list, approve and revoke the
    // region's devices by its own signed requests.
    sqlite: `
      ALTER TABLE hub_devices ADD COLUMN approved_markets TEXT NOT NULL DEFAULT '[]';
      UPDATE hub_devices SET approved_markets = markets;
      ALTER TABLE hub_devices ADD COLUMN operations INTEGER NOT NULL DEFAULT 0 CHECK (operations IN (0, 1));
    `,
    postgres: `
      ALTER TABLE hub_devices ADD COLUMN approved_markets TEXT NOT NULL DEFAULT '[]';
      UPDATE hub_devices SET approved_markets = markets;
      ALTER TABLE hub_devices ADD COLUMN operations INTEGER NOT NULL DEFAULT 0 CHECK (operations IN (0, 1));
    `,
  },
];

export const HUB_SCHEMA_VERSION = HUB_MIGRATIONS.at(-1)!.version;
