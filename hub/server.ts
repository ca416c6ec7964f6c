// The hub's HTTP face: routes, body limits, TLS outside loopback (decision 0218). The protocol lives in service.ts.
import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  addCheckpoint,
  addEntries,
  addPersonalData,
  authenticate,
  decideDevice,
  devices,
  forks,
  hubIdentity,
  hubLog,
  operationsRequest,
  origins,
  pull,
  requestEnrolment,
  updateMarkets,
} from './service.ts';
import type { Hub, HubRequest, Reply } from './service.ts';
import { distributionAdminRoute, getDistribution, listDistributions } from './distribution.ts';

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type Tls = { readonly cert: Buffer; readonly key: Buffer };

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

const readBody = (request: IncomingMessage): Promise<Uint8Array | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        resolve(null);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    request.on('error', reject);
  });

const send = (response: ServerResponse, reply: Reply): void => {
  response.writeHead(reply.status, {
    'content-type': reply.contentType,
    'cache-control': 'no-store',
    ...(reply.headers ?? {}),
  });
  response.end(typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body));
};

const plain = (status: number, message: string): Reply => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: `${message}\n`,
});

const adminAllowed = (hub: Hub, request: IncomingMessage): boolean => {
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const expected = Buffer.from(hub.keys.adminToken);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};

const route = async (hub: Hub, incoming: IncomingMessage): Promise<Reply> => {
  const target = incoming.url ?? '/';
  const url = new URL(target, 'http://hub.invalid');
  const method = incoming.method ?? 'GET';
  const body = await readBody(incoming);
  if (body === null) return plain(413, `the request body is over ${MAX_BODY_BYTES} bytes`);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(incoming.headers)) headers[name] = Array.isArray(value) ? value[0] : value;
  const request: HubRequest = { method, target, headers, body };
  const path = url.pathname;

  if (method === 'GET' && path === '/v1/identity')
    return { status: 200, contentType: 'application/json', body: JSON.stringify(hubIdentity(hub)) };
  if (method === 'POST' && path === '/v1/enrol') return requestEnrolment(hub, request);

  if (path.startsWith('/v1/admin/')) {
    if (!adminAllowed(hub, incoming))
      return plain(401, 'the admin api needs the hub admin token (Authorization: Bearer …)');
    if (method === 'GET' && path === '/v1/admin/devices') return devices(hub);
    if (method === 'GET' && path === '/v1/admin/forks') return forks(hub);
    const distribution = await distributionAdminRoute(
      hub,
      method,
      path,
      url.searchParams.get('admin') ?? 'admin-api',
      body,
    );
    if (distribution) return distribution;
    const decision = /^\/v1\/admin\/devices\/([A-Za-z0-9._-]{1,64})\/(approve|revoke)$/.exec(path);
    if (method === 'POST' && decision) {
      const admin = url.searchParams.get('admin') ?? 'admin-api';
      const markets = url.searchParams.get('markets');
      const operations = url.searchParams.get('operations');
      const result = await decideDevice(hub, {
        deviceId: decision[1]!,
        decision: decision[2] === 'approve' ? 'approved' : 'revoked',
        admin,
        ...(markets === null ? {} : { markets: markets.split(',').filter((market) => market !== '') }),
        ...(operations === null ? {} : { operations: operations === '1' || operations === 'true' }),
      });
      return result.ok
        ? {
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify({ deviceId: result.device.deviceId, status: result.device.status }),
          }
        : plain(404, result.error);
    }
    return plain(404, `no admin route ${method} ${path}`);
  }

  const known = [
    '/add-checkpoint',
    '/add-entries',
    '/v1/add-personal-data',
    '/v1/origins',
    '/v1/pull',
    '/v1/hub-log',
    '/v1/enrolment',
    '/v1/distributions',
    '/v1/distribution',
    '/v1/markets',
    '/v1/devices',
  ];
  const operationsPath = path === '/v1/devices' || /^\/v1\/devices\/[^/]+\/(approve|revoke)$/.test(path);
  if (!known.includes(path) && !operationsPath) return plain(404, `no route ${method} ${path}`);
  const auth = await authenticate(hub, request, { allowPending: path === '/v1/enrolment' });
  if (!auth.ok) return auth.reply;
  const device = auth.device;
  if (device === null) return plain(401, 'this device is not enrolled at this hub');
  if (method === 'GET' && path === '/v1/enrolment')
    return {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        deviceId: device.deviceId,
        status: device.status,
        markets: device.markets,
        operations: device.operations,
      }),
    };
  if (method === 'POST' && path === '/v1/markets') return updateMarkets(hub, device, body);
  if (operationsPath) return operationsRequest(hub, device, method, path, body);
  if (method === 'POST' && path === '/add-checkpoint') return addCheckpoint(hub, device, body);
  if (method === 'POST' && path === '/add-entries') return addEntries(hub, device, body);
  if (method === 'POST' && path === '/v1/add-personal-data') return addPersonalData(hub, device, body);
  if (method === 'GET' && path === '/v1/origins') return origins(hub);
  if (method === 'GET' && path === '/v1/pull') return pull(hub, device, url.searchParams);
  if (method === 'GET' && path === '/v1/hub-log') return hubLog(hub, url.searchParams);
  if (method === 'GET' && path === '/v1/distributions') return listDistributions(hub);
  if (method === 'GET' && path === '/v1/distribution') return getDistribution(hub, url.searchParams);
  return plain(405, `${method} is not allowed on ${path}`);
};

export type RunningHub = { readonly url: string; readonly server: Server; readonly close: () => Promise<void> };

/** Starts the hub on host:port (port 0 picks one). Outside loopback it serves HTTPS only, and refuses to start without TLS. */
export const startHubServer = async (
  hub: Hub,
  options: { readonly host: string; readonly port: number; readonly tls?: Tls },
): Promise<RunningHub> => {
  if (!isLoopback(options.host) && !options.tls)
    throw new Error(
      `the hub listens on ${options.host}, outside loopback: give it --tls-cert and --tls-key (docs/sync.md)`,
    );
  const handler = (incoming: IncomingMessage, response: ServerResponse): void => {
    route(hub, incoming).then(
      (reply) => send(response, reply),
      (error: unknown) => {
        // A client that cut its connection mid-body is no failure of the hub: nothing of that request was read.
        if (incoming.destroyed || (error instanceof Error && error.message === 'aborted')) return;
        process.stderr.write(`hub: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        if (!response.headersSent)
          send(response, plain(500, 'the hub failed on this request; nothing of it was stored'));
      },
    );
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
