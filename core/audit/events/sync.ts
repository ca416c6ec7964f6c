// Events of synchronisation with the regional hub.
import * as z from 'zod';
import { Code, defineEvent, PayloadVersion, v1Reader } from './define.ts';

export const SYNC_EVENTS = {
  'sync.pushed': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, hub: Code }),
    v1: v1Reader({ hub: z.string().min(1).max(500) }),
  }),
  'sync.pulled': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, hub: Code }),
    v1: v1Reader({ hub: z.string().min(1).max(500) }),
  }),
  // Another device's entry applied to this device's projections (decision 0242): one receipt per applied entry that
  // changes a projection, naming it by origin, sequence, type and leaf hash; its personal data (if any) is the entry's.
  'sync.applied': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      origin: Code,
      seq: z.number().int().nonnegative(),
      type: Code,
      leafHash: z.string().regex(/^[0-9a-f]{64}$/u),
    }),
    // Checked against the applied entry's own type's personal schema before the receipt is written.
    personal: z.looseObject({}).describe("the applied entry's own personal data, as it committed to it"),
    personalRequired: false,
  }),
  // Another device's entry refused by the apply (decision 0247): its origin and sequence, and the field that is wrong.
  'sync.apply_refused': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      origin: Code,
      seq: z.number().int().nonnegative(),
      field: z.string().max(500),
      problem: Code,
    }),
  }),
} as const;
