// The Electron entry: one instance, one sandboxed window on our own app:// origin, the security baseline on every
// web contents, the IPC door. Decisions live in web-policy.ts and ipc-door.ts; this file only wires Electron to them.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, Menu, protocol, session } from 'electron';
import type { MenuItemConstructorOptions, WebContents } from 'electron';
import { loadLeadScreener } from '../services/workstation/commands/screener.ts';
import { listStoreReader } from '../services/lists/reader.ts';
import { setWriteLockCommand } from '../services/store/write-lock.ts';
import type { LeadScreener } from '../services/workstation/session/workstation.ts';
import { registerIpcDoor } from './ipc.ts';
import { createIpcDoor } from './ipc-door.ts';
import { RETENTION_INTERVAL_MS } from '../services/workstation/commands/erasure.ts';
import { KYC_DELIVERY_INTERVAL_MS } from '../services/workstation/commands/kyc-delivery.ts';
import { electronKeystore } from './keystore.ts';
import {
  APP_ENTRY_URL,
  APP_HOST,
  APP_ORIGIN,
  APP_RESPONSE_HEADERS,
  appResponseHeadersFor,
  APP_SCHEME,
  assetPathOf,
  contentTypeOf,
  isAllowedRequestUrl,
  mayGrantPermission,
  mayNavigate,
} from './web-policy.ts';

const rendererDir = join(import.meta.dirname, '..', 'renderer');
const preloadPath = join(import.meta.dirname, '..', 'preload', 'index.cjs');
const allowDevTools = !app.isPackaged;

// The workstation database: PERIMETER_DB, or workstation.db in the user-data folder.
const databasePath = (): string => process.env.PERIMETER_DB ?? join(app.getPath('userData'), 'workstation.db');

// Must run before 'ready': app:// behaves like an https origin (standard, secure) and nothing more.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

const serveAppFile = async (request: Request): Promise<Response> => {
  const file = assetPathOf(rendererDir, request.url);
  if (file === null) return new Response('not found', { status: 404, headers: APP_RESPONSE_HEADERS });
  // In-page routes fall back to the app shell.
  const target = (await stat(file).catch(() => null))?.isFile() ? file : join(rendererDir, 'index.html');
  try {
    const body = await readFile(target);
    return new Response(body, { headers: { ...appResponseHeadersFor(target), 'Content-Type': contentTypeOf(target) } });
  } catch {
    return new Response('the renderer is not built (npm run build:electron)', {
      status: 404,
      headers: APP_RESPONSE_HEADERS,
    });
  }
};

const hardenSession = (): void => {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(mayGrantPermission(permission)),
  );
  defaultSession.setPermissionCheckHandler((_contents, permission) => mayGrantPermission(permission));
  defaultSession.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequestUrl(details.url, { allowDevTools }) }),
  );
  // app:// responses carry the CSP from serveAppFile; this covers anything else the session loads.
  defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        // Literal, so Electronegativity can evaluate it; test/electron/web-policy.test.ts keeps it equal to the host's.
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
        ],
        'X-Content-Type-Options': ['nosniff'],
      },
    }),
  );
};

// Every web contents, present and future: no navigation, no new windows, no webviews.
const hardenContents = (contents: WebContents): void => {
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
};

const buildMenu = (): Menu => {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : [{ role: 'fileMenu' } as const]),
    { role: 'editMenu' },
    ...(allowDevTools ? [{ label: 'Develop', submenu: [{ role: 'toggleDevTools' } as const] }] : []),
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
};

const createWindow = (): BrowserWindow => {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Perimeter',
    show: false,
    // Every checklist preference spelled out here, literally, so Electronegativity can see them (decision 0072).
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would open links in a new window: the feature is switched off, not just the window denied.
      disableBlinkFeatures: 'Auxclick',
      devTools: allowDevTools,
      preload: preloadPath,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (!existsSync(join(rendererDir, 'index.html')))
    process.stderr.write(`perimeter: no built renderer in ${rendererDir}: run npm run build:electron\n`);
  void window.loadURL(APP_ENTRY_URL);
  return window;
};

const start = async (): Promise<void> => {
  setWriteLockCommand('Perimeter desktop app');
  const lists = process.env.PERIMETER_LISTS;
  // The thresholds are the active policy's, read at each lead (decision 0127).
  const screener: LeadScreener | null = lists ? await loadLeadScreener(lists) : null;
  const door = createIpcDoor({
    dbPath: databasePath(),
    deps: { now: () => new Date(), ...(lists ? { listStore: listStoreReader(lists) } : {}) },
    screener,
    keystore: electronKeystore(),
    expectedSender: () => ({ webContentsId: mainWindow?.webContents.id ?? null, origin: APP_ORIGIN }),
  });
  const unregister = registerIpcDoor(door);
  // Retention runs at every sign-in and daily while the app runs (decision 0151), as in the browser host.
  const retentionTimer = setInterval(door.runRetention, RETENTION_INTERVAL_MS);
  // The KYC outbox is delivered by itself while someone is signed in (decision 0211), as in the browser host. Callbacks
  // are received by the browser host only (the desktop app opens no port).
  const kycTimer = setInterval(door.runKycDelivery, KYC_DELIVERY_INTERVAL_MS);
  protocol.handle(APP_SCHEME, (request) =>
    new URL(request.url).host === APP_HOST ? serveAppFile(request) : Promise.resolve(Response.error()),
  );
  hardenSession();
  Menu.setApplicationMenu(buildMenu());
  mainWindow = createWindow();
  mainWindow.on('closed', () => {
    door.lock();
    mainWindow = null;
  });
  app.on('before-quit', () => {
    clearInterval(retentionTimer);
    clearInterval(kycTimer);
    door.lock();
    unregister();
  });
};

if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, (error: unknown) => {
    process.stderr.write(`perimeter: ${String(error)}\n`);
    app.exit(1);
  });
}
