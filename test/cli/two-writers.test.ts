// Two writers on one workstation (issue 12, section 6): a running `perimeter serve` and `perimeter leads import` write
// side by side, and a write lock held past the timeout gives a clear message naming its holder (exit 2, no stack).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, examplesDir } from '../support/examples.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../support/workstation.ts';

const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
const cliMain = join(repoRoot, 'electron', 'cli', 'main.ts');

type Finished = { status: number; stdout: string; stderr: string };

const start = (args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Finished> } => {
  const child = spawn(existsSync(pinnedNode) ? pinnedNode : process.execPath, [cliMain, ...args], {
    cwd: repoRoot,
    env: { ...process.env, PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr })),
  );
  return { child, done };
};

/** The example leads again and again under fresh ids: `count` lines of JSONL. */
const leadsFile = (path: string, count: number, prefix: string): string => {
  const examples = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1)
    lines.push(JSON.stringify({ ...examples[i % examples.length], id: `${prefix}-${i}` }));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

const waitFor = async (check: () => boolean, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('two writers at once', () => {
  const ws = createTestWorkstation();
  ws.admin.workstation.close();
  const running: ChildProcess[] = [];
  afterAll(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGTERM');
  });

  it('the browser host and `perimeter leads import` both write, neither refused', async () => {
    // The host waits at most 2 s for the lock while the import, chunk after chunk, takes far longer: the host's writes
    // go through only if the importer gives it a turn between chunks.
    const serve = start(['serve', '--db', ws.path], { PERIMETER_LOCK_TIMEOUT_MS: '2000' });
    running.push(serve.child);
    let out = '';
    serve.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    await waitFor(() => /#token=/.test(out), 30_000);
    const url = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out)!;
    const api = async (method: string, body: unknown): Promise<{ ok: boolean; error?: { message: string } }> => {
      const response = await fetch(`http://127.0.0.1:${url[1]}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${url[2]}` },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { ok: boolean; error?: { message: string } };
    };
    expect((await api('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE })).ok).toBe(true);

    const template = JSON.parse(readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8').split('\n')[0]!);
    const file = leadsFile(join(ws.dir, 'cli-leads.jsonl'), 5_000, 'CLI');
    const importer = start(['leads', 'import', '--db', ws.path, '--user', 'ada', '--mode', 'valid', file]);
    running.push(importer.child);
    let finished: Finished | null = null;
    void importer.done.then((result) => (finished = result));
    // The host writes, one audited lead after another, for as long as the import runs.
    const failures: string[] = [];
    let added = 0;
    while (finished === null) {
      const reply = await api('leads.add', { lead: { ...template, id: `HOST-${added}` }, sourceSystem: 'form' });
      if (reply.ok) added += 1;
      else failures.push(reply.error?.message ?? 'no message');
    }
    const result = finished as Finished;
    expect(failures).toEqual([]);
    expect(result.stderr).not.toMatch(/database is locked|busy|\n\s+at /);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 5_000 });
    expect(added).toBeGreaterThan(0);
  }, 180_000);

  it('the host’s background import (chunk after chunk) and `perimeter leads import` both finish', async () => {
    const serve = start(['serve', '--db', ws.path]);
    running.push(serve.child);
    let out = '';
    serve.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    await waitFor(() => /#token=/.test(out), 30_000);
    const url = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out)!;
    type Reply = {
      ok: boolean;
      value: { jobId: string; state: string; error: unknown; result: unknown };
    };
    const api = async (method: string, body: unknown): Promise<Reply> =>
      (
        await fetch(`http://127.0.0.1:${url[1]}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${url[2]}` },
          body: JSON.stringify(body),
        })
      ).json() as Promise<Reply>;
    expect((await api('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE })).ok).toBe(true);
    const content = readFileSync(leadsFile(join(ws.dir, 'job.jsonl'), 2_000, 'JOB'), 'utf8');
    const job = await api('leads.startImport', {
      fileName: 'job.jsonl',
      format: 'jsonl',
      content,
      mode: 'valid',
      sourceSystem: 'crm',
    });
    expect(job.ok).toBe(true);
    const file = leadsFile(join(ws.dir, 'cli-2.jsonl'), 1_200, 'CLI2');
    const importer = await start(['leads', 'import', '--db', ws.path, '--user', 'ada', '--mode', 'valid', file]).done;
    let status: Reply;
    for (;;) {
      status = await api('leads.importStatus', { jobId: job.value.jobId });
      if (status.value.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(importer.stderr).not.toMatch(/busy|locked|\n\s+at /);
    expect(importer.status).toBe(0);
    expect(JSON.parse(importer.stdout)).toMatchObject({ imported: 1_200 });
    expect(status.value).toMatchObject({ state: 'done', error: null, result: { imported: 2_000 } });
  }, 180_000);

  it('a write lock held past the timeout: the CLI says who holds it and exits 2, without a stack trace', async () => {
    const big = leadsFile(join(ws.dir, 'big.jsonl'), 4_000, 'BIG');
    // An all-or-nothing import is one long transaction: it holds the write lock while it runs.
    const holder = start(['leads', 'import', '--db', ws.path, '--user', 'ada', '--mode', 'all', big]);
    running.push(holder.child);
    await waitFor(() => existsSync(`${ws.path}.lock-owner.json`), 60_000);
    const small = leadsFile(join(ws.dir, 'small.jsonl'), 3, 'SMALL');
    const waiter = await start(['leads', 'import', '--db', ws.path, '--user', 'ada', small], {
      PERIMETER_LOCK_TIMEOUT_MS: '300',
    }).done;
    const held = await holder.done;
    expect(waiter.status).toBe(2);
    expect(waiter.stderr).toMatch(
      new RegExp(
        `^perimeter: .*: the database is busy: perimeter leads import \\(pid ${holder.child.pid}, user ada\\) has held its write lock since \\S+ \\(\\d+ s\\); waited 0\\.3 s, nothing was changed`,
      ),
    );
    expect(waiter.stderr).not.toMatch(/\n\s+at /);
    expect(waiter.stdout).toBe('');
    expect(held.status).toBe(0);
    expect(JSON.parse(held.stdout)).toMatchObject({ imported: 4_000 });
    expect(existsSync(`${ws.path}.lock-owner.json`)).toBe(false);
  }, 180_000);
});
