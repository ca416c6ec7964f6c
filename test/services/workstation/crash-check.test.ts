// The crash test's checks can fail: each is shown a workstation doctored the way a broken store or command path would
// leave it (a lost commit, half-written effects, effects without their entry, an altered log) and must say what is wrong.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateLeads } from '../../fixtures/generate-leads.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { checkAfterKill, checkFully, createShadow } from '../../support/crash-check.ts';
import type { Shadow } from '../../support/crash-check.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

const NO_ACKS = { leads: [], cases: [] };

const addLead = (session: Session, n: number): string => {
  const lead = {
    ...generateLeads(n, 1)[0]!,
    id: `K-0-${n}`,
    productInterests: ['business-payments', 'corporate-cards'],
  };
  const reply = handleApiCall(session, 'leads.add', { lead, sourceSystem: 'crash' });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as { leadId: string }).leadId;
};

const escalateFirstOpenCase = (session: Session): string => {
  const page = handleApiCall(session, 'cases.list', { status: ['open'], pageSize: 1 });
  const caseId = page.ok ? (page.value as { rows: { id: string }[] }).rows[0]?.id : undefined;
  if (!caseId) throw new Error('no open case');
  expect(handleApiCall(session, 'cases.claim', { caseId }).ok).toBe(true);
  expect(handleApiCall(session, 'cases.decide', { caseId, disposition: 'escalate', reason: 'checked' }).ok).toBe(true);
  return caseId;
};

const signIn = (ws: TestWorkstation): Session =>
  openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);

/** A workstation with two leads and a decided case, and a shadow brought up to date with it. */
const checkedWorkstation = (): { ws: TestWorkstation; shadow: Shadow; leads: string[]; caseId: string } => {
  const ws = createTestWorkstation();
  const leads = [addLead(ws.admin, 1), addLead(ws.admin, 2)];
  const caseId = escalateFirstOpenCase(ws.admin);
  const shadow = createShadow(ws.dir, ws.admin.workstation.db);
  const result = checkAfterKill(ws.admin.workstation.db, shadow, { leads, cases: [caseId] }, 'ada');
  expect(result.problems).toEqual([]);
  expect(result.entries).toBeGreaterThan(5);
  return { ws, shadow, leads, caseId };
};

describe('the crash test checks', () => {
  it('pass a workstation whose commands all committed whole, after each check and in full', () => {
    const { ws, shadow, leads, caseId } = checkedWorkstation();
    const more = [addLead(ws.admin, 3), addLead(ws.admin, 4)];
    const decided = escalateFirstOpenCase(ws.admin);
    const after = checkAfterKill(ws.admin.workstation.db, shadow, { leads: more, cases: [decided] }, 'ada');
    expect(after.problems).toEqual([]);
    const all = { leads: [...leads, ...more], cases: [caseId, decided] };
    expect(checkFully(ws.admin.workstation.db, shadow, all, 'ada').problems).toEqual([]);
    // The rebuild was rolled back: the live tables are as the commands left them, and still check.
    expect(checkAfterKill(ws.admin.workstation.db, shadow, NO_ACKS, 'ada').problems).toEqual([]);
  });

  it('find an acknowledged command that the database lost', () => {
    const { ws, shadow } = checkedWorkstation();
    ws.admin.workstation.close();
    // The file as it was before the command: as if its COMMIT had been acknowledged but never reached the disk.
    copyFileSync(ws.path, `${ws.path}.before`);
    const session = signIn(ws);
    const lost = addLead(session, 3);
    session.workstation.close();
    copyFileSync(`${ws.path}.before`, ws.path);
    for (const file of [`${ws.path}-wal`, `${ws.path}-shm`]) if (existsSync(file)) rmSync(file);
    const reopened = signIn(ws);
    const { problems } = checkAfterKill(reopened.workstation.db, shadow, { leads: [lost], cases: [] }, 'ada');
    expect(problems).toContain(`live: leads: acknowledged lead ${lost} is missing`);
    expect(problems).toContain(`shadow (replayed from the log): leads: acknowledged lead ${lost} is missing`);
    reopened.workstation.close();
  });

  it('find a command whose entry is in the log but whose effects are only partly in the projections', () => {
    const { ws, shadow } = checkedWorkstation();
    const lead = addLead(ws.admin, 3);
    ws.admin.workstation.db.prepare('DELETE FROM product_paths WHERE lead_id = ?').run(lead);
    const { problems } = checkAfterKill(ws.admin.workstation.db, shadow, { leads: [lead], cases: [] }, 'ada');
    expect(
      problems.some(
        (text) => text.startsWith(`product_paths: row ["${lead}",`) && text.includes('live has no such row'),
      ),
    ).toBe(true);
    expect(problems.some((text) => /^product_paths: \d+ rows live, \d+ replayed from the log$/u.test(text))).toBe(true);
  });

  it('find effects that no entry in the log explains', () => {
    const { ws, shadow } = checkedWorkstation();
    ws.admin.workstation.db
      .prepare(
        "INSERT INTO notifications (id, at, audience, kind, message, lead_id, seq) VALUES ('n-x', '2026-11-23T10:00:00.000Z', 'all', 'note', 'x', NULL, 1)",
      )
      .run();
    const { problems } = checkAfterKill(ws.admin.workstation.db, shadow, NO_ACKS, 'ada');
    expect(problems.some((text) => /^notifications: (\d+) rows live, (\d+) replayed from the log$/u.test(text))).toBe(
      true,
    );
  });

  it('find a log that no longer verifies: a new entry altered, or one verified before replaced', () => {
    const { ws, shadow } = checkedWorkstation();
    const db = ws.admin.workstation.db;
    const verified = shadow.log.next - 1;
    addLead(ws.admin, 3);
    db.exec('DROP TRIGGER audit_entries_no_update');
    const last = db.prepare<[], number>('SELECT max(sequence) FROM audit_entries').pluck().get()!;
    db.prepare(
      "UPDATE audit_entries SET canonical = CAST(replace(CAST(canonical AS TEXT), 'user:ada', 'user:eve') AS BLOB) WHERE sequence = ?",
    ).run(last);
    db.prepare('UPDATE audit_entries SET leaf_hash = zeroblob(32) WHERE sequence = ?').run(verified);
    const { problems } = checkAfterKill(db, shadow, NO_ACKS, 'ada');
    expect(problems).toContain(`audit_entries: entry ${verified}, verified before, is no longer the same`);
    expect(problems).toContain(`audit_entries: entry ${last}: leaf_hash: not the hash of the entry's bytes`);
  });

  it('find in full what the check after a kill does not look at: an old row changed', () => {
    const { ws, shadow, leads, caseId } = checkedWorkstation();
    ws.admin.workstation.db.prepare("UPDATE users SET name = 'Someone Else' WHERE id = 'ada'").run();
    expect(checkAfterKill(ws.admin.workstation.db, shadow, NO_ACKS, 'ada').problems).toEqual([]);
    const { problems } = checkFully(ws.admin.workstation.db, shadow, { leads, cases: [caseId] }, 'ada');
    expect(problems).toContain('users: the live rows (1) differ from those replayed from the log (1)');
    expect(problems).toContain('users: the live rows differ from their rebuild');
  });
});
