// The device's pull: other devices' entries from per-origin cursors into the inbox, verified against the mirror's
// cosigned checkpoint. Idempotent and resumable: a batch lands with its cursor in one transaction. An entry the hub
// withholds (a lead outside this device's region or markets, decision 0250) lands as its leaf hash only; a tombstone
// deletes the inbox's copies of the data it covers as it lands (decision 0251). Applying the inbox through the one door
// (typed events, projections, conflicts) is another step.
import * as z from 'zod';
import { base64ToBytes } from '../../../core/audit/bytes.ts';
import { parseSignedCheckpoint } from '../../../core/audit/checkpoint.ts';
import { hashLeaf } from '../../../core/audit/merkle.ts';
import { createMemoryMerkleTree } from '../../../core/audit/merkle.ts';
import { bytesEqual } from '../../../core/audit/bytes.ts';
import { nodeSha256 } from '../audit/node-sha256.ts';
import { parseCosignerKey, verifyCosignature } from '../../../core/sync/cosignature.ts';
import { parsePullV2, PULL_FORMAT_2, PULL_V2_CONTENT_TYPE } from '../../../core/sync/pull-wire.ts';
import type { Database } from '../store/database.ts';
import { inTransaction } from '../store/transaction.ts';
import type { HubClient, HubResponse } from './hub-client.ts';
import { SyncError } from './hub-client.ts';
import { applyPulledTombstone, tombstonesOf } from './erasure.ts';
import type { PulledTombstone } from './erasure.ts';

const OriginsSchema = z.object({
  region: z.string(),
  origins: z.array(
    z.object({ origin: z.string().min(1), device: z.string().nullable(), size: z.number().int().nonnegative() }),
  ),
});
// The header of a format 2 reply (decision 0280): the batch's place and checkpoint, and its personal data; the entries
// follow it as bytes (core/sync/pull-wire.ts).
const PullHeaderSchema = z.object({
  origin: z.string(),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  checkpoint: z.string().nullable(),
  personalData: z.array(
    z.object({
      sequence: z.number().int().nonnegative(),
      subject: z.string(),
      regime: z.string(),
      salt: z.string(),
      data: z.string(),
    }),
  ),
});

/** Entries per pull request (format 2): a batch lands in one transaction, with its cursor. */
export const PULL_BATCH = 10_000;

export type PullResult = {
  readonly origins: number;
  readonly entries: number;
  readonly batches: number;
  /** Of the entries, how many the hub withheld (served as leaf hashes only). */
  readonly withheld: number;
  /** The tombstones that landed, and how many inbox records of personal data they deleted. */
  readonly tombstones: readonly PulledTombstone[];
  readonly erasedRecords: number;
};

const parseJson = <S extends z.ZodType>(schema: S, text: string, what: string): z.infer<S> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SyncError('protocol', `${what}: the hub's reply is not JSON`);
  }
  return parseValue(schema, value, what);
};

const parseValue = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new SyncError(
      'protocol',
      `${what}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
};

/**
 * Pulls every other origin of the region from this device's cursor on. When a pull reaches the mirror checkpoint,
 * the whole inbox of that origin is checked against the checkpoint's root before the cursor moves past it.
 */
export const pullFromHub = async (
  db: Database,
  client: HubClient,
  ownOrigin: string,
  mirrorKey: string,
  options: {
    readonly batch?: number;
    /** Called inside each batch's transaction with the tombstones it brought (the door erases the device's own copies). */
    readonly onTombstones?: (tombstones: readonly PulledTombstone[]) => void;
  } = {},
): Promise<PullResult> => {
  const mirror = parseCosignerKey(mirrorKey, nodeSha256);
  if (!mirror) throw new SyncError('bad_hub_key', `the hub key ${mirrorKey} is not an Ed25519 cosigner key`);
  const listed = await client.send('GET', '/v1/origins');
  if (listed.status !== 200) throw new SyncError(`http_${listed.status}`, `origins: ${listed.text.trim()}`);
  const { origins } = parseJson(OriginsSchema, listed.text, 'origins');
  const cursor = db.prepare<[string], number>('SELECT next FROM sync_cursors WHERE origin = ?').pluck();
  const putCursor = db.prepare(
    'INSERT INTO sync_cursors (origin, next, checkpoint) VALUES (?, ?, ?) ON CONFLICT (origin) DO UPDATE SET next = excluded.next, checkpoint = excluded.checkpoint',
  );
  const putEntry = db.prepare('INSERT OR IGNORE INTO sync_inbox (origin, seq, bytes) VALUES (?, ?, ?)');
  const putPersonal = db.prepare(
    'INSERT OR IGNORE INTO sync_inbox_personal_data (origin, seq, subject, regime, salt, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const putWithheld = db.prepare('INSERT OR IGNORE INTO sync_inbox_withheld (origin, seq, leaf_hash) VALUES (?, ?, ?)');
  // The copy's leaves in order: an entry's own hash, or the hash the hub served for an entry it withheld.
  const inboxLeaves = db.prepare<[string, number, string, number], { bytes: Buffer | null; leaf_hash: Buffer | null }>(
    `SELECT seq, bytes, NULL AS leaf_hash FROM sync_inbox WHERE origin = ? AND seq < ?
     UNION ALL SELECT seq, NULL, leaf_hash FROM sync_inbox_withheld WHERE origin = ? AND seq < ? ORDER BY seq`,
  );
  let entries = 0;
  let batches = 0;
  let withheld = 0;
  let erasedRecords = 0;
  const tombstones: PulledTombstone[] = [];
  for (const origin of origins.filter((o) => o.origin !== ownOrigin)) {
    let from = cursor.get(origin.origin) ?? 0;
    // The origin's tree, grown batch by batch as entries land (a resumed pull first reads what the inbox holds), so the
    // copy is checked against the checkpoint's root without reading it all back.
    const tree = createMemoryMerkleTree(nodeSha256, origin.size);
    if (from > 0)
      for (const row of inboxLeaves.all(origin.origin, from, origin.origin, from))
        tree.append(row.bytes ? hashLeaf(nodeSha256, row.bytes) : new Uint8Array(row.leaf_hash!));
    const what = `pull ${origin.origin}`;
    const request = (at: number): Promise<HubResponse> =>
      client.send(
        'GET',
        `/v1/pull?origin=${encodeURIComponent(origin.origin)}&from=${at}&limit=${options.batch ?? PULL_BATCH}&format=${PULL_FORMAT_2}`,
      );
    // The next batch is asked for as soon as this one has arrived, so the hub reads it while this one lands; the cursor
    // still moves only with a landed batch, so a pull cut anywhere resumes from the last one that landed.
    let inFlight: Promise<HubResponse> | null = from < origin.size ? request(from) : null;
    try {
      while (inFlight) {
        const response = await inFlight;
        inFlight = null;
        if (response.status !== 200) throw new SyncError(`http_${response.status}`, `${what}: ${response.text.trim()}`);
        if (!response.contentType.startsWith(PULL_V2_CONTENT_TYPE))
          throw new SyncError('protocol', `${what}: a reply of type ${response.contentType}, not format 2`);
        const parsed = parsePullV2(response.bytes, (header) => {
          const h = PullHeaderSchema.safeParse(header);
          return h.success && h.data.to >= h.data.from ? h.data.to - h.data.from : null;
        });
        if (!parsed.ok) throw new SyncError('protocol', `${what}: ${parsed.error}`);
        const batch = parseValue(PullHeaderSchema, parsed.value.header, what);
        const served = parsed.value.entries;
        if (batch.from !== from || served.length !== batch.to - batch.from)
          throw new SyncError('protocol', `${what}: a batch that does not start at the cursor`);
        if (served.length === 0) break;
        if (batch.to < origin.size) {
          inFlight = request(batch.to);
          // Let the request leave before this batch's transaction holds the thread.
          await new Promise((resolve) => setImmediate(resolve));
        }
        const complete = batch.to === batch.size;
        inTransaction(db, () => {
          const landed: PulledTombstone[] = [];
          served.forEach((entry, i) => {
            if ('withheld' in entry) {
              putWithheld.run(origin.origin, from + i, entry.withheld);
              tree.append(entry.withheld.slice());
              withheld++;
              return;
            }
            putEntry.run(origin.origin, from + i, entry.bytes);
            tree.append(hashLeaf(nodeSha256, entry.bytes));
            landed.push(...tombstonesOf(origin.origin, from + i, entry.bytes));
          });
          for (const p of batch.personalData) {
            const salt = base64ToBytes(p.salt);
            const data = base64ToBytes(p.data);
            if (!salt || !data)
              throw new SyncError(
                'protocol',
                `${what}: personal data of entry ${p.sequence}: salt and data are base64`,
              );
            putPersonal.run(origin.origin, p.sequence, p.subject, p.regime, salt, data);
          }
          // After the batch's own data landed, so a tombstone deletes what its own batch brought too.
          for (const tombstone of landed) erasedRecords += applyPulledTombstone(db, tombstone);
          if (landed.length > 0) options.onTombstones?.(landed);
          tombstones.push(...landed);
          if (complete) {
            // The whole copy must hash to the root of the mirror's checkpoint (signed by the device, cosigned by the hub).
            const parsed = batch.checkpoint ? parseSignedCheckpoint(new TextEncoder().encode(batch.checkpoint)) : null;
            if (!parsed?.ok) throw new SyncError('protocol', `${what}: no checkpoint with the last batch`);
            // The checkpoint must carry the mirror cosignature of the hub this device enrolled with.
            const cosigned = parsed.value.note.signatures.some(
              (signature) => verifyCosignature(parsed.value.note.text, signature.line, mirror) !== null,
            );
            if (!cosigned)
              throw new SyncError('bad_cosignature', `${what}: the checkpoint lacks the hub's mirror cosignature`);
            if (tree.size() !== batch.size || !bytesEqual(tree.root(), parsed.value.body.root))
              throw new SyncError('inconsistent', `${what}: the entries do not hash to the checkpoint's root`);
          }
          putCursor.run(origin.origin, batch.to, complete ? batch.checkpoint : null);
        });
        entries += served.length;
        batches++;
        from = batch.to;
      }
    } finally {
      // A batch asked for ahead and not landed (a failure above): its reply is dropped, the cursor did not move.
      if (inFlight) void inFlight.catch(() => undefined);
    }
  }
  return { origins: origins.length, entries, batches, withheld, tombstones, erasedRecords };
};
