// Creates real encrypted workstations in temp directories for service tests, with a controllable clock.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialiseWorkstation, openWorkstation } from '../../electron/services/workstation/workstation.ts';
import type { LeadScreener, Session, WorkstationDeps } from '../../electron/services/workstation/workstation.ts';
import { createUser } from '../../electron/services/workstation/users.ts';
import type { Role } from '../../core/access/roles.ts';
import { examplesDir } from './examples.ts';

export type Clock = { now: () => Date; set: (iso: string) => void; advance: (ms: number) => void };

export const testClock = (start = '2026-11-23T10:00:00.000Z'): Clock => {
  let current = Date.parse(start);
  return { now: () => new Date(current), set: (iso) => (current = Date.parse(iso)), advance: (ms) => (current += ms) };
};

/** Cheap scrypt for tests only: the production cost is in key-slots.ts. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
export const ADMIN_PASSPHRASE = 'correct horse battery staple';

export type TestWorkstation = { dir: string; path: string; clock: Clock; deps: WorkstationDeps; admin: Session };

export const createTestWorkstation = (
  options: { example?: 'fintech' | 'bank-insurer'; screener?: LeadScreener | null } = {},
): TestWorkstation => {
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-ws-'));
  const path = join(dir, 'workstation.db');
  const clock = testClock();
  const deps: WorkstationDeps = { now: clock.now, scryptCost: TEST_SCRYPT };
  const admin = initialiseWorkstation(
    {
      path,
      logId: 'test-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
      policyText: readFileSync(join(examplesDir, options.example ?? 'fintech', 'policy.yaml'), 'utf8'),
    },
    deps,
    options.screener ?? null,
  );
  return { dir, path, clock, deps, admin };
};

/** Adds a user and signs them in on a second connection to the same database, as a second workstation session would. */
export const addUser = (
  ws: TestWorkstation,
  id: string,
  roles: Role[],
  markets: string[],
  screener: LeadScreener | null = null,
): Session => {
  createUser(ws.admin, { id, name: id, roles, markets, passphrase: `${id} passphrase 123` });
  return openWorkstation({ path: ws.path, userId: id, passphrase: `${id} passphrase 123` }, ws.deps, screener);
};
