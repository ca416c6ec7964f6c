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
} as const;
