// The audit log service on a real encrypted database: append in the caller's transaction, sign, rotate, read.
import { describe, expect, it } from 'vitest';
import {
  appendAuditEvent,
  appendAuditEventInTransaction,
  auditSigningKeys,
  initialiseAuditLog,
  readPersonalData,
  rotateAuditKey,
  signAuditCheckpoint,
} from '../../../electron/services/audit/audit-log.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { verifyAuditBundle, parseTrustedKeys } from '../../../core/audit/verify.ts';
import { AuditLogError } from '../../../core/audit/log-engine.ts';
import { tempDir } from '../store/temp.ts';
import { auditDatabase, day, heldPayload, ingestedPayload } from './helpers.ts';

const dir = tempDir('audit-log');

const event = (n: number) =>
  ({
    time: day(n),
    actor: 'user:u-1',
    type: 'routing.decided',
    subjects: [`lead:L-${n}`],
    payload: heldPayload(n),
  }) as const;

describe('audit log service', () => {
  it('appends inside the caller’s transaction: a rollback takes the entry with it', () => {
    const { db } = auditDatabase(dir, 'tx');
    db.exec('CREATE TABLE projection (lead TEXT) STRICT');
    const count = (): number => (db.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;
    const before = count();
    const nodes = (): unknown => db.prepare('SELECT count(*) AS n FROM audit_tree_nodes').get();
    const nodesBefore = nodes();
    expect(() =>
      db.transaction(() => {
        appendAuditEvent(db, event(1));
        db.prepare("INSERT INTO projection VALUES ('L-1')").run();
        throw new Error('projection failed');
      })(),
    ).toThrow('projection failed');
    expect(count()).toBe(before);
    expect(nodes()).toEqual(nodesBefore);
    db.transaction(() => {
      appendAuditEvent(db, event(1));
      db.prepare("INSERT INTO projection VALUES ('L-1')").run();
    })();
    expect(count()).toBe(before + 1);
    db.close();
  });

  it('takes a known head from the caller, and a stale one is refused with nothing written', () => {
    const { db } = auditDatabase(dir, 'known-head');
    const count = (): number => (db.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;
    const headOf = (appended: ReturnType<typeof appendAuditEvent>) => ({
      sequence: appended.sequence,
      leafHash: appended.leafHash,
      time: appended.entry.time,
    });
    const first = appendAuditEvent(db, event(1));
    const second = db.transaction(() => appendAuditEventInTransaction(db, event(2), {}, headOf(first)))();
    expect(second.sequence).toBe(first.sequence + 1);
    expect(second.entry.previous).toBe(Buffer.from(first.leafHash).toString('hex'));
    const before = count();
    // A head one entry behind (another append came between) and one ahead (its entry was rolled back): both refused.
    for (const stale of [headOf(first), { ...headOf(second), sequence: second.sequence + 1 }])
      expect(() => db.transaction(() => appendAuditEventInTransaction(db, event(3), {}, stale))()).toThrow(
        /in sequence/,
      );
    expect(count()).toBe(before);
    db.close();
  });

  it('keeps time monotonic when the clock steps back, and refuses service-only event types', () => {
    const { db } = auditDatabase(dir, 'time');
    const late = appendAuditEvent(db, event(5));
    const early = appendAuditEvent(db, event(2));
    expect(early.entry.time).toBe(late.entry.time);
    expect(() => appendAuditEvent(db, { ...event(6), type: 'audit.exported', payload: {} } as never)).toThrow(
      AuditLogError,
    );
    expect(() => appendAuditEvent(db, { ...event(6), actor: 'nobody' })).toThrow(/actor/);
    expect(() => initialiseAuditLog(db, { logId: 'again', now: day(7), actor: 'system:x' })).toThrow(/already/);
    db.close();
  });

  it('stores personal data beside the entry, bound by a salted commitment, and logs every read', () => {
    const { db } = auditDatabase(dir, 'personal');
    const data = { sourceId: 'L-1', person: { fullName: 'Ada Lovelace' }, attributes: { email: 'ada@example.test' } };
    const appended = appendAuditEvent(db, {
      time: day(1),
      actor: 'system:intake',
      type: 'lead.ingested',
      subjects: ['lead:L-1'],
      payload: ingestedPayload('L-1', 'form'),
      personalData: { subject: 'lead:L-1', regime: 'payments', data },
    });
    const raw = new TextDecoder().decode(
      db.prepare('SELECT canonical FROM audit_entries WHERE sequence = ?').pluck().get(appended.sequence) as Uint8Array,
    );
    expect(raw).not.toContain('Ada');
    expect(appended.entry.commitment).toMatch(/^[0-9a-f]{64}$/);
    const records = readPersonalData(db, {
      subject: 'lead:L-1',
      actor: 'user:officer',
      now: day(2),
      purpose: 'case review',
    });
    expect(records).toEqual([{ sequence: appended.sequence, regime: 'payments', data }]);
    const read = db
      .prepare("SELECT canonical FROM audit_entries WHERE type = 'personal_data.read'")
      .pluck()
      .get() as Uint8Array;
    expect(JSON.parse(new TextDecoder().decode(read))).toMatchObject({
      actor: 'user:officer',
      subjects: ['lead:L-1'],
      payload: { pv: 2, fields: ['attributes', 'person', 'sourceId'], sequences: [String(appended.sequence)] },
    });
    // The purpose is the reader's free text: beside the log, not in the hashed entry.
    expect(new TextDecoder().decode(read)).not.toContain('case review');
    expect(() =>
      appendAuditEvent(db, {
        ...event(3),
        type: 'lead.ingested',
        payload: ingestedPayload('L-9'),
        personalData: { subject: 'lead:L-9', regime: 'x', data: { sourceId: 'L-9' } },
      }),
    ).toThrow(/subject/);
    db.close();
  });

  it('signs one checkpoint per size, rotates keys as a logged event, and exports a bundle that verifies with either key', () => {
    const { db, verifierKey } = auditDatabase(dir, 'rotate');
    for (let n = 1; n <= 5; n++) appendAuditEvent(db, event(n));
    const first = signAuditCheckpoint(db);
    const again = signAuditCheckpoint(db);
    expect([again.size, again.note]).toEqual([first.size, first.note]);
    const rotated = rotateAuditKey(db, { now: day(10), actor: 'user:admin', reason: 'annual rotation' });
    const keys = auditSigningKeys(db);
    expect(keys.map((key) => key.active)).toEqual([false, true]);
    expect(keys[0]?.retiredAt).toBe(rotated.sequence);
    expect(db.prepare('SELECT count(*) AS n FROM audit_signing_keys WHERE seed IS NOT NULL').get()).toEqual({ n: 1 });
    for (let n = 11; n <= 13; n++) appendAuditEvent(db, event(n));
    const { files } = exportAuditBundle(db, { now: day(20), actor: 'user:auditor' });
    for (const key of [verifierKey, rotated.verifierKey]) {
      const trusted = parseTrustedKeys([key]);
      if (!trusted.ok) throw new Error(trusted.error);
      const { report } = verifyAuditBundle(files, { sha256: nodeSha256, trustedKeys: trusted.value });
      expect(report.failures).toEqual([]);
      expect(report.trust).toBe('trust-established');
      expect(report.summary.eventCounts['key.rotated']).toBe(1);
    }
    db.close();
  });

  it('refuses to sign with an expired key until the key is rotated', () => {
    const { db } = auditDatabase(dir, 'expired');
    appendAuditEvent(db, { ...event(4000) });
    expect(() => signAuditCheckpoint(db)).toThrow(/rotate the key/);
    rotateAuditKey(db, { now: day(4001), actor: 'user:admin', reason: 'the old key expired' });
    expect(signAuditCheckpoint(db).size).toBeGreaterThan(0);
    db.close();
  });
});
