// The webhook connector's one attempt: an HTTP POST of the event's exact bytes, signed per Standard Webhooks with the
// `standardwebhooks` package (webhook-id = the event id on every attempt, webhook-timestamp = this attempt's time).
// Redirects are not followed (a 3xx is a failure: the body must reach only the configured endpoint).
import { Webhook } from 'standardwebhooks';

export type AttemptResult =
  | { readonly ok: true; readonly httpStatus: number | null }
  | { readonly ok: false; readonly error: string; readonly httpStatus: number | null };

export const WEBHOOK_USER_AGENT = 'Perimeter-KYC-Connector/1';

/** The three Standard Webhooks headers for one attempt. */
export const signedHeaders = (
  secret: string,
  messageId: string,
  at: Date,
  body: Uint8Array,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> => ({
  'webhook-id': messageId,
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign(messageId, at, body),
});

/** A short, fixed code for why an attempt failed (it goes in the log): never the endpoint's own text. */
export const failureCode = (error: unknown): string => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection_reset';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns_failure';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return 'tls_failure';
  return 'network_error';
};

export const postSigned = async (input: {
  readonly url: string;
  readonly secret: string;
  readonly messageId: string;
  readonly at: Date;
  readonly body: Uint8Array;
  readonly timeoutMs: number;
}): Promise<AttemptResult> => {
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        ...signedHeaders(input.secret, input.messageId, input.at, input.body),
      },
      body: input.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    // Read (and drop) the answer so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status };
    return { ok: false, error: `http_${response.status}`, httpStatus: response.status };
  } catch (error) {
    return { ok: false, error: failureCode(error), httpStatus: null };
  }
};
