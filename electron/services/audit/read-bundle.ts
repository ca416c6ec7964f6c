// Reads an export bundle from disk: the zip file, or a directory holding the same files (an unpacked bundle).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { UnzippedBundle } from '../../../core/audit/bundle-assemble.ts';
import { unzipBundleNative } from './native-unzip.ts';

export type BundleReadResult = { ok: true; value: UnzippedBundle } | { ok: false; error: string };

const listFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });

/** The bundle's files: a directory read as it is, a zip inflated with node:zlib in one piece per member. */
export const readBundle = (path: string): BundleReadResult => {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return { ok: false, error: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (stats.isDirectory()) {
    const files = new Map<string, Uint8Array>();
    for (const file of listFiles(path))
      files.set(relative(path, file).split(sep).join('/'), new Uint8Array(readFileSync(file)));
    return { ok: true, value: { files, unexpected: [] } };
  }
  const unzipped = unzipBundleNative(new Uint8Array(readFileSync(path)));
  return unzipped.ok ? unzipped : { ok: false, error: `${path}: ${unzipped.error}` };
};
