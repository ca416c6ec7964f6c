// The api's meta-action approval shapes (decision 0161): a request, and the answer of a change recorded as pending.
import * as z from 'zod';
import { META_ACTIONS } from '../access/duties.ts';

/** A meta-action request awaiting (or past) a second operations admin's approval (decision 0161). */
export const MetaRequestSchema = z.strictObject({
  id: z.string(),
  action: z.enum(META_ACTIONS),
  target: z.string(),
  summary: z.string(),
  change: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  requestedAt: z.string(),
  reason: z.string().nullable(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  mayApprove: z.boolean(),
  whyNot: z.string().nullable(),
  needsAnotherAdmin: z.boolean(),
});
/** The answer of a meta-action the active policy puts under a second approval: recorded, nothing applied yet. */
export const PendingSchema = z.strictObject({ pending: MetaRequestSchema });
