// The Electron layer's lint rules: ipcMain only in the one IPC module, the preload reaching only core/api.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const lint = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await new ESLint().lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
};

const usesIpcMain = "import { ipcMain } from 'electron';\nipcMain.handle('api:x', () => 1);\n";

describe('the Electron layer', () => {
  it('allows ipcMain only in electron/main/ipc.ts', async () => {
    expect(await lint('electron/main/window.ts', usesIpcMain)).toContain('no-restricted-syntax');
    expect(await lint('electron/preload/x.ts', usesIpcMain)).toContain('no-restricted-syntax');
    expect(await lint('electron/main/ipc.ts', usesIpcMain)).toEqual([]);
  });

  it('refuses the preload reaching the services or main', async () => {
    const fromServices =
      "import { handleApiCall } from '../services/workstation/api/api.ts';\nexport const a = handleApiCall;\n";
    expect(await lint('electron/preload/x.ts', fromServices)).toContain('boundaries/dependencies');
    const fromMain = "import { API_CHANNELS } from '../main/ipc-door.ts';\nexport const a = API_CHANNELS;\n";
    expect(await lint('electron/preload/x.ts', fromMain)).toContain('boundaries/dependencies');
  });

  it('finds the real main and preload files clean', async () => {
    const results = await new ESLint().lintFiles(['electron/main/**/*.ts', 'electron/preload/**/*.ts']);
    expect(results.length).toBeGreaterThanOrEqual(8);
    expect(results.flatMap((result) => result.messages.map((m) => `${result.filePath}: ${m.message}`))).toEqual([]);
  });
});
