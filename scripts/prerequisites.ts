// What `npm test` needs from the system besides node_modules: Debian's Chromium (Playwright cannot download its own
// browsers here), Go with golang.org/x/mod (the audit log's conformance peer, decision 0030) and PostgreSQL (the sync
// hub's second store, whose tests start a throwaway cluster from its initdb and pg_ctl). Missing ones are
// installed with apt-get when npm test runs as root; otherwise it stops at once with the exact command to run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
/** Where Debian's golang-golang-x-mod-dev puts the sources the conformance test builds against (GOPATH mode). */
export const GO_X_MOD = '/usr/share/gocode/src/golang.org/x/mod/sumdb/note';

/** Where Debian's postgresql package puts the server programs, one folder per major version. */
export const POSTGRES_LIB = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL installed under `lib` that has initdb and pg_ctl, or null. */
export const postgresBinDir = (lib: string = POSTGRES_LIB): string | null => {
  if (!existsSync(lib)) return null;
  const versions = readdirSync(lib)
    .filter((name) => /^[0-9]+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(lib, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
};

export type Prerequisite = {
  readonly name: string;
  readonly why: string;
  readonly packages: readonly string[];
  /** Installed with apt's recommended packages (Chromium's fonts), or without them. */
  readonly recommends: boolean;
};

export const PREREQUISITES = {
  chromium: {
    name: `Chromium (${CHROMIUM})`,
    why: 'the Playwright end-to-end tests',
    packages: ['chromium'],
    recommends: true,
  },
  go: {
    name: 'Go (go on PATH)',
    why: 'the audit conformance test against golang.org/x/mod/sumdb',
    packages: ['golang-go'],
    recommends: false,
  },
  goXMod: {
    name: `golang.org/x/mod (${GO_X_MOD})`,
    why: 'the audit conformance test against golang.org/x/mod/sumdb',
    packages: ['golang-golang-x-mod-dev'],
    recommends: false,
  },
  postgres: {
    name: `PostgreSQL (initdb and pg_ctl under ${POSTGRES_LIB})`,
    why: 'the sync hub tests against its PostgreSQL store',
    packages: ['postgresql'],
    recommends: false,
  },
} as const satisfies Record<string, Prerequisite>;

export type Probe = {
  readonly chromium: string;
  readonly goXMod: string;
  /** Where PostgreSQL's versioned folders are looked for. */
  readonly postgresLib: string;
  /** The environment `go` is looked up in (its PATH). */
  readonly env: NodeJS.ProcessEnv;
};

export const systemProbe = (): Probe => ({
  chromium: CHROMIUM,
  goXMod: GO_X_MOD,
  postgresLib: POSTGRES_LIB,
  env: process.env,
});

/** The prerequisites missing on this machine, in install order. */
export const missingPrerequisites = (probe: Probe = systemProbe()): Prerequisite[] => {
  const missing: Prerequisite[] = [];
  if (!existsSync(probe.chromium)) missing.push(PREREQUISITES.chromium);
  if (spawnSync('go', ['version'], { env: probe.env, stdio: 'ignore' }).status !== 0) missing.push(PREREQUISITES.go);
  if (!existsSync(probe.goXMod)) missing.push(PREREQUISITES.goXMod);
  if (postgresBinDir(probe.postgresLib) === null) missing.push(PREREQUISITES.postgres);
  return missing;
};

/** The apt-get commands that install `missing`: one update, then one install per recommends setting. */
export const aptCommands = (missing: readonly Prerequisite[]): string[][] => {
  const plain = missing.filter((item) => !item.recommends).flatMap((item) => item.packages);
  const withRecommends = missing.filter((item) => item.recommends).flatMap((item) => item.packages);
  return [
    ['apt-get', 'update'],
    ...(plain.length > 0 ? [['apt-get', 'install', '-y', '--no-install-recommends', ...plain]] : []),
    ...(withRecommends.length > 0 ? [['apt-get', 'install', '-y', ...withRecommends]] : []),
  ];
};

/** The commands as one line a person can paste, with sudo when they are not root. */
export const commandLine = (commands: readonly (readonly string[])[], asRoot: boolean): string =>
  commands.map((command) => (asRoot ? '' : 'sudo ') + command.join(' ')).join(' && ');

export type PrerequisiteOutcome =
  | { readonly kind: 'ready'; readonly installed: readonly Prerequisite[] }
  | { readonly kind: 'stop'; readonly message: string };

export type EnsureOptions = {
  readonly probe?: Probe;
  readonly isRoot?: boolean;
  /** Runs one command with its output shown; returns its exit status. */
  readonly run?: (command: readonly string[]) => number | null;
  readonly say?: (line: string) => void;
};

const runShown = (command: readonly string[]): number | null =>
  spawnSync(command[0]!, command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;

/**
 * Makes sure the system prerequisites are there: installs the missing ones with apt-get when running as root (saying
 * so), and otherwise, or when that fails, answers `stop` with the exact command to run.
 */
export const ensurePrerequisites = (options: EnsureOptions = {}): PrerequisiteOutcome => {
  const probe = options.probe ?? systemProbe();
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const missing = missingPrerequisites(probe);
  if (missing.length === 0) return { kind: 'ready', installed: [] };
  const commands = aptCommands(missing);
  const needs = missing.map((item) => `${item.name} for ${item.why}`).join('; ');
  const stop = (why: string): PrerequisiteOutcome => ({
    kind: 'stop',
    message: `npm test needs ${needs}. ${why}Install ${missing.length === 1 ? 'it' : 'them'} with:\n  ${commandLine(commands, isRoot)}\nthen run npm test again.`,
  });
  if (!isRoot) return stop('');
  say(`npm test needs ${needs}: installing with apt-get (running as root).`);
  const run = options.run ?? runShown;
  for (const command of commands) {
    say(`$ ${command.join(' ')}`);
    const status = run(command);
    if (status !== 0) return stop(`\`${command.join(' ')}\` failed (exit ${status}). `);
  }
  const still = missingPrerequisites(probe);
  if (still.length > 0) return stop(`After apt-get, still missing: ${still.map((item) => item.name).join(', ')}. `);
  return { kind: 'ready', installed: missing };
};
