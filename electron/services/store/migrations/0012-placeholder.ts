// PLACEHOLDER in branch s9-residency only: versions 12 and 13 are other helpers' migrations. Drop this file at merge.
import type { Migration } from './migration.ts';

export const migration0012Placeholder: Migration = { version: 12, name: '0012-placeholder', up: () => {} };
export const migration0013Placeholder: Migration = { version: 13, name: '0013-placeholder', up: () => {} };
