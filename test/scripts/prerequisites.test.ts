// npm test's system prerequisites: Chromium, Go, golang.org/x/mod and PostgreSQL are found or reported missing; as root the missing
// ones are installed with apt-get, saying so; otherwise npm test stops at once with the exact command to run.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aptCommands, ensurePrerequisites, missingPrerequisites } from '../../scripts/prerequisites.ts';
import type { Probe } from '../../scripts/prerequisites.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-prerequisites-'));
  dirs.push(dir);
  return dir;
};

/** A machine with none of them: no Chromium where Playwright looks, no go on PATH, no x/mod sources. */
const bareMachine = (): Probe => {
  const dir = tempDir();
  return {
    chromium: join(dir, 'chromium'),
    goXMod: join(dir, 'x-mod'),
    postgresLib: join(dir, 'pg'),
    env: { PATH: dir },
  };
};

/** A machine with all three (go is a stand-in that answers `go version`). */
const readyMachine = (): Probe => {
  const dir = tempDir();
  writeFileSync(join(dir, 'go'), '#!/bin/sh\necho go version go1.19 linux/amd64\n');
  chmodSync(join(dir, 'go'), 0o755);
  writeFileSync(join(dir, 'chromium'), '');
  // Debian's layout: /usr/lib/postgresql/<major>/bin/{initdb,pg_ctl}.
  mkdirSync(join(dir, 'pg', '15', 'bin'), { recursive: true });
  for (const program of ['initdb', 'pg_ctl']) writeFileSync(join(dir, 'pg', '15', 'bin', program), '');
  return { chromium: join(dir, 'chromium'), goXMod: dir, postgresLib: join(dir, 'pg'), env: { PATH: dir } };
};

describe('npm test prerequisites', () => {
  it('finds what is missing', () => {
    expect(missingPrerequisites(bareMachine()).map((item) => item.packages[0])).toEqual([
      'chromium',
      'golang-go',
      'golang-golang-x-mod-dev',
      'postgresql',
    ]);
    expect(missingPrerequisites(readyMachine())).toEqual([]);
  });

  it('stops at once, not as root, with the exact command to run', () => {
    const ran: string[][] = [];
    const outcome = ensurePrerequisites({
      probe: bareMachine(),
      isRoot: false,
      run: (command) => (ran.push([...command]), 0),
      say: () => undefined,
    });
    expect(ran).toEqual([]);
    expect(outcome.kind).toBe('stop');
    expect(outcome.kind === 'stop' ? outcome.message : '').toContain(
      '\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends golang-go golang-golang-x-mod-dev postgresql' +
        ' && sudo apt-get install -y chromium\n',
    );
  });

  it('installs the missing ones with apt-get as root, saying so, and checks again', () => {
    const ran: string[][] = [];
    const said: string[] = [];
    const probe = bareMachine();
    const outcome = ensurePrerequisites({
      probe,
      isRoot: true,
      // Stands in for apt-get: "installs" the four where the probe looks.
      run: (command) => {
        ran.push([...command]);
        if (command[1] === 'install') {
          const ready = readyMachine();
          Object.assign(probe, {
            chromium: ready.chromium,
            goXMod: ready.goXMod,
            postgresLib: ready.postgresLib,
            env: ready.env,
          });
        }
        return 0;
      },
      say: (line) => said.push(line),
    });
    expect(ran).toEqual(aptCommands(missingPrerequisites(bareMachine())));
    expect(said[0]).toMatch(/^npm test needs Chromium .* installing with apt-get \(running as root\)\.$/);
    expect(outcome).toMatchObject({
      kind: 'ready',
      installed: [{ packages: ['chromium'] }, {}, {}, { packages: ['postgresql'] }],
    });
  });

  it('stops with the command when apt-get fails or leaves something missing', () => {
    const failing = ensurePrerequisites({ probe: bareMachine(), isRoot: true, run: () => 100, say: () => undefined });
    expect(failing.kind === 'stop' ? failing.message : '').toMatch(
      /`apt-get update` failed \(exit 100\)\. .*\n {2}apt-get update && /s,
    );
    const useless = ensurePrerequisites({ probe: bareMachine(), isRoot: true, run: () => 0, say: () => undefined });
    expect(useless.kind === 'stop' ? useless.message : '').toContain('After apt-get, still missing: Chromium');
  });

  it('asks for nothing when all are there', () => {
    expect(ensurePrerequisites({ probe: readyMachine(), isRoot: false, run: () => 1 })).toEqual({
      kind: 'ready',
      installed: [],
    });
  });
});
