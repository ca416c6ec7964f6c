// The verifier screen's logic without a browser: the worker's job on real exports, and what the screen shows of it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { readChosenBundle, runVerifierJob } from '../../renderer/src/features/verifier/verifier-job.ts';
import { unzipBundle } from '../../core/audit/bundle-assemble.ts';
import type {
  JobOutcome,
  JobRequest,
  ProgressStep,
  WorkerMessage,
} from '../../renderer/src/features/verifier/verifier-job.ts';
import {
  FAILURE_LABEL,
  TRUST_EXPLANATION,
  TRUST_LABEL,
  bundleView,
  compareView,
  mayUseVerifier,
  progressPercent,
} from '../../renderer/src/features/verifier/verifier-view.ts';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../core/audit/note.ts';
import { portableSha256 } from '../../core/shared/sha256.ts';
import { createTestWorkstation } from '../support/workstation.ts';
import { writeVerifierBundles } from '../e2e/support/verifier-bundles.ts';
import { repoRoot } from '../support/examples.ts';
import { runMeasured } from '../support/cli.ts';
import { craftZip, zeroBomb } from '../support/zip-craft.ts';

const ws = createTestWorkstation({ example: 'fintech' });
const bundles = writeVerifierBundles(ws.admin.workstation.db, ws.dir, ws.clock.now(), 'user:ada');
ws.admin.workstation.close();
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const file = (path: string): { name: string; bytes: Uint8Array } => ({
  name: basename(path),
  bytes: new Uint8Array(readFileSync(path)),
});

const run = (request: JobRequest): { outcome: JobOutcome; steps: ProgressStep[] } => {
  const messages: WorkerMessage[] = [];
  runVerifierJob(request, (message) => messages.push(message));
  const last = messages.at(-1);
  if (last?.kind !== 'done') throw new Error(`the job ended with ${JSON.stringify(last)}`);
  expect(messages.filter((message) => message.kind === 'done')).toHaveLength(1);
  const steps = messages.flatMap((message) => (message.kind === 'progress' ? [message.step] : []));
  return { outcome: last.outcome, steps };
};

describe('verifying one bundle', () => {
  it('calls a real export valid, integrity only, with its summary, and reports progress up to the end', () => {
    const { outcome, steps } = run({ kind: 'verify', keys: '', bundle: file(bundles.later) });
    const view = bundleView(outcome);
    expect(view.verdict).toBe('valid');
    expect(view.name).toBe('audit-export-later.zip');
    expect(view.firstFailure).toBeNull();
    expect(view.trust?.level).toBe('integrity-only');
    expect(view.trust?.label).toBe('Integrity only: keys not independently trusted');
    expect(view.summary?.entries).toBe(bundles.laterEntries);
    expect(view.summary?.eventCounts.find(([type]) => type === 'audit.exported')?.[1]).toBe(2);
    expect(view.summary?.checkpoints.at(-1)?.size).toBe(bundles.laterEntries);
    expect(view.summary?.keys[0]?.trust).toBe('announced by the log only');
    expect(steps[0]).toEqual({ bundle: 'single', phase: 'reading', done: 0, total: 1 });
    expect(steps).toContainEqual({
      bundle: 'single',
      phase: 'entries',
      done: bundles.laterEntries,
      total: bundles.laterEntries,
    });
    const percents = steps.map(progressPercent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
  });

  it('establishes trust with the log key pasted as text, comments and blank lines allowed', () => {
    const keys = `# from the log's owner\n\n${bundles.verifierKey}\n`;
    const view = bundleView(run({ kind: 'verify', keys, bundle: file(bundles.later) }).outcome);
    expect(view.verdict).toBe('valid');
    expect(view.trust?.label).toBe(TRUST_LABEL['trust-established']);
    expect(view.summary?.keys[0]?.trust).toBe('trusted (you gave it)');
  });

  it('is invalid, not trusted, when the pasted key is another one of the same name', () => {
    const name = bundles.verifierKey.split('+')[0]!;
    const stranger = formatVerifierKey(noteVerifierKeyFromSeed(name, new Uint8Array(32).fill(9), portableSha256));
    const view = bundleView(run({ kind: 'verify', keys: stranger, bundle: file(bundles.later) }).outcome);
    expect(view.verdict).toBe('invalid');
    expect(view.trust?.label).toBe(TRUST_LABEL['not-trusted']);
    expect(view.trust?.note).toBe(TRUST_EXPLANATION['not-trusted']);
    expect(view.firstFailure?.problem).toBe(FAILURE_LABEL.untrusted);
  });

  it('names the tampered entry by sequence number, with the reason', () => {
    const view = bundleView(run({ kind: 'verify', keys: '', bundle: file(bundles.tampered) }).outcome);
    expect(view.verdict).toBe('invalid');
    expect(view.firstFailure?.entry).toBe(bundles.tamperedSequence);
    expect(view.firstFailure?.location).toBe(`entries.jsonl line ${Number(bundles.tamperedSequence) + 1}`);
    expect(view.firstFailure?.message).toBe(bundles.tamperedMessage);
    expect(view.firstFailure?.problem).toBe(FAILURE_LABEL[bundles.tamperedCode as keyof typeof FAILURE_LABEL]);
    expect(view.failures.length).toBeGreaterThanOrEqual(1);
  });

  it('calls a file that is not a zip, or keys that are not keys, unusable input', () => {
    const notZip = bundleView(
      run({ kind: 'verify', keys: '', bundle: { name: 'notes.zip', bytes: new TextEncoder().encode('hello') } })
        .outcome,
    );
    expect(notZip.verdict).toBe('unusable');
    expect(notZip.error).toMatch(/^not a readable zip file/);
    const badKeys = bundleView(
      run({ kind: 'verify', keys: `${bundles.verifierKey}\nnonsense`, bundle: file(bundles.later) }).outcome,
    );
    expect(badKeys.verdict).toBe('unusable');
    expect(badKeys.error).toMatch(/^Trusted keys, line 2: not a note verifier key/);
  });
});

describe('comparing two bundles', () => {
  it('finds the later export consistent with the earlier one', () => {
    const { outcome, steps } = run({
      kind: 'compare',
      keys: '',
      older: file(bundles.earlier),
      newer: file(bundles.later),
    });
    const view = compareView(outcome);
    expect(view.status).toBe('consistent');
    expect(view.problems).toEqual([]);
    expect(view.older).toMatchObject({ name: 'audit-export-earlier.zip', size: bundles.earlierEntries });
    expect(view.newer).toMatchObject({ name: 'audit-export-later.zip', size: bundles.laterEntries });
    expect(view.proofHashes).toBeGreaterThan(0);
    expect(view.trust).toBe(TRUST_LABEL['integrity-only']);
    expect(new Set(steps.map((step) => step.bundle))).toEqual(new Set(['older', 'newer']));
    expect(Math.max(...steps.filter((s) => s.bundle === 'older').map(progressPercent))).toBeLessThanOrEqual(50);
  });

  it('calls the reverse a rollback, and a tampered newer bundle not consistent', () => {
    const back = compareView(
      run({ kind: 'compare', keys: '', older: file(bundles.later), newer: file(bundles.earlier) }).outcome,
    );
    expect(back.status).toBe('inconsistent');
    expect(back.problems[0]).toMatch(/^rollback/);
    const tampered = compareView(
      run({ kind: 'compare', keys: '', older: file(bundles.earlier), newer: file(bundles.tampered) }).outcome,
    );
    expect(tampered.status).toBe('inconsistent');
    expect(tampered.problems[0]).toContain(
      `audit-export-tampered.zip does not verify: entry ${bundles.tamperedSequence}`,
    );
  });
});

describe('who sees the verifier', () => {
  const user = (roles: Parameters<typeof mayUseVerifier>[0]['roles'], active = true) => ({
    id: 'u',
    name: 'U',
    roles,
    markets: ['*'],
    active,
  });
  it('auditors and operations admins, nobody inactive, not officers or reps', () => {
    expect(mayUseVerifier(user(['auditor']))).toBe(true);
    expect(mayUseVerifier(user(['operations_admin']))).toBe(true);
    expect(mayUseVerifier(user(['compliance_officer', 'senior_officer', 'field_rep']))).toBe(false);
    expect(mayUseVerifier(user(['auditor'], false))).toBe(false);
    expect(mayUseVerifier(user(['operations_admin'], false))).toBe(false);
  });
});

describe('a zip that lies about its members', () => {
  it('is unusable, with the real reason: a member inflating past its declared size, stopped there (bounded memory)', async () => {
    const members = Object.entries(unzipSync(readFileSync(bundles.later))).map(([name, data]) =>
      name === 'README.txt' ? { name, raw: zeroBomb(1024), declaredSize: 1000, crc: 0 } : { name, data },
    );
    const bomb = join(ws.dir, 'bomb.zip');
    writeFileSync(bomb, craftZip(members));
    // The job's own (portable) reader, and the worker's (the browser's DecompressionStream): the same refusal.
    const refused = {
      kind: 'unusable',
      name: 'bomb.zip',
      error: 'refused: member README.txt inflates past its declared 1000 bytes',
    };
    expect(run({ kind: 'verify', keys: '', bundle: file(bomb) }).outcome).toEqual(refused);
    const chosen = await readChosenBundle('bomb.zip', file(bomb).bytes);
    expect(run({ kind: 'verify', keys: '', bundle: chosen }).outcome).toEqual(refused);
    // The job as the worker runs it, alone in a child process, so its peak memory is its own.
    const child = runMeasured(join(repoRoot, 'test', 'support', 'verifier-job-file.ts'), [bomb]);
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toContain('inflates past its declared 1000 bytes');
    expect(child.peakKib).toBeLessThan(400 * 1024);
  });

  it('is read by the worker’s reader as the job’s own reader reads it, when nothing is wrong with it', async () => {
    const { bytes } = file(bundles.later);
    const chosen = await readChosenBundle('later.zip', bytes);
    const portable = unzipBundle(bytes);
    if (!chosen.unzipped?.ok || !portable.ok) throw new Error('unreadable');
    expect([...chosen.unzipped.value.files.keys()].sort()).toEqual([...portable.value.files.keys()].sort());
    for (const [path, content] of portable.value.files)
      expect(Buffer.from(chosen.unzipped.value.files.get(path)!).equals(Buffer.from(content))).toBe(true);
    expect(bundleView(run({ kind: 'verify', keys: '', bundle: chosen }).outcome).verdict).toBe('valid');
  });

  it('is unusable when two members share a name', () => {
    const members = Object.entries(unzipSync(readFileSync(bundles.later))).map(([name, data]) => ({ name, data }));
    const duplicate = join(ws.dir, 'duplicate.zip');
    writeFileSync(duplicate, craftZip([...members, members.find((member) => member.name === 'entries.jsonl')!]));
    const { outcome } = run({ kind: 'verify', keys: '', bundle: file(duplicate) });
    expect(outcome).toMatchObject({
      kind: 'unusable',
      error: expect.stringContaining('two members named entries.jsonl'),
    });
  });
});
