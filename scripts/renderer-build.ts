// Whether the built renderer (out/renderer) is missing or older than its sources, and building it when it is: one
// rule for `npm start` (both paths) and the end-to-end suite's global setup.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type RendererBuildState = 'missing' | 'stale' | 'current';

const newestMtimeMs = (path: string): number => {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path, { withFileTypes: true }).reduce(
    (newest, entry) => Math.max(newest, newestMtimeMs(join(path, entry.name))),
    info.mtimeMs,
  );
};

/** The renderer bundles renderer/ and whatever it imports from core/ (the api contract, the verifier, labels). */
export const RENDERER_SOURCES = ['renderer', 'core', 'vite.renderer.config.ts'] as const;

export const builtRendererIndex = (root: string): string => join(root, 'out', 'renderer', 'index.html');

export const rendererBuildState = (root: string): RendererBuildState => {
  const index = builtRendererIndex(root);
  if (!existsSync(index)) return 'missing';
  const sources = Math.max(...RENDERER_SOURCES.map((source) => newestMtimeMs(join(root, source))));
  return statSync(index).mtimeMs >= sources ? 'current' : 'stale';
};

const REASON: Record<Exclude<RendererBuildState, 'current'>, string> = {
  missing: 'out/renderer is missing',
  stale: 'out/renderer is older than its sources',
};

/**
 * Builds the renderer with Vite when it is missing or stale, saying so in one line through `say`; returns whether it
 * built. Throws when the build fails (its errors are on stderr).
 */
export const buildRendererIfNeeded = (root: string, say: (line: string) => void): boolean => {
  const state = rendererBuildState(root);
  if (state === 'current') return false;
  say(`Building the renderer (${REASON[state]}): vite build -c vite.renderer.config.ts…`);
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '-c',
      'vite.renderer.config.ts',
      // Errors only: its chunk-size advice would bury the one line that says what is happening.
      '--logLevel',
      'error',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`building the renderer failed (vite exited with ${result.status})`);
  return true;
};
