// The browser host under bad input (issue 12, section 5): bodies over the limit get 413 (not a reset), many large bodies
// at once are refused rather than buffered, a malformed path gets 400, wrong passphrases are throttled without signing
// anyone out, and no error a client sees carries an absolute path.
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost } from '../../../electron/services/host/browser-host.ts';
import type { BrowserHost } from '../../../electron/services/host/browser-host.ts';
import { withoutPaths } from '../../../electron/services/workstation/api/api-errors.ts';
import { createUser } from '../../../electron/services/workstation/commands/users.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';

type Reply = { status: number; body: string };

const LIMIT = 1024 * 1024;

/** Sends a request; `chunked` leaves out Content-Length. Resolves with the answer, rejects on a reset. */
const send = (
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean } = {},
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'POST',
        headers: {
          ...options.headers,
          ...(body !== undefined && !options.chunked ? { 'Content-Length': String(body.length) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) {
      // In pieces, as a browser uploading a file would.
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
    }
    req.end();
  });

describe('browser host limits', () => {
  const ws = createTestWorkstation();
  createUser(ws.admin, {
    id: 'bob',
    name: 'Bob',
    roles: ['compliance_officer'],
    markets: ['UK'],
    passphrase: 'bob passphrase 2026',
  });
  ws.admin.workstation.close();
  const renderer = join(ws.dir, 'renderer');
  let host: BrowserHost;
  const headers = (): Record<string, string> => ({
    'Content-Type': 'application/json',
    Authorization: `Bearer ${host.token}`,
  });
  type Envelope = { ok: boolean; value?: unknown; error: { code: string; message: string } };
  const api = async (method: string, body: unknown): Promise<Envelope> =>
    JSON.parse((await send(host.port, `/api/${method}`, { headers: headers(), body: JSON.stringify(body) })).body);

  beforeAll(async () => {
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Perimeter</title>');
    host = await startBrowserHost({
      dbPath: ws.path,
      staticDir: renderer,
      deps: ws.deps,
      maxBodyBytes: LIMIT,
      maxInFlightBodyBytes: 2 * LIMIT,
    });
  });
  afterAll(async () => host.close());

  it('answers a body over the limit with 413 and a JSON error, with or without Content-Length', async () => {
    const big = Buffer.alloc(2 * LIMIT, 'a');
    for (const chunked of [false, true]) {
      const reply = await send(host.port, '/api/leads.import', { headers: headers(), body: big, chunked });
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.body)).toEqual({
        ok: false,
        error: { code: 'invalid_request', message: 'the request body is over the limit of 1,048,576 bytes' },
      });
    }
    // The host is still there.
    expect((await api('session.whoami', {})).error.code).toBe('unauthenticated');
  });

  it('refuses a body with 503 when the bodies in flight would pass their budget, and serves the others', async () => {
    const part = Buffer.alloc(900 * 1024, 'a');
    const open: { req: ClientRequest; reply: Promise<Reply> }[] = [];
    const begin = (): { req: ClientRequest; reply: Promise<Reply> } => {
      let req!: ClientRequest;
      const reply = new Promise<Reply>((resolve, reject) => {
        req = request(
          { host: '127.0.0.1', port: host.port, path: '/api/session.whoami', method: 'POST', headers: headers() },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
      });
      req.write(part);
      return { req, reply };
    };
    // Two bodies of 900 KiB are being received (not yet ended): 1.8 MiB of the 2 MiB budget.
    open.push(begin(), begin());
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = begin();
    third.req.end();
    const refused = await Promise.race([
      third.reply,
      new Promise<Reply>((resolve) => setTimeout(() => resolve({ status: -1, body: 'no answer' }), 5_000)),
    ]);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.code).toBe('busy');
    for (const { req } of open) req.end();
    for (const { reply } of open) expect((await reply).status).toBe(400); // read whole: not JSON
  });

  it('answers a malformed percent-encoding in a path with 400, not 500', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%', '/%zz'])
      expect((await send(host.port, path, { method: 'GET' })).status).toBe(400);
  });

  it('throttles wrong passphrases per user, never signing out whoever is signed in', async () => {
    expect((await api('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE })).ok).toBe(true);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await api('session.unlock', { userId: 'bob', passphrase: `not bob's passphrase ${attempt}` });
      expect(wrong.error.code).toBe('unauthenticated');
      expect((await api('session.whoami', {})).value).toMatchObject({ id: 'ada' });
    }
    // Now even the right passphrase waits: nothing is tried, and ada is still signed in.
    const throttled = await api('session.unlock', { userId: 'bob', passphrase: 'bob passphrase 2026' });
    expect(throttled.error.code).toBe('rate_limited');
    expect(throttled.error.message).toMatch(/too many wrong passphrases for bob: try again in 1 s/);
    expect((await api('session.whoami', {})).value).toMatchObject({ id: 'ada' });
    ws.clock.advance(1_001);
    expect((await api('session.unlock', { userId: 'bob', passphrase: 'bob passphrase 2026' })).value).toMatchObject({
      id: 'bob',
    });
  });

  it('throttles wrong passphrases across all users (30 in 5 minutes)', async () => {
    for (let attempt = 0; attempt < 30; attempt += 1)
      expect((await api('session.unlock', { userId: `guess${attempt}`, passphrase: 'guessing passphrase' })).ok).toBe(
        false,
      );
    const refused = await api('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE });
    expect(refused.error.code).toBe('rate_limited');
    expect(refused.error.message).toMatch(/too many wrong passphrases on this workstation/);
    ws.clock.advance(5 * 60_000 + 1);
    expect((await api('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE })).ok).toBe(true);
  });

  it('puts no absolute path in any error it sends', async () => {
    ws.clock.advance(10 * 60_000);
    const unknown = await api('session.unlock', { userId: 'nobody', passphrase: 'some passphrase 1' });
    expect(unknown.error.code).toBe('unauthenticated');
    expect(unknown.error.message).toContain('workstation.db.keys.json');
    expect(unknown.error.message).not.toContain(ws.dir);
    expect(unknown.error.message).not.toMatch(/(^|\s)\//);
    expect(withoutPaths('C:\\Users\\ada\\team.db: wrong key; see http://127.0.0.1:1/x')).toBe(
      'team.db: wrong key; see http://127.0.0.1:1/x',
    );
  });
});
