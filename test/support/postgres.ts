// A throwaway PostgreSQL cluster for tests and benchmarks: initdb and pg_ctl from Debian's postgresql, run as an
// unprivileged user (nobody, via runuser, when we are root), listening on 127.0.0.1 only, in a temp dir removed after.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir } from '../../scripts/prerequisites.ts';

export type PostgresCluster = {
  readonly port: number;
  /** A connection string to a fresh database of this cluster. */
  readonly createDatabase: (name: string) => Promise<string>;
  readonly stop: () => void;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });

const NOBODY_UID = 65534;
const NOGROUP_GID = 65534;

export const startPostgres = async (options: { readonly durable?: boolean } = {}): Promise<PostgresCluster> => {
  const bin = postgresBinDir();
  if (bin === null)
    throw new Error('PostgreSQL is not installed (Debian package postgresql): npm test installs it when run as root');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chownSync(dir, NOBODY_UID, NOGROUP_GID);
  }
  chmodSync(dir, 0o700);
  const run = (program: string, args: readonly string[]): void => {
    const command = asRoot ? 'runuser' : join(bin, program);
    const argv = asRoot ? ['-u', 'nobody', '--', join(bin, program), ...args] : [...args];
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
    if (result.status !== 0)
      throw new Error(
        `${program} failed (exit ${result.status}): ${result.stderr || result.stdout || result.error?.message}`,
      );
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-c listen_addresses=127.0.0.1`,
    `-c unix_socket_directories=${dir}`,
    // Tests need no durability across a power cut; the benchmark keeps PostgreSQL's defaults (durable: true).
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    port,
    createDatabase: async (name) => {
      const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
};
