// verifier-region.spec.ts's region exports, made in a process of their own: a real hub (encrypted SQLite) with two
// devices that pushed, one of which signed a fork; `perimeter hub export`'s zip, and three tampered copies (an entry
// byte flipped, a line dropped, a checkpoint swapped). Writes RegionExports (JSON) to the file named on the command line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { verifyRegionExport } from '../../../core/sync/region-verify.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { exportRegion } from '../../../hub/export.ts';
import { signSameSizeFork, startTestRegion, tamperRegionExport } from '../../support/region.ts';
import type { RegionTampering } from '../../support/region.ts';

export type RegionExportFile = {
  readonly path: string;
  /** The file a failed verification names, and its first problem's file and message (`perimeter verify-region`'s). */
  readonly names: string | null;
  readonly firstProblem: { readonly file: string; readonly message: string } | null;
};

export type RegionExports = {
  readonly valid: RegionExportFile & { readonly entries: number; readonly hubLogSize: number; readonly forks: number };
  readonly tampered: Readonly<Record<RegionTampering, RegionExportFile>>;
};

const out = process.argv[2];
if (out === undefined) throw new Error('usage: node test/e2e/support/region-exports.ts OUT_JSON');
const dir = dirname(out);

const region = await startTestRegion('sqlite');
if ((await signSameSizeFork(region.devices[1], region.hub)) !== 409) throw new Error('the fork was not refused');
const files = unzipSync((await exportRegion(region.hub.hub())).bytes);
await region.close();

const verify = (changed: Record<string, Uint8Array>) =>
  verifyRegionExport(new Map(Object.entries(changed)), nodeSha256);
const valid = verify(files);
if (!valid.ok || valid.forks.length !== 1)
  throw new Error(`the region export should verify with one fork: ${valid.problems}`);
const validPath = join(dir, 'region-eu-west.zip');
writeFileSync(validPath, zipSync(files));

const tampered = {} as Record<RegionTampering, RegionExportFile>;
for (const how of ['entry-byte', 'dropped-line', 'swapped-checkpoint'] as const) {
  const copy = tamperRegionExport(files, how);
  const result = verify(copy.files);
  if (result.ok) throw new Error(`the ${how} copy verifies`);
  const path = join(dir, `region-eu-west-${how}.zip`);
  writeFileSync(path, zipSync(copy.files));
  tampered[how] = {
    path,
    names: copy.names,
    firstProblem: { file: result.issues[0]!.file, message: result.issues[0]!.message },
  };
}

const exports: RegionExports = {
  valid: {
    path: validPath,
    names: null,
    firstProblem: null,
    entries: valid.entries,
    hubLogSize: valid.hubLogSize,
    forks: valid.forks.length,
  },
  tampered,
};
writeFileSync(out, JSON.stringify(exports));
