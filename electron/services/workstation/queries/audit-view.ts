// The audit viewer's read side (audit.list) and exports from the workstation (audit.export): keyset pages over the
// log by sequence, filtered through the indexes the log already has, and every export audited as audit.exported.
import { hasPermission } from '../../../../core/access/roles.ts';
import type { ApiParsedRequest, ApiResponse } from '../../../../core/api/contract.ts';
import { buildCsv } from '../../../../core/audit/bundle-assemble.ts';
import { CSV_FILE, ENTRIES_FILE } from '../../../../core/audit/bundle-format.ts';
import { bytesToHex } from '../../../../core/audit/bytes.ts';
import type { AuditEntry } from '../../../../core/audit/entry.ts';
import { auditLogIdentity } from '../../audit/audit-log.ts';
import { exportAuditBundle } from '../../audit/export.ts';
import type { Database } from '../../store/database.ts';
import { statement } from '../../store/statements.ts';
import { actorOf, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

export type AuditFilter = NonNullable<ApiParsedRequest<'audit.export'>['filter']>;
type Order = 'newest' | 'oldest';

/** Filtered totals stop counting here (like cases.list): a rare actor on a large log would otherwise scan it all. */
export const AUDIT_COUNT_CAP = 10_000;
/** An actor filter alone (no index) counts within this many of the newest entries of the window; beyond, a lower bound. */
export const ACTOR_COUNT_SCAN = 20_000;
/** The most entries one export from the workstation carries, and the most bytes of entries (before any encoding). */
export const MAX_EXPORT_ENTRIES = 200_000;
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

const requirePermission = (session: Session, permission: 'audit.read' | 'audit.export'): void => {
  if (!hasPermission(session.user, permission))
    throw new WorkstationError(
      'forbidden',
      `${session.user.id} may not ${permission === 'audit.read' ? 'read' : 'export'} the audit log`,
    );
};

/** "ada" means user:ada; anything with a kind prefix is taken as written. */
const normaliseActor = (actor: string | undefined): string | undefined =>
  actor === undefined ? undefined : actor.includes(':') ? actor : `user:${actor}`;

const headSequence = (db: Database): number =>
  statement<[], { n: number | null }>(db, 'SELECT max(sequence) AS n FROM audit_entries').get()?.n ?? -1;

const timeAt = (db: Database, sequence: number): string =>
  statement<[number], { time: string }>(db, 'SELECT time FROM audit_entries WHERE sequence = ?').get(sequence)!.time;

/**
 * The first sequence whose time is at or after `time` (head + 1 when none). Times never decrease along the log
 * (the log refuses it), so a binary search over sequence numbers finds it in about 20 point reads for a million entries,
 * without an index on time.
 */
const firstAtOrAfter = (db: Database, head: number, time: string): number => {
  let low = 0;
  let high = head + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (timeAt(db, middle) < time) low = middle + 1;
    else high = middle;
  }
  return low;
};

/** The inclusive sequence range a filter's time window covers. */
const sequenceRange = (db: Database, filter: AuditFilter, head: number): { lo: number; hi: number } => ({
  lo: filter.from === undefined ? 0 : firstAtOrAfter(db, head, filter.from),
  hi: filter.to === undefined ? head : firstAtOrAfter(db, head, filter.to) - 1,
});

type Range = { readonly lo: number; readonly hi: number };

/**
 * Up to `limit` matching sequences inside [lo, hi], in the given order. The driving index depends on the filter:
 * a subject walks audit_entry_subjects (subject, sequence); event types walk audit_entries_by_type (type, time), one
 * range per type merged here (within one type, time order is sequence order); otherwise the sequence itself.
 * An actor has no index: it is checked on the rows the driver yields.
 */
const matchingSequences = (db: Database, filter: AuditFilter, range: Range, order: Order, limit: number): number[] => {
  if (range.hi < range.lo || limit <= 0) return [];
  const actor = normaliseActor(filter.actor);
  const direction = order === 'newest' ? 'DESC' : 'ASC';
  const types = filter.types && filter.types.length > 0 ? [...new Set(filter.types)] : null;
  if (filter.subject !== undefined) {
    const conditions = ['s.subject = ?', 's.sequence BETWEEN ? AND ?'];
    const params: (string | number)[] = [filter.subject, range.lo, range.hi];
    if (types) {
      conditions.push(`e.type IN (${types.map(() => '?').join(',')})`);
      params.push(...types);
    }
    if (actor !== undefined) {
      conditions.push('e.actor = ?');
      params.push(actor);
    }
    return statement<(string | number)[], { sequence: number }>(
      db,
      `SELECT s.sequence FROM audit_entry_subjects s CROSS JOIN audit_entries e ON e.sequence = s.sequence
       WHERE ${conditions.join(' AND ')} ORDER BY s.sequence ${direction} LIMIT ?`,
    )
      .all(...params, limit)
      .map((row) => row.sequence);
  }
  if (types) {
    const timeLo = timeAt(db, range.lo);
    const timeHi = timeAt(db, range.hi);
    const sql = `SELECT sequence FROM audit_entries INDEXED BY audit_entries_by_type
       WHERE type = ? AND time >= ? AND time <= ? AND sequence BETWEEN ? AND ?${actor === undefined ? '' : ' AND actor = ?'}
       ORDER BY time ${direction}, sequence ${direction} LIMIT ?`;
    const merged = types.flatMap((type) =>
      statement<(string | number)[], { sequence: number }>(db, sql)
        .all(type, timeLo, timeHi, range.lo, range.hi, ...(actor === undefined ? [] : [actor]), limit)
        .map((row) => row.sequence),
    );
    merged.sort((a, b) => (order === 'newest' ? b - a : a - b));
    return merged.slice(0, limit);
  }
  return statement<(string | number)[], { sequence: number }>(
    db,
    `SELECT sequence FROM audit_entries WHERE sequence BETWEEN ? AND ?${actor === undefined ? '' : ' AND actor = ?'}
     ORDER BY sequence ${direction} LIMIT ?`,
  )
    .all(range.lo, range.hi, ...(actor === undefined ? [] : [actor]), limit)
    .map((row) => row.sequence);
};

const isFiltered = (filter: AuditFilter): boolean =>
  (filter.types !== undefined && filter.types.length > 0) || filter.actor !== undefined || filter.subject !== undefined;

/** How many entries match: exact from the range alone when only time narrows it, else counted up to `cap`. */
const countMatching = (
  db: Database,
  filter: AuditFilter,
  range: Range,
  cap: number,
  scanBudget: number | null = null,
): { total: number; capped: boolean } => {
  if (range.hi < range.lo) return { total: 0, capped: false };
  if (!isFiltered(filter)) return { total: range.hi - range.lo + 1, capped: false };
  // An actor alone has no index to count on: count within the newest `scanBudget` entries of the range and, when the
  // range is longer, report that count as a lower bound (capped).
  const actorOnly = filter.subject === undefined && !(filter.types && filter.types.length > 0);
  if (actorOnly && scanBudget !== null && range.hi - range.lo + 1 > scanBudget) {
    const found = matchingSequences(db, filter, { lo: range.hi - scanBudget + 1, hi: range.hi }, 'newest', cap + 1);
    return { total: Math.min(found.length, cap), capped: true };
  }
  const found = matchingSequences(db, filter, range, 'oldest', cap + 1).length;
  return { total: Math.min(found, cap), capped: found > cap };
};

type EntryRow = { sequence: number; canonical: Buffer; leaf_hash: Buffer };

const readEntries = (db: Database, sequences: readonly number[]): EntryRow[] =>
  sequences.map((sequence) =>
    statement<[number], EntryRow>(
      db,
      'SELECT sequence, canonical, leaf_hash FROM audit_entries WHERE sequence = ?',
    ).get(sequence)!,
  );

const toView = (row: EntryRow): ApiResponse<'audit.list'>['entries'][number] => {
  const entry = JSON.parse(row.canonical.toString('utf8')) as AuditEntry;
  return {
    sequence: entry.sequence,
    time: entry.time,
    actor: entry.actor,
    type: entry.type,
    subjects: [...entry.subjects],
    payload: entry.payload as Record<string, unknown>,
    commitment: entry.commitment,
    leafHash: bytesToHex(row.leaf_hash),
  };
};

/** One page of the log, newest or oldest first, after `cursor` in that order. Needs audit.read; not market-scoped. */
export const listAuditEntries = (
  session: Session,
  request: ApiParsedRequest<'audit.list'>,
): ApiResponse<'audit.list'> => {
  requirePermission(session, 'audit.read');
  const db = session.workstation.db;
  const head = headSequence(db);
  const range = sequenceRange(db, request, head);
  const counted = countMatching(db, request, range, AUDIT_COUNT_CAP, ACTOR_COUNT_SCAN);
  const cursor = request.cursor === undefined ? null : Number(request.cursor);
  const page: Range =
    cursor === null
      ? range
      : request.order === 'newest'
        ? { lo: range.lo, hi: Math.min(range.hi, cursor - 1) }
        : { lo: Math.max(range.lo, cursor + 1), hi: range.hi };
  const sequences = matchingSequences(db, request, page, request.order, request.limit + 1);
  const more = sequences.length > request.limit;
  const shown = sequences.slice(0, request.limit);
  return {
    entries: readEntries(db, shown).map(toView),
    total: counted.total,
    totalCapped: counted.capped,
    nextCursor: more ? String(shown.at(-1)) : null,
    logSize: head + 1,
  };
};

const joinLines = (lines: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(lines.reduce((sum, line) => sum + line.length + 1, 0));
  let offset = 0;
  for (const line of lines) {
    out.set(line, offset);
    offset += line.length;
    out[offset++] = 0x0a;
  }
  return out;
};

const tooLarge = (what: string): WorkstationError =>
  new WorkstationError(
    'invalid_input',
    `${what} is over what the workstation exports to a download (${MAX_EXPORT_ENTRIES.toLocaleString('en')} entries, ` +
      `${MAX_EXPORT_BYTES / 1024 / 1024} MiB): narrow the filter, or export with \`perimeter audit export\``,
  );

/**
 * Exports from the workstation. Every format goes through the regulator-bundle export (export.ts): a checkpoint,
 * the audit.exported entry (without personal data), a checkpoint covering it. The bundle format returns that zip;
 * csv and json return the bundle's entries (entries.csv / entries.jsonl, byte for byte), or, with a filter, the
 * matching entries of that same bundle in the same formats. Personal data is never included from the workstation.
 */
export const exportAudit = (
  session: Session,
  request: ApiParsedRequest<'audit.export'>,
): ApiResponse<'audit.export'> => {
  requirePermission(session, 'audit.export');
  const { workstation, user } = session;
  const db = workstation.db;
  const filter = request.filter ?? {};
  const filtered = isFiltered(filter) || filter.from !== undefined || filter.to !== undefined;
  if (request.format === 'bundle' && filtered)
    throw new WorkstationError(
      'invalid_input',
      'a regulator bundle is always the whole log: export it without a filter',
    );

  // Refuse an oversized export before anything is appended: count, then sum the bytes of what would be exported.
  const head = headSequence(db);
  const range = filtered ? sequenceRange(db, filter, head) : { lo: 0, hi: head };
  const counted = filtered
    ? countMatching(db, filter, range, MAX_EXPORT_ENTRIES)
    : { total: head + 1, capped: head + 1 > MAX_EXPORT_ENTRIES };
  if (counted.capped) throw tooLarge(filtered ? 'the filtered log' : 'the log');
  const bytesOf = statement<[number], { n: number }>(
    db,
    'SELECT length(canonical) AS n FROM audit_entries WHERE sequence = ?',
  );
  const estimate = filtered
    ? matchingSequences(db, filter, range, 'oldest', MAX_EXPORT_ENTRIES).reduce(
        (sum, sequence) => sum + (bytesOf.get(sequence)?.n ?? 0),
        0,
      )
    : (statement<[], { n: number | null }>(db, 'SELECT sum(length(canonical)) AS n FROM audit_entries').get()?.n ?? 0);
  if (estimate > MAX_EXPORT_BYTES) throw tooLarge(filtered ? 'the filtered log' : 'the log');

  const exported = exportAuditBundle(
    db,
    {
      now: workstation.deps.now(),
      actor: actorOf(user),
      includePersonalData: false,
      // The CSV export returns the bundle's own entries.csv; a regulator bundle leaves it out (decision 0231).
      csv: request.format === 'csv' && !filtered,
      level: request.format === 'bundle' ? 6 : 0,
    },
    workstation.deps,
  );
  const logId = auditLogIdentity(db).logId;
  const stem = `perimeter-audit-${logId}-${exported.exportSequence}`;
  const exportSequence = String(exported.exportSequence);
  let file: Uint8Array;
  let entries: number;
  if (request.format === 'bundle') {
    file = exported.zip;
    entries = exported.entries;
  } else if (!filtered) {
    file = exported.files.get(request.format === 'csv' ? CSV_FILE : ENTRIES_FILE)!;
    entries = exported.entries;
  } else {
    // The same filter, over the log as exported (it now ends with the export's own entry).
    const final = sequenceRange(db, filter, exported.exportSequence);
    const lines = readEntries(db, matchingSequences(db, filter, final, 'oldest', MAX_EXPORT_ENTRIES)).map(
      (row) => new Uint8Array(row.canonical),
    );
    file = request.format === 'csv' ? buildCsv(lines) : joinLines(lines);
    entries = lines.length;
  }
  const suffix = filtered ? '-filtered' : '';
  return {
    fileName:
      request.format === 'bundle'
        ? `${stem}.zip`
        : `${stem}-entries${suffix}.${request.format === 'csv' ? 'csv' : 'jsonl'}`,
    mediaType:
      request.format === 'bundle'
        ? 'application/zip'
        : request.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/jsonl',
    base64: Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('base64'),
    bytes: file.byteLength,
    entries,
    exportSequence,
  };
};
