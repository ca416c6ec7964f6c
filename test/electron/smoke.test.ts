// Electron smoke test (Playwright's Electron driver): launches the built app and checks the window and the bridge.
// Runs only where the Electron binary is installed; elsewhere it is skipped and says why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.ts';

const root = join(import.meta.dirname, '..', '..');
const binary = findElectronBinary(root);
const built =
  existsSync(join(root, 'out', 'main', 'index.js')) && existsSync(join(root, 'out', 'preload', 'index.cjs'));
const skipReason = !binary.found
  ? `skipped: ${binary.reason}`
  : !built
    ? 'skipped: the app is not built (npm run build:electron, or electron-vite build)'
    : null;

describe('the Electron app', () => {
  if (skipReason !== null) process.stdout.write(`Electron smoke test ${skipReason}\n`);

  it.skipIf(skipReason !== null)(
    `opens one sandboxed window on app://perimeter with window.perimeter and nothing else${skipReason ? ` (${skipReason})` : ''}`,
    async () => {
      const { _electron } = await import('@playwright/test');
      const app = await _electron.launch({
        executablePath: binary.found ? binary.path : undefined,
        args: [root],
        cwd: root,
        env: { ...process.env, PERIMETER_DB: join(root, 'test-results', 'smoke-missing.db') },
      });
      try {
        const window = await app.firstWindow();
        expect(window.url()).toBe('app://perimeter/index.html');
        const surface = await window.evaluate(() => {
          const scope = globalThis as unknown as Record<string, unknown>;
          const bridge = scope.perimeter as Record<string, unknown> | undefined;
          return {
            methods: bridge ? Object.keys(bridge).sort() : [],
            require: typeof scope.require,
            process: typeof scope.process,
            ipcRenderer: typeof scope.ipcRenderer,
          };
        });
        expect(surface.methods).toContain('session.unlock');
        expect(surface.methods).toContain('cases.list');
        expect(surface).toMatchObject({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
        const locked = await window.evaluate(() =>
          (globalThis as unknown as { perimeter: Record<string, () => Promise<unknown>> }).perimeter['cases.counts']!(),
        );
        expect(locked).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
        expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      } finally {
        await app.close();
      }
    },
  );
});
