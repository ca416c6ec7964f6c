// Where the Electron binary is, without triggering the electron package's on-demand download (require('electron')
// downloads when the binary is missing; this machine has no route to it). Used by `npm start` and the smoke test.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary =
  { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };

export const findElectronBinary = (root: string = join(import.meta.dirname, '..')): ElectronBinary => {
  const packageDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(packageDir, 'package.json')))
    return { found: false, reason: 'the electron package is not installed (npm install)' };
  const pathFile = join(packageDir, 'path.txt');
  const relativePath = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relativePath ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(path)
      ? { found: true, path }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH names ${path}, which does not exist` };
  }
  if (relativePath === null)
    return {
      found: false,
      reason:
        'the Electron binary is not installed (node_modules/electron has no dist/, and this machine cannot ' +
        'download it: run `npx install-electron` where the network allows, or set ELECTRON_OVERRIDE_DIST_PATH)',
    };
  const path = join(packageDir, 'dist', relativePath);
  return existsSync(path) ? { found: true, path } : { found: false, reason: `${path} does not exist` };
};
