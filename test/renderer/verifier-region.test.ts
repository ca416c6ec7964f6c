// The verifier screen's worker job on a real region export (decision 0277), without a browser: it is recognised by its
// manifest and verified by the same code as `perimeter verify-region`, with the same verdict, problems and forks; the
// screen's view names each problem by file, origin and entries, and shows the fork.
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portableSha256 } from '../../core/shared/sha256.ts';
import { verifyRegionExportZip } from '../../core/sync/region-verify.ts';
import { regionView } from '../../renderer/src/features/verifier/region-view.ts';
import { readChosenBundle, runVerifierJob } from '../../renderer/src/features/verifier/verifier-job.ts';
import type { JobOutcome, WorkerMessage } from '../../renderer/src/features/verifier/verifier-job.ts';
import { exportRegionFiles, signSameSizeFork, startTestRegion, tamperRegionExport } from '../support/region.ts';
import type { TestRegion } from '../support/region.ts';

let region: TestRegion;
let files: Record<string, Uint8Array>;

beforeAll(async () => {
  region = await startTestRegion('sqlite');
  expect(await signSameSizeFork(region.devices[1], region.hub)).toBe(409);
  files = await exportRegionFiles(region);
}, 60_000);
afterAll(async () => region.close());

/** What the worker answers for a chosen zip (read with the portable inflater here; the browser's in the worker). */
const verifyInWorker = async (zip: Uint8Array): Promise<JobOutcome> => {
  const messages: WorkerMessage[] = [];
  runVerifierJob({ kind: 'verify', keys: '', bundle: await readChosenBundle('region.zip', zip) }, (message) =>
    messages.push(message),
  );
  const done = messages.at(-1)!;
  if (done.kind !== 'done') throw new Error(`the job ended with ${done.kind}`);
  expect(messages.filter((m) => m.kind === 'progress').length).toBeGreaterThan(0);
  return done.outcome;
};

describe('the verifier screen on a region export', () => {
  it('gives the CLI verdict for a valid export, with the fork', async () => {
    const zip = zipSync(files);
    const outcome = await verifyInWorker(zip);
    if (outcome.kind !== 'region') throw new Error(`expected a region outcome, got ${outcome.kind}`);
    const cli = verifyRegionExportZip(zip, portableSha256);
    if (cli.kind !== 'verified') throw new Error('the CLI could not read it');
    expect(outcome.result).toEqual(cli.result);
    expect(outcome.result.ok).toBe(true);
    const view = regionView(outcome);
    expect(view.verdict).toBe('valid');
    expect(view.headline).toMatch(
      /^Region eu-west verified: 2 device logs, \d+ entries, hub log of \d+ entries; every accepted checkpoint is in the hub log; 1 fork recorded, with both signed checkpoints$/,
    );
    expect(view.forks).toEqual([
      expect.objectContaining({ device: 'field-y', evidence: 'devices/field-y/forks.json' }),
    ]);
    expect(view.forks[0]!.what).toMatch(/^two checkpoints of size \d+ with different roots/);
    expect(view.devices.map((d) => d.device)).toEqual(['field-x', 'field-y']);
  });

  it.each(['entry-byte', 'dropped-line', 'swapped-checkpoint'] as const)(
    'gives the CLI verdict for an export with %s, each problem named by file and origin',
    async (how) => {
      const tampered = tamperRegionExport(files, how);
      const zip = zipSync(tampered.files);
      const outcome = await verifyInWorker(zip);
      if (outcome.kind !== 'region') throw new Error(`expected a region outcome, got ${outcome.kind}`);
      const cli = verifyRegionExportZip(zip, portableSha256);
      if (cli.kind !== 'verified') throw new Error('the CLI could not read it');
      expect(outcome.result.problems).toEqual(cli.result.problems);
      const view = regionView(outcome);
      expect(view.verdict).toBe('invalid');
      expect(view.problems.some((p) => p.file === tampered.names && p.origin.startsWith('perimeter/audit/'))).toBe(
        true,
      );
    },
  );

  it('names the entries of a changed entry', async () => {
    const outcome = await verifyInWorker(zipSync(tamperRegionExport(files, 'entry-byte').files));
    if (outcome.kind !== 'region') throw new Error('expected a region outcome');
    const problem = regionView(outcome).problems.find((p) => p.file === 'devices/field-x/entries.jsonl')!;
    expect(problem.entries).toMatch(/^\d+ to \d+$/);
    expect(problem.message).toContain(`the first difference lies in entries ${problem.entries}`);
  });

  it('is unusable input when the manifest says region export but the export cannot be read as one', async () => {
    const broken = zipSync({ 'manifest.json': new TextEncoder().encode('{"format":"perimeter-region-export"}') });
    const outcome = await verifyInWorker(broken);
    expect(outcome).toMatchObject({ kind: 'unusable', error: expect.stringMatching(/not a perimeter-region-export/) });
  });
});
