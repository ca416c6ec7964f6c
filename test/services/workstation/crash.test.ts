// Crash safety: a child performing commands is killed with SIGKILL at random points. After each kill the database
// opens, the log's new entries verify, every acknowledged command is in the log and the projections, and the effects of
// every new entry are in the projections whole or not at all (checkAfterKill, whose cost follows what the writer
// appended). Every FULL_CHECK_EVERY kills and after the last: the database passes quick_check, every table equals its
// replay from the log, the projections equal their rebuild; at the end the whole exported chain verifies (decision 0170).
// CRASH_KILLS sets the number of kills (default 12, what `npm test` affords); CRASH_TIMINGS=1 prints where time went.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session, WorkstationDeps } from '../../../electron/services/workstation/session/workstation.ts';
import { seededRandom } from '../../../core/shared/seeded-random.ts';
import { checkAfterKill, checkFully, createShadow } from '../../support/crash-check.ts';
import type { Acknowledged } from '../../support/crash-check.ts';
import { repoRoot } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';

const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
const KILLS = Number(process.env.CRASH_KILLS ?? 12);
const FULL_CHECK_EVERY = 50;
// A kill lands after 0 to 29 acknowledged commands: about 15 on average, as the old 50-750 ms did on a quiet machine.
const KILL_AFTER_ACKS = 30;
const PRINT_TIMINGS = process.env.CRASH_TIMINGS === '1';
// Enough for the default run on a busy CI machine; a long run gets time in proportion (a safety net, not a target).
const TIMEOUT_MS = Math.max(180_000, KILLS * 8_000);

/**
 * Where a kill lands, counted in commands rather than milliseconds, so a busy machine still has the writer killed among
 * its commands: after `acks` acknowledgements (0: from ready), plus `fraction` of 1.5 times the time the last command
 * took (300 ms from ready), so it falls anywhere in the next command, its commit included.
 */
type KillPoint = { readonly acks: number; readonly fraction: number };
const FIRST_COMMAND_WINDOW_MS = 300;

type Worker = {
  /** Resolves when the worker has loaded its modules, and says how long that took from the spawn. */
  readonly loaded: Promise<number>;
  /** Lets the worker open the database and perform commands; resolves with its output once it has been killed. */
  readonly run: (kill: KillPoint) => Promise<{ out: string; openMs: number; runMs: number; exitMs: number }>;
  /** Ends a worker that was never told to go (it exits when its stdin closes). */
  readonly dismiss: () => Promise<void>;
};

// Started ahead of its turn, so its module loading overlaps the previous worker's run and check (decision 0170).
const startWorker = (path: string, runId: number, compileCache: string): Worker => {
  const spawnedAt = performance.now();
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    existsSync(pinnedNode) ? pinnedNode : process.execPath,
    [join(repoRoot, 'test', 'support', 'crash-worker.ts'), path, 'ada', String(runId)],
    {
      env: { ...process.env, CRASH_PASSPHRASE: ADMIN_PASSPHRASE, NODE_COMPILE_CACHE: compileCache },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  const listeners: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const when = (predicate: () => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        if (predicate()) resolve();
      };
      listeners.push(look);
      look();
      void exited.then(() => (predicate() ? resolve() : reject(new Error(`worker ${runId} ended early: ${err}`))));
    });
  const loaded = when(() => out.startsWith('loaded\n')).then(() => performance.now() - spawnedAt);
  // A worker dismissed before its turn never loads for anyone: that is not a failure of its own.
  loaded.catch(() => undefined);
  return {
    loaded,
    run: async (kill) => {
      await loaded;
      const goAt = performance.now();
      child.stdin.write('go\n');
      await when(() => out.startsWith('loaded\nready\n'));
      const readyAt = performance.now();
      // When each acknowledgement arrived: the last gap is how long a command takes on this machine now.
      const ackTimes: number[] = [readyAt];
      const acks = (): number => (out.match(/^ok /gmu) ?? []).length;
      const noteAcks = (): void => {
        for (let n = acks(); ackTimes.length <= n;) ackTimes.push(performance.now());
      };
      listeners.push(noteAcks);
      noteAcks();
      await when(() => acks() >= kill.acks);
      const window =
        kill.acks === 0 ? FIRST_COMMAND_WINDOW_MS : 1.5 * (ackTimes[kill.acks]! - ackTimes[kill.acks - 1]!);
      await new Promise((resolve) => setTimeout(resolve, kill.fraction * window));
      const killedAt = performance.now();
      child.kill('SIGKILL');
      const signal = await exited;
      if (signal !== 'SIGKILL') throw new Error(`worker ${runId} ended without being killed: ${err}`);
      return { out, openMs: readyAt - goAt, runMs: killedAt - readyAt, exitMs: performance.now() - killedAt };
    },
    dismiss: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      await exited;
    },
  };
};

type Totals = Record<
  'spawnMs' | 'waitMs' | 'openMs' | 'runMs' | 'exitMs' | 'signInMs' | 'verifyMs' | 'replayMs' | 'compareMs',
  number
>;

const uptimeLoad = (): string =>
  `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`;

const signIn = (path: string, deps: WorkstationDeps, integrityCheck: 'quick' | 'none'): Session =>
  openWorkstation({ path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, { ...deps, integrityCheck });

describe('crash safety', () => {
  it(
    `survives ${KILLS} SIGKILLs at random points without losing an acknowledged command`,
    async () => {
      const ws = createTestWorkstation();
      const shadow = createShadow(ws.dir, ws.admin.workstation.db);
      const first = checkAfterKill(ws.admin.workstation.db, shadow, { leads: [], cases: [] }, 'ada');
      expect(first.problems).toEqual([]);
      ws.admin.workstation.close();
      // Node's cache of compiled modules, kept between runs (it checks each file's content): workers start in half the time.
      const compileCache = join(tmpdir(), 'perimeter-crash-compile-cache');
      const random = seededRandom(99);
      const acknowledged: { leads: string[]; cases: string[] } = { leads: [], cases: [] };
      const totals: Totals = {
        spawnMs: 0,
        waitMs: 0,
        openMs: 0,
        runMs: 0,
        exitMs: 0,
        signInMs: 0,
        verifyMs: 0,
        replayMs: 0,
        compareMs: 0,
      };
      const started = performance.now();
      const fullCheck = (after: number): void => {
        const at = performance.now();
        const session = signIn(ws.path, ws.deps, 'quick');
        const signedIn = performance.now() - at;
        try {
          const { problems, compareMs, rebuildMs } = checkFully(session.workstation.db, shadow, acknowledged, 'ada');
          expect(problems, `full check after kill ${after}`).toEqual([]);
          const kills = after + 1;
          const per = (ms: number): string => `${(ms / kills).toFixed(0)}`;
          // Printed as it happens, so a long run that fails or times out still says where its time went.
          if (PRINT_TIMINGS)
            console.log(
              `after ${kills} kills (${((performance.now() - started) / 1000).toFixed(1)} s, ${acknowledged.leads.length} leads, ${shadow.log.next} entries): ` +
                `ms per kill: worker start ${per(totals.spawnMs)} (waited for ${per(totals.waitMs)}), open ${per(totals.openMs)}, run ${per(totals.runMs)}, exit ${per(totals.exitMs)}, ` +
                `sign-in ${per(totals.signInMs)}, verify ${per(totals.verifyMs)}, replay ${per(totals.replayMs)}, compare ${per(totals.compareMs)}; ` +
                `full check: open with quick_check ${signedIn.toFixed(0)} ms, tables against the shadow ${compareMs.toFixed(0)} ms, rebuild ${rebuildMs.toFixed(0)} ms, all ${(performance.now() - at).toFixed(0)} ms; ${uptimeLoad()}`,
            );
        } finally {
          session.workstation.close();
        }
      };

      let next = startWorker(ws.path, 0, compileCache);
      try {
        for (let run = 0; run < KILLS; run += 1) {
          const worker = next;
          const waitedFrom = performance.now();
          totals.spawnMs += await worker.loaded;
          totals.waitMs += performance.now() - waitedFrom;
          const running = worker.run({ acks: Math.floor(random() * KILL_AFTER_ACKS), fraction: random() });
          if (run + 1 < KILLS) next = startWorker(ws.path, run + 1, compileCache);
          const { out, openMs, runMs, exitMs } = await running;
          Object.assign(totals, {
            openMs: totals.openMs + openMs,
            runMs: totals.runMs + runMs,
            exitMs: totals.exitMs + exitMs,
          });
          const fresh: Acknowledged & { leads: string[]; cases: string[] } = { leads: [], cases: [] };
          for (const line of out.split('\n')) {
            const [ok, kind, id] = line.split(' ');
            if (ok !== 'ok' || !id) continue;
            if (kind === 'lead') fresh.leads.push(id);
            if (kind === 'case') fresh.cases.push(id);
          }
          acknowledged.leads.push(...fresh.leads);
          acknowledged.cases.push(...fresh.cases);

          const at = performance.now();
          const session = signIn(ws.path, ws.deps, 'none');
          totals.signInMs += performance.now() - at;
          try {
            const { problems, timings } = checkAfterKill(session.workstation.db, shadow, fresh, 'ada');
            expect(problems, `after kill ${run}`).toEqual([]);
            totals.verifyMs += timings.verifyMs;
            totals.replayMs += timings.replayMs;
            totals.compareMs += timings.compareMs;
          } finally {
            session.workstation.close();
          }
          if ((run + 1) % FULL_CHECK_EVERY === 0 && run + 1 < KILLS) fullCheck(run);
        }
      } finally {
        // A check that failed leaves the next worker waiting for its turn: it must not outlive the test.
        await next.dismiss();
      }
      fullCheck(KILLS - 1);
      expect(acknowledged.leads.length).toBeGreaterThan(KILLS);

      // The whole chain, every checkpoint and signature, verifies after all the kills.
      const exportedAt = performance.now();
      const session = signIn(ws.path, ws.deps, 'none');
      const bundle = exportAuditBundle(session.workstation.db, { now: new Date(), actor: 'user:ada' });
      session.workstation.close();
      const { report } = verifyAuditBundle(bundle.files, { sha256: nodeSha256 });
      expect(report.firstFailure).toBeNull();
      expect(report.verdict).toBe('valid');
      shadow.close();
      if (PRINT_TIMINGS)
        console.log(
          `${KILLS} kills in ${((performance.now() - started) / 1000).toFixed(1)} s; ${acknowledged.cases.length} case decisions acknowledged; export and verify ${(performance.now() - exportedAt).toFixed(0)} ms`,
        );
    },
    TIMEOUT_MS,
  );
});
