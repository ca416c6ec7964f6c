// The ordered list of every migration. Append new ones at the end with the next version number.
import type { Migration } from './migration.ts';
import { migration0001Audit } from './0001-audit.ts';
import { migration0002Workstation } from './0002-workstation.ts';

export const MIGRATIONS: readonly Migration[] = [migration0001Audit, migration0002Workstation];
