// Playwright global setup: builds the renderer when it is missing or older than its sources, then the fixture
// workstation every spec file gets a fresh copy of (support/host-process.ts); the teardown removes the fixture.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildRendererIfNeeded } from '../../../scripts/renderer-build.ts';
import { FIXTURE_ENV, buildFixture, readFixture } from './host-process.ts';

const root = join(import.meta.dirname, '..', '..', '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  buildRendererIfNeeded(root, (line) => process.stdout.write(`${line}\n`));
  const fixtureFile = await buildFixture();
  process.env[FIXTURE_ENV] = fixtureFile;
  return async () => {
    rmSync(readFixture(fixtureFile).dir, { recursive: true, force: true });
    rmSync(join(fixtureFile, '..'), { recursive: true, force: true });
  };
}
