// Creates real encrypted workstations in temp directories for service tests, with a controllable clock.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialiseWorkstation, openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type {
  LeadScreener,
  Session,
  WorkstationDeps,
} from '../../electron/services/workstation/session/workstation.ts';
import { createUser } from '../../electron/services/workstation/commands/users.ts';
import { approveRequest } from '../../electron/services/workstation/commands/approvals.ts';
import type { Role } from '../../core/access/roles.ts';
import { examplesDir } from './examples.ts';
import { withoutApprovals } from './policy-text.ts';

export { withoutApprovals };

export type Clock = { now: () => Date; set: (iso: string) => void; advance: (ms: number) => void };

export const testClock = (start = '2026-11-23T10:00:00.000Z'): Clock => {
  let current = Date.parse(start);
  return { now: () => new Date(current), set: (iso) => (current = Date.parse(iso)), advance: (ms) => (current += ms) };
};

/** Cheap scrypt for tests only: the production cost is in key-slots.ts. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
export const ADMIN_PASSPHRASE = 'correct horse battery staple';

export type TestWorkstation = {
  dir: string;
  path: string;
  clock: Clock;
  deps: WorkstationDeps;
  admin: Session;
  /** The second operations admin created at initialisation (`secondAdmin: true`), signed in; else null. */
  otto: Session | null;
};

export const OTTO_PASSPHRASE = 'otto second admin passphrase';

export const createTestWorkstation = (
  options: {
    example?: 'fintech' | 'bank-insurer';
    screener?: LeadScreener | null;
    /** Keep the example's approvals section (meta-actions need a second admin); default: removed. */
    approvals?: boolean;
    /** Create a second operations admin, otto, at initialisation. */
    secondAdmin?: boolean;
    /** The device's log id (default test-device): devices that sync with one hub each need their own. */
    logId?: string;
    /** Remove the example's residency section (its leads then name no region; a hub serves them to every-market devices). */
    withoutResidency?: boolean;
  } = {},
): TestWorkstation => {
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-ws-'));
  const path = join(dir, 'workstation.db');
  const clock = testClock();
  const deps: WorkstationDeps = { now: clock.now, scryptCost: TEST_SCRYPT };
  const example = readFileSync(join(examplesDir, options.example ?? 'fintech', 'policy.yaml'), 'utf8');
  const text = options.withoutResidency ? example.replace(/^residency:\n(?: {2}.*\n|\n(?= ))*/mu, '') : example;
  const admin = initialiseWorkstation(
    {
      path,
      logId: options.logId ?? 'test-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
      ...(options.secondAdmin ? { secondAdmin: { id: 'otto', name: 'Otto Admin', passphrase: OTTO_PASSPHRASE } } : {}),
      policyText: options.approvals ? text : withoutApprovals(text),
    },
    deps,
    options.screener ?? null,
  );
  const otto = options.secondAdmin
    ? openWorkstation({ path, userId: 'otto', passphrase: OTTO_PASSPHRASE }, deps, options.screener ?? null)
    : null;
  return { dir, path, clock, deps, admin, otto };
};

/**
 * Adds a user (requested by `by`, ada by default, and approved by otto when the policy asks for a second approval) and
 * signs them in on a second connection to the same database, as a second workstation session would.
 */
export const addUser = (
  ws: TestWorkstation,
  id: string,
  roles: Role[],
  markets: string[],
  screener: LeadScreener | null = null,
  by: Session = ws.admin,
): Session => {
  const created = createUser(by, { id, name: id, roles, markets, passphrase: `${id} passphrase 123` });
  if ('pending' in created) {
    const approver = by.user.id === 'otto' ? ws.admin : ws.otto;
    if (approver === null)
      throw new Error(`creating ${id} awaits a second admin: createTestWorkstation({ secondAdmin: true })`);
    approveRequest(approver, created.pending.id);
  }
  return openWorkstation({ path: ws.path, userId: id, passphrase: `${id} passphrase 123` }, ws.deps, screener);
};

/**
 * The internal id intake gave the lead a source system knows as `sourceId` (decision 0178): tests name leads by the
 * ids their fixture files give them. Read from the projection, as the officer's search by a CRM id does.
 */
export const leadIdOf = (session: Session, sourceId: string, sourceSystem?: string): string => {
  const rows = session.workstation.db
    .prepare<unknown[], { id: string }>(
      `SELECT id FROM leads WHERE source_id = ?${sourceSystem === undefined ? '' : ' AND source_system = ?'}`,
    )
    .all(...(sourceSystem === undefined ? [sourceId] : [sourceId, sourceSystem]));
  if (rows.length !== 1) throw new Error(`${rows.length} leads have the source id ${sourceId}`);
  return rows[0]!.id;
};
