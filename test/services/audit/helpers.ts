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

/** A valid (version 2) routing.decided payload for log-level tests; `trace` carries whatever the test needs. */
export const heldPayload = (n: number, trace: { readonly [key: string]: string | number } = { step: 'kyc' }) => ({
  pv: 2 as const,
  leadId: `L-${n}`,
  productId: 'fx-transfer',
  outcome: 'held' as const,
  queue: null,
  reason: 'kyc_not_verified',
  entityId: 'ent-uk',
  teamId: 'team-uk',
  repId: null,
  licenceId: null,
  jurisdiction: 'GB',
  ruleVersion: 'sha256:ab',
  cursor: null,
  notifications: [],
  trace,
});

/** A valid (version 2) case.claimed payload for log-level tests. */
export const claimedPayload = (caseId: string, userId = 'u-1') => ({
  pv: 2 as const,
  caseId,
  action: 'claim' as const,
  state: {
    status: 'claimed' as const,
    claimedBy: userId,
    claimedAt: '2025-01-01T00:00:00.000Z',
    maker: null,
    checker: null,
    resolution: null,
    closedAt: null,
  },
});

/** A valid (version 2) lead.ingested payload for log-level tests. */
export const ingestedPayload = (leadId: string, source: 'file' | 'form' = 'file') => ({
  pv: 2 as const,
  leadId,
  source,
  sourceSystem: 'crm',
  facts: {
    customerType: 'retail',
    kycStatus: 'not_started',
    amlDocumentation: 'missing',
    suitabilityAssessed: false,
    netWorthBand: null,
    targetMarket: null,
    kycPrescreenJurisdiction: null,
    productInterests: ['fx-transfer'],
    parties: ['person' as const],
  },
  scope: 'GB',
});
