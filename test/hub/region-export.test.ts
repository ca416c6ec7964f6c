// A whole region verified from one export (decision 0261): `perimeter hub export` of a hub with two devices verifies;
// a changed entry byte, a removed hub-log leaf and a checkpoint signed by another key each fail, naming file and origin;
// the fork a device signed is in the export with both checkpoints, verified and reported (decision 0275), and fork
// evidence that is spoiled or withheld fails; `perimeter verify-region` exits 0, 1 and 2.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../core/audit/checkpoint.ts';
import { verifyRegionExport } from '../../core/sync/region-verify.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { exportRegion } from '../../hub/export.ts';
import { runCliAsync } from '../support/cli.ts';
import { signSameSizeFork, startTestRegion } from '../support/region.ts';
import type { TestRegion } from '../support/region.ts';

let region: TestRegion;
let files: Record<string, Uint8Array>;
let forkedFiles: Record<string, Uint8Array>;
const dir = mkdtempSync(join(tmpdir(), 'perimeter-region-export-'));

const verify = (changed: Record<string, Uint8Array>) =>
  verifyRegionExport(new Map(Object.entries({ ...files, ...changed })), nodeSha256);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);

beforeAll(async () => {
  region = await startTestRegion('sqlite');
  files = unzipSync((await exportRegion(region.hub.hub())).bytes);
  expect(await signSameSizeFork(region.devices[1], region.hub)).toBe(409);
  forkedFiles = unzipSync((await exportRegion(region.hub.hub())).bytes);
}, 60_000);

afterAll(async () => region.close());

describe('a region export', () => {
  it('holds every device log and the hub log, and verifies', () => {
    expect(Object.keys(files).sort()).toEqual([
      'devices/field-x/accepted-checkpoints.json',
      'devices/field-x/checkpoint.txt',
      'devices/field-x/entries.jsonl',
      'devices/field-x/forks.json',
      'devices/field-y/accepted-checkpoints.json',
      'devices/field-y/checkpoint.txt',
      'devices/field-y/entries.jsonl',
      'devices/field-y/forks.json',
      'hub-log/checkpoint.txt',
      'hub-log/entries.jsonl',
      'manifest.json',
    ]);
    const result = verify({});
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, region: 'eu-west', devices: 2 });
    // Two device enrolments approved and two accepted checkpoints per device.
    expect(result.hubLogSize).toBeGreaterThanOrEqual(6);
    expect((JSON.parse(text(files['devices/field-x/accepted-checkpoints.json']!)) as string[]).length).toBe(2);
  });

  it('fails on a changed entry byte, naming the file and origin', () => {
    const original = text(files['devices/field-x/entries.jsonl']!);
    const changed = original.replace('"actor":"user:ada"', '"actor":"user:adb"');
    expect(changed).not.toBe(original);
    const result = verify({ 'devices/field-x/entries.jsonl': bytes(changed) });
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(
      /devices\/field-x\/entries\.jsonl: origin \S+: the entries do not hash to the checkpoint's root: the first difference lies in entries/,
    );
  });

  it('fails on a removed hub-log leaf', () => {
    const leaves = text(files['hub-log/entries.jsonl']!).split('\n').filter(Boolean);
    const removed = leaves
      .filter((_, index) => index !== 2)
      .map((l) => `${l}\n`)
      .join('');
    const result = verify({ 'hub-log/entries.jsonl': bytes(removed) });
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(
      /hub-log\/entries\.jsonl: origin perimeter-hub\/eu-west\/log: \d+ entries, the checkpoint says \d+/,
    );
  });

  it('fails on a device checkpoint signed by another key', () => {
    const note = text(files['devices/field-y/checkpoint.txt']!);
    const [origin, size, root] = note.split('\n') as [string, string, string];
    const forged = signCheckpoint(
      { origin, size: Number(size), root: Buffer.from(root, 'base64') },
      [{ name: origin, seed: new Uint8Array(32).fill(7) }],
      nodeSha256,
    );
    const result = verify({ 'devices/field-y/checkpoint.txt': bytes(forged) });
    expect(result.ok).toBe(false);
    expect(result.problems).toContain(
      `devices/field-y/checkpoint.txt: origin ${origin}: not signed by the device's log key`,
    );
    expect(result.problems).toContain(
      `devices/field-y/checkpoint.txt: origin ${origin}: no valid mirror cosignature of the hub`,
    );
  });

  it('carries the two signed checkpoints of a fork, verifies them and reports the fork without failing the region', () => {
    expect(JSON.parse(text(files['devices/field-y/forks.json']!))).toEqual([]);
    const evidence = JSON.parse(text(forkedFiles['devices/field-y/forks.json']!)) as {
      size: number;
      acceptedNote: string;
      conflictingNote: string;
    }[];
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.acceptedNote).not.toBe(evidence[0]!.conflictingNote);
    const result = verifyRegionExport(new Map(Object.entries(forkedFiles)), nodeSha256);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.forks).toHaveLength(1);
    expect(result.forks[0]).toMatchObject({
      device: 'field-y',
      sameSize: true,
      acceptedSize: evidence[0]!.size,
      conflictingSize: evidence[0]!.size,
      file: 'devices/field-y/forks.json',
    });
  });

  it('fails on fork evidence withheld or signed by another key', () => {
    const withheld = verifyRegionExport(
      new Map(Object.entries({ ...forkedFiles, 'devices/field-y/forks.json': bytes('[]\n') })),
      nodeSha256,
    );
    expect(withheld.ok).toBe(false);
    expect(withheld.problems.join('\n')).toMatch(
      /hub-log\/entries\.jsonl: origin \S+: entry \d+: fork\.recorded of size \d+, but devices\/field-y\/forks\.json does not hold its two checkpoints/,
    );
    const evidence = JSON.parse(text(forkedFiles['devices/field-y/forks.json']!)) as { conflictingNote: string }[];
    const [origin, size, root] = evidence[0]!.conflictingNote.split('\n') as [string, string, string];
    const forged = signCheckpoint(
      { origin, size: Number(size), root: Buffer.from(root, 'base64') },
      [{ name: origin, seed: new Uint8Array(32).fill(9) }],
      nodeSha256,
    );
    const spoiled = verifyRegionExport(
      new Map(
        Object.entries({
          ...forkedFiles,
          'devices/field-y/forks.json': bytes(JSON.stringify([{ ...evidence[0], conflictingNote: forged }])),
        }),
      ),
      nodeSha256,
    );
    expect(spoiled.ok).toBe(false);
    expect(spoiled.forks).toEqual([]);
    expect(spoiled.problems).toContain(
      `devices/field-y/forks.json: origin ${origin}: fork 0 (size ${size}): the conflicting checkpoint is not signed by the device's log key`,
    );
  });

  it('perimeter verify-region: exit 0 verified, 1 tampered, 2 not an export', async () => {
    const good = join(dir, 'region.zip');
    writeFileSync(good, zipSync(files));
    const ok = await runCliAsync(['verify-region', good]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/region eu-west verified: 2 device logs/);
    const tampered = join(dir, 'tampered.zip');
    const leaves = text(files['hub-log/entries.jsonl']!).split('\n').filter(Boolean);
    writeFileSync(
      tampered,
      zipSync({
        ...files,
        'hub-log/entries.jsonl': bytes(
          leaves
            .slice(1)
            .map((l) => `${l}\n`)
            .join(''),
        ),
      }),
    );
    const bad = await runCliAsync(['verify-region', tampered]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/NOT verified/);
    const junk = join(dir, 'junk.zip');
    writeFileSync(junk, 'not a zip');
    expect((await runCliAsync(['verify-region', junk])).status).toBe(2);
  }, 60_000);
});
