// Events of synchronisation with the regional hub.
import * as z from 'zod';
import { Code, defineEvent, PayloadVersion, v1Reader } from './define.ts';

/**
 * The signed distribution a policy or list activation came from (decision 0254): the hub, the stream and sequence,
 * the content's SHA-256, the publication time, the publisher key (name+id) whose signature verified, and that signature
 * (base64 key id ‖ Ed25519 signature over the statement). With the entry's version and label these are the whole
 * signed manifest, so an auditor rebuilds the statement from the export and checks it against the pinned key.
 */
export const DistributionRef = z.strictObject({
  hub: Code,
  stream: Code,
  sequence: z.number().int().min(1),
  contentSha256: Code,
  publishedAt: Code.describe(
    "the statement's publication time: with the entry's version and label, the whole manifest",
  ),
  signer: Code,
  signature: Code,
});

export const DISTRIBUTION_PROBLEMS = [
  'malformed',
  'untrusted_signature',
  'wrong_region',
  'wrong_stream',
  'content_mismatch',
  'not_newer',
  'content_invalid',
  'activation_failed',
] as const;

export const SYNC_EVENTS = {
  'sync.pushed': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, hub: Code }),
    v1: v1Reader({ hub: z.string().min(1).max(500) }),
  }),
  'sync.pulled': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, hub: Code }),
    v1: v1Reader({ hub: z.string().min(1).max(500) }),
  }),
  // Distribution (decisions 0253–0255): the publisher key this device trusts, and statements it refused.
  'distribution.key_pinned': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      key: Code.describe('the publisher verifier key (signed-note vkey: name+id+key), pinned from now on'),
      previousKey: Code.nullable(),
    }),
  }),
  'distribution.refused': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      hub: Code,
      stream: Code,
      sequence: z.number().int().min(0),
      version: Code.nullable().describe('the version the statement claims, when it could be read'),
      problem: z.enum(DISTRIBUTION_PROBLEMS),
      activeVersion: Code.nullable().describe('the version that stays in force'),
    }),
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
  // An operations admin on an operations device decided on a device of the region through the hub (decision 0273).
  'sync.device_approved': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      hub: Code,
      deviceId: Code,
      fingerprint: Code.describe("the first 16 hex digits of the approved device's key"),
      markets: z.array(Code).describe('the markets the device may be served (the ceiling, decision 0271)'),
    }),
  }),
  'sync.device_revoked': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      hub: Code,
      deviceId: Code,
      fingerprint: Code.describe("the first 16 hex digits of the revoked device's key"),
    }),
  }),
} as const;
