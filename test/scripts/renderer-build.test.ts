// When `npm start` and the e2e suite rebuild the renderer: out/renderer missing, or older than anything it is built from.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rendererBuildState } from '../../scripts/renderer-build.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project tree with the renderer's sources, every file dated `sourcesAt` (seconds since the epoch). */
const project = (sourcesAt: number): string => {
  const root = mkdtempSync(join(tmpdir(), 'perimeter-renderer-build-'));
  dirs.push(root);
  const files = ['renderer/src/app/App.tsx', 'core/audit/verify.ts', 'core/api/contract.ts', 'vite.renderer.config.ts'];
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '// source\n');
  }
  for (const path of [...files, 'renderer/src/app', 'renderer/src', 'renderer', 'core/audit', 'core/api', 'core'])
    utimesSync(join(root, path), sourcesAt, sourcesAt);
  return root;
};

const build = (root: string, at: number): void => {
  mkdirSync(join(root, 'out', 'renderer'), { recursive: true });
  writeFileSync(join(root, 'out', 'renderer', 'index.html'), '<!doctype html>');
  utimesSync(join(root, 'out', 'renderer', 'index.html'), at, at);
};

describe('rendererBuildState', () => {
  it('is missing on a fresh clone, current after a build, and stale once any source is newer', () => {
    const root = project(1_000);
    expect(rendererBuildState(root)).toBe('missing');
    build(root, 2_000);
    expect(rendererBuildState(root)).toBe('current');
    for (const source of ['renderer/src/app/App.tsx', 'core/audit/verify.ts', 'vite.renderer.config.ts']) {
      utimesSync(join(root, source), 3_000, 3_000);
      expect(rendererBuildState(root), source).toBe('stale');
      utimesSync(join(root, source), 1_000, 1_000);
      expect(rendererBuildState(root)).toBe('current');
    }
    // A new file in a source folder dates the folder itself.
    writeFileSync(join(root, 'renderer', 'src', 'new.ts'), '');
    expect(rendererBuildState(root)).toBe('stale');
  });
});
