// Proves the layer arrows of DESIGN.md are enforced: a wrong import is a lint error, a right one is not.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const lint = async (filePath: string, code: string): Promise<string[]> => {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
};

describe('layer boundaries', () => {
  it('refuses Node, Electron and the database in core', async () => {
    expect(
      await lint('core/routing/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"),
    ).toContain('no-restricted-imports');
    expect(await lint('core/routing/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain(
      'no-restricted-imports',
    );
    expect(await lint('core/routing/x.ts', "import fs from 'fs';\nexport const a = fs;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('refuses the clock and randomness in core', async () => {
    expect(await lint('core/routing/x.ts', 'export const t = Date.now();\n')).toContain('no-restricted-properties');
    expect(await lint('core/routing/x.ts', 'export const t = new Date();\n')).toContain('no-restricted-syntax');
    expect(await lint('core/routing/x.ts', 'export const r = Math.random();\n')).toContain('no-restricted-properties');
  });

  it('refuses an import from core into services', async () => {
    const messages = await lint(
      'core/routing/x.ts',
      "import { x } from '../../electron/services/policy/load-policy-file.ts';\nexport const a = x;\n",
    );
    expect(messages).toContain('boundaries/dependencies');
  });

  it('refuses services importing the CLI and electron', async () => {
    expect(
      await lint('electron/services/x.ts', "import { x } from '../cli/main.ts';\nexport const a = x;\n"),
    ).toContain('boundaries/dependencies');
    expect(await lint('electron/services/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('refuses the renderer reaching services', async () => {
    expect(
      await lint(
        'renderer/features/x.ts',
        "import { x } from '../../electron/services/policy/load-policy-file.ts';\nexport const a = x;\n",
      ),
    ).toContain('boundaries/dependencies');
  });

  it('lets preload import only core/api', async () => {
    expect(
      await lint('electron/preload/x.ts', "import { x } from '../../core/routing/route.ts';\nexport const a = x;\n"),
    ).toContain('boundaries/dependencies');
  });

  it('allows the arrows DESIGN.md draws', async () => {
    expect(
      await lint('electron/cli/x.ts', "import { ok } from '../../core/shared/result.ts';\nexport const a = ok;\n"),
    ).toEqual([]);
    expect(
      await lint('electron/services/x.ts', "import { ok } from '../../core/shared/result.ts';\nexport const a = ok;\n"),
    ).toEqual([]);
  });

  it('lets the hub reach core and services, and nothing reach the hub', async () => {
    expect(
      await lint(
        'hub/x.ts',
        "import { nodeSha256 } from '../electron/services/audit/node-sha256.ts';\nimport { ok } from '../core/shared/result.ts';\nexport const a = [nodeSha256, ok];\n",
      ),
    ).toEqual([]);
    expect(await lint('hub/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain(
      'no-restricted-imports',
    );
    expect(await lint('hub/x.ts', "import { x } from '../electron/cli/main.ts';\nexport const a = x;\n")).toContain(
      'boundaries/dependencies',
    );
    expect(
      await lint('electron/services/x.ts', "import { x } from '../../hub/service.ts';\nexport const a = x;\n"),
    ).toContain('boundaries/dependencies');
    expect(await lint('core/sync/x.ts', "import { x } from '../../hub/service.ts';\nexport const a = x;\n")).toContain(
      'boundaries/dependencies',
    );
  });

  it('lets only the hub store open a database in the hub', async () => {
    const opens =
      "import { openDatabase } from '../electron/services/store/database.ts';\nexport const a = openDatabase;\n";
    expect(await lint('hub/x.ts', opens)).toContain('no-restricted-imports');
    expect(await lint('hub/store/x.ts', opens.replace('../electron', '../../electron'))).toEqual([]);
  });
});
