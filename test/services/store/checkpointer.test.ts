// The background checkpointer on a real encrypted database: its worker's own connection copies the committed WAL into
// the file while the writer goes on, the writer's automatic checkpoint is off meanwhile and back on after, and a worker
// that cannot open the file changes nothing.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBackgroundCheckpointer } from '../../../electron/services/store/checkpointer.ts';
import { createDatabase, openDatabase } from '../../../electron/services/store/database.ts';
import type { Database } from '../../../electron/services/store/database.ts';
import { randomKey, tempDir } from './temp.ts';

const dir = tempDir('checkpointer');

const writeRows = (db: Database, from: number, count: number): void => {
  const insert = db.prepare('INSERT INTO filler (n, body) VALUES (?, ?)');
  db.transaction(() => {
    for (let n = from; n < from + count; n++) insert.run(n, `row ${n} `.repeat(40));
  })();
};

// A database with a filler table, its WAL checkpointed: the size of the file before the test writes.
const fillerDatabase = (name: string) => {
  const path = join(dir, name);
  const key = randomKey();
  const db = createDatabase(path, key);
  db.exec('CREATE TABLE filler (n INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { path, key, db, sizeBefore: statSync(path).size };
};

const autocheckpoint = (db: Database): number => Number(db.pragma('wal_autocheckpoint', { simple: true }));

describe('background checkpointer', () => {
  it('copies committed pages into the database file while the writer goes on, then hands checkpoints back', () => {
    const { path, key, db, sizeBefore } = fillerDatabase('running.db');
    const checkpointer = startBackgroundCheckpointer(db, path, key)!;
    expect(checkpointer).not.toBeNull();
    expect(autocheckpoint(db)).toBe(0);
    for (let round = 0; round < 5; round++) {
      writeRows(db, round * 2_000, 2_000);
      checkpointer.request();
    }
    checkpointer.settle();
    expect(checkpointer.completed()).toBe(5);
    checkpointer.stop();
    // The writer never checkpointed (automatic checkpoints were off), yet the file holds the new pages: the worker did.
    expect(statSync(path).size).toBeGreaterThan(sizeBefore + 1_000_000);
    expect(autocheckpoint(db)).toBe(1000);
    checkpointer.stop(); // a second stop is harmless
    db.close();
    const reopened = openDatabase(path, key);
    expect(reopened.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(10_000);
    reopened.close();
  });

  it('without the worker the same writes stay in the WAL (so the test above can fail)', () => {
    const { path, db, sizeBefore } = fillerDatabase('without.db');
    db.pragma('wal_autocheckpoint = 0');
    for (let round = 0; round < 5; round++) writeRows(db, round * 2_000, 2_000);
    expect(statSync(path).size).toBe(sizeBefore);
    db.close();
  });

  it('gives null and leaves the writer as it was when its connection cannot open the file', () => {
    const path = join(dir, 'wrong-key.db');
    const db = createDatabase(path, randomKey());
    const wrong = new Uint8Array(32).fill(9);
    expect(startBackgroundCheckpointer(db, path, wrong)).toBeNull();
    expect(autocheckpoint(db)).toBe(1000);
    db.close();
  });
});
