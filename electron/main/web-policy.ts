// The window's security baseline as plain data and pure decisions, free of Electron so Node tests pin them: the
// app:// origin, which requests may leave the renderer, how app:// URLs map to files. (The webPreferences are written
// literally in index.ts, where Electronegativity checks them.)
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicyFor } from '../services/host/browser-host.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'perimeter';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The same policy the browser host sends; the renderer's index.html carries it as a meta tag too. */
export const APP_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY;

/** Headers on every app:// response. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/** The headers of one app:// file: the verifier's worker script may also compile WebAssembly (decision 0191). */
export const appResponseHeadersFor = (file: string): Readonly<Record<string, string>> => ({
  ...APP_RESPONSE_HEADERS,
  'Content-Security-Policy': contentSecurityPolicyFor(file),
});

/** Nothing leaves for the network: only our own app:// files, data: images, and DevTools when allowed (dev only). */
export const isAllowedRequestUrl = (raw: string, options: { readonly allowDevTools: boolean }): boolean => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:`) return url.host === APP_HOST;
  if (url.protocol === 'data:') return true;
  if (url.protocol === 'devtools:') return options.allowDevTools;
  return false;
};

/** Navigation away from the loaded page is never allowed: the app is one page with in-page routes. */
export const mayNavigate = (_url: string): boolean => false;

/** Every permission (camera, notifications, clipboard-read, …) is refused: the workstation needs none. */
export const mayGrantPermission = (_permission: string): boolean => false;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const contentTypeOf = (path: string): string => CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';

/**
 * The file an app:// URL names inside the built renderer, or null for another host or a path escaping the folder.
 * "/" is index.html.
 */
export const assetPathOf = (rendererDir: string, raw: string): string | null => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = normalize(pathname).replace(/^([/\\])+/, '');
  if (relative === '' || relative === '.') return join(rendererDir, 'index.html');
  const file = join(rendererDir, relative);
  return file.startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep) ? file : null;
};
