// Tombstones pulled from other devices (issue 15, decision 0251): what they delete where pulled data lands. A function
// the pull calls as each batch lands, and the apply step may call again when it applies the entry (idempotent).
import type { Database } from '../store/database.ts';

/** A tombstone another device logged: an erasure of one subject, or a retention purge of a regime before a cut-off. */
export type PulledTombstone =
  | { readonly kind: 'erasure'; readonly origin: string; readonly sequence: number; readonly subject: string }
  | {
      readonly kind: 'retention';
      readonly origin: string;
      readonly sequence: number;
      readonly regime: string;
      readonly cutoff: string;
    };

const TOMBSTONE_TYPES = ['"type":"subject.erased"', '"type":"retention.purged"'].map((needle) =>
  Buffer.from(needle, 'utf8'),
);

/** The tombstones an entry (canonical JSON bytes) carries; none for any other entry, which is not decoded or parsed. */
export const tombstonesOf = (origin: string, sequence: number, bytes: Uint8Array): PulledTombstone[] => {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!TOMBSTONE_TYPES.some((needle) => raw.includes(needle))) return [];
  const text = raw.toString('utf8');
  let entry: { type?: unknown; payload?: Record<string, unknown> };
  try {
    entry = JSON.parse(text) as typeof entry;
  } catch {
    return [];
  }
  if (entry.type === 'subject.erased' && typeof entry.payload?.subject === 'string')
    return [{ kind: 'erasure', origin, sequence, subject: entry.payload.subject }];
  if (entry.type === 'retention.purged' && Array.isArray(entry.payload?.rules))
    return (entry.payload.rules as Record<string, unknown>[]).flatMap((rule) =>
      typeof rule.regime === 'string' && typeof rule.cutoff === 'string'
        ? [{ kind: 'retention' as const, origin, sequence, regime: rule.regime, cutoff: rule.cutoff }]
        : [],
    );
  return [];
};

/**
 * Deletes from the inbox the personal data a tombstone covers, of every origin (not only the tombstone's): an erasure
 * takes every record of the subject, a retention purge every record of the regime whose entry is older than the
 * cut-off. Returns the records deleted. Runs inside the caller's transaction.
 */
export const applyPulledTombstone = (db: Database, tombstone: PulledTombstone): number =>
  tombstone.kind === 'erasure'
    ? db.prepare('DELETE FROM sync_inbox_personal_data WHERE subject = ?').run(tombstone.subject).changes
    : db
        .prepare(
          `DELETE FROM sync_inbox_personal_data AS p WHERE p.regime = ? AND EXISTS (
             SELECT 1 FROM sync_inbox i WHERE i.origin = p.origin AND i.seq = p.seq
               AND json_extract(CAST(i.bytes AS TEXT), '$.time') < ?)`,
        )
        .run(tombstone.regime, tombstone.cutoff).changes;
