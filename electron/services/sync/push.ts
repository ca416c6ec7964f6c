// The device's push: its own audit log to the hub as tlog-witness add-checkpoint, then tlog-mirror add-entries, then
// the personal data beside the entries. Resumable at every step: the hub's 409 and 202 replies say where to go on.
import { bytesToBase64, utf8Bytes } from '../../../core/audit/bytes.ts';
import { consistencyProof } from '../../../core/audit/merkle.ts';
import { subtreeConsistencyProof } from '../../../core/audit/subtree-proof.ts';
import { parseCosignerKey, verifyCosignature } from '../../../core/sync/cosignature.ts';
import type { CosignerKey } from '../../../core/sync/cosignature.ts';
import {
  formatAddEntriesHeader,
  formatEntryPackage,
  MIRROR_INFO_CONTENT_TYPE,
  packageIntervals,
  packageSubtreeStart,
  parseMirrorInfo,
} from '../../../core/sync/mirror-wire.ts';
import { formatAddCheckpoint, parseTlogSize } from '../../../core/sync/witness-wire.ts';
import { auditLogIdentity, signAuditCheckpoint } from '../audit/audit-log.ts';
import { nodeSha256 } from '../audit/node-sha256.ts';
import { sqliteAuditStore } from '../audit/sqlite-store.ts';
import type { Database } from '../store/database.ts';
import { readPushState, writePushState } from './device-state.ts';
import type { HubClient } from './hub-client.ts';
import { SyncError } from './hub-client.ts';

/** Entries per add-entries request: a strict prefix of the canonical package sequence (tlog-mirror allows it). */
export const ENTRIES_PER_REQUEST = 16_384;
const PERSONAL_PER_REQUEST = 2000;

export type PushResult = {
  readonly size: number;
  readonly entriesSent: number;
  readonly personalSent: number;
  readonly requests: number;
};

const parseHubKey = (vkey: string): CosignerKey => {
  const key = parseCosignerKey(vkey, nodeSha256);
  if (!key) throw new SyncError('bad_hub_key', `the hub key ${vkey} is not an Ed25519 cosigner key`);
  return key;
};

const noteText = (note: string): string => note.slice(0, note.lastIndexOf('\n\n') + 1);

/** Pushes everything the device's log holds now. Throws SyncError naming the case when the hub refuses. */
export const pushAuditLog = async (
  db: Database,
  client: HubClient,
  keys: { readonly witness: string; readonly mirror: string },
  options: { readonly entriesPerRequest?: number } = {},
): Promise<PushResult> => {
  const identity = auditLogIdentity(db);
  const store = sqliteAuditStore(db);
  const checkpoint = signAuditCheckpoint(db);
  const size = checkpoint.size;
  let requests = 0;

  // 1. add-checkpoint: the hub cosigns a checkpoint consistent with the last one it cosigned for this origin.
  let old = readPushState(db).witnessSize;
  for (let attempt = 0; ; attempt++) {
    if (old > size)
      throw new SyncError(
        'behind_hub',
        `the hub holds ${old} entries of this log but the device has ${size}: was it restored from an older backup? It must not sign a fork: restore the latest backup or re-enrol as a new device`,
      );
    const proof = old === 0 || old === size ? [] : consistencyProof(store.readNode, nodeSha256, old, size);
    const response = await client.send(
      'POST',
      '/add-checkpoint',
      formatAddCheckpoint({ oldSize: old, proof, checkpoint: utf8Bytes(checkpoint.note) }),
      'text/plain',
    );
    requests++;
    if (response.status === 200) {
      if (verifyCosignature(noteText(checkpoint.note), response.text, parseHubKey(keys.witness)) === null)
        throw new SyncError(
          'bad_cosignature',
          'the hub answered without a valid witness cosignature from its enrolled key',
        );
      writePushState(db, { witnessSize: size });
      break;
    }
    if (response.status === 409) {
      const hubSize = parseTlogSize(response.text);
      if (hubSize === null) throw new SyncError('protocol', `409 without a tree size: ${response.text}`);
      if (hubSize === old || attempt >= 2)
        throw new SyncError(
          'fork',
          `the hub's checkpoint of size ${hubSize} has another root than this log's: the hub keeps both as evidence of a fork`,
        );
      old = hubSize;
      continue;
    }
    if (response.status === 422)
      throw new SyncError(
        'inconsistent',
        `the hub's checkpoint of size ${old} is not a prefix of this log (${response.text.trim()}): a fork, kept by the hub as evidence`,
      );
    throw new SyncError(`http_${response.status}`, `add-checkpoint: ${response.status} ${response.text.trim()}`);
  }

  // 2. add-entries: from the hub's next entry to the cosigned size, a bounded prefix per request.
  const perRequest = options.entriesPerRequest ?? ENTRIES_PER_REQUEST;
  const entryRange = db
    .prepare<[number, number], Buffer>(
      'SELECT canonical FROM audit_entries WHERE sequence >= ? AND sequence < ? ORDER BY sequence',
    )
    .pluck();
  // A request's body: from `from`, whole packages up to `perRequest` entries. Built a package at a time, yielding
  // between packages, so that while one request is in flight the next is prepared and the upload still flows.
  type Prepared = { readonly from: number; readonly count: number; readonly body: Uint8Array };
  const prepare = async (from: number): Promise<Prepared> => {
    const chosen: { start: number; end: number }[] = [];
    let count = 0;
    for (const interval of packageIntervals(from, size)) {
      if (count > 0 && count + (interval.end - interval.start) > perRequest) break;
      chosen.push(interval);
      count += interval.end - interval.start;
    }
    const parts: Uint8Array[] = [
      formatAddEntriesHeader({
        origin: identity.origin,
        uploadStart: from,
        uploadEnd: size,
        ticket: new Uint8Array(0),
      }),
    ];
    for (const interval of chosen) {
      const entries = entryRange
        .all(interval.start, interval.end)
        .map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      const proof = subtreeConsistencyProof(
        store.readNode,
        nodeSha256,
        packageSubtreeStart(interval.start),
        interval.end,
        size,
      );
      parts.push(formatEntryPackage({ ...interval, entries, proof }));
      if (chosen.length > 1) await new Promise((resolve) => setImmediate(resolve));
    }
    const body = Buffer.concat(parts);
    return { from, count, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  };
  let start = Math.min(readPushState(db).mirrorSize, size);
  let entriesSent = 0;
  let prepared: Promise<Prepared> = prepare(start);
  while (true) {
    const current = await prepared;
    const sent = client.send('POST', '/add-entries', current.body);
    // The next request is prepared while this one is in flight, on the guess that the hub stores all of this one
    // (a 202 with next = its end); any other answer discards it.
    const guess = current.from + current.count;
    const ahead = current.count > 0 && guess < size ? prepare(guess) : null;
    // A prepared body that is not used must not leave a rejection unhandled.
    void ahead?.catch(() => undefined);
    const response = await sent;
    requests++;
    if (response.status === 200) {
      if (verifyCosignature(noteText(checkpoint.note), response.text, parseHubKey(keys.mirror)) === null)
        throw new SyncError(
          'bad_cosignature',
          'the hub answered without a valid mirror cosignature from its enrolled key',
        );
      entriesSent += current.count;
      writePushState(db, { mirrorSize: size });
      break;
    }
    if (
      (response.status === 202 || response.status === 409) &&
      response.contentType.startsWith(MIRROR_INFO_CONTENT_TYPE)
    ) {
      const info = parseMirrorInfo(response.text);
      if (!info) throw new SyncError('protocol', `a mirror-info reply that does not parse: ${response.text}`);
      if (response.status === 409 && info.size !== size)
        throw new SyncError(
          'stale_checkpoint',
          `the hub's pending checkpoint is ${info.size}, not ${size}: push again`,
        );
      if (response.status === 202) entriesSent += Math.max(0, info.next - start);
      if (info.next <= start && response.status === 202) throw new SyncError('protocol', 'the hub made no progress');
      start = info.next;
      writePushState(db, { mirrorSize: Math.min(start, size) });
      prepared = ahead !== null && start === guess ? ahead : prepare(start);
      continue;
    }
    // The hub refuses data of another region (decision 0249): the log cannot be mirrored past that entry.
    if (response.status === 403 && response.headers.get('perimeter-refusal') === 'residency')
      throw new SyncError('residency_refused', `add-entries: ${response.text.trim()}`);
    throw new SyncError(`http_${response.status}`, `add-entries: ${response.status} ${response.text.trim()}`);
  }

  // 3. Personal data beside the entries: each record opens its entry's commitment at the hub.
  let personalSent = 0;
  let through = readPushState(db).personalThrough;
  const personal = db.prepare<
    [number, number, number],
    { sequence: number; subject: string; regime: string; salt: Buffer; data: Buffer }
  >(
    `SELECT sequence, subject, regime, salt, data FROM audit_personal_data
     WHERE sequence >= ? AND sequence < ? AND data IS NOT NULL ORDER BY sequence LIMIT ?`,
  );
  while (through < size) {
    const rows = personal.all(through, size, PERSONAL_PER_REQUEST);
    const last = rows.length < PERSONAL_PER_REQUEST ? size : rows.at(-1)!.sequence + 1;
    if (rows.length > 0) {
      const body = utf8Bytes(
        JSON.stringify({
          origin: identity.origin,
          records: rows.map((r) => ({
            sequence: r.sequence,
            subject: r.subject,
            regime: r.regime,
            salt: bytesToBase64(r.salt),
            data: bytesToBase64(r.data),
          })),
        }),
      );
      const response = await client.send('POST', '/v1/add-personal-data', body, 'application/json');
      requests++;
      if (response.status !== 200)
        throw new SyncError(`http_${response.status}`, `add-personal-data: ${response.status} ${response.text.trim()}`);
      personalSent += rows.length;
    }
    through = last;
    writePushState(db, { personalThrough: through });
  }
  return { size, entriesSent, personalSent, requests };
};
