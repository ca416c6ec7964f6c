// KYC connector test helpers: a workstation with leads and queued initiation events, a real outcome applier owned by
// the tests (it records each applied outcome in a table of the same encrypted database, once per source message, in
// the caller's transaction), fresh Standard Webhooks secrets, and the audit entries of a type.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enqueueKycInitiation } from '../../electron/services/workstation/commands/kyc-outbox.ts';
import type { KycOutcomeApplier } from '../../electron/services/workstation/commands/kyc-outcomes.ts';
import { commit } from '../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { call } from './api.ts';
import { examplesDir } from './examples.ts';

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** Imports the fintech example leads; returns the internal ids of those whose personal data is held. */
export const importExampleLeads = (session: Session): string[] => {
  call(session, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  return (
    session.workstation.db
      .prepare(
        `SELECT l.id FROM leads l JOIN audit_personal_data p ON p.sequence = l.ingested_seq
         WHERE p.data IS NOT NULL ORDER BY l.ingested_seq`,
      )
      .all() as { id: string }[]
  ).map((row) => row.id);
};

/** Queues `count` initiation events over the leads, as the lifecycle would at QUALIFIED; returns their event ids. */
export const queueInitiations = (session: Session, leadIds: readonly string[], count: number, from = 1): string[] => {
  const { db } = session.workstation;
  const version = session.workstation.policy().loaded.version;
  commit(session.workstation, (append) => {
    for (let i = 0; i < count; i += 1)
      enqueueKycInitiation(
        { db, append },
        {
          leadId: leadIds[i % leadIds.length]!,
          productId: 'payments',
          jurisdiction: 'GB',
          ruleVersion: version,
          requestedBy: `user:${session.user.id}`,
          at: '2026-11-23T10:00:00.000Z',
          pathSequence: from + i,
        },
      );
  });
  return (
    db
      .prepare('SELECT event_id FROM kyc_outbox WHERE path_sequence >= ? AND path_sequence < ? ORDER BY path_sequence')
      .all(from, from + count) as { event_id: string }[]
  ).map((row) => row.event_id);
};

/** The table the test applier records into (created once per database, outside the product's schema). */
export const createAppliedTable = (session: Session): void => {
  session.workstation.db.exec(`CREATE TABLE IF NOT EXISTS test_applied_kyc (
    source TEXT PRIMARY KEY, lead_id TEXT NOT NULL, status TEXT NOT NULL) STRICT`);
};

/**
 * A real applier: records the outcome once per source (kind:id), in the caller's transaction, and says whether it
 * had been applied before, as the lifecycle's applyKycOutcome does.
 */
export const recordingApplier: KycOutcomeApplier = (session, outcome) => {
  const inserted = session.workstation.db
    .prepare('INSERT OR IGNORE INTO test_applied_kyc (source, lead_id, status) VALUES (?, ?, ?)')
    .run(`${outcome.source.kind}:${outcome.source.eventId}`, outcome.leadId, outcome.status);
  return { duplicate: inserted.changes === 0 };
};

export const appliedRows = (session: Session): { source: string; lead_id: string; status: string }[] =>
  session.workstation.db.prepare('SELECT source, lead_id, status FROM test_applied_kyc ORDER BY source').all() as {
    source: string;
    lead_id: string;
    status: string;
  }[];

export type LoggedEntry = { actor: string; type: string; subjects: string[]; payload: Record<string, unknown> };

export const entriesOfType = (session: Session, type: string): LoggedEntry[] =>
  (
    session.workstation.db
      .prepare('SELECT canonical FROM audit_entries WHERE type = ? ORDER BY sequence')
      .all(type) as { canonical: Buffer }[]
  ).map((row) => JSON.parse(row.canonical.toString('utf8')) as LoggedEntry);
