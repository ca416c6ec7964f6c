// Events of the log itself: its creation, key rotation, exports and re-keying of the store.
import * as z from 'zod';
import { HashHex, KeyIdHex, UtcTime } from '../fields.ts';
import { Code, defineEvent, FreeText, PayloadVersion } from './define.ts';

const Time = UtcTime;

/** A signing key as the log announces it: the C2SP note verifier key and the window in which it may sign. */
export const KeyAnnouncementSchema = z.strictObject({
  name: z.string().min(1).max(200),
  keyId: KeyIdHex,
  verifierKey: z.string().min(1).max(400),
  validFrom: Time,
  validUntil: Time,
});
export type KeyAnnouncement = z.infer<typeof KeyAnnouncementSchema>;

const UserIds = z.array(Code);

export const LOG_EVENTS = {
  'log.created': defineEvent({
    payload: z.strictObject({ origin: z.string().min(1).max(200), key: KeyAnnouncementSchema }),
  }),
  // Written by core's log engine; the reason is an operator's note about a key, kept in the entry (decision 0140).
  'key.rotated': defineEvent({
    payload: z.strictObject({
      key: KeyAnnouncementSchema,
      previousKeyId: KeyIdHex,
      reason: z.string().min(1).max(500),
    }),
  }),
  'audit.exported': defineEvent({
    payload: z.strictObject({
      format: z.literal('perimeter-audit-export'),
      formatVersion: z.literal(1),
      includesPersonalData: z.boolean(),
      includesCsv: z
        .boolean()
        .optional()
        .describe('whether the bundle carries entries.csv (absent in exports before it became optional: it did)'),
      staticFiles: z
        .array(z.strictObject({ path: z.string().min(1).max(200), sha256: HashHex }))
        .describe('hashes of the bundle files that do not depend on the log (README, schemas)'),
      region: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,32}$/)
        .optional()
        .describe('the region the exporting workstation is pinned to (decision 0252); absent when not enrolled'),
    }),
  }),
  'store.rekeyed': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      keptSlots: UserIds.describe('user ids whose key slot was re-wrapped under the new database key'),
      droppedSlots: UserIds.describe('user ids whose key slot (wrapping the old key) was dropped'),
      keychainSlotRemoved: z.boolean().describe('whether an OS keychain slot file (wrapping the old key) was deleted'),
    }),
    personal: z.strictObject({ reason: FreeText }),
    v1: z.strictObject({
      reason: z.string().min(1).max(500),
      keptSlots: UserIds,
      droppedSlots: UserIds,
      keychainSlotRemoved: z.boolean(),
    }),
  }),
} as const;
