// Erasure and retention: erase a subject, purge by regime, export, verify: the chain and every proof still hold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERSONAL_DATA_FILE } from '../../../core/audit/bundle-format.ts';
import { inclusionProof } from '../../../core/audit/merkle.ts';
import { formatTlogProof, verifyTlogProof } from '../../../core/audit/tlog-proof.ts';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { appendAuditEvent } from '../../../electron/services/audit/audit-log.ts';
import { eraseSubject, purgeExpiredPersonalData } from '../../../electron/services/audit/erasure.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { openDatabase } from '../../../electron/services/store/database.ts';
import { unlockDatabaseKey } from '../../../electron/services/store/key-slots.ts';
import { tempDir } from '../store/temp.ts';
import { auditDatabase, day, ingestedPayload } from './helpers.ts';

const dir = tempDir('erasure');

const ingest = (db: Parameters<typeof appendAuditEvent>[0], n: number, subject: string, regime: string, name: string) =>
  appendAuditEvent(db, {
    time: day(n),
    actor: 'system:intake',
    type: 'lead.ingested',
    subjects: [subject],
    payload: ingestedPayload(subject.slice('lead:'.length)),
    personalData: {
      subject,
      regime,
      data: {
        sourceId: subject.slice('lead:'.length),
        person: { fullName: name },
        attributes: { email: `${name.toLowerCase().replace(' ', '.')}@example.test` },
      },
    },
  });

describe('erasure', () => {
  it('erases a subject: data and salt deleted, tombstone logged, export verifies, proofs still hold', () => {
    const { db, path } = auditDatabase(dir, 'erase');
    const erasedLater = ingest(db, 1, 'lead:L-1', 'payments', 'Grace Hopper');
    ingest(db, 2, 'lead:L-2', 'payments', 'Alan Turing');
    ingest(db, 3, 'lead:L-1', 'payments', 'Grace Hopper');
    const before = exportAuditBundle(db, { now: day(4), actor: 'user:auditor', includePersonalData: true });

    const result = eraseSubject(db, {
      subject: 'lead:L-1',
      actor: 'user:dpo',
      now: day(5),
      basis: 'GDPR art. 17, request R-17',
    });
    expect(result.erased).toEqual([erasedLater.sequence, erasedLater.sequence + 2]);
    const rows = db
      .prepare('SELECT sequence, data, salt, erased_by FROM audit_personal_data WHERE subject = ?')
      .all('lead:L-1');
    expect(rows).toEqual(
      result.erased.map((sequence) => ({ sequence, data: null, salt: null, erased_by: result.tombstone })),
    );
    db.close();
    expect(readFileSync(path).includes(Buffer.from('Grace Hopper'))).toBe(false);

    const reopened = openDatabase(path, unlockDatabaseKey(path, 'alice', 'alice passphrase 1'));
    const after = exportAuditBundle(reopened, { now: day(6), actor: 'user:auditor', includePersonalData: true });
    const { report, log } = verifyAuditBundle(after.files, { sha256: nodeSha256 });
    expect(report.failures).toEqual([]);
    expect(report.summary.personalData).toEqual({ included: true, present: 1, erased: 2 });
    expect(new TextDecoder().decode(after.files.get(PERSONAL_DATA_FILE))).not.toContain('Grace');

    // The entry that committed to the erased data is still provably in the log, at its old place.
    const checkpoint = log.checkpoints.at(-1)!;
    const proof = formatTlogProof({
      extra: log.entryBytes(erasedLater.sequence),
      index: erasedLater.sequence,
      proof: inclusionProof(log.tree.read, nodeSha256, erasedLater.sequence, checkpoint.body.size),
      checkpoint: checkpoint.note,
    });
    expect(verifyTlogProof(new TextEncoder().encode(proof), { sha256: nodeSha256 }).ok).toBe(true);
    // And the earlier export's entries are a prefix of the later one's: erasure rewrote nothing.
    const earlier = verifyAuditBundle(before.files, { sha256: nodeSha256 }).log;
    for (let i = 0; i < earlier.entryCount; i++)
      expect(Buffer.from(log.entryBytes(i)).equals(Buffer.from(earlier.entryBytes(i)))).toBe(true);
    reopened.close();
  });

  it('purges personal data past the retention of its regime and keeps the rest', () => {
    const { db } = auditDatabase(dir, 'purge');
    const old = ingest(db, 1, 'lead:L-1', 'payments', 'Old Payments');
    ingest(db, 2, 'lead:L-2', 'insurance', 'Old Insurance');
    const recent = ingest(db, 2000, 'lead:L-3', 'payments', 'Recent Payments');
    ingest(db, 2001, 'lead:L-4', 'unregulated', 'No Rule');
    const result = purgeExpiredPersonalData(db, {
      now: day(5 * 365 + 10),
      actor: 'system:retention',
      rules: [
        { regime: 'payments', years: 5 },
        { regime: 'insurance', years: 7 },
      ],
    });
    expect(result.erased).toBe(1);
    const held = db
      .prepare('SELECT sequence FROM audit_personal_data WHERE data IS NOT NULL ORDER BY sequence')
      .pluck()
      .all();
    expect(held).not.toContain(old.sequence);
    expect(held).toContain(recent.sequence);
    expect(held).toHaveLength(3);
    const { files } = exportAuditBundle(db, {
      now: day(5 * 365 + 11),
      actor: 'user:auditor',
      includePersonalData: true,
    });
    const { report } = verifyAuditBundle(files, { sha256: nodeSha256 });
    expect(report.failures).toEqual([]);
    expect(report.summary.eventCounts['retention.purged']).toBe(1);
    expect(() =>
      purgeExpiredPersonalData(db, { now: day(1), actor: 'system:retention', rules: [{ regime: 'x', years: 0 }] }),
    ).toThrow(/years/);
    db.close();
  });
});
