// The signed device request (decision 0217): what a device signs with its Ed25519 key and what the hub checks.
import { bytesToHex, utf8Bytes } from '../audit/bytes.ts';
import type { Sha256 } from '../shared/sha256.ts';

export const REQUEST_SIGNATURE_LABEL = 'perimeter-sync-request/v1';
/** How far a device clock may be from the hub's, either way. */
export const CLOCK_SKEW_SECONDS = 300;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const REGION_PATTERN = /^[A-Za-z0-9-]{1,32}$/;

export const HEADERS = {
  device: 'perimeter-device',
  region: 'perimeter-region',
  time: 'perimeter-time',
  nonce: 'perimeter-nonce',
  signature: 'perimeter-signature',
} as const;

export type SignedRequestFields = {
  readonly method: string;
  /** The request target: path and query, exactly as sent. */
  readonly target: string;
  readonly region: string;
  readonly deviceId: string;
  readonly timeSeconds: number;
  readonly nonce: string;
  readonly body: Uint8Array;
};

/** The bytes a device signs: every field on its own line, the body by its SHA-256, so nothing can be swapped. */
export const requestSigningBytes = (fields: SignedRequestFields, sha256: Sha256): Uint8Array =>
  utf8Bytes(
    [
      REQUEST_SIGNATURE_LABEL,
      fields.method.toUpperCase(),
      fields.target,
      fields.region,
      fields.deviceId,
      String(fields.timeSeconds),
      fields.nonce,
      bytesToHex(sha256(fields.body)),
      '',
    ].join('\n'),
  );

export type FreshnessProblem = { readonly reason: 'clock_skew'; readonly skewSeconds: number } | null;

/** Whether a request's time is inside the window around the hub's clock. */
export const freshnessProblem = (timeSeconds: number, hubSeconds: number): FreshnessProblem => {
  const skew = timeSeconds - hubSeconds;
  return Math.abs(skew) > CLOCK_SKEW_SECONDS ? { reason: 'clock_skew', skewSeconds: skew } : null;
};
