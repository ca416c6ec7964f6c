// Events of the door (decision 0130): sessions and refusals. Only codes and pseudonymous ids; no personal data.
import * as z from 'zod';
import { UtcTime } from '../fields.ts';
import { defineEvent } from './define.ts';

const Via = z.enum(['api', 'cli']);

export const ACCESS_EVENTS = {
  'access.denied': defineEvent({
    payload: z.strictObject({
      action: z
        .string()
        .regex(/^[a-z][A-Za-z0-9._ -]{0,79}$/)
        .describe('the api method or CLI command refused, e.g. "cases.claim" or "audit export"'),
      reason: z.enum(['forbidden', 'out_of_market', 'inactive', 'locked']),
      attemptedAt: UtcTime.optional().describe('when a refusal noted while the store was locked happened'),
    }),
  }),
  'session.signed_in': defineEvent({ payload: z.strictObject({ via: Via }) }),
  'session.signed_out': defineEvent({
    payload: z.strictObject({ via: Via, reason: z.enum(['lock', 'switch', 'deactivated']) }),
  }),
  'session.sign_in_failed': defineEvent({
    payload: z.strictObject({
      userId: z
        .string()
        .min(1)
        .max(64)
        .nullable()
        .describe('the user id tried, when it names a user of this workstation'),
      attemptedAt: UtcTime,
      reason: z.enum(['wrong_passphrase', 'unknown_user', 'inactive', 'throttled']),
      via: Via,
    }),
  }),
} as const;
