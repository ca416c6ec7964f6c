// The envelope every api reply travels in: `{ ok: true, value } | { ok: false, error: { code, message } }`.
import * as z from 'zod';

export type ApiErrorCode =
  | 'invalid_request'
  | 'unknown_method'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_input'
  /** Another process holds the database's write lock past the wait, or the host is receiving too much at once. */
  | 'busy'
  /** Too many wrong passphrases: nothing was tried; the message says when to try again. */
  | 'rate_limited'
  | 'internal';

export type ApiError = { readonly code: ApiErrorCode | (string & {}); readonly message: string };
export type ApiEnvelope<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export const ApiErrorSchema = z.strictObject({ code: z.string(), message: z.string() });

export const envelopeSchema = <T extends z.ZodType>(value: T) =>
  z.union([
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: ApiErrorSchema }),
  ]);

export const apiOk = <T>(value: T): ApiEnvelope<T> => ({ ok: true, value });
export const apiErr = (code: ApiError['code'], message: string): ApiEnvelope<never> => ({
  ok: false,
  error: { code, message },
});

/** The first problem of a failed parse, as "field: message", for an invalid_request error. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(request)'}: ${issue.message}`)
    .join('; ');
