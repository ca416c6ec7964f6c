// Sync with the regional hub in the api contract (issue 15, decisions 0258–0259): the device's sync status, enrolment
// by an operations admin, and "sync now". Enrolment and sync run in the background; the status follows them.
import * as z from 'zod';
import { DEVICE_ID_PATTERN, REGION_PATTERN } from '../sync/request-auth.ts';

const Time = z.string();
const Standing = z.enum(['pending', 'approved', 'revoked']);

const AttemptSchema = z.strictObject({
  kind: z.enum(['enrol', 'push', 'pull']),
  at: Time,
  ok: z.boolean(),
  reachedHub: z.boolean(),
  code: z.string().nullable(),
  message: z.string(),
  entries: z.number().int().min(0),
  lastOkAt: Time.nullable(),
});

export const SyncStatusSchema = z.strictObject({
  enrolled: z.boolean(),
  region: z.string().nullable(),
  hubUrl: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** The first 16 hex digits of the device key: what the operations admin reads to the hub's admin. */
  fingerprint: z.string().nullable(),
  standing: Standing.nullable(),
  standingAt: Time.nullable(),
  /** Whether the last attempt reached the hub; null before any attempt. */
  online: z.boolean().nullable(),
  running: z.enum(['enrol', 'sync']).nullable(),
  lastOutcome: z.strictObject({ at: Time, ok: z.boolean(), message: z.string() }).nullable(),
  lastSyncAt: Time.nullable(),
  attempts: z.strictObject({
    enrol: AttemptSchema.nullable(),
    push: AttemptSchema.nullable(),
    pull: AttemptSchema.nullable(),
  }),
  logSize: z.number().int().min(0),
  /** Entries of this device's log the hub has not mirrored yet. */
  pendingPush: z.number().int().min(0),
  /** Other devices' entries received and not applied yet. */
  inboxPending: z.number().int().min(0),
  /** Open cases in the sync_conflict queue. */
  conflicts: z.number().int().min(0),
});

// core has no URL type: a scheme, a host (no credentials) and an optional port and path.
export const HubUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(\/[^\s]*)?$/u, {
    message: 'an http:// or https:// URL without credentials',
  });

/** A device of the region as the hub lists it to an operations device (decision 0273): no personal data. */
export const HubDeviceSchema = z.strictObject({
  deviceId: z.string(),
  region: z.string(),
  origin: z.string(),
  status: Standing,
  fingerprint: z.string(),
  requestedMarkets: z.array(z.string()),
  markets: z.array(z.string()),
  approvedMarkets: z.array(z.string()),
  operations: z.boolean(),
  requestedAt: Time,
  decidedAt: Time.nullable(),
  decidedBy: z.string().nullable(),
});

/** The region's devices as this workstation last fetched them, and the device action running or last ended. */
export const DeviceRosterSchema = z.strictObject({
  running: z.enum(['list', 'approve', 'revoke']).nullable(),
  fetchedAt: Time.nullable(),
  devices: z.array(HubDeviceSchema),
  lastOutcome: z.strictObject({ at: Time, ok: z.boolean(), message: z.string() }).nullable(),
});

const MarketList = z
  .array(z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9 ._-]{0,63})$/u, 'a market name, or "*"'))
  .max(200);

export const SYNC_API = {
  /** Every active user: the device's enrolment, standing, last attempts, pending entries, conflicts. */
  'sync.status': { request: z.strictObject({}), response: SyncStatusSchema },
  /** Operations admins (user.manage): enrol this workstation with its region's hub, in the background. */
  'sync.enrol': {
    request: z.strictObject({
      hubUrl: HubUrlSchema,
      region: z.string().regex(REGION_PATTERN, '1 to 32 letters, digits or "-"'),
      deviceId: z.string().regex(DEVICE_ID_PATTERN, 'a device id').optional(),
    }),
    response: SyncStatusSchema,
  },
  /** Every active user: push then pull, in the background. */
  'sync.now': { request: z.strictObject({}), response: SyncStatusSchema },
  /**
   * Operations admins (user.manage) on an operations device (decision 0273): the region's devices as last fetched;
   * `refresh` fetches them from the hub in the background.
   */
  'sync.devices': {
    request: z.strictObject({ refresh: z.boolean().optional() }),
    response: DeviceRosterSchema,
  },
  /** Operations admins: approve a pending device of the region at the hub, in the background. */
  'sync.approveDevice': {
    request: z.strictObject({
      deviceId: z.string().regex(DEVICE_ID_PATTERN, 'a device id'),
      markets: MarketList.optional(),
    }),
    response: DeviceRosterSchema,
  },
  /** Operations admins: revoke a device of the region at the hub, for good, in the background. */
  'sync.revokeDevice': {
    request: z.strictObject({ deviceId: z.string().regex(DEVICE_ID_PATTERN, 'a device id') }),
    response: DeviceRosterSchema,
  },
} as const;
