// What the workstation remembers of its sync attempts (migration 0016, decision 0258): the last enrol, push and pull
// attempt each with its outcome in words and whether it reached the hub, and the device's standing at the hub.
import type { Database } from '../store/database.ts';

export type SyncAttemptKind = 'enrol' | 'push' | 'pull';
export type DeviceStanding = 'pending' | 'approved' | 'revoked';

export type SyncAttempt = {
  readonly kind: SyncAttemptKind;
  readonly at: string;
  readonly ok: boolean;
  /** False when the hub could not be reached at all (the workstation is offline, or the hub is down). */
  readonly reachedHub: boolean;
  readonly code: string | null;
  readonly message: string;
  readonly entries: number;
  readonly lastOkAt: string | null;
};

export const recordSyncAttempt = (db: Database, attempt: Omit<SyncAttempt, 'lastOkAt'>): void => {
  db.prepare(
    `INSERT INTO sync_attempts (kind, at, ok, reached_hub, code, message, entries, last_ok_at, serial)
     VALUES (@kind, @at, @ok, @reached, @code, @message, @entries, CASE WHEN @ok = 1 THEN @at END,
       (SELECT coalesce(max(serial), 0) + 1 FROM sync_attempts))
     ON CONFLICT (kind) DO UPDATE SET at = excluded.at, ok = excluded.ok, reached_hub = excluded.reached_hub,
       code = excluded.code, message = excluded.message, entries = excluded.entries, serial = excluded.serial,
       last_ok_at = CASE WHEN excluded.ok = 1 THEN excluded.at ELSE sync_attempts.last_ok_at END`,
  ).run({
    kind: attempt.kind,
    at: attempt.at,
    ok: attempt.ok ? 1 : 0,
    reached: attempt.reachedHub ? 1 : 0,
    code: attempt.code,
    message: attempt.message,
    entries: attempt.entries,
  });
};

/** The attempts by kind, and the kind of the latest one. */
export const readSyncAttempts = (
  db: Database,
): { readonly byKind: Partial<Record<SyncAttemptKind, SyncAttempt>>; readonly latest: SyncAttempt | null } => {
  const rows = db
    .prepare<
      [],
      {
        kind: SyncAttemptKind;
        at: string;
        ok: number;
        reached_hub: number;
        code: string | null;
        message: string;
        entries: number;
        last_ok_at: string | null;
      }
    >('SELECT * FROM sync_attempts ORDER BY serial')
    .all();
  const attempts: Partial<Record<SyncAttemptKind, SyncAttempt>> = {};
  for (const row of rows)
    attempts[row.kind] = {
      kind: row.kind,
      at: row.at,
      ok: row.ok === 1,
      reachedHub: row.reached_hub === 1,
      code: row.code,
      message: row.message,
      entries: row.entries,
      lastOkAt: row.last_ok_at,
    };
  const last = rows.at(-1);
  return { byKind: attempts, latest: last ? attempts[last.kind]! : null };
};

export const readStanding = (db: Database): { standing: DeviceStanding; at: string | null } | null => {
  const row = db
    .prepare<[], { standing: DeviceStanding; standing_at: string | null }>(
      'SELECT standing, standing_at FROM sync_device',
    )
    .get();
  return row ? { standing: row.standing, at: row.standing_at } : null;
};

/** Revoked is final (decision 0223): a later "approved" never undoes it on the device either. */
export const writeStanding = (db: Database, standing: DeviceStanding, at: string): void => {
  db.prepare("UPDATE sync_device SET standing = ?, standing_at = ? WHERE standing <> 'revoked'").run(standing, at);
};
