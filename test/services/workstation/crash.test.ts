// Crash safety: a child performing commands is killed with SIGKILL at random points; after each kill the database
// opens, the audit chain verifies, projections equal their rebuild, and no acknowledged command is lost.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/rebuild.ts';
import { openWorkstation } from '../../../electron/services/workstation/workstation.ts';
import { seededRandom } from '../../../core/shared/seeded-random.ts';
import { repoRoot } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';

const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
const KILLS = Number(process.env.CRASH_KILLS ?? 12);

const runUntilKilled = (path: string, runId: number, killAfterMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      existsSync(pinnedNode) ? pinnedNode : process.execPath,
      [join(repoRoot, 'test', 'support', 'crash-worker.ts'), path, 'ada', String(runId)],
      {
        env: { ...process.env, CRASH_PASSPHRASE: ADMIN_PASSPHRASE },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      // The clock starts when the worker is ready, so every kill lands among the commands.
      if (out.startsWith('ready\n') && !timerStarted) {
        timerStarted = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    let timerStarted = false;
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(out) : reject(new Error(`worker ended without being killed: ${err}`)),
    );
  });

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs at random points without losing an acknowledged command`, async () => {
    const ws = createTestWorkstation();
    ws.admin.workstation.close();
    const random = seededRandom(99);
    const acknowledged: { leads: string[]; cases: string[] } = { leads: [], cases: [] };
    for (let run = 0; run < KILLS; run += 1) {
      const out = await runUntilKilled(ws.path, run, 50 + Math.floor(random() * 700));
      for (const line of out.split('\n')) {
        const [ok, kind, id] = line.split(' ');
        if (ok !== 'ok' || !id) continue;
        if (kind === 'lead') acknowledged.leads.push(id);
        if (kind === 'case') acknowledged.cases.push(id);
      }
      const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
      const db = session.workstation.db;
      try {
        for (const id of acknowledged.leads)
          expect(db.prepare('SELECT 1 FROM leads WHERE id = ?').get(id), `lead ${id} after kill ${run}`).toBeDefined();
        for (const id of acknowledged.cases)
          expect(
            db.prepare('SELECT maker_id FROM cases WHERE id = ?').pluck().get(id),
            `case ${id} after kill ${run}`,
          ).toBe('ada');
        const live = projectionSnapshot(db);
        rebuildProjections(db);
        expect(projectionSnapshot(db)).toEqual(live);
      } finally {
        session.workstation.close();
      }
    }
    expect(acknowledged.leads.length).toBeGreaterThan(KILLS);
    // The whole chain, every checkpoint and signature, verifies after all the kills.
    const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    const bundle = exportAuditBundle(session.workstation.db, { now: new Date(), actor: 'user:ada' });
    session.workstation.close();
    const { report } = verifyAuditBundle(bundle.files, { sha256: nodeSha256 });
    expect(report.firstFailure).toBeNull();
    expect(report.verdict).toBe('valid');
  }, 180_000);
});
