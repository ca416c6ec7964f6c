// Retention runs by itself: when the workstation opens (sign-in) and on the browser host's timer while it runs, with
// the clock passed in; nothing is purged before its period has passed.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startBrowserHost } from '../../../electron/services/host/browser-host.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { createSessionHolder } from '../../../electron/services/workstation/session/session-holder.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Database } from '../../../electron/services/store/database.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

const prospect = (id: string) => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  productInterests: ['business-payments'],
  company: { name: `Prospect ${id} Ltda`, industry: 'hospitality' },
  address: { city: 'São Paulo', country: 'BR' },
  kycPrescreenJurisdiction: 'BR',
});

/** A workstation with one prospect (regime `prospects`, 2 years in the fintech policy), signed out. */
const workstationWithProspect = (): TestWorkstation => {
  const ws = createTestWorkstation();
  const imported = handleApiCall(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: JSON.stringify(prospect('L-P-1')),
    mode: 'all',
    sourceSystem: 'crm',
  });
  expect(imported.ok).toBe(true);
  ws.admin.workstation.close();
  return ws;
};

const inspect = <T>(ws: TestWorkstation, read: (db: Database) => T): T => {
  const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
  try {
    return read(session.workstation.db);
  } finally {
    session.workstation.close();
  }
};

const purges = (db: Database) =>
  db
    .prepare<[], { actor: string }>("SELECT actor FROM audit_entries WHERE type = 'retention.purged'")
    .all()
    .map((row) => row.actor);
const leadSubject = (db: Database) => db.prepare('SELECT subject FROM leads').pluck().get();

describe('retention by itself', () => {
  it('runs when the workstation opens: nothing before the period, the expired data after it', () => {
    const ws = workstationWithProspect();
    const holder = createSessionHolder({ dbPath: ws.path, deps: ws.deps });
    expect(holder.call('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE }).ok).toBe(true);
    holder.lock();
    expect(inspect(ws, purges)).toEqual([]);

    ws.clock.set('2028-11-24T00:00:00.000Z');
    expect(holder.call('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE }).ok).toBe(true);
    holder.lock();
    expect(inspect(ws, purges)).toEqual(['system:retention']);
    expect(inspect(ws, leadSubject)).toMatch(/^\[erased\] L-[0-9A-Z]{16}$/);
  });

  it('runs on the browser host timer while it runs', async () => {
    const ws = workstationWithProspect();
    const host = await startBrowserHost({ dbPath: ws.path, staticDir: null, deps: ws.deps, retentionIntervalMs: 50 });
    try {
      const unlocked = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: host.port,
            path: '/api/session.unlock',
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ userId: 'ada', passphrase: ADMIN_PASSPHRASE }));
      });
      expect(unlocked).toBe(200);
      // Signed in before the period ended: nothing yet. Then the clock passes it and the timer fires.
      expect(inspect(ws, purges)).toEqual([]);
      ws.clock.set('2028-11-24T00:00:00.000Z');
      const deadline = Date.now() + 5_000;
      while (inspect(ws, purges).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(inspect(ws, purges)).toEqual(['system:retention']);
      expect(inspect(ws, leadSubject)).toMatch(/^\[erased\] L-[0-9A-Z]{16}$/);
    } finally {
      await host.close();
    }
  });
});
