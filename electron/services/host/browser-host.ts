// The browser host: the workstation's services and the built renderer on 127.0.0.1, speaking the api contract over
// HTTP. A random per-launch token guards every api call; Host and Origin are checked against DNS rebinding and
// cross-site requests. One signed-in session at a time, as on a desktop: unlocking as another user locks the first.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { apiErr } from '../../../core/api/envelope.ts';
import { withoutPaths } from '../workstation/api/api-errors.ts';
import { createSessionHolder } from '../workstation/session/session-holder.ts';
import { RETENTION_INTERVAL_MS } from '../workstation/commands/erasure.ts';
import type { LeadScreener, WorkstationDeps } from '../workstation/session/workstation.ts';
import { KYC_DELIVERY_INTERVAL_MS } from '../workstation/commands/kyc-delivery.ts';
import type { KycDeliveryOptions } from '../workstation/commands/kyc-delivery.ts';
import type { KycOutcomeApplier } from '../workstation/commands/kyc-outcomes.ts';

export type BrowserHostOptions = {
  readonly dbPath: string;
  /** The built renderer (index.html and assets); null serves the api only. */
  readonly staticDir: string | null;
  readonly port?: number;
  readonly deps: WorkstationDeps;
  readonly screener?: LeadScreener | null;
  /** Request bodies larger than this are refused with 413 (lead files travel in them). */
  readonly maxBodyBytes?: number;
  /** All request bodies being received at once together; beyond it a request is refused with 503 (default 2 × maxBodyBytes). */
  readonly maxInFlightBodyBytes?: number;
  /** How often retention runs while the host runs (default daily; decision 0151); it also runs at every sign-in. */
  readonly retentionIntervalMs?: number;
  /** How often the KYC outbox is delivered while unlocked (default every 5 s; decision 0211); 0 turns the job off. */
  readonly kycDeliveryIntervalMs?: number;
  /** Applies a KYC outcome (default: the lifecycle's applyKycOutcome). */
  readonly kycApplier?: KycOutcomeApplier;
  readonly kycDelivery?: KycDeliveryOptions;
};

/** Where a KYC system posts its signed outcomes (decision 0213): no launch token, the Standard Webhooks signature. */
export const KYC_CALLBACK_PATH = '/kyc/callback';
/** A KYC callback is a small JSON event: anything larger is refused before it is read. */
export const KYC_CALLBACK_MAX_BYTES = 64 * 1024;

export type BrowserHost = {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly close: () => Promise<void>;
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// The same policy the Electron window enforces: nothing but our own origin, no inline scripts, no framing.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * The verifier screen's worker script alone may also compile WebAssembly ('wasm-unsafe-eval': WebAssembly only, never
 * JavaScript eval), for its SIMD SHA-256 (decision 0191). A dedicated worker takes its policy from its own response,
 * so the page keeps the policy above.
 */
export const VERIFIER_WORKER_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
);

/** Whether a file of the built renderer is the verifier's worker script (Vite names it verifier.worker-HASH.js). */
export const isVerifierWorkerScript = (path: string): boolean =>
  /(^|[/\\])assets[/\\]verifier\.worker-[A-Za-z0-9_-]+\.js$/.test(path);

/** The policy a file of the built renderer is served with. */
export const contentSecurityPolicyFor = (path: string): string =>
  isVerifierWorkerScript(path) ? VERIFIER_WORKER_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;

const securityHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
};

const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...securityHeaders,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
};

type BodyOutcome =
  { readonly kind: 'body'; readonly bytes: Buffer } | { readonly kind: 'too-large' } | { readonly kind: 'host-busy' };

/**
 * What every request body in flight may hold together: beyond it a body is refused (503) rather than buffered, so
 * many large uploads at once cannot grow memory without bound (decision 0126).
 */
type BodyBudget = { inFlight: number; readonly limit: number };

// A refused body is still read to its end (and thrown away, so it costs no memory) before the answer goes out: a client
// still sending when the connection closed would see a reset instead of the 413. Past DRAIN_LIMIT it is cut off.
const DRAIN_LIMIT_BYTES = 1024 * 1024 * 1024;

const readBody = (request: IncomingMessage, limit: number, budget: BodyBudget): Promise<BodyOutcome> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let refused: BodyOutcome | null = null;
    const release = (): void => {
      budget.inFlight -= held;
      held = 0;
      chunks.length = 0;
    };
    const refuse = (outcome: BodyOutcome): void => {
      refused = outcome;
      release();
    };
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) refuse({ kind: 'too-large' });
    else if (Number.isFinite(declared) && budget.inFlight + declared > budget.limit) refuse({ kind: 'host-busy' });
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused !== null) {
        if (size > DRAIN_LIMIT_BYTES) request.destroy();
        return;
      }
      if (size > limit) return refuse({ kind: 'too-large' });
      if (budget.inFlight + chunk.length > budget.limit) return refuse({ kind: 'host-busy' });
      budget.inFlight += chunk.length;
      held += chunk.length;
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (refused !== null) return resolve(refused);
      const bytes = Buffer.concat(chunks);
      release();
      resolve({ kind: 'body', bytes });
    });
    request.on('error', (error) => {
      release();
      reject(error);
    });
    request.on('close', release);
  });

const tokensEqual = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const startBrowserHost = async (options: BrowserHostOptions): Promise<BrowserHost> => {
  const token = randomBytes(32).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 80 * 1024 * 1024;
  const budget: BodyBudget = { inFlight: 0, limit: options.maxInFlightBodyBytes ?? 2 * maxBody };
  const holder = createSessionHolder(options);
  let port = 0;
  // Retention runs by itself while the host runs; the clock is the deps' (passed in), the timer only wakes it up.
  const retentionTimer = setInterval(() => holder.runRetention(), options.retentionIntervalMs ?? RETENTION_INTERVAL_MS);
  retentionTimer.unref();
  // The KYC outbox is delivered by itself while the workstation is unlocked (one pass at a time).
  const kycInterval = options.kycDeliveryIntervalMs ?? KYC_DELIVERY_INTERVAL_MS;
  const kycTimer = kycInterval > 0 ? setInterval(() => void holder.runKycDelivery(), kycInterval) : null;
  kycTimer?.unref();

  const serveStatic = async (pathname: string, response: ServerResponse): Promise<void> => {
    if (options.staticDir === null) return sendJson(response, 404, { error: 'no renderer is being served' });
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendJson(response, 400, { error: 'the path is not valid percent-encoding' });
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    const file = join(options.staticDir, relative === '' ? 'index.html' : relative);
    if (!file.startsWith(options.staticDir + sep) && file !== join(options.staticDir, 'index.html'))
      return sendJson(response, 404, { error: 'not found' });
    let target = file;
    try {
      if (!(await stat(target)).isFile()) target = join(options.staticDir, 'index.html');
    } catch {
      // Client-side routes fall back to the app shell.
      target = join(options.staticDir, 'index.html');
    }
    try {
      const body = await readFile(target);
      response.writeHead(200, {
        ...securityHeaders,
        'Content-Security-Policy': contentSecurityPolicyFor(target),
        'Content-Type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
        'Content-Length': body.length,
      });
      response.end(body);
    } catch {
      sendJson(response, 404, { error: 'not found' });
    }
  };

  const server = createServer((request, response) => {
    void (async () => {
      const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
      if (!allowedHosts.includes(request.headers.host ?? ''))
        return sendJson(response, 421, { error: 'this host answers only to 127.0.0.1' });
      let url: URL;
      try {
        url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
      } catch {
        return sendJson(response, 400, { error: 'the request target is not a valid path' });
      }
      if (url.pathname === KYC_CALLBACK_PATH) {
        // Server to server: a browser page (any Origin) may not post here.
        if (request.headers.origin !== undefined)
          return sendJson(response, 403, { accepted: false, error: 'cross-origin request refused' });
        if (request.method !== 'POST') return sendJson(response, 405, { accepted: false, error: 'callbacks are POST' });
        const body = await readBody(request, KYC_CALLBACK_MAX_BYTES, budget);
        if (body.kind === 'too-large')
          return sendJson(
            response,
            413,
            { accepted: false, error: 'the callback is too large' },
            { Connection: 'close' },
          );
        if (body.kind === 'host-busy')
          return sendJson(response, 503, { accepted: false, error: 'busy' }, { 'Retry-After': '2' });
        const answer = holder.receiveKycCallback(request.headers, body.bytes);
        return sendJson(response, answer.status, answer.body, answer.status === 503 ? { 'Retry-After': '30' } : {});
      }
      if (!url.pathname.startsWith('/api/')) {
        if (request.method !== 'GET' && request.method !== 'HEAD')
          return sendJson(response, 405, { error: 'method not allowed' });
        return serveStatic(url.pathname, response);
      }
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedHosts.map((host) => `http://${host}`).includes(origin))
        return sendJson(response, 403, apiErr('forbidden', 'cross-origin request refused'));
      const authorization = request.headers.authorization ?? '';
      if (!authorization.startsWith('Bearer ') || !tokensEqual(authorization.slice('Bearer '.length), token))
        return sendJson(response, 401, apiErr('unauthenticated', 'missing or wrong launch token'));
      if (request.method !== 'POST') return sendJson(response, 405, apiErr('invalid_request', 'api calls are POST'));
      if (!(request.headers['content-type'] ?? '').startsWith('application/json'))
        return sendJson(response, 415, apiErr('invalid_request', 'api calls send application/json'));
      const body = await readBody(request, maxBody, budget);
      if (body.kind === 'too-large')
        return sendJson(
          response,
          413,
          apiErr('invalid_request', `the request body is over the limit of ${maxBody.toLocaleString('en-GB')} bytes`),
          { Connection: 'close' },
        );
      if (body.kind === 'host-busy')
        return sendJson(
          response,
          503,
          apiErr('busy', 'the host is receiving other large requests at the moment; send this one again shortly'),
          { Connection: 'close', 'Retry-After': '2' },
        );
      let raw: unknown;
      try {
        raw = body.bytes.length === 0 ? {} : JSON.parse(body.bytes.toString('utf8'));
      } catch {
        return sendJson(response, 400, apiErr('invalid_request', 'the body is not JSON'));
      }
      return sendJson(response, 200, holder.call(url.pathname.slice('/api/'.length), raw));
    })().catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(
          response,
          500,
          apiErr('internal', withoutPaths(error instanceof Error ? error.message : String(error))),
        );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise((resolve) => {
        clearInterval(retentionTimer);
        if (kycTimer !== null) clearInterval(kycTimer);
        holder.lock();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
