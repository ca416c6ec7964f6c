// Migration 12 is another branch's (s9 work in parallel); this empty stand-in keeps the versions gapless on this
// branch only. At merge it is replaced by the real 0012, never shipped.
import type { Migration } from './migration.ts';

export const migration0012Reserved: Migration = { version: 12, name: '0012-reserved', up: () => undefined };
