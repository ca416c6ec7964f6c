// The browser host over real HTTP on 127.0.0.1: the launch token, Host and Origin checks, unlock/lock, the api contract.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost } from '../../../electron/services/host/browser-host.ts';
import type { BrowserHost } from '../../../electron/services/host/browser-host.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

const send = (
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });

describe('browser host', () => {
  const ws = createTestWorkstation();
  ws.admin.workstation.close();
  const renderer = join(ws.dir, 'renderer');
  let host: BrowserHost;
  const api = (method: string, body: unknown, token?: string) =>
    send(host.port, `/api/${method}`, {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? host.token}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Perimeter</title>');
    mkdirSync(join(renderer, 'assets'));
    writeFileSync(join(renderer, 'assets', 'verifier.worker-Ab1_.js'), 'self.onmessage = null;');
    writeFileSync(join(renderer, 'assets', 'index-Ab1_.js'), 'void 0;');
    host = await startBrowserHost({ dbPath: ws.path, staticDir: renderer, deps: ws.deps });
  });
  afterAll(async () => host.close());

  it('listens on 127.0.0.1 and puts the launch token in the URL fragment, never in a request', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses api calls without the right token', async () => {
    expect(
      (await send(host.port, '/api/session.whoami', { headers: { 'Content-Type': 'application/json' }, body: '{}' }))
        .status,
    ).toBe(401);
    expect((await api('session.whoami', {}, 'x'.repeat(43))).status).toBe(401);
  });

  it('refuses other Host headers (DNS rebinding) and cross-site origins', async () => {
    expect(
      (
        await send(host.port, '/api/session.whoami', {
          headers: { Host: 'evil.example', Authorization: `Bearer ${host.token}` },
        })
      ).status,
    ).toBe(421);
    const crossSite = await send(host.port, '/api/session.whoami', {
      headers: {
        Origin: 'http://evil.example',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${host.token}`,
      },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
  });

  it('serves the renderer with a strict content security policy', async () => {
    const page = await send(host.port, '/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Perimeter</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await send(host.port, '/../../etc/passwd', { method: 'GET' })).body).not.toContain('root:');
  });

  it("serves the verifier's worker script, and only it, with WebAssembly allowed (never JavaScript eval)", async () => {
    const page = (await send(host.port, '/', { method: 'GET' })).headers['content-security-policy'];
    const script = (await send(host.port, '/assets/index-Ab1_.js', { method: 'GET' })).headers[
      'content-security-policy'
    ];
    const worker = await send(host.port, '/assets/verifier.worker-Ab1_.js', { method: 'GET' });
    expect(worker.status).toBe(200);
    expect(script).toBe(page);
    expect(page).not.toContain('wasm-unsafe-eval');
    expect(worker.headers['content-security-policy']).toBe(
      String(page).replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"),
    );
  });

  it('is locked until unlocked, refuses a wrong passphrase, and locks again', async () => {
    expect(JSON.parse((await api('cases.list', {})).body)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(
      JSON.parse((await api('session.unlock', { userId: 'ada', passphrase: 'wrong passphrase!' })).body),
    ).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(
      JSON.parse((await api('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE })).body),
    ).toMatchObject({ ok: true, value: { id: 'ada' } });
    expect(JSON.parse((await api('session.whoami', {})).body)).toMatchObject({ ok: true, value: { id: 'ada' } });
    expect(JSON.parse((await api('cases.list', { page: -1 })).body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(JSON.parse((await api('cases.list', {})).body)).toMatchObject({ ok: true, value: { total: 0 } });
    expect(JSON.parse((await api('session.lock', {})).body)).toMatchObject({ ok: true, value: { locked: true } });
    expect(JSON.parse((await api('cases.list', {})).body)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('answers the OS-keychain methods as unsupported: the keychain is only in the desktop app', async () => {
    const message = 'The OS keychain is only available in the desktop app; sign in with your passphrase.';
    expect(JSON.parse((await api('session.keychainStatus', {})).body)).toEqual({
      ok: true,
      value: { available: false, message },
    });
    for (const method of ['session.unlockWithKeychain', 'session.rememberOnThisDevice', 'session.forgetOnThisDevice'])
      expect(JSON.parse((await api(method, method.endsWith('Keychain') ? { userId: 'ada' } : {})).body)).toEqual({
        ok: false,
        error: { code: 'unsupported', message },
      });
    expect(JSON.parse((await api('session.unlockWithKeychain', {})).body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('refuses non-JSON bodies and wrong methods', async () => {
    expect(
      (
        await send(host.port, '/api/cases.list', {
          headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'text/plain' },
          body: 'x',
        })
      ).status,
    ).toBe(415);
    expect(
      (await send(host.port, '/api/cases.list', { method: 'GET', headers: { Authorization: `Bearer ${host.token}` } }))
        .status,
    ).toBe(405);
    expect(
      (
        await send(host.port, '/api/cases.list', {
          headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
          body: '{nope',
        })
      ).status,
    ).toBe(400);
  });
});
