// Versions 9 and 10 are reserved for migrations of branches built alongside this one (screening, lifecycle): these
// no-op stand-ins keep the versions contiguous on this branch only, and give way to the real ones at merge.
import type { Migration } from './migration.ts';

export const migration0009Reserved: Migration = { version: 9, name: '0009-reserved', up: () => undefined };
export const migration0010Reserved: Migration = { version: 10, name: '0010-reserved', up: () => undefined };
