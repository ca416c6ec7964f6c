// The hub's store on an encrypted SQLite file (SQLCipher scheme, as the workstation): the default for a small region.
// It opens the hub's own database, never a workstation's: this module is the hub's store layer (decision 0216; ESLint
// lets no other hub code open a database), and the hub's door is the signed-request check in hub/service.ts, which
// every device call passes before it reaches the store.
import { existsSync } from 'node:fs';
import { openDatabase } from '../../electron/services/store/database.ts';
import type { Database } from '../../electron/services/store/database.ts';
import { HUB_MIGRATIONS, HUB_SCHEMA_VERSION } from './schema.ts';
import { HubStoreError } from './store.ts';
import { toDevice, toDistribution } from './store.ts';
import type { DeviceRow, DistributionRow } from './store.ts';
import type { CheckpointRecord, HubLogLeaf, HubStore, HubTx, OriginState, StoredEntry } from './store.ts';

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const migrateHub = (db: Database, region: string, path: string): void => {
  db.exec(
    'CREATE TABLE IF NOT EXISTS hub_meta (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL, region TEXT NOT NULL) STRICT',
  );
  const meta = db.prepare<[], { version: number; region: string }>('SELECT version, region FROM hub_meta').get();
  if (meta && meta.region !== region)
    throw new HubStoreError(`${path}: this store belongs to the hub of region ${meta.region}, not ${region}`);
  if (meta && meta.version > HUB_SCHEMA_VERSION)
    throw new HubStoreError(
      `${path}: the store is at schema ${meta.version}, newer than this hub (${HUB_SCHEMA_VERSION})`,
    );
  const from = meta?.version ?? 0;
  for (const migration of HUB_MIGRATIONS.filter((m) => m.version > from))
    db.transaction(() => {
      db.exec(migration.sqlite);
      db.prepare(
        'INSERT INTO hub_meta (singleton, version, region) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET version = excluded.version',
      ).run(migration.version, region);
    })();
};

export const openSqliteHubStore = (path: string, key: Uint8Array, region: string): HubStore => {
  // The workstation's migrations are not run: a hub store holds the hub's own tables only.
  const db = openDatabase(path, key, { create: !existsSync(path), migrate: false });
  migrateHub(db, region, path);
  const q = <P extends unknown[], R>(sql: string) => db.prepare<P, R>(sql);
  const s = {
    device: q<[string], DeviceRow>('SELECT * FROM hub_devices WHERE device_id = ?'),
    deviceByOrigin: q<[string], DeviceRow>('SELECT * FROM hub_devices WHERE origin = ?'),
    devices: q<[], DeviceRow>('SELECT * FROM hub_devices ORDER BY device_id'),
    putDevice: db.prepare(
      `INSERT INTO hub_devices (device_id, region, public_key, origin, log_keys, status, requested_at, decided_at, decided_by,
         requested_markets, markets)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    decide: db.prepare('UPDATE hub_devices SET status = ?, decided_by = ?, decided_at = ? WHERE device_id = ?'),
    setMarkets: db.prepare('UPDATE hub_devices SET markets = ? WHERE device_id = ?'),
    putLead: db.prepare('INSERT OR REPLACE INTO hub_leads (lead, region, markets, origin, seq) VALUES (?, ?, ?, ?, ?)'),
    lead: q<[string], { lead: string; region: string | null; markets: string; origin: string; seq: number }>(
      'SELECT * FROM hub_leads WHERE lead = ?',
    ),
    putCaseLead: db.prepare('INSERT OR IGNORE INTO hub_case_leads (case_id, lead) VALUES (?, ?)'),
    caseLead: q<[string], string>('SELECT lead FROM hub_case_leads WHERE case_id = ?').pluck(),
    putTombstone: db.prepare(
      'INSERT OR IGNORE INTO hub_tombstones (origin, seq, kind, subject, regime, cutoff, removed) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    eraseSubject: db.prepare('DELETE FROM hub_personal_data WHERE subject = ?'),
    purgeRegime: db.prepare('DELETE FROM hub_personal_data WHERE regime = ? AND entry_time < ?'),
    erased: q<[string], number>("SELECT count(*) FROM hub_tombstones WHERE kind = 'erasure' AND subject = ?").pluck(),
    cutoffs: q<[], { regime: string; cutoff: string }>(
      "SELECT regime, max(cutoff) AS cutoff FROM hub_tombstones WHERE kind = 'retention' GROUP BY regime",
    ),
    forgetNonces: db.prepare('DELETE FROM hub_nonces WHERE expires_at < ?'),
    nonce: db.prepare('INSERT OR IGNORE INTO hub_nonces (device_id, nonce, expires_at) VALUES (?, ?, ?)'),
    ensureOrigin: db.prepare('INSERT OR IGNORE INTO hub_origins (origin) VALUES (?)'),
    origin: q<[string], { origin: string; witness_size: number; mirror_size: number; next: number }>(
      'SELECT * FROM hub_origins WHERE origin = ?',
    ),
    origins: q<[], { origin: string; witness_size: number; mirror_size: number; next: number }>(
      'SELECT * FROM hub_origins ORDER BY origin',
    ),
    checkpoint: q<[string, number], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM hub_checkpoints WHERE origin = ? AND size = ?',
    ),
    putCheckpoint: db.prepare('INSERT OR REPLACE INTO hub_checkpoints (origin, size, root, note) VALUES (?, ?, ?, ?)'),
    setWitness: db.prepare('UPDATE hub_origins SET witness_size = ? WHERE origin = ?'),
    setMirror: db.prepare('UPDATE hub_origins SET mirror_size = ? WHERE origin = ?'),
    setNext: db.prepare('UPDATE hub_origins SET next = ? WHERE origin = ?'),
    putEntry: db.prepare('INSERT OR IGNORE INTO hub_entries (origin, seq, bytes, leaf_hash) VALUES (?, ?, ?, ?)'),
    leafHashes: q<[string, number, number], Buffer>(
      'SELECT leaf_hash FROM hub_entries WHERE origin = ? AND seq >= ? AND seq < ? ORDER BY seq',
    ).pluck(),
    entries: q<[string, number, number], { seq: number; bytes: Buffer; leaf_hash: Buffer }>(
      'SELECT seq, bytes, leaf_hash FROM hub_entries WHERE origin = ? AND seq >= ? AND seq < ? ORDER BY seq',
    ),
    entryBytes: q<[string, number], Buffer>('SELECT bytes FROM hub_entries WHERE origin = ? AND seq = ?').pluck(),
    putPersonal: db.prepare(
      'INSERT OR IGNORE INTO hub_personal_data (origin, seq, subject, regime, salt, sealed, entry_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    personal: q<
      [string, number, number],
      { seq: number; subject: string; regime: string; salt: Buffer; sealed: Buffer }
    >(
      'SELECT seq, subject, regime, salt, sealed FROM hub_personal_data WHERE origin = ? AND seq >= ? AND seq < ? ORDER BY seq',
    ),
    putFork: db.prepare(
      'INSERT INTO hub_forks (origin, size, accepted_note, conflicting_note, recorded_at) VALUES (?, ?, ?, ?, ?)',
    ),
    forks: q<
      [],
      { origin: string; size: number; accepted_note: string; conflicting_note: string; recorded_at: string }
    >('SELECT origin, size, accepted_note, conflicting_note, recorded_at FROM hub_forks ORDER BY id'),
    hubLeaves: q<[], Buffer>('SELECT leaf_hash FROM hub_log ORDER BY idx').pluck(),
    appendHubLog: db.prepare('INSERT INTO hub_log (idx, bytes, leaf_hash) VALUES (?, ?, ?)'),
    hubEntries: q<[number, number], { idx: number; bytes: Buffer; leaf_hash: Buffer }>(
      'SELECT idx, bytes, leaf_hash FROM hub_log WHERE idx >= ? AND idx < ? ORDER BY idx',
    ),
    putHubCheckpoint: db.prepare('INSERT OR IGNORE INTO hub_log_checkpoints (size, root, note) VALUES (?, ?, ?)'),
    latestHubCheckpoint: q<[], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM hub_log_checkpoints ORDER BY size DESC LIMIT 1',
    ),
    publishers: q<[], string>('SELECT verifier_key FROM hub_publishers ORDER BY added_at, verifier_key').pluck(),
    putPublisher: db.prepare(
      'INSERT OR IGNORE INTO hub_publishers (verifier_key, added_by, added_at) VALUES (?, ?, ?)',
    ),
    putDistribution: db.prepare(
      `INSERT INTO hub_distributions (stream, seq, kind, version, label, note, content, published_at, received_at, received_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    distributions: q<[string | null, string | null], DistributionRow>(
      `SELECT stream, seq, kind, version, label, note, published_at, received_at, received_by FROM hub_distributions
       WHERE ? IS NULL OR stream = ? ORDER BY stream, seq`,
    ),
    distributionContent: q<[string, number], Buffer>(
      'SELECT content FROM hub_distributions WHERE stream = ? AND seq = ?',
    ).pluck(),
    floor: db.prepare('INSERT OR REPLACE INTO bench_floor (origin, seq, bytes, leaf_hash) VALUES (?, ?, ?, ?)'),
  };
  const checkpointOf = (origin: string, size: number): CheckpointRecord | null => {
    if (size === 0) return null;
    const row = s.checkpoint.get(origin, size);
    return row ? { size: row.size, root: new Uint8Array(row.root), note: row.note } : null;
  };
  const stateOf = (row: { origin: string; witness_size: number; mirror_size: number; next: number }): OriginState => ({
    origin: row.origin,
    witness: checkpointOf(row.origin, row.witness_size),
    mirror: checkpointOf(row.origin, row.mirror_size),
    next: row.next,
  });
  const tx: HubTx = {
    device: async (id) => {
      const row = s.device.get(id);
      return row ? toDevice(row) : null;
    },
    deviceByOrigin: async (origin) => {
      const row = s.deviceByOrigin.get(origin);
      return row ? toDevice(row) : null;
    },
    devices: async () => s.devices.all().map(toDevice),
    putDevice: async (d) => {
      s.putDevice.run(
        d.deviceId,
        d.region,
        d.publicKey,
        d.origin,
        JSON.stringify(d.logKeys),
        d.status,
        d.requestedAt,
        d.decidedAt,
        d.decidedBy,
        JSON.stringify(d.requestedMarkets),
        JSON.stringify(d.markets),
      );
    },
    decideDevice: async (id, status, by, at, markets) => {
      s.decide.run(status, by, at, id);
      if (markets) s.setMarkets.run(JSON.stringify(markets), id);
    },
    updateDevice: async (id, change) => {
      if (change.requestedMarkets)
        db.prepare('UPDATE hub_devices SET requested_markets = ? WHERE device_id = ?').run(
          JSON.stringify(change.requestedMarkets),
          id,
        );
      if (change.markets) s.setMarkets.run(JSON.stringify(change.markets), id);
      if (change.approvedMarkets)
        db.prepare('UPDATE hub_devices SET approved_markets = ? WHERE device_id = ?').run(
          JSON.stringify(change.approvedMarkets),
          id,
        );
      if (change.operations !== undefined)
        db.prepare('UPDATE hub_devices SET operations = ? WHERE device_id = ?').run(change.operations ? 1 : 0, id);
    },
    putLeads: async (records) => {
      for (const r of records) s.putLead.run(r.lead, r.region, JSON.stringify(r.markets), r.origin, r.sequence);
    },
    leads: async (leads) =>
      leads.flatMap((lead) => {
        const row = s.lead.get(lead);
        return row
          ? [
              {
                lead: row.lead,
                region: row.region,
                markets: JSON.parse(row.markets) as string[],
                origin: row.origin,
                sequence: row.seq,
              },
            ]
          : [];
      }),
    putCaseLeads: async (pairs) => {
      for (const p of pairs) s.putCaseLead.run(p.caseId, p.lead);
    },
    caseLeads: async (caseIds) =>
      caseIds.flatMap((caseId) => {
        const lead = s.caseLead.get(caseId);
        return lead === undefined ? [] : [{ caseId, lead }];
      }),
    applyTombstone: async (t) => {
      const removed =
        t.kind === 'erasure' ? s.eraseSubject.run(t.subject).changes : s.purgeRegime.run(t.regime, t.cutoff).changes;
      s.putTombstone.run(
        t.origin,
        t.sequence,
        t.kind,
        t.kind === 'erasure' ? t.subject : '',
        t.kind === 'retention' ? t.regime : '',
        t.kind === 'retention' ? t.cutoff : null,
        removed,
      );
      return removed;
    },
    erasedAmong: async (subjects) => new Set(subjects.filter((subject) => s.erased.get(subject)! > 0)),
    retentionCutoffs: async () => new Map(s.cutoffs.all().map((r) => [r.regime, r.cutoff])),
    rememberNonce: async (deviceId, nonce, expiresAt, now) => {
      s.forgetNonces.run(now);
      return s.nonce.run(deviceId, nonce, expiresAt).changes === 1;
    },
    originState: async (origin) => {
      s.ensureOrigin.run(origin);
      return stateOf(s.origin.get(origin)!);
    },
    putCheckpoint: async (origin, c) => {
      s.putCheckpoint.run(origin, c.size, c.root, c.note);
    },
    checkpointOfSize: async (origin, size) => checkpointOf(origin, size),
    setWitness: async (origin, size) => {
      s.setWitness.run(size, origin);
    },
    setMirror: async (origin, c) => {
      s.putCheckpoint.run(origin, c.size, c.root, c.note);
      s.setMirror.run(c.size, origin);
    },
    putEntries: async (origin, start, entries) => {
      for (const entry of entries) s.putEntry.run(origin, entry.sequence, entry.bytes, entry.leafHash);
      const current = s.origin.get(origin)!.next;
      const next = Math.max(current, start + entries.length);
      if (start <= current) s.setNext.run(next, origin);
      return start <= current ? next : current;
    },
    leafHashes: async (origin, from, to) => s.leafHashes.all(origin, from, to).map(view),
    // Views of the buffers SQLite returned, not copies (a pull reads up to 50,000 entries a request).
    entries: async (origin, from, to) =>
      s.entries
        .all(origin, from, to)
        .map((r) => ({ sequence: r.seq, bytes: view(r.bytes), leafHash: view(r.leaf_hash) })),
    entryBytes: async (origin, seq) => {
      const bytes = s.entryBytes.get(origin, seq);
      return bytes ? new Uint8Array(bytes) : null;
    },
    putPersonalData: async (origin, records) => {
      let stored = 0;
      for (const r of records)
        stored += s.putPersonal.run(
          origin,
          r.sequence,
          r.subject,
          r.regime,
          r.salt,
          r.sealed,
          r.entryTime ?? null,
        ).changes;
      return stored;
    },
    personalData: async (origin, from, to) =>
      s.personal.all(origin, from, to).map((r) => ({
        sequence: r.seq,
        subject: r.subject,
        regime: r.regime,
        salt: new Uint8Array(r.salt),
        sealed: new Uint8Array(r.sealed),
      })),
    putFork: async (f) => {
      s.putFork.run(f.origin, f.size, f.acceptedNote, f.conflictingNote, f.recordedAt);
    },
    forks: async () =>
      s.forks.all().map((r) => ({
        origin: r.origin,
        size: r.size,
        acceptedNote: r.accepted_note,
        conflictingNote: r.conflicting_note,
        recordedAt: r.recorded_at,
      })),
    origins: async () => s.origins.all().map(stateOf),
    hubLogLeafHashes: async () => s.hubLeaves.all().map((b) => new Uint8Array(b)),
    appendHubLog: async (leaf: HubLogLeaf) => {
      s.appendHubLog.run(leaf.index, leaf.bytes, leaf.leafHash);
    },
    hubLogEntries: async (from, to) =>
      s.hubEntries
        .all(from, to)
        .map((r) => ({ index: r.idx, bytes: new Uint8Array(r.bytes), leafHash: new Uint8Array(r.leaf_hash) })),
    putHubCheckpoint: async (c) => {
      s.putHubCheckpoint.run(c.size, c.root, c.note);
    },
    latestHubCheckpoint: async () => {
      const row = s.latestHubCheckpoint.get();
      return row ? { size: row.size, root: new Uint8Array(row.root), note: row.note } : null;
    },
    publishers: async () => s.publishers.all(),
    putPublisher: async (key, by, at) => s.putPublisher.run(key, by, at).changes === 1,
    putDistribution: async (d, content) => {
      s.putDistribution.run(
        d.stream,
        d.sequence,
        d.kind,
        d.version,
        d.label,
        d.note,
        content,
        d.publishedAt,
        d.receivedAt,
        d.receivedBy,
      );
    },
    distributions: async (stream) => s.distributions.all(stream, stream).map(toDistribution),
    distributionContent: async (stream, sequence) => {
      const bytes = s.distributionContent.get(stream, sequence);
      return bytes ? new Uint8Array(bytes) : null;
    },
  };
  // One connection, one writer: transactions are queued so that an await inside one never interleaves another.
  let queue: Promise<unknown> = Promise.resolve();
  const transaction = <T>(work: (t: HubTx) => Promise<T>): Promise<T> => {
    const run = async (): Promise<T> => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(tx);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    kind: 'sqlite',
    transaction,
    bareInsert: async (rows: readonly StoredEntry[]) => {
      db.transaction(() => {
        for (const r of rows) s.floor.run('floor', r.sequence, r.bytes, r.leafHash);
      })();
    },
    close: async () => {
      await queue;
      db.close();
    },
  };
};
