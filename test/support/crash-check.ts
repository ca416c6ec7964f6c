// The crash test's checks of a workstation after a writer was killed (decision 0170): a cheap one after every kill,
// whose cost follows what the killed writer appended, and the full one (every projection rebuilt) now and then.
//
// The cheap check keeps a shadow: a second database holding a copy of the log, whose projections are brought up to date
// by replaying only the entries appended since the last check, through the same replay as the rebuild. Temporary
// triggers on the shadow note every row the replay wrote; those rows must be identical in the live database. So after
// each kill: the log's new entries verify and chain on to the entries already verified; every acknowledged command is
// in the live projections and in the shadow (built from the log alone, so it is in the log); and the effects of every
// new entry, the last one included, are in the live tables exactly as a replay makes them: all of them or none.
// Generic by construction: tables, keys and columns are read from the schema, entries replayed by the projector.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { bytesEqual, bytesToHex, utf8TextStrict } from '../../core/audit/bytes.ts';
import { checkEntryShape, commitCanonicalBytes, entryLeafHash } from '../../core/audit/entry.ts';
import type { AuditEntry } from '../../core/audit/entry.ts';
import { hashChildren, treeRoot } from '../../core/audit/merkle.ts';
import { parseCanonicalJson } from '../../core/audit/strict-json.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { sqliteAuditStore } from '../../electron/services/audit/sqlite-store.ts';
import { openDatabase } from '../../electron/services/store/database.ts';
import type { Database } from '../../electron/services/store/database.ts';
import { PROJECTION_TABLES } from '../../electron/services/store/migrations/0002-workstation.ts';
import {
  projectEntriesFrom,
  projectionSnapshot,
  rebuildProjections,
} from '../../electron/services/workstation/projection/rebuild.ts';

/** What the killed writers acknowledged: lead ids and ids of cases they decided (as `maker`). */
export type Acknowledged = { readonly leads: readonly string[]; readonly cases: readonly string[] };

/** How far the log has been verified: the next sequence, the last leaf, and the Merkle frontier of the leaves so far. */
type VerifiedLog = {
  next: number;
  lastLeaf: Uint8Array | null;
  /** Perfect subtrees of the leaves verified so far, largest first: the binary decomposition of `next`. */
  frontier: { level: number; hash: Uint8Array }[];
};

export type Shadow = {
  readonly db: Database;
  /** Tables the replay has written so far (projections and whatever triggers on them maintain). */
  readonly touchedTables: Set<string>;
  log: VerifiedLog;
  readonly close: () => void;
};

export type CheckTimings = { readonly verifyMs: number; readonly replayMs: number; readonly compareMs: number };
export type CheckResult = { readonly problems: string[]; readonly entries: number; readonly timings: CheckTimings };

// The log's own tables that carry a sequence, in foreign-key order: what the shadow copies to replay from.
const LOG_TABLES = ['audit_entries', 'audit_entry_subjects', 'audit_personal_data'] as const;
const MAX_PROBLEMS = 20;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The columns that identify a row: the primary key, or the rowid for a table without one. */
const keyColumns = (db: Database, table: string): string[] => {
  const columns = db
    .prepare<[], { name: string; pk: number }>(`SELECT name, pk FROM pragma_table_info(${quoteLiteral(table)})`)
    .all()
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);
  return columns.length > 0 ? columns : ['rowid'];
};

const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Every table but the log's own and SQLite's: what the replay might write. */
const candidateTables = (db: Database): string[] =>
  db
    .prepare<[], string>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'audit\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all();

const elapsed = (from: number): number => performance.now() - from;

// The subject index rows of entries [from, to), found through the subjects each entry names.
const subjectRows = (live: Database, from: number, to: number): unknown[] => {
  const entries = live
    .prepare<[number, number], { sequence: number; canonical: Buffer }>(
      'SELECT sequence, canonical FROM audit_entries WHERE sequence >= ? AND sequence < ? ORDER BY sequence',
    )
    .all(from, to);
  const row = live.prepare('SELECT * FROM audit_entry_subjects WHERE subject = ? AND sequence = ?');
  return entries.flatMap(({ sequence, canonical }) =>
    [...new Set((JSON.parse(canonical.toString('utf8')) as AuditEntry).subjects)]
      .map((subject) => row.get(subject, sequence))
      .filter((found) => found !== undefined),
  );
};

/**
 * Creates the shadow in `dir` (a database of its own, encrypted with a throwaway key) and brings it up to date with
 * the live log; the live projections must then equal it (see checkAfterKill).
 */
export const createShadow = (dir: string, live: Database): Shadow => {
  const db = openDatabase(join(dir, 'shadow.db'), new Uint8Array(randomBytes(32)), { create: true, check: 'none' });
  db.pragma('temp_store = MEMORY');
  const identity = live.prepare('SELECT * FROM audit_log').all() as Record<string, unknown>[];
  for (const row of identity) insertRow(db, 'audit_log', row);
  db.exec('CREATE TEMP TABLE crash_touched (tbl TEXT NOT NULL, key TEXT NOT NULL)');
  for (const table of candidateTables(db)) {
    const key = (row: 'NEW' | 'OLD'): string =>
      `json_array(${keyColumns(db, table)
        .map((column) => `${row}.${quote(column)}`)
        .join(', ')})`;
    const note = (row: 'NEW' | 'OLD'): string =>
      `INSERT INTO crash_touched (tbl, key) VALUES (${quoteLiteral(table)}, ${key(row)});`;
    db.exec(`
      CREATE TEMP TRIGGER ${quote(`crash_${table}_insert`)} AFTER INSERT ON main.${quote(table)} BEGIN ${note('NEW')} END;
      CREATE TEMP TRIGGER ${quote(`crash_${table}_update`)} AFTER UPDATE ON main.${quote(table)}
      BEGIN ${note('OLD')} ${note('NEW')} END;
      CREATE TEMP TRIGGER ${quote(`crash_${table}_delete`)} AFTER DELETE ON main.${quote(table)} BEGIN ${note('OLD')} END;`);
  }
  return {
    db,
    touchedTables: new Set(),
    log: { next: 0, lastLeaf: null, frontier: [] },
    close: () => db.close(),
  };
};

const insertRow = (db: Database, table: string, row: Record<string, unknown>): void => {
  const columns = Object.keys(row);
  db.prepare(
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  ).run(...columns.map((column) => row[column]));
};

const addLeaf = (log: VerifiedLog, leaf: Uint8Array): void => {
  let node = { level: 0, hash: leaf };
  while (log.frontier.length > 0 && log.frontier[log.frontier.length - 1]!.level === node.level) {
    const left = log.frontier.pop()!;
    node = { level: node.level + 1, hash: hashChildren(nodeSha256, left.hash, node.hash) };
  }
  log.frontier.push(node);
};

// RFC 6962's root of the leaves so far: the perfect subtrees folded from the right.
const frontierRoot = (log: VerifiedLog): Uint8Array | null => {
  if (log.frontier.length === 0) return null;
  let root = log.frontier[log.frontier.length - 1]!.hash;
  for (let i = log.frontier.length - 2; i >= 0; i -= 1) root = hashChildren(nodeSha256, log.frontier[i]!.hash, root);
  return root;
};

type EntryRow = { sequence: number; canonical: Buffer; leaf_hash: Buffer };

/**
 * Verifies the live log from `log.next` to its head and advances `log`: each entry is canonical and well formed, names
 * its own sequence and its predecessor's leaf hash, its stored leaf hash is its bytes' hash, its subjects are indexed,
 * its personal data (unless erased) matches its commitment; the entry before `log.next` is the one verified before;
 * and the stored Merkle tree's root equals the root of the verified leaves.
 */
export const verifyLogFrom = (live: Database, log: VerifiedLog): { problems: string[]; entries: number } => {
  const problems: string[] = [];
  const problem = (text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  if (log.lastLeaf) {
    const kept = live
      .prepare<[number], Buffer>('SELECT leaf_hash FROM audit_entries WHERE sequence = ?')
      .pluck()
      .get(log.next - 1);
    if (!kept || !bytesEqual(kept, log.lastLeaf))
      problem(`audit_entries: entry ${log.next - 1}, verified before, is ${kept ? 'no longer the same' : 'gone'}`);
  }
  const rows = live
    .prepare<[number], EntryRow>(
      'SELECT sequence, canonical, leaf_hash FROM audit_entries WHERE sequence >= ? ORDER BY sequence',
    )
    .all(log.next);
  const indexedSubject = live
    .prepare<[string, number], number>('SELECT 1 FROM audit_entry_subjects WHERE subject = ? AND sequence = ?')
    .pluck();
  const personal = live.prepare<[number], { commitment: Buffer; salt: Buffer | null; data: Buffer | null }>(
    'SELECT commitment, salt, data FROM audit_personal_data WHERE sequence = ?',
  );
  for (const row of rows) {
    const where = `audit_entries: entry ${row.sequence}`;
    if (row.sequence !== log.next) {
      problem(`${where}: expected sequence ${log.next} (a gap in the log)`);
      break;
    }
    const text = utf8TextStrict(row.canonical);
    const parsed = text === null ? null : parseCanonicalJson(text);
    if (!parsed?.ok) {
      problem(`${where}: canonical: not canonical JSON${parsed ? ` (${parsed.error.message})` : ' (not UTF-8)'}`);
      break;
    }
    const shape = checkEntryShape(parsed.value);
    if (shape) {
      problem(`${where}: ${shape.field}: ${shape.message}`);
      break;
    }
    const entry = parsed.value as unknown as AuditEntry;
    const leaf = entryLeafHash(row.canonical, nodeSha256);
    if (entry.sequence !== String(row.sequence)) problem(`${where}: sequence: the entry says ${entry.sequence}`);
    if (!bytesEqual(leaf, row.leaf_hash)) problem(`${where}: leaf_hash: not the hash of the entry's bytes`);
    const previous = log.lastLeaf ? bytesToHex(log.lastLeaf) : null;
    if (entry.previous !== previous) problem(`${where}: previous: does not name the leaf hash of the entry before`);
    const unindexed = entry.subjects.filter((subject) => indexedSubject.get(subject, row.sequence) === undefined);
    if (unindexed.length > 0) problem(`${where}: audit_entry_subjects: ${unindexed.join(' ')} not indexed`);
    const data = personal.get(row.sequence);
    if ((entry.commitment === null) !== (data === undefined))
      problem(
        `${where}: commitment: ${entry.commitment === null ? 'personal data without' : 'no personal data for'} it`,
      );
    else if (data && entry.commitment !== bytesToHex(data.commitment))
      problem(`${where}: audit_personal_data.commitment differs from the entry's`);
    else if (data?.salt && data.data && commitCanonicalBytes(data.salt, data.data, nodeSha256) !== entry.commitment)
      problem(`${where}: audit_personal_data.data does not match the entry's commitment`);
    log.next = row.sequence + 1;
    log.lastLeaf = leaf;
    addLeaf(log, leaf);
  }
  const root = frontierRoot(log);
  if (root && problems.length === 0) {
    const stored = treeRoot(sqliteAuditStore(live).readNode, nodeSha256, log.next);
    if (!bytesEqual(stored, root))
      problem(`audit_tree_nodes: the stored tree's root at size ${log.next} is not the root of the entries`);
  }
  return { problems, entries: rows.length };
};

const rowOf = (db: Database, table: string, columns: readonly string[], key: readonly unknown[]): unknown =>
  db
    .prepare(`SELECT * FROM ${quote(table)} WHERE ${columns.map((column) => `${quote(column)} IS ?`).join(' AND ')}`)
    .get(...key);

const countOf = (db: Database, table: string): number =>
  db
    .prepare<[], number>(`SELECT count(*) FROM ${quote(table)}`)
    .pluck()
    .get()!;

/** The tables compared with the live ones: the projections and every table the replay has written. */
export const comparedTables = (shadow: Shadow): string[] =>
  [...new Set<string>([...PROJECTION_TABLES, ...shadow.touchedTables])].sort();

const checkAcknowledged = (
  live: Database,
  shadow: Shadow,
  acks: Acknowledged,
  maker: string,
  problem: (text: string) => void,
): void => {
  for (const [name, db] of [
    ['live', live],
    ['shadow (replayed from the log)', shadow.db],
  ] as const) {
    const lead = db.prepare<[string], number>('SELECT 1 FROM leads WHERE id = ?').pluck();
    const caseMaker = db.prepare<[string], string | null>('SELECT maker_id FROM cases WHERE id = ?').pluck();
    for (const id of acks.leads)
      if (lead.get(id) === undefined) problem(`${name}: leads: acknowledged lead ${id} is missing`);
    for (const id of acks.cases) {
      const found = caseMaker.get(id);
      if (found !== maker)
        problem(`${name}: cases: acknowledged decision on case ${id} is missing (maker_id ${String(found ?? 'none')})`);
    }
  }
};

/**
 * The cheap check after a kill: verifies the log's new entries, replays them into the shadow, and compares every row
 * the replay wrote, every table's row count, and the commands acknowledged since the last check. Leaves the shadow
 * up to date (also when it finds a problem, so the caller can stop there).
 */
export const checkAfterKill = (live: Database, shadow: Shadow, newAcks: Acknowledged, maker: string): CheckResult => {
  const problems: string[] = [];
  const problem = (text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  const started = performance.now();
  const from = shadow.log.next;
  const verified = verifyLogFrom(live, shadow.log);
  verified.problems.forEach(problem);
  const verifyMs = elapsed(started);

  const replayStarted = performance.now();
  shadow.db.transaction(() => {
    for (const table of LOG_TABLES) {
      // The subject index is keyed by (subject, sequence): looked up by the entries' subjects, not scanned.
      const rows = (
        table === 'audit_entry_subjects'
          ? subjectRows(live, from, shadow.log.next)
          : live
              .prepare(`SELECT * FROM ${quote(table)} WHERE sequence >= ? AND sequence < ? ORDER BY sequence`)
              .all(from, shadow.log.next)
      ) as Record<string, unknown>[];
      for (const row of rows) insertRow(shadow.db, table, row);
    }
    shadow.db.exec('DELETE FROM crash_touched');
    projectEntriesFrom(shadow.db, from);
  })();
  const replayMs = elapsed(replayStarted);

  const compareStarted = performance.now();
  const touched = shadow.db
    .prepare<[], { tbl: string; key: string }>('SELECT DISTINCT tbl, key FROM crash_touched')
    .all();
  const keys = new Map<string, string[]>();
  for (const { tbl, key } of touched) {
    shadow.touchedTables.add(tbl);
    const columns = keys.get(tbl) ?? keyColumns(shadow.db, tbl);
    keys.set(tbl, columns);
    const values = JSON.parse(key) as unknown[];
    const expected = rowOf(shadow.db, tbl, columns, values);
    const actual = rowOf(live, tbl, columns, values);
    if (!isDeepStrictEqual(actual, expected))
      problem(
        `${tbl}: row ${key}: live ${actual === undefined ? 'has no such row' : JSON.stringify(actual)}, replayed from the log ${expected === undefined ? 'no such row' : JSON.stringify(expected)}`,
      );
  }
  for (const table of comparedTables(shadow)) {
    const [liveCount, shadowCount] = [countOf(live, table), countOf(shadow.db, table)];
    if (liveCount !== shadowCount) problem(`${table}: ${liveCount} rows live, ${shadowCount} replayed from the log`);
  }
  checkAcknowledged(live, shadow, newAcks, maker, problem);
  return { problems, entries: verified.entries, timings: { verifyMs, replayMs, compareMs: elapsed(compareStarted) } };
};

const tableRows = (db: Database, table: string): unknown[] =>
  db.prepare(`SELECT * FROM ${quote(table)} ORDER BY ${keyColumns(db, table).map(quote).join(', ')}`).all();

/**
 * The full check: every acknowledged command, every compared table equal to the shadow row for row, and the live projections equal to their rebuild from the whole log (the
 * rebuild runs in a transaction that is rolled back, so the live database is left as the killed writer left it).
 */
export const checkFully = (
  live: Database,
  shadow: Shadow,
  acks: Acknowledged,
  maker: string,
): { problems: string[]; compareMs: number; rebuildMs: number } => {
  const problems: string[] = [];
  const problem = (text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  const compareStarted = performance.now();
  checkAcknowledged(live, shadow, acks, maker, problem);
  for (const table of comparedTables(shadow)) {
    const [liveRows, shadowRows] = [tableRows(live, table), tableRows(shadow.db, table)];
    if (!isDeepStrictEqual(liveRows, shadowRows))
      problem(
        `${table}: the live rows (${liveRows.length}) differ from those replayed from the log (${shadowRows.length})`,
      );
  }
  const compareMs = elapsed(compareStarted);
  const started = performance.now();
  live.exec('BEGIN IMMEDIATE');
  try {
    const before = projectionSnapshot(live);
    rebuildProjections(live);
    const after = projectionSnapshot(live);
    for (const table of Object.keys(before))
      if (!isDeepStrictEqual(before[table], after[table])) problem(`${table}: the live rows differ from their rebuild`);
  } finally {
    live.exec('ROLLBACK');
  }
  return { problems, compareMs, rebuildMs: elapsed(started) };
};
