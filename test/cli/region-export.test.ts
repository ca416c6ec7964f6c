// `perimeter hub export` and `perimeter verify-region` from the command line, on both hub stores: a hub with two
// devices exports a zip that verifies (exit 0), with the fork a device signed reported (exit 1 with --fail-on-fork);
// an entry byte changed, a line dropped and a checkpoint swapped each exit 1 naming the file; a non-zip exits 2; an
// existing --out is never overwritten (exit 2).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHubKeys } from '../../hub/keys.ts';
import { runCliAsync } from '../support/cli.ts';
import type { CliRun } from '../support/cli.ts';
import { repoRoot } from '../support/examples.ts';
import type { StoreKind } from '../support/hub.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';
import { signSameSizeFork, startTestRegion, tamperRegionExport } from '../support/region.ts';
import type { RegionTampering, TestRegion } from '../support/region.ts';

/** `perimeter hub …` as an operator runs it, through bin/perimeter.mjs. */
const hubCli = (args: readonly string[]): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'perimeter.mjs'), 'hub', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe.each<StoreKind>(['sqlite', 'postgres'])('perimeter hub export and verify-region on %s', (kind) => {
  let region: TestRegion;
  const dir = mkdtempSync(join(tmpdir(), `perimeter-region-cli-${kind}-`));
  const keyFile = join(dir, 'hub-keys.json');
  const out = join(dir, 'region.zip');

  beforeAll(async () => {
    region = await startTestRegion(kind, { cluster: cluster! });
    writeHubKeys(keyFile, region.hub.keys);
    expect(await signSameSizeFork(region.devices[1], region.hub)).toBe(409);
  }, 120_000);
  afterAll(async () => region?.close());

  it('exports the region to a zip that verifies, reporting the fork the device signed', async () => {
    const exported = await hubCli(['export', '--store', region.hub.store, '--key', keyFile, '--out', out]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^wrote .*region\.zip: region eu-west, 2 device logs, hub log of \d+ entries$/m);
    expect(existsSync(`${out}.partial`)).toBe(false);
    const verified = await runCliAsync(['verify-region', out]);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(
      /region eu-west verified: 2 device logs, \d+ entries, hub log of \d+ entries; every accepted checkpoint is in the hub log; 1 fork recorded/,
    );
    expect(verified.stdout).toMatch(/FORK: device field-y .* evidence in devices\/field-y\/forks\.json/);
    const strict = await runCliAsync(['verify-region', '--fail-on-fork', out]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/1 fork\(s\) recorded/);
  }, 120_000);

  it('never overwrites an existing file', async () => {
    const again = await hubCli(['export', '--store', region.hub.store, '--key', keyFile, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists already/);
  }, 60_000);

  it.each<[RegionTampering, RegExp]>([
    ['entry-byte', /devices\/field-x\/entries\.jsonl: origin \S+: the entries do not hash to the checkpoint's root/],
    ['dropped-line', /devices\/field-x\/entries\.jsonl: origin \S+: \d+ entries, the checkpoint says \d+/],
    ['swapped-checkpoint', /devices\/field-y\/checkpoint\.txt: origin \S+: the checkpoint is of origin/],
  ])(
    'exits 1 for an export with %s, naming the file',
    async (how, problem) => {
      const tampered = tamperRegionExport(unzipSync(new Uint8Array(readFileSync(out))), how);
      const file = join(dir, `${how}.zip`);
      writeFileSync(file, zipSync(tampered.files));
      const result = await runCliAsync(['verify-region', file]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/NOT verified/);
      expect(result.stderr).toContain(tampered.names);
      expect(result.stderr).toMatch(problem);
    },
    60_000,
  );

  it('exits 2 for a file that is not a zip, or a zip that is not a region export', async () => {
    const junk = join(dir, 'junk.zip');
    writeFileSync(junk, 'not a zip');
    const notZip = await runCliAsync(['verify-region', junk]);
    expect(notZip.status).toBe(2);
    expect(notZip.stderr).toMatch(/not a readable zip/);
    const other = join(dir, 'other.zip');
    writeFileSync(other, zipSync({ 'manifest.json': new TextEncoder().encode('{"format":"something-else"}') }));
    const notRegion = await runCliAsync(['verify-region', other]);
    expect(notRegion.status).toBe(2);
    expect(notRegion.stderr).toMatch(/not a perimeter-region-export/);
    expect((await runCliAsync(['verify-region', join(dir, 'missing.zip')])).status).toBe(2);
  }, 60_000);
});
