// Erasure and retention: personal data and salts deleted beside the log, a tombstone entry logged, the chain intact.
import type { Database } from '../store/database.ts';
import { inTransaction } from '../store/transaction.ts';
import { utcTimeText } from '../../../core/audit/fields.ts';
import { AuditLogError } from '../../../core/audit/log-engine.ts';
import { PARTY_ID_PATTERN } from '../../../core/audit/fields.ts';
import { appendServiceEvent } from './audit-log.ts';
import type { AuditDeps, PersonalDataInput } from './audit-log.ts';
import type { Appended } from '../../../core/audit/log-engine.ts';

/** A retention rule from the policy: personal data under `regime` is kept `years` years after its entry. */
export type RetentionRule = { readonly regime: string; readonly years: number };
/** What one purge did under one rule: the cut-off it applied and how many data subjects lost data. */
export type PurgedRule = RetentionRule & { readonly cutoff: string; readonly subjects: string };

const eraseRows = (db: Database, sequences: readonly number[], erasedBy: number): void => {
  const erase = db.prepare('UPDATE audit_personal_data SET data = NULL, salt = NULL, erased_by = ? WHERE sequence = ?');
  for (const sequence of sequences) erase.run(erasedBy, sequence);
};

// After the transaction, move the erased pages out of the WAL; secure_delete already zeroed the freed content.
export const flushErasedPages = (db: Database): void => {
  if (!db.inTransaction) db.pragma('wal_checkpoint(TRUNCATE)');
};

/**
 * Erases a data subject (GDPR art. 17): every piece of their personal data and its salt is deleted, and a
 * subject.erased entry lists the entries whose commitments can no longer be opened. The entries stay.
 */
export const eraseSubject = (
  db: Database,
  input: {
    readonly subject: string;
    readonly actor: string;
    readonly now: Date;
    readonly basis: string;
    /** Free text about the erasure (the requester's reason): beside the log, under another subject than the erased one. */
    readonly personalData?: PersonalDataInput<{ readonly reason: string }>;
    /** More subject ids the entry names (the requester), besides the erased subject. */
    readonly alsoNames?: readonly string[];
  },
  deps: AuditDeps = {},
): { readonly erased: readonly number[]; readonly tombstone: number; readonly entry: Appended['entry'] } => {
  if (!PARTY_ID_PATTERN.test(input.subject))
    throw new AuditLogError(`subject ${JSON.stringify(input.subject)} is not kind:id`, 'subject');
  const result = inTransaction(db, () => {
    const sequences = db
      .prepare<[string], number>(
        'SELECT sequence FROM audit_personal_data WHERE subject = ? AND data IS NOT NULL ORDER BY sequence',
      )
      .pluck()
      .all(input.subject);
    const tombstone = appendServiceEvent(
      db,
      {
        time: input.now,
        actor: input.actor,
        type: 'subject.erased',
        subjects: [input.subject, ...(input.alsoNames ?? []).filter((id) => id !== input.subject)],
        payload: { subject: input.subject, basis: input.basis, erasedSequences: sequences.map(String) },
        ...(input.personalData ? { personalData: input.personalData } : {}),
      },
      deps,
    );
    eraseRows(db, sequences, tombstone.sequence);
    return { erased: sequences, tombstone: tombstone.sequence, entry: tombstone.entry };
  });
  flushErasedPages(db);
  return result;
};

/** The same instant `years` calendar years earlier (negative: later), in UTC. */
export const yearsBefore = (now: Date, years: number): Date => {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
};

const toRanges = (sequences: readonly number[]): [string, string][] => {
  const ranges: [string, string][] = [];
  for (const sequence of sequences) {
    const last = ranges.at(-1);
    if (last && Number(last[1]) + 1 === sequence) last[1] = String(sequence);
    else ranges.push([String(sequence), String(sequence)]);
  }
  return ranges;
};

/**
 * Purges personal data past its retention period, per regime (payment services typically keep 5 to 7 years).
 * Data whose regime has no rule is kept. One retention.purged entry records the rules, cut-offs and what went.
 */
export const purgeExpiredPersonalData = (
  db: Database,
  input: { readonly now: Date; readonly actor: string; readonly rules: readonly RetentionRule[] },
  deps: AuditDeps = {},
): {
  readonly erased: number;
  readonly tombstone: number;
  readonly entry: Appended['entry'];
  readonly rules: PurgedRule[];
} => {
  for (const rule of input.rules)
    if (!Number.isInteger(rule.years) || rule.years < 1 || rule.years > 100)
      throw new AuditLogError(`retention for ${rule.regime}: years must be a whole number from 1 to 100`, 'years');
  const result = inTransaction(db, () => {
    const due = db
      .prepare<[string, string], number>(
        `SELECT p.sequence FROM audit_personal_data p JOIN audit_entries e ON e.sequence = p.sequence
       WHERE p.regime = ? AND p.data IS NOT NULL AND e.time < ? ORDER BY p.sequence`,
      )
      .pluck();
    const subjectsOf = db
      .prepare<[number], string>('SELECT subject FROM audit_personal_data WHERE sequence = ?')
      .pluck();
    const found = input.rules.map((rule) => {
      const cutoff = utcTimeText(yearsBefore(input.now, rule.years));
      const expired = due.all(rule.regime, cutoff);
      const subjects = new Set(expired.map((sequence) => subjectsOf.get(sequence)));
      return {
        rule: { regime: rule.regime, years: rule.years, cutoff, subjects: String(subjects.size) },
        due: expired,
      };
    });
    const rules = found.map((one) => one.rule);
    const sequences = found.flatMap((one) => one.due).sort((a, b) => a - b);
    const tombstone = appendServiceEvent(
      db,
      {
        time: input.now,
        actor: input.actor,
        type: 'retention.purged',
        subjects: [`device:${db.prepare<[], string>('SELECT log_id FROM audit_log').pluck().get()}`],
        payload: { rules, erased: String(sequences.length), erasedRanges: toRanges(sequences) },
      },
      deps,
    );
    eraseRows(db, sequences, tombstone.sequence);
    return { erased: sequences.length, tombstone: tombstone.sequence, entry: tombstone.entry, rules };
  });
  flushErasedPages(db);
  return result;
};
