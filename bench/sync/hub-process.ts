// The hub as a deployment runs it: its own process (`perimeter hub`, hub/cli.ts), started with a key file and a store,
// listening on loopback. The benchmark talks to it over HTTP only: devices enrol with signed requests and the admin
// approves them with the admin token, as in production. Its CPU time is read from /proc so the run can say where the
// time went (device process or hub process).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHubKeys, newHubKeys } from '../../hub/keys.ts';
import type { HubKeys } from '../../hub/keys.ts';

export type HubProcess = {
  readonly url: string;
  readonly keys: HubKeys;
  readonly identity: { readonly witness: string; readonly mirror: string };
  /** User plus system CPU time of the hub process so far, in ms (Linux /proc). */
  readonly cpuMs: () => number;
  readonly stop: () => Promise<void>;
};

const root = join(import.meta.dirname, '..', '..');
const TICKS_PER_SECOND = 100;

const cpuOf = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
};

export const startHubProcess = async (input: {
  readonly dir: string;
  readonly region: string;
  /** `sqlite:FILE` or a postgres:// connection string, as `perimeter hub --store` takes it. */
  readonly store: string;
}): Promise<HubProcess> => {
  const keys = newHubKeys(input.region);
  const keyFile = join(input.dir, `hub-${input.region}-${process.pid}-${Date.now()}.keys.json`);
  writeHubKeys(keyFile, keys);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // BENCH_HUB_PROFILE=DIR writes the hub process's CPU profile there (node --cpu-prof) when it stops.
      ...(process.env.BENCH_HUB_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_PROFILE}`] : []),
      join(root, 'hub', 'cli.ts'),
      '--region',
      input.region,
      '--store',
      input.store,
      '--key',
      keyFile,
      '--listen',
      '127.0.0.1:0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const got = text.split('\n');
      if (got.length >= 3) {
        child.stdout!.off('data', onData);
        resolve(got);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the hub process exited (${code}) before it listened: ${text}`)));
  });
  const url = /listening on (\S+)/.exec(lines[0]!)?.[1];
  if (!url) throw new Error(`the hub process said ${lines[0]}`);
  const identity = JSON.parse(lines[1]!) as { witness: string; mirror: string };
  child.stdout!.resume();
  return {
    url,
    keys,
    identity,
    cpuMs: () => cpuOf(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

/** The device asks to enrol (a signed request), then the admin approves it for every market over the admin api. */
export const approveDevice = async (hub: HubProcess, deviceId: string): Promise<void> => {
  const response = await fetch(`${hub.url}/v1/admin/devices/${deviceId}/approve?admin=bench&markets=*`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.keys.adminToken}` },
  });
  if (response.status !== 200) throw new Error(`approve ${deviceId}: ${response.status} ${await response.text()}`);
};
