// Lead imports as background jobs (leads.startImport, leads.importStatus, leads.cancelImport; decision 0048): a real
// import of bench-like leads into an encrypted workstation, polled to completion with progress that grows while other
// api calls are served; cancelling in both modes; only the starter sees a job; a starter deactivated or stripped of
// lead.create mid-import, or a lock of the workstation, stops it.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../../core/screening/match-index.ts';
import { importJobStatus } from '../../../electron/services/workstation/commands/import-jobs.ts';
import { createSessionHolder } from '../../../electron/services/workstation/session/session-holder.ts';
import { leadScreenerFor } from '../../../electron/services/workstation/commands/screener.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { benchLeads } from '../../fixtures/store.ts';
import { snapshot } from '../../core/screening/fixtures.ts';
import { call, callError, entryCount } from '../../support/api.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';

type Status = {
  jobId: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  processed: number;
  total: number;
  result: {
    imported: number;
    duplicates: number;
    rejected: { line: number; field: string; message: string }[];
    decisions: Record<string, number>;
    casesOpened: number;
  } | null;
  error: { code: string; message: string } | null;
  startedAt: string;
  finishedAt: string | null;
};

const LEADS = benchLeads(3_000);
// A real screening index: one sanctions entry named like the person of the first bench lead, so all-mode screening
// (done in chunks outside the transaction) has a hit to carry into the one transaction.
const listed = LEADS.find((lead) => lead.person !== undefined)!;
const screener = leadScreenerFor(
  buildIndex([snapshot('test-sanctions', [{ id: 'S-1', names: [listed.person!.fullName] }])]),
);
const ws = createTestWorkstation({ screener });
const sessions: Session[] = [];
afterAll(() => {
  for (const session of sessions) if (session.workstation.db.open) session.workstation.close();
  if (ws.admin.workstation.db.open) ws.admin.workstation.close();
  rmSync(ws.dir, { recursive: true, force: true });
});
const user = (id: string, roles: Parameters<typeof addUser>[2]): Session => {
  const session = addUser(ws, id, roles, ['*'], screener);
  sessions.push(session);
  return session;
};
const olga = user('olga', ['compliance_officer']);
const fred = user('fred', ['compliance_officer']);
const sam = user('sam', ['senior_officer']);

/** The bench leads as a JSON Lines file, ids prefixed so each test imports leads of its own. */
const leadFile = (prefix: string, count: number, extra = ''): string =>
  LEADS.slice(0, count)
    .map((lead) => JSON.stringify({ ...lead, id: `${prefix}-${lead.id}` }))
    .join('\n') + `\n${extra}`;
const start = (session: Session, content: string, mode: 'all' | 'valid', sourceSystem: string): string =>
  call<{ jobId: string }>(session, 'leads.startImport', {
    fileName: 'bench.jsonl',
    format: 'jsonl',
    content,
    mode,
    sourceSystem,
  }).jobId;
const statusOf = (session: Session, jobId: string): Status => call<Status>(session, 'leads.importStatus', { jobId });
const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Polls until the job is no longer running; returns every status seen. */
const pollToEnd = async (session: Session, jobId: string): Promise<Status[]> => {
  const seen: Status[] = [];
  for (;;) {
    const status = statusOf(session, jobId);
    seen.push(status);
    if (status.state !== 'running') return seen;
    await tick();
  }
};
const waitForProgress = async (session: Session, jobId: string, atLeast: number): Promise<Status> => {
  for (;;) {
    const status = statusOf(session, jobId);
    if (status.state !== 'running' || status.processed >= atLeast) return status;
    await tick(1);
  }
};
const leadsFrom = (sourceSystem: string): number =>
  (
    ws.admin.workstation.db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM leads WHERE source_system = ?')
      .get(sourceSystem) ?? { n: 0 }
  ).n;

describe('lead imports as jobs', () => {
  it('imports 3,000 leads in the background with growing progress, serving other calls meanwhile', async () => {
    const entriesBefore = entryCount(ws.admin);
    const jobId = start(ws.admin, leadFile('V', 3_000, '{"id":"L-BROKEN","customerType":"vip"}\n'), 'valid', 'crm');
    // The call answered before any lead was imported: the import runs after it, in the background.
    const first = statusOf(ws.admin, jobId);
    expect(first).toMatchObject({ state: 'running', processed: 0, total: 3_000, error: null, finishedAt: null });
    expect(first.result?.rejected).toContainEqual(expect.objectContaining({ line: 3_001, field: 'customerType' }));

    // The event loop is not blocked: a timer fires and another api call is answered while the job is still running.
    await tick(0);
    expect(call<{ id: string }>(ws.admin, 'session.whoami', {}).id).toBe('ada');
    const during = statusOf(ws.admin, jobId);
    expect(during).toMatchObject({ state: 'running', error: null });
    expect(during.processed).toBeLessThan(3_000);

    const seen = await pollToEnd(ws.admin, jobId);
    const final = seen.at(-1)!;
    expect(final.state).toBe('done');
    expect(final.processed).toBe(3_000);
    expect(final.finishedAt).not.toBeNull();
    expect(final.result).toMatchObject({ imported: 3_000, duplicates: 0 });
    expect(final.result!.rejected).toEqual(first.result!.rejected);
    // Progress only grows, and was seen at several points between the start and the end.
    const progress = seen.map((status) => status.processed);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress.filter((n) => n > 0 && n < 3_000)).size).toBeGreaterThanOrEqual(3);
    // What the result says is what landed: the leads, one routing entry per decision, a case per case opened.
    expect(leadsFrom('crm')).toBe(3_000);
    const decisions = Object.values(final.result!.decisions).reduce((a, b) => a + b, 0);
    const count = (type: string): number =>
      (
        ws.admin.workstation.db
          .prepare<[string, number], { n: number }>(
            'SELECT count(*) AS n FROM audit_entries WHERE type = ? AND sequence >= ?',
          )
          .get(type, entriesBefore) ?? { n: 0 }
      ).n;
    // One lead.intake entry per lead (decision 0263), holding every path's decision; the cases derived from them.
    expect(count('lead.intake')).toBe(3_000);
    const paths = ws.admin.workstation.db
      .prepare<[number], number>(
        "SELECT coalesce(sum(json_array_length(CAST(canonical AS TEXT), '$.payload.paths')), 0) FROM audit_entries WHERE type = 'lead.intake' AND sequence >= ?",
      )
      .pluck()
      .get(entriesBefore);
    expect(paths).toBe(decisions);
    expect(
      ws.admin.workstation.db
        .prepare<[number], number>('SELECT count(*) FROM cases WHERE opened_seq >= ?')
        .pluck()
        .get(entriesBefore),
    ).toBe(final.result!.casesOpened);

    // Importing the same file again is idempotent, as with leads.import.
    const again = await pollToEnd(ws.admin, start(ws.admin, leadFile('V', 3_000), 'valid', 'crm'));
    expect(again.at(-1)!.result).toMatchObject({ imported: 0, duplicates: 3_000 });
  });

  it('refuses a second import while one runs, and another user reads or cancels nothing of it', async () => {
    const jobId = start(olga, leadFile('O', 1_000), 'valid', 'olga-crm');
    expect(callError(ws.admin, 'leads.startImport', { ...fileRequest('A', 10), mode: 'valid' })).toMatchObject({
      code: 'conflict',
    });
    // Sam (and ada, an administrator) are told the job does not exist, exactly as for an unknown id.
    for (const other of [sam, ws.admin]) {
      expect(callError(other, 'leads.importStatus', { jobId })).toEqual({
        code: 'not_found',
        message: `import job ${jobId} does not exist`,
      });
      expect(callError(other, 'leads.cancelImport', { jobId }).code).toBe('not_found');
    }
    expect(callError(olga, 'leads.importStatus', { jobId: 'no-such-job' }).code).toBe('not_found');
    const final = (await pollToEnd(olga, jobId)).at(-1)!;
    expect(final).toMatchObject({ state: 'done', result: { imported: 1_000 } });
    // A user without lead.create cannot start one.
    const avery = user('avery', ['auditor']);
    expect(callError(avery, 'leads.startImport', { ...fileRequest('X', 5), mode: 'valid' }).code).toBe('forbidden');
  });

  it('cancels a "valid" import after the current chunk: what committed stays and the status says how much', async () => {
    const jobId = start(ws.admin, leadFile('C', 2_000), 'valid', 'cancel-valid');
    const running = await waitForProgress(ws.admin, jobId, 250);
    expect(running).toMatchObject({ state: 'running', error: null });
    const cancelled = call<Status>(ws.admin, 'leads.cancelImport', { jobId });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.processed).toBeGreaterThanOrEqual(250);
    expect(cancelled.processed).toBeLessThan(2_000);
    expect(cancelled.result!.imported).toBe(cancelled.processed);
    await tick(50);
    // Nothing more lands after the cancel.
    expect(statusOf(ws.admin, jobId)).toEqual(cancelled);
    expect(leadsFrom('cancel-valid')).toBe(cancelled.result!.imported);
    // Cancelling a finished job changes nothing.
    expect(call<Status>(ws.admin, 'leads.cancelImport', { jobId })).toEqual(cancelled);
  });

  it('cancels an "all" import while it screens: nothing lands', async () => {
    const before = entryCount(ws.admin);
    const jobId = start(ws.admin, leadFile('AC', 2_000), 'all', 'cancel-all');
    const running = await waitForProgress(ws.admin, jobId, 250);
    expect(running).toMatchObject({ state: 'running', result: null });
    const cancelled = call<Status>(ws.admin, 'leads.cancelImport', { jobId });
    expect(cancelled).toMatchObject({ state: 'cancelled', result: null, error: null });
    await tick(50);
    expect(leadsFrom('cancel-all')).toBe(0);
    expect(entryCount(ws.admin)).toBe(before);
  });

  it('runs an "all" import as one transaction after screening in chunks; a bad row rejects the file at once', async () => {
    const bad = start(ws.admin, leadFile('AB', 500, '{"id":"L-BROKEN","customerType":"vip"}\n'), 'all', 'all-crm');
    const rejected = statusOf(ws.admin, bad);
    expect(rejected).toMatchObject({ state: 'done', processed: 0, total: 0, result: { imported: 0 } });
    expect(rejected.result!.rejected).toContainEqual(expect.objectContaining({ line: 501, field: 'customerType' }));

    const jobId = start(ws.admin, leadFile('AL', 1_000), 'all', 'all-crm');
    const seen = await pollToEnd(ws.admin, jobId);
    expect(seen.filter((status) => status.state === 'running').every((status) => status.result === null)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ state: 'done', processed: 1_000, result: { imported: 1_000 } });
    expect(leadsFrom('all-crm')).toBe(1_000);
    // The screening done before the transaction landed with the lead: the listed person has a hit.
    const screening = ws.admin.workstation.db
      .prepare<[string], { screening: string }>('SELECT screening FROM leads WHERE source_id = ?')
      .get(`AL-${listed.id}`)!.screening;
    expect(JSON.parse(screening).hits).toEqual([expect.objectContaining({ listId: 'test-sanctions' })]);
  });

  it('stops with failed when the starter loses lead.create mid-import; what committed stays', async () => {
    const jobId = start(fred, leadFile('F', 2_000), 'valid', 'fred-crm');
    await waitForProgress(fred, jobId, 250);
    call(ws.admin, 'users.setRoles', { userId: 'fred', roles: ['auditor'], reason: 'Moved to the audit team' });
    const final = (await pollToEnd(fred, jobId)).at(-1)!;
    expect(final.state).toBe('failed');
    expect(final.error).toEqual({ code: 'forbidden', message: 'fred may no longer add leads' });
    expect(final.processed).toBeLessThan(2_000);
    expect(final.result!.imported).toBe(final.processed);
    expect(leadsFrom('fred-crm')).toBe(final.processed);
  });

  it('stops with failed when the starter is deactivated mid-import', async () => {
    const jobId = start(olga, leadFile('D', 2_000), 'valid', 'olga-deactivated');
    await waitForProgress(olga, jobId, 250);
    call(ws.admin, 'users.setActive', { userId: 'olga', active: false, reason: 'Left the firm on 2026-11-23' });
    await tick(50);
    // Olga's own api calls are refused now (her session is over), so the job is read through the service.
    expect(callError(olga, 'leads.importStatus', { jobId }).code).toBe('unauthenticated');
    const final = importJobStatus(olga, jobId);
    expect(final.state).toBe('failed');
    expect(final.error).toEqual({ code: 'unauthenticated', message: 'user olga is no longer active' });
    expect(final.result!.imported).toBe(final.processed);
    expect(final.processed).toBeLessThan(2_000);
    expect(leadsFrom('olga-deactivated')).toBe(final.processed);
  });

  it('stops with failed when the workstation is locked mid-import; unlocked again, the starter reads why', async () => {
    const holder = createSessionHolder({ dbPath: ws.path, deps: ws.deps, screener });
    const unlocked = holder.call('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE });
    expect(unlocked.ok).toBe(true);
    const started = holder.call('leads.startImport', {
      fileName: 'locked.jsonl',
      format: 'jsonl',
      content: leadFile('K', 2_000),
      mode: 'valid',
      sourceSystem: 'locked',
    });
    if (!started.ok) throw new Error(started.error.message);
    const { jobId } = started.value as { jobId: string };
    const poll = () => holder.call('leads.importStatus', { jobId }) as { ok: true; value: Status };
    while (poll().value.processed < 250) await tick(1);
    holder.lock();
    await tick(50);
    expect(holder.call('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE }).ok).toBe(true);
    const final = poll().value;
    expect(final.state).toBe('failed');
    expect(final.error).toEqual({
      code: 'unauthenticated',
      message: `the workstation was locked during the import; it stopped after ${final.processed} of 2000 leads`,
    });
    expect(final.result!.imported).toBe(final.processed);
    expect(leadsFrom('locked')).toBe(final.processed);
    holder.lock();
  });
});

const fileRequest = (prefix: string, count: number) => ({
  fileName: 'small.jsonl',
  format: 'jsonl',
  content: leadFile(prefix, count),
  sourceSystem: 'crm',
});
