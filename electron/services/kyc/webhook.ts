// The webhook connector's one attempt: an HTTP POST of the event's exact bytes, signed per Standard Webhooks with the
// `standardwebhooks` package (webhook-id = the event id on every attempt, webhook-timestamp = this attempt's time).
// Redirects are not followed (a 3xx is a failure: the body must reach only the configured endpoint). Plain node:http(s)
// with keep-alive agents.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
  'webhook-signature': webhookFor(secret).sign(messageId, at, body),
});

// The package decodes the secret in its constructor: one instance per secret, not one per attempt.
let cached: { readonly secret: string; readonly webhook: Webhook } | null = null;
const webhookFor = (secret: string): Webhook => {
  if (cached?.secret !== secret) cached = { secret, webhook: new Webhook(secret) };
  return cached.webhook;
};

/** A short, fixed code for why an attempt failed (it goes in the log): never the endpoint's own text. */
export const failureCode = (error: unknown): string => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const codeOf = (value: unknown): string =>
    value && typeof value === 'object' && 'code' in value ? String((value as { code: unknown }).code) : '';
  const code = codeOf(error) || codeOf(error instanceof Error ? (error as { cause?: unknown }).cause : undefined);
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection_reset';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns_failure';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return 'tls_failure';
  return 'network_error';
};

// Keep-alive agents: a pass sends many events to one endpoint, and a new TLS handshake per event would dominate it.
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * POSTs `body` to `url` and reads the answer to its end: the status, or a failure code. Plain node:http(s) with
 * keep-alive (about three times the rate of fetch to a local receiver); the whole exchange is bounded by `timeoutMs`.
 */
export const postBytes = (
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  timeoutMs: number,
): Promise<AttemptResult> =>
  new Promise((resolve) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    let settled = false;
    const settle = (result: AttemptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const outgoing = send(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...headers, 'content-length': String(body.byteLength) },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on('end', () =>
          settle(
            status >= 200 && status < 300
              ? { ok: true, httpStatus: status }
              : { ok: false, error: `http_${status}`, httpStatus: status },
          ),
        );
        response.on('error', (error) => settle({ ok: false, error: failureCode(error), httpStatus: null }));
      },
    );
    const timer = setTimeout(() => {
      settle({ ok: false, error: 'timeout', httpStatus: null });
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on('error', (error) => settle({ ok: false, error: failureCode(error), httpStatus: null }));
    outgoing.end(body);
  });

/** One signed attempt: the Standard Webhooks headers for this attempt's time, then the POST. Redirects are failures. */
export const postSigned = (input: {
  readonly url: string;
  readonly secret: string;
  readonly messageId: string;
  readonly at: Date;
  readonly body: Uint8Array;
  readonly timeoutMs: number;
}): Promise<AttemptResult> =>
  postBytes(
    input.url,
    {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      ...signedHeaders(input.secret, input.messageId, input.at, input.body),
    },
    input.body,
    input.timeoutMs,
  );
