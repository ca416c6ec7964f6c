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
} as const;
