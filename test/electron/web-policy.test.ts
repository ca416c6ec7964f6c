// The window's security baseline as data: the CSP, which requests may leave, how app:// maps to files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_RESPONSE_HEADERS,
  appResponseHeadersFor,
  assetPathOf,
  isAllowedRequestUrl,
  mayGrantPermission,
  mayNavigate,
} from '../../electron/main/web-policy.ts';

describe('the security baseline', () => {
  it('sends a CSP without inline or remote script on every app:// response', () => {
    const csp = APP_RESPONSE_HEADERS['Content-Security-Policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(csp).toContain("object-src 'none'");
  });

  it("lets only the verifier's worker script compile WebAssembly, and never evaluate JavaScript", () => {
    const worker = appResponseHeadersFor('/app/out/renderer/assets/verifier.worker-u1jINcGu.js');
    const csp = worker['Content-Security-Policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp.replace(" 'wasm-unsafe-eval'", '')).toBe(APP_RESPONSE_HEADERS['Content-Security-Policy']);
    expect(csp).not.toMatch(/script-src[^;]*('unsafe-inline'|'unsafe-eval'|https?:)/);
    expect({ ...worker, 'Content-Security-Policy': '' }).toEqual({
      ...APP_RESPONSE_HEADERS,
      'Content-Security-Policy': '',
    });
    for (const other of [
      '/app/out/renderer/index.html',
      '/app/out/renderer/assets/index-DxM1haoa.js',
      '/app/out/renderer/assets/verifier.worker-u1jINcGu.js.map',
      '/app/out/renderer/verifier.worker-u1jINcGu.js',
      '/app/out/renderer/assets/evil/verifier.worker-x.js/../index-a.js',
    ])
      expect(appResponseHeadersFor(other), other).toEqual(APP_RESPONSE_HEADERS);
  });

  it('writes the same CSP literally in the Electron entry (where Electronegativity reads it) as the browser host sends', () => {
    const entry = readFileSync(join(import.meta.dirname, '../../electron/main/index.ts'), 'utf8');
    expect(entry).toContain(JSON.stringify(APP_RESPONSE_HEADERS['Content-Security-Policy']));
  });

  it('loads our own app:// origin, never file:// or the network', () => {
    expect(APP_ENTRY_URL).toBe('app://perimeter/index.html');
    const dev = { allowDevTools: true };
    const packaged = { allowDevTools: false };
    expect(isAllowedRequestUrl('app://perimeter/assets/index-abc.js', packaged)).toBe(true);
    expect(isAllowedRequestUrl('data:image/png;base64,AAAA', packaged)).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'ws://127.0.0.1/',
      'app://evil/index.html',
      'not a url',
    ])
      expect(isAllowedRequestUrl(url, dev)).toBe(false);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/inspector.html', dev)).toBe(true);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/inspector.html', packaged)).toBe(false);
  });

  it('denies every navigation and every permission', () => {
    expect(mayNavigate('app://perimeter/index.html')).toBe(false);
    expect(mayNavigate('https://example.com/')).toBe(false);
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal'])
      expect(mayGrantPermission(permission)).toBe(false);
  });
});

describe('app:// files', () => {
  const dir = join('/opt', 'perimeter', 'renderer');

  it('maps paths inside the built renderer, "/" to index.html', () => {
    expect(assetPathOf(dir, 'app://perimeter/')).toBe(join(dir, 'index.html'));
    expect(assetPathOf(dir, 'app://perimeter/assets/app.js?v=1')).toBe(join(dir, 'assets', 'app.js'));
  });

  it('refuses other hosts and every way out of the folder', () => {
    expect(assetPathOf(dir, 'app://other/index.html')).toBeNull();
    expect(assetPathOf(dir, 'https://perimeter/index.html')).toBeNull();
    // The URL parser and path normalisation fold "../" at the root: whatever is left must stay inside the folder.
    for (const path of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fetc/passwd',
      '/..%5c..%5cetc',
    ]) {
      const file = assetPathOf(dir, `app://perimeter${path}`);
      expect(file === null || file.startsWith(`${dir}/`)).toBe(true);
    }
    for (const path of ['/%00', '/%E0%A4%A']) expect(assetPathOf(dir, `app://perimeter${path}`)).toBeNull();
  });
});
