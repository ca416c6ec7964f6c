// For conflict.spec.ts: a copy of the e2e fixture workstation holding a real sync conflict. A second workstation (the
// "field tablet", log e2e-tablet) takes the fixture's entries into its inbox and applies them through the apply command
// (applyInbox, as a pull does), its officer decides an expansion case offline; on the fixture workstation sue decides
// the same case on the same version; the fixture workstation then applies the tablet's entries the same way, and the
// projector opens the conflict. Nothing is written to a projection table directly. Writes the copy's fixture.json.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { applyInbox } from '../../../electron/services/workstation/commands/sync-apply.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { addUser, createTestWorkstation, TEST_SCRYPT } from '../../support/workstation.ts';
import type { E2eFixture } from './host-process.ts';

const [baseFile, outFile] = process.argv.slice(2);
if (baseFile === undefined || outFile === undefined)
  throw new Error('usage: node test/e2e/support/conflict-fixture.ts BASE_FIXTURE_JSON OUT_FIXTURE_JSON');
const base = JSON.parse(readFileSync(baseFile, 'utf8')) as E2eFixture;

const dir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-conflict-'));
const dbName = basename(base.dbPath);
for (const name of readdirSync(dirname(base.dbPath)))
  if (name.startsWith(dbName)) copyFileSync(join(dirname(base.dbPath), name), join(dir, name));
const dbPath = join(dir, dbName);

const ok = (session: Session, method: Parameters<typeof handleApiCall>[1], request: unknown): unknown => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value;
};

/** What a pull does on the wire: the other log's entries and their personal data into this device's inbox. */
const transfer = (from: Session, to: Session): void => {
  const source = from.workstation.db;
  const origin = source.prepare<[], string>('SELECT origin FROM audit_log').pluck().get()!;
  const target = to.workstation.db;
  const next =
    target
      .prepare<[string], number>('SELECT coalesce(max(seq) + 1, 0) FROM sync_inbox WHERE origin = ?')
      .pluck()
      .get(origin) ?? 0;
  const entries = source
    .prepare<[number], { sequence: number; canonical: Buffer }>(
      'SELECT sequence, canonical FROM audit_entries WHERE sequence >= ? ORDER BY sequence',
    )
    .all(next);
  const personal = source.prepare<[number], { subject: string; regime: string; salt: Buffer; data: Buffer | null }>(
    'SELECT subject, regime, salt, data FROM audit_personal_data WHERE sequence = ?',
  );
  target.transaction(() => {
    for (const entry of entries) {
      target
        .prepare('INSERT INTO sync_inbox (origin, seq, bytes) VALUES (?, ?, ?)')
        .run(origin, entry.sequence, entry.canonical);
      const data = personal.get(entry.sequence);
      if (data)
        target
          .prepare(
            'INSERT INTO sync_inbox_personal_data (origin, seq, subject, regime, salt, data) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(origin, entry.sequence, data.subject, data.regime, data.salt, data.data);
    }
  })();
  applyInbox(to);
};

const at = new Date('2026-11-24T11:10:00.000Z');
const deps = { now: () => at, scryptCost: TEST_SCRYPT };
const sue = openWorkstation({ path: dbPath, userId: 'sue', passphrase: 'sue passphrase 123' }, deps, null);
const tablet = createTestWorkstation({ example: 'fintech', logId: 'e2e-tablet' });
tablet.clock.set('2026-11-24T11:05:00.000Z');
const pat = addUser(tablet, 'pat', ['compliance_officer'], ['*']);
transfer(sue, tablet.admin);
const { rows } = ok(sue, 'cases.list', { pageSize: 500 }) as { rows: { id: string; type: string; status: string }[] };
const expansion = rows.find((row) => row.type === 'expansion_review' && row.status === 'open');
if (!expansion) throw new Error('no open expansion case in the fixture');
// Offline, on the tablet: pat pursues the expansion.
ok(pat, 'cases.claim', { caseId: expansion.id });
ok(pat, 'cases.decide', {
  caseId: expansion.id,
  disposition: 'pursue_expansion',
  reason: 'three prospects asked for it this week',
});
// On the fixture workstation, the same case version: sue declines it.
ok(sue, 'cases.claim', { caseId: expansion.id });
ok(sue, 'cases.decide', {
  caseId: expansion.id,
  disposition: 'decline_expansion',
  reason: 'no licence is planned there',
});
transfer(pat, sue);
const conflictId = `SC-${expansion.id}-v0`;
ok(sue, 'cases.conflict', { conflictId });
pat.workstation.close();
tablet.admin.workstation.close();
sue.workstation.close();

writeFileSync(join(dir, 'conflict.json'), JSON.stringify({ caseId: expansion.id, conflictId }));
const fixture: E2eFixture & { conflict: { caseId: string; conflictId: string } } = {
  ...base,
  dir,
  dbPath,
  conflict: { caseId: expansion.id, conflictId },
};
writeFileSync(outFile, JSON.stringify(fixture));
