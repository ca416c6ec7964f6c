// Temporary directories for store and service tests: real files, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh directory under the system temp dir, deleted when the test file finishes. */
export const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `perimeter-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** A cheap scrypt cost for tests (the default costs 128 MiB and a noticeable fraction of a second per unlock). */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 } as const;

export const randomKey = (): Uint8Array => new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
