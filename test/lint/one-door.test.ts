// Proves the one-door lint rule (decision 0134): opening the database or importing SQLite outside the store and the
// workstation's open code is a lint error; reaching the data through the services is not.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const lint = async (filePath: string, code: string): Promise<string[]> => {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
};

const opensTheStore = (from: string): string =>
  `import { openDatabase } from '${from}';\nexport const a = openDatabase;\n`;
const createsTheStore = (from: string): string =>
  `import { createDatabase } from '${from}';\nexport const a = createDatabase;\n`;
const sqlite = "import Database from 'better-sqlite3-multiple-ciphers';\nexport const a = Database;\n";

describe('one door to the database', () => {
  it('refuses openDatabase and createDatabase in the CLI, the api, jobs and the Electron main process', async () => {
    expect(await lint('electron/cli/x.ts', opensTheStore('../services/store/database.ts'))).toContain(
      'no-restricted-imports',
    );
    expect(await lint('electron/cli/x.ts', createsTheStore('../services/store/database.ts'))).toContain(
      'no-restricted-imports',
    );
    expect(
      await lint('electron/services/workstation/commands/x.ts', opensTheStore('../../store/database.ts')),
    ).toContain('no-restricted-imports');
    expect(await lint('electron/services/audit/x.ts', opensTheStore('../store/database.ts'))).toContain(
      'no-restricted-imports',
    );
    expect(await lint('electron/main/x.ts', opensTheStore('../services/store/database.ts'))).toContain(
      'no-restricted-imports',
    );
  });

  it('refuses better-sqlite3 itself outside the store, but not its types', async () => {
    expect(await lint('electron/cli/x.ts', sqlite)).toContain('no-restricted-imports');
    expect(await lint('electron/services/workstation/commands/x.ts', sqlite)).toContain('no-restricted-imports');
    expect(
      await lint(
        'electron/services/audit/x.ts',
        "import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';\nexport type A = BetterSqlite3.Database;\n",
      ),
    ).not.toContain('no-restricted-imports');
  });

  it('lets the store, its migrations and the workstation open code open it, and anyone use the Database type', async () => {
    expect(await lint('electron/services/store/x.ts', sqlite)).not.toContain('no-restricted-imports');
    expect(await lint('electron/services/store/migrations/x.ts', opensTheStore('../database.ts'))).not.toContain(
      'no-restricted-imports',
    );
    expect(
      await lint('electron/services/workstation/session/workstation.ts', opensTheStore('../../store/database.ts')),
    ).not.toContain('no-restricted-imports');
    expect(
      await lint(
        'electron/cli/x.ts',
        "import type { Database } from '../services/store/database.ts';\nexport type A = Database;\n",
      ),
    ).not.toContain('no-restricted-imports');
  });

  it('still refuses electron in the services and the CLI, the store included', async () => {
    const electron = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await lint('electron/cli/x.ts', electron)).toContain('no-restricted-imports');
    expect(await lint('electron/services/store/x.ts', electron)).toContain('no-restricted-imports');
  });
});
