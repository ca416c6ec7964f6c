// A real encrypted database with a started audit log, for service tests.
import { join } from 'node:path';
import { createDatabase } from '../../../electron/services/store/database.ts';
import type { Database } from '../../../electron/services/store/database.ts';
import { createKeySlots } from '../../../electron/services/store/key-slots.ts';
import { initialiseAuditLog } from '../../../electron/services/audit/audit-log.ts';
import { TEST_SCRYPT } from '../store/temp.ts';

export const day = (n: number): Date => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);

let counter = 0;

/** Creates <dir>/<name>.db with a key slot for alice and starts log `logId` at day 0. */
export const auditDatabase = (
  dir: string,
  name: string,
  logId = 'device-1',
): { db: Database; path: string; verifierKey: string } => {
  const path = join(dir, `${name}-${counter++}.db`);
  const key = createKeySlots(path, 'alice', 'alice passphrase 1', TEST_SCRYPT);
  const db = createDatabase(path, key);
  const { verifierKey } = initialiseAuditLog(db, { logId, now: day(0), actor: 'system:setup', keyValidityDays: 3650 });
  return { db, path, verifierKey };
};
