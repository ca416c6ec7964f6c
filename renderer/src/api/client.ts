// The one api client of the renderer: Electron's window.perimeter bridge, or the browser host's POST /api/<method> with
// its launch token; either way every reply is checked against the contract.
import type * as z from 'zod';
import { API, SESSION_API } from '../../../core/api/contract.ts';
import type { ApiMethod, ApiRequest, ApiResponse, SessionMethod } from '../../../core/api/contract.ts';
import { envelopeSchema } from '../../../core/api/envelope.ts';
import type { ApiEnvelope } from '../../../core/api/envelope.ts';

type AnyMethod = ApiMethod | SessionMethod;
type RequestOf<M extends AnyMethod> = M extends ApiMethod
  ? ApiRequest<M>
  : M extends SessionMethod
    ? z.input<(typeof SESSION_API)[M]['request']>
    : never;
type ResponseOf<M extends AnyMethod> = M extends ApiMethod
  ? ApiResponse<M>
  : M extends SessionMethod
    ? z.output<(typeof SESSION_API)[M]['response']>
    : never;

// Read once at start-up, then removed from the address bar so it is not bookmarked, shared or kept in history.
const readLaunchToken = (): string | null => {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match === null || match[1] === undefined) return null;
  const token = decodeURIComponent(match[1]);
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return token;
};

// In Electron the preload exposes one function per contract method (electron/preload/bridge.ts); no token is needed.
type Bridge = Readonly<Record<string, ((request?: unknown) => Promise<unknown>) | undefined>>;
const bridge: Bridge | null = (window as unknown as { perimeter?: Bridge }).perimeter ?? null;
const launchToken = bridge === null ? readLaunchToken() : null;

/** Whether the page can reach the workstation at all (a bridge, or the browser host's launch token). */
export const hasLaunchToken = (): boolean => bridge !== null || launchToken !== null;

/** Whether the page runs in the desktop app (Electron's bridge), where the OS keychain may be offered. */
export const runsInDesktopApp = (): boolean => bridge !== null;

const transport = async (method: string, request: unknown, token: string): Promise<unknown> => {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(request),
    cache: 'no-store',
    credentials: 'omit',
  });
  return response.json();
};

// The methods that ask for the user's passphrase again: their `unauthenticated` means "that passphrase is wrong".
const ASKS_FOR_PASSPHRASE: ReadonlySet<string> = new Set(['users.changeOwnPassphrase', 'users.rotateDatabaseKey']);
let signedOut: ((message: string) => void) | null = null;

/**
 * Called when an api method answers `unauthenticated`: the session ended under the page (locked elsewhere, or the user
 * deactivated by an operations admin), so the window must go back to the unlock screen instead of showing an error.
 */
export const onSignedOut = (listener: (message: string) => void): void => {
  signedOut = listener;
};

const responseSchemaOf = (method: AnyMethod): z.ZodType =>
  Object.hasOwn(SESSION_API, method)
    ? SESSION_API[method as SessionMethod].response
    : API[method as ApiMethod].response;

/** Calls one api method; never throws: transport and contract failures come back as error envelopes. */
export const call = async <M extends AnyMethod>(
  method: M,
  request: RequestOf<M>,
): Promise<ApiEnvelope<ResponseOf<M>>> => {
  const bridged = bridge?.[method];
  if (bridge === null && launchToken === null)
    return {
      ok: false,
      error: { code: 'unauthenticated', message: 'no launch token: open the address printed by perimeter serve' },
    };
  let body: unknown;
  try {
    if (bridge !== null) {
      if (bridged === undefined)
        return { ok: false, error: { code: 'unknown_method', message: `${method} is not exposed by the preload` } };
      body = await bridged(request);
    } else body = await transport(method, request, launchToken ?? '');
  } catch (error) {
    return {
      ok: false,
      error: { code: 'transport', message: `the workstation did not answer: ${(error as Error).message}` },
    };
  }
  const parsed = envelopeSchema(responseSchemaOf(method)).safeParse(body);
  if (!parsed.success)
    return {
      ok: false,
      error: { code: 'invalid_response', message: `${method}: the reply does not match the api contract` },
    };
  const reply = parsed.data as ApiEnvelope<ResponseOf<M>>;
  if (
    !reply.ok &&
    reply.error.code === 'unauthenticated' &&
    !method.startsWith('session.') &&
    !ASKS_FOR_PASSPHRASE.has(method)
  )
    signedOut?.(reply.error.message);
  return reply;
};
