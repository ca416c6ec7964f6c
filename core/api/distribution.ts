// Signed distribution on the workstation in the api contract (issue 15, decisions 0253–0255, 0276): what is active
// on each stream and the version kept before it, what the hub offers that is newer (pending), the pinned publisher key,
// pinning it, and fetching the newer statements (each verified, then activated). Fetch and check run in the background.
import * as z from 'zod';

const Time = z.string();

const StreamSchema = z.strictObject({
  /** `policy`, or `list:<list id>`. */
  stream: z.string(),
  kind: z.enum(['policy', 'list']),
  /** The version in force here: `sequence` is the distribution's (null: published locally, not distributed). */
  active: z
    .strictObject({
      version: z.string(),
      label: z.string().nullable(),
      sequence: z.number().int().min(1).nullable(),
      activatedAt: Time.nullable(),
      entry: z.number().int().min(0).nullable(),
    })
    .nullable(),
  /** The version in force before the active one, kept on the workstation (the log holds its bundle or list version). */
  previous: z.strictObject({ version: z.string(), label: z.string().nullable() }).nullable(),
  /** The hub's latest statement of this stream, as last read from the hub (null: not read, or none). */
  hub: z
    .strictObject({ sequence: z.number().int().min(1), version: z.string(), label: z.string(), publishedAt: Time })
    .nullable(),
  /** The hub offers a newer sequence than the one active here. */
  pending: z.boolean(),
  /** The latest refusal of a statement of this stream (its `distribution.refused` entry). */
  lastRefusal: z
    .strictObject({
      sequence: z.number().int().min(1),
      problem: z.string(),
      version: z.string().nullable(),
      at: Time,
      entry: z.number().int().min(0),
    })
    .nullable(),
});

const ResultSchema = z.strictObject({
  stream: z.string(),
  sequence: z.number().int().min(1),
  version: z.string(),
  status: z.enum(['activated', 'refused', 'skipped']),
  problem: z.string().nullable(),
  message: z.string(),
  entry: z.number().int().min(0).nullable(),
});

export const DistributionStatusSchema = z.strictObject({
  enrolled: z.boolean(),
  region: z.string().nullable(),
  /** The pinned publisher verifier key, and its name+key id (what to compare with the publisher's). */
  publisherKey: z.string().nullable(),
  publisherKeyId: z.string().nullable(),
  running: z.enum(['check', 'fetch']).nullable(),
  /** When the hub's listing was last read (in this session of the app). */
  checkedAt: Time.nullable(),
  lastOutcome: z
    .strictObject({ at: Time, ok: z.boolean(), message: z.string(), results: z.array(ResultSchema) })
    .nullable(),
  streams: z.array(StreamSchema),
});

export const DISTRIBUTION_API = {
  /** Every active user: what is active, kept and pending on each stream, and the pinned publisher key. */
  'distribution.status': { request: z.strictObject({}), response: DistributionStatusSchema },
  /** Every active user: reads the hub's latest statements (nothing is activated), in the background. */
  'distribution.check': { request: z.strictObject({}), response: DistributionStatusSchema },
  /**
   * Every active user (decision 0254: the publisher's signature is the authority): fetches every newer statement,
   * verifies it and activates it, or refuses it keeping the version in force; in the background.
   */
  'distribution.fetch': { request: z.strictObject({}), response: DistributionStatusSchema },
  /** Operations admins (user.manage and policy.publish): pin the firm's publisher key, taken from the publisher. */
  'distribution.pinKey': {
    request: z.strictObject({ verifierKey: z.string().trim().min(1).max(500) }),
    response: DistributionStatusSchema,
  },
} as const;
