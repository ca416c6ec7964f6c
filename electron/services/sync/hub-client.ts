// The device's HTTP client to its regional hub: every request signed by the device key with a time and a nonce.
import { randomBytes } from 'node:crypto';
import { bytesToBase64 } from '../../../core/audit/bytes.ts';
import { ed25519Sign } from '../../../core/audit/ed25519.ts';
import { HEADERS, requestSigningBytes } from '../../../core/sync/request-auth.ts';
import { nodeSha256 } from '../audit/node-sha256.ts';

export type HubResponse = {
  readonly status: number;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly headers: Headers;
};

export type HubClient = {
  readonly url: string;
  readonly send: (
    method: 'GET' | 'POST',
    target: string,
    body?: Uint8Array,
    contentType?: string,
  ) => Promise<HubResponse>;
};

export type HubClientOptions = {
  readonly url: string;
  readonly deviceId: string;
  readonly region: string;
  readonly seed: Uint8Array;
  readonly now: () => Date;
  /** The transport; global fetch unless a test cuts connections with its own. */
  readonly fetch?: typeof fetch;
};

export class SyncError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
  }
}

/** fetch's own message is "fetch failed": the cause (a reset, a refused connection) is what tells an operator. */
const describeFailure = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
};

const isConnectionReset = (error: unknown): boolean =>
  error instanceof Error &&
  error.cause instanceof Error &&
  ['ECONNRESET', 'UND_ERR_SOCKET'].includes(String((error.cause as { code?: unknown }).code));

export const createHubClient = (options: HubClientOptions): HubClient => {
  const transport = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  return {
    url: base,
    send: async (method, target, body = new Uint8Array(0), contentType = 'application/octet-stream') => {
      const attempt = (): Promise<Response> => {
        // Signed afresh on every attempt: a retry is a new request with its own time and nonce, never a replay.
        const timeSeconds = Math.floor(options.now().getTime() / 1000);
        const nonce = randomBytes(18).toString('base64url');
        const signature = ed25519Sign(
          requestSigningBytes(
            { method, target, region: options.region, deviceId: options.deviceId, timeSeconds, nonce, body },
            nodeSha256,
          ),
          options.seed,
        );
        return transport(`${base}${target}`, {
          method,
          headers: {
            [HEADERS.device]: options.deviceId,
            [HEADERS.region]: options.region,
            [HEADERS.time]: String(timeSeconds),
            [HEADERS.nonce]: nonce,
            [HEADERS.signature]: bytesToBase64(signature),
            ...(method === 'POST' ? { 'content-type': contentType } : {}),
          },
          ...(method === 'POST' ? { body: Buffer.from(body) } : {}),
        });
      };
      let response: Response;
      try {
        response = await attempt();
      } catch (first) {
        // A kept-alive connection the hub closed while idle fails at once with a reset: one more try on a new one.
        // Every request is safe to repeat (duplicates are skipped, an accepted checkpoint is cosigned again).
        if (!isConnectionReset(first))
          throw new SyncError('unreachable', `the hub at ${base} is unreachable: ${describeFailure(first)}`);
        try {
          response = await attempt();
        } catch (error) {
          throw new SyncError('unreachable', `the hub at ${base} is unreachable: ${describeFailure(error)}`);
        }
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        bytes,
        text: new TextDecoder().decode(bytes),
        headers: response.headers,
      };
    },
  };
};
