// The hub's store on PostgreSQL, for a region that outgrows one machine. PostgreSQL does not encrypt at rest: the hub
// seals personal data with the region key before it gets here (decision 0219); entries hold pseudonymous data only.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { HUB_MIGRATIONS, HUB_SCHEMA_VERSION } from './schema.ts';
import { HubStoreError } from './store.ts';
import { toDevice, toDistribution } from './store.ts';
import type { DeviceRow, DistributionRow } from './store.ts';
import type { CheckpointRecord, HubStore, HubTx, OriginState, StoredEntry } from './store.ts';

type OriginRow = { origin: string; witness_size: string; mirror_size: string; next: string };

const buf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
// A view of the buffer pg decoded (each is its own), not a copy.
const bytesOf = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const MIGRATION_LOCK = 7_240_215;

const migrate = async (client: pg.PoolClient, region: string, where: string): Promise<void> => {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS hub_meta (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL, region TEXT NOT NULL)',
    );
    const meta = (await client.query<{ version: number; region: string }>('SELECT version, region FROM hub_meta'))
      .rows[0];
    if (meta && meta.region !== region)
      throw new HubStoreError(`${where}: this store belongs to the hub of region ${meta.region}, not ${region}`);
    if (meta && meta.version > HUB_SCHEMA_VERSION)
      throw new HubStoreError(
        `${where}: the store is at schema ${meta.version}, newer than this hub (${HUB_SCHEMA_VERSION})`,
      );
    for (const migration of HUB_MIGRATIONS.filter((m) => m.version > (meta?.version ?? 0))) {
      await client.query('BEGIN');
      try {
        await client.query(migration.postgres);
        await client.query(
          'INSERT INTO hub_meta (singleton, version, region) VALUES (1, $1, $2) ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version',
          [migration.version, region],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
};

const statementNames = new Map<string, string>();
const statementName = (sql: string): string => {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `hub_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
};

/** The connection string without its password, for messages. */
const redacted = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

export const openPostgresHubStore = async (
  connectionString: string,
  region: string,
  options: { readonly poolSize?: number } = {},
): Promise<HubStore> => {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 8 });
  pool.on('error', () => undefined);
  const where = redacted(connectionString);
  let first: pg.PoolClient;
  try {
    first = await pool.connect();
  } catch (error) {
    await pool.end();
    throw new HubStoreError(`${where}: cannot connect: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    await migrate(first, region, where);
  } finally {
    first.release();
  }

  const txOf = (client: pg.PoolClient): HubTx => {
    // Every statement is a named prepared statement: PostgreSQL parses and plans it once per connection.
    const c = {
      query: <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> =>
        client.query<R>({ name: statementName(sql), text: sql, values: params }),
    };
    const rows = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> =>
      (await c.query<R>(sql, params)).rows;
    const checkpointOf = async (origin: string, size: number): Promise<CheckpointRecord | null> => {
      if (size === 0) return null;
      const row = (
        await rows<{ size: string; root: Buffer; note: string }>(
          'SELECT size, root, note FROM hub_checkpoints WHERE origin = $1 AND size = $2',
          [origin, size],
        )
      )[0];
      return row ? { size: Number(row.size), root: bytesOf(row.root), note: row.note } : null;
    };
    const stateOf = async (row: OriginRow): Promise<OriginState> => ({
      origin: row.origin,
      witness: await checkpointOf(row.origin, Number(row.witness_size)),
      mirror: await checkpointOf(row.origin, Number(row.mirror_size)),
      next: Number(row.next),
    });
    return {
      device: async (id) => {
        const row = (await rows<DeviceRow>('SELECT * FROM hub_devices WHERE device_id = $1', [id]))[0];
        return row ? toDevice(row) : null;
      },
      deviceByOrigin: async (origin) => {
        const row = (await rows<DeviceRow>('SELECT * FROM hub_devices WHERE origin = $1', [origin]))[0];
        return row ? toDevice(row) : null;
      },
      devices: async () => (await rows<DeviceRow>('SELECT * FROM hub_devices ORDER BY device_id')).map(toDevice),
      putDevice: async (d) => {
        await c.query(
          `INSERT INTO hub_devices (device_id, region, public_key, origin, log_keys, status, requested_at, decided_at, decided_by,
             requested_markets, markets)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            d.deviceId,
            d.region,
            buf(d.publicKey),
            d.origin,
            JSON.stringify(d.logKeys),
            d.status,
            d.requestedAt,
            d.decidedAt,
            d.decidedBy,
            JSON.stringify(d.requestedMarkets),
            JSON.stringify(d.markets),
          ],
        );
      },
      decideDevice: async (id, status, by, at, markets) => {
        await c.query('UPDATE hub_devices SET status = $1, decided_by = $2, decided_at = $3 WHERE device_id = $4', [
          status,
          by,
          at,
          id,
        ]);
        if (markets)
          await c.query('UPDATE hub_devices SET markets = $1 WHERE device_id = $2', [JSON.stringify(markets), id]);
      },
      updateDevice: async (id, change) => {
        await c.query(
          `UPDATE hub_devices SET requested_markets = coalesce($2, requested_markets), markets = coalesce($3, markets),
             approved_markets = coalesce($4, approved_markets), operations = coalesce($5, operations)
           WHERE device_id = $1`,
          [
            id,
            change.requestedMarkets ? JSON.stringify(change.requestedMarkets) : null,
            change.markets ? JSON.stringify(change.markets) : null,
            change.approvedMarkets ? JSON.stringify(change.approvedMarkets) : null,
            change.operations === undefined ? null : change.operations ? 1 : 0,
          ],
        );
      },
      putLeads: async (records) => {
        if (records.length > 0)
          await c.query(
            `INSERT INTO hub_leads (lead, region, markets, origin, seq)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
             ON CONFLICT (lead) DO UPDATE SET region = EXCLUDED.region, markets = EXCLUDED.markets,
               origin = EXCLUDED.origin, seq = EXCLUDED.seq`,
            [
              records.map((r) => r.lead),
              records.map((r) => r.region),
              records.map((r) => JSON.stringify(r.markets)),
              records.map((r) => r.origin),
              records.map((r) => r.sequence),
            ],
          );
      },
      leads: async (leads) =>
        leads.length === 0
          ? []
          : (
              await rows<{ lead: string; region: string | null; markets: string; origin: string; seq: string }>(
                'SELECT * FROM hub_leads WHERE lead = ANY($1::text[])',
                [leads],
              )
            ).map((r) => ({
              lead: r.lead,
              region: r.region,
              markets: JSON.parse(r.markets) as string[],
              origin: r.origin,
              sequence: Number(r.seq),
            })),
      putCaseLeads: async (pairs) => {
        if (pairs.length > 0)
          await c.query(
            `INSERT INTO hub_case_leads (case_id, lead) SELECT * FROM unnest($1::text[], $2::text[])
             ON CONFLICT DO NOTHING`,
            [pairs.map((p) => p.caseId), pairs.map((p) => p.lead)],
          );
      },
      caseLeads: async (caseIds) =>
        caseIds.length === 0
          ? []
          : (
              await rows<{ case_id: string; lead: string }>(
                'SELECT case_id, lead FROM hub_case_leads WHERE case_id = ANY($1::text[])',
                [caseIds],
              )
            ).map((r) => ({ caseId: r.case_id, lead: r.lead })),
      applyTombstone: async (t) => {
        const removed =
          t.kind === 'erasure'
            ? await c.query('DELETE FROM hub_personal_data WHERE subject = $1', [t.subject])
            : await c.query('DELETE FROM hub_personal_data WHERE regime = $1 AND entry_time < $2', [
                t.regime,
                t.cutoff,
              ]);
        await c.query(
          `INSERT INTO hub_tombstones (origin, seq, kind, subject, regime, cutoff, removed)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [
            t.origin,
            t.sequence,
            t.kind,
            t.kind === 'erasure' ? t.subject : '',
            t.kind === 'retention' ? t.regime : '',
            t.kind === 'retention' ? t.cutoff : null,
            removed.rowCount ?? 0,
          ],
        );
        return removed.rowCount ?? 0;
      },
      erasedAmong: async (subjects) =>
        subjects.length === 0
          ? new Set()
          : new Set(
              (
                await rows<{ subject: string }>(
                  "SELECT DISTINCT subject FROM hub_tombstones WHERE kind = 'erasure' AND subject = ANY($1::text[])",
                  [subjects],
                )
              ).map((r) => r.subject),
            ),
      retentionCutoffs: async () =>
        new Map(
          (
            await rows<{ regime: string; cutoff: string }>(
              "SELECT regime, max(cutoff) AS cutoff FROM hub_tombstones WHERE kind = 'retention' GROUP BY regime",
            )
          ).map((r) => [r.regime, r.cutoff]),
        ),
      rememberNonce: async (deviceId, nonce, expiresAt, now) => {
        await c.query('DELETE FROM hub_nonces WHERE expires_at < $1', [now]);
        const result = await c.query(
          'INSERT INTO hub_nonces (device_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [deviceId, nonce, expiresAt],
        );
        return result.rowCount === 1;
      },
      originState: async (origin) => {
        await c.query('INSERT INTO hub_origins (origin) VALUES ($1) ON CONFLICT DO NOTHING', [origin]);
        const row = (await rows<OriginRow>('SELECT * FROM hub_origins WHERE origin = $1 FOR UPDATE', [origin]))[0]!;
        return stateOf(row);
      },
      putCheckpoint: async (origin, cp) => {
        await c.query(
          `INSERT INTO hub_checkpoints (origin, size, root, note) VALUES ($1, $2, $3, $4)
           ON CONFLICT (origin, size) DO UPDATE SET note = EXCLUDED.note`,
          [origin, cp.size, buf(cp.root), cp.note],
        );
      },
      checkpointOfSize: checkpointOf,
      setWitness: async (origin, size) => {
        await c.query('UPDATE hub_origins SET witness_size = $1 WHERE origin = $2', [size, origin]);
      },
      setMirror: async (origin, cp) => {
        await c.query(
          `INSERT INTO hub_checkpoints (origin, size, root, note) VALUES ($1, $2, $3, $4)
           ON CONFLICT (origin, size) DO UPDATE SET note = EXCLUDED.note`,
          [origin, cp.size, buf(cp.root), cp.note],
        );
        await c.query('UPDATE hub_origins SET mirror_size = $1 WHERE origin = $2', [cp.size, origin]);
      },
      putEntries: async (origin, start, entries) => {
        if (entries.length > 0)
          await c.query(
            `INSERT INTO hub_entries (origin, seq, bytes, leaf_hash)
             SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bytea[]) ON CONFLICT DO NOTHING`,
            [
              origin,
              entries.map((e) => e.sequence),
              entries.map((e) => buf(e.bytes)),
              entries.map((e) => buf(e.leafHash)),
            ],
          );
        const current = Number(
          (await rows<{ next: string }>('SELECT next FROM hub_origins WHERE origin = $1', [origin]))[0]!.next,
        );
        if (start > current) return current;
        const next = Math.max(current, start + entries.length);
        await c.query('UPDATE hub_origins SET next = $1 WHERE origin = $2', [next, origin]);
        return next;
      },
      leafHashes: async (origin, from, to) =>
        (
          await rows<{ leaf_hash: Buffer }>(
            'SELECT leaf_hash FROM hub_entries WHERE origin = $1 AND seq >= $2 AND seq < $3 ORDER BY seq',
            [origin, from, to],
          )
        ).map((r) => bytesOf(r.leaf_hash)),
      entries: async (origin, from, to) =>
        (
          await rows<{ seq: string; bytes: Buffer; leaf_hash: Buffer }>(
            'SELECT seq, bytes, leaf_hash FROM hub_entries WHERE origin = $1 AND seq >= $2 AND seq < $3 ORDER BY seq',
            [origin, from, to],
          )
        ).map((r) => ({ sequence: Number(r.seq), bytes: bytesOf(r.bytes), leafHash: bytesOf(r.leaf_hash) })),
      entryBytes: async (origin, seq) => {
        const row = (
          await rows<{ bytes: Buffer }>('SELECT bytes FROM hub_entries WHERE origin = $1 AND seq = $2', [origin, seq])
        )[0];
        return row ? bytesOf(row.bytes) : null;
      },
      putPersonalData: async (origin, records) => {
        let stored = 0;
        for (const r of records) {
          const result = await c.query(
            `INSERT INTO hub_personal_data (origin, seq, subject, regime, salt, sealed, entry_time)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
            [origin, r.sequence, r.subject, r.regime, buf(r.salt), buf(r.sealed), r.entryTime ?? null],
          );
          stored += result.rowCount ?? 0;
        }
        return stored;
      },
      personalData: async (origin, from, to) =>
        (
          await rows<{ seq: string; subject: string; regime: string; salt: Buffer; sealed: Buffer }>(
            `SELECT seq, subject, regime, salt, sealed FROM hub_personal_data
             WHERE origin = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,
            [origin, from, to],
          )
        ).map((r) => ({
          sequence: Number(r.seq),
          subject: r.subject,
          regime: r.regime,
          salt: bytesOf(r.salt),
          sealed: bytesOf(r.sealed),
        })),
      putFork: async (f) => {
        await c.query(
          'INSERT INTO hub_forks (origin, size, accepted_note, conflicting_note, recorded_at) VALUES ($1, $2, $3, $4, $5)',
          [f.origin, f.size, f.acceptedNote, f.conflictingNote, f.recordedAt],
        );
      },
      forks: async () =>
        (
          await rows<{
            origin: string;
            size: string;
            accepted_note: string;
            conflicting_note: string;
            recorded_at: string;
          }>('SELECT origin, size, accepted_note, conflicting_note, recorded_at FROM hub_forks ORDER BY id')
        ).map((r) => ({
          origin: r.origin,
          size: Number(r.size),
          acceptedNote: r.accepted_note,
          conflictingNote: r.conflicting_note,
          recordedAt: r.recorded_at,
        })),
      origins: async () =>
        Promise.all((await rows<OriginRow>('SELECT * FROM hub_origins ORDER BY origin')).map(stateOf)),
      hubLogLeafHashes: async () => {
        await c.query('SELECT 1 FROM hub_log_lock WHERE singleton = 1 FOR UPDATE');
        return (await rows<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM hub_log ORDER BY idx')).map((r) =>
          bytesOf(r.leaf_hash),
        );
      },
      appendHubLog: async (leaf) => {
        await c.query('INSERT INTO hub_log (idx, bytes, leaf_hash) VALUES ($1, $2, $3)', [
          leaf.index,
          buf(leaf.bytes),
          buf(leaf.leafHash),
        ]);
      },
      hubLogEntries: async (from, to) =>
        (
          await rows<{ idx: string; bytes: Buffer; leaf_hash: Buffer }>(
            'SELECT idx, bytes, leaf_hash FROM hub_log WHERE idx >= $1 AND idx < $2 ORDER BY idx',
            [from, to],
          )
        ).map((r) => ({ index: Number(r.idx), bytes: bytesOf(r.bytes), leafHash: bytesOf(r.leaf_hash) })),
      putHubCheckpoint: async (cp) => {
        await c.query('INSERT INTO hub_log_checkpoints (size, root, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
          cp.size,
          buf(cp.root),
          cp.note,
        ]);
      },
      latestHubCheckpoint: async () => {
        const row = (
          await rows<{ size: string; root: Buffer; note: string }>(
            'SELECT size, root, note FROM hub_log_checkpoints ORDER BY size DESC LIMIT 1',
          )
        )[0];
        return row ? { size: Number(row.size), root: bytesOf(row.root), note: row.note } : null;
      },
      publishers: async () =>
        (
          await rows<{ verifier_key: string }>(
            'SELECT verifier_key FROM hub_publishers ORDER BY added_at, verifier_key',
          )
        ).map((r) => r.verifier_key),
      putPublisher: async (key, by, at) =>
        (
          await c.query(
            'INSERT INTO hub_publishers (verifier_key, added_by, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [key, by, at],
          )
        ).rowCount === 1,
      putDistribution: async (d, content) => {
        await c.query(
          `INSERT INTO hub_distributions (stream, seq, kind, version, label, note, content, published_at, received_at, received_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            d.stream,
            d.sequence,
            d.kind,
            d.version,
            d.label,
            d.note,
            buf(content),
            d.publishedAt,
            d.receivedAt,
            d.receivedBy,
          ],
        );
      },
      distributions: async (stream) =>
        (
          await rows<DistributionRow>(
            `SELECT stream, seq, kind, version, label, note, published_at, received_at, received_by FROM hub_distributions
             WHERE $1::text IS NULL OR stream = $1 ORDER BY stream, seq`,
            [stream],
          )
        ).map(toDistribution),
      distributionContent: async (stream, sequence) => {
        const row = (
          await rows<{ content: Buffer }>('SELECT content FROM hub_distributions WHERE stream = $1 AND seq = $2', [
            stream,
            sequence,
          ])
        )[0];
        return row ? bytesOf(row.content) : null;
      },
    };
  };

  return {
    kind: 'postgres',
    transaction: async <T>(work: (tx: HubTx) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        try {
          const result = await work(txOf(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      } finally {
        client.release();
      }
    },
    bareInsert: async (entries: readonly StoredEntry[]) => {
      const client = await pool.connect();
      try {
        await client.query(
          `INSERT INTO bench_floor (origin, seq, bytes, leaf_hash)
           SELECT 'floor', * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])
           ON CONFLICT (origin, seq) DO UPDATE SET bytes = EXCLUDED.bytes`,
          [entries.map((e) => e.sequence), entries.map((e) => buf(e.bytes)), entries.map((e) => buf(e.leafHash))],
        );
      } finally {
        client.release();
      }
    },
    close: async () => {
      await pool.end();
    },
  };
};
