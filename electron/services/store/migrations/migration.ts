// A numbered schema migration: data, applied in order, each in its own transaction.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

export type Migration = {
  readonly version: number;
  readonly name: string;
  readonly up: (db: BetterSqlite3.Database) => void;
};
