// A multi-chunk intake with the background WAL checkpointer (decision 0049), on a real encrypted workstation: one
// checkpointer per run, a checkpoint asked after every chunk, the writer's automatic checkpoint back on afterwards,
// and the projections equal to their rebuild from the log. Without a checkpointer (null, or a worker that fails) the
// same import lands the same way.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { benchLeads } from '../../fixtures/store.ts';
import { startBackgroundCheckpointer } from '../../../electron/services/store/checkpointer.ts';
import type { CheckpointerFactory } from '../../../electron/services/store/checkpointer.ts';
import { importLeads } from '../../../electron/services/workstation/commands/intake.ts';
import { importLeadsPipelined } from '../../../electron/services/workstation/commands/pipeline.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { startBatchScreener } from '../../../electron/services/screening/batch.ts';
import { snapshot } from '../../core/screening/fixtures.ts';
import { createTestWorkstation } from '../../support/workstation.ts';

const ws = createTestWorkstation();
afterAll(() => {
  ws.admin.workstation.close();
  rmSync(ws.dir, { recursive: true, force: true });
});

const observed = () => {
  const calls = { started: 0, requests: 0, stopped: 0 };
  const factory: CheckpointerFactory = (db, path, key) => {
    const real = startBackgroundCheckpointer(db, path, key);
    if (!real) return null;
    calls.started += 1;
    return {
      ...real,
      request: () => {
        calls.requests += 1;
        real.request();
      },
      stop: () => {
        calls.stopped += 1;
        real.stop();
      },
    };
  };
  return { calls, factory };
};

const withFactory = (session: Session, checkpointer: CheckpointerFactory | null): Session => ({
  ...session,
  workstation: { ...session.workstation, deps: { ...session.workstation.deps, checkpointer } },
});

const records = (from: number, count: number, prefix: string) =>
  benchLeads(from + count)
    .slice(from)
    .map((lead, index) => ({ line: index + 1, lead: { ...lead, id: `${prefix}-${lead.id}` } }));

describe('intake with the background checkpointer', () => {
  it('uses one checkpointer per run, asks after every chunk, and leaves the writer as it was', () => {
    const db = ws.admin.workstation.db;
    const { calls, factory } = observed();
    const result = importLeads(withFactory(ws.admin, factory), records(0, 1_200, 'A'), [], {
      sourceSystem: 'chunked',
      mode: 'valid',
      chunkSize: 200,
    });
    expect(result.imported).toBe(1_200);
    expect(calls).toEqual({ started: 1, requests: 6, stopped: 1 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });

  it('starts none for one chunk, and imports the same without one', () => {
    const { calls, factory } = observed();
    importLeads(withFactory(ws.admin, factory), records(1_200, 150, 'B'), [], {
      sourceSystem: 'chunked',
      mode: 'valid',
      chunkSize: 200,
    });
    expect(calls.started).toBe(0);
    const off = importLeads(withFactory(ws.admin, null), records(1_350, 450, 'C'), [], {
      sourceSystem: 'chunked',
      mode: 'valid',
      chunkSize: 200,
    });
    expect(off.imported).toBe(450);
    const failing: CheckpointerFactory = () => null;
    expect(
      importLeads(withFactory(ws.admin, failing), records(1_800, 450, 'D'), [], {
        sourceSystem: 'chunked',
        mode: 'valid',
        chunkSize: 200,
      }).imported,
    ).toBe(450);
  });

  it('gives the pipelined import one checkpointer for all its chunks', async () => {
    const { calls, factory } = observed();
    const screener = await startBatchScreener(
      { snapshots: [snapshot('test-sanctions', [{ id: 'S-1', names: ['Ivan Sanctioned Example'] }])] },
      { potential: 0.82, strong: 0.93 },
      { workers: 1 },
    );
    const result = await importLeadsPipelined(withFactory(ws.admin, factory), records(2_250, 900, 'E'), [], screener, {
      sourceSystem: 'pipelined',
      chunkSize: 300,
    }).finally(() => screener.close());
    expect(result.imported).toBe(900);
    expect(calls).toEqual({ started: 1, requests: 3, stopped: 1 });
    expect(ws.admin.workstation.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
