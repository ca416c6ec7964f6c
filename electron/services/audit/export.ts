// Exports the audit log as one bundle file (a zip); the export is itself appended as an audit.exported entry.
import { bytesToHex } from '../../../core/audit/bytes.ts';
import { bundleSizeProblem, zipBundle } from '../../../core/audit/bundle-assemble.ts';
import type { PersonalDataLine, PersonalDataValue } from '../../../core/audit/bundle-format.ts';
import { utcTimeText } from '../../../core/audit/fields.ts';
import { AuditLogError, exportLogBundle } from '../../../core/audit/log-engine.ts';
import type { Database } from '../store/database.ts';
import { inTransaction } from '../store/transaction.ts';
import { auditLogIdentity } from './audit-log.ts';
import type { AuditDeps } from './audit-log.ts';
import { nodeSha256 } from './node-sha256.ts';
import { sqliteAuditStore } from './sqlite-store.ts';
import { readEnrolment } from '../sync/device-state.ts';

/** The region this workstation is pinned to by its hub enrolment, or null: the export says where it came from. */
const pinnedRegion = (db: Database): string | null => readEnrolment(db)?.region ?? null;

type PersonalRow = { sequence: number; salt: Buffer | null; data: Buffer | null; erased_by: number | null };

const personalDataLines = (db: Database): PersonalDataLine[] =>
  db
    .prepare<[], PersonalRow>('SELECT sequence, salt, data, erased_by FROM audit_personal_data ORDER BY sequence')
    .all()
    .map((row): PersonalDataLine =>
      row.data && row.salt
        ? {
            sequence: String(row.sequence),
            salt: bytesToHex(row.salt),
            data: JSON.parse(row.data.toString('utf8')) as PersonalDataValue,
          }
        : { sequence: String(row.sequence), erasedBy: String(row.erased_by) },
    );

export type ExportResult = {
  readonly zip: Uint8Array;
  readonly entries: number;
  readonly exportSequence: number;
  readonly files: ReadonlyMap<string, Uint8Array>;
};

/**
 * Builds the bundle in one transaction: checkpoint, audit.exported entry, final checkpoint, files. Personal data is
 * left out unless asked for (an auditor usually needs the chain, not the people).
 */
export const exportAuditBundle = (
  db: Database,
  input: {
    readonly now: Date;
    readonly actor: string;
    readonly includePersonalData?: boolean;
    /** Whether the bundle carries entries.csv (decision 0231: off unless asked for). */
    readonly csv?: boolean;
    readonly level?: 0 | 1 | 6 | 9;
    /** Tests only: a smaller content limit than a plain zip's. */
    readonly maxBundleBytes?: number;
  },
  deps: AuditDeps = {},
): ExportResult => {
  const sha256 = deps.sha256 ?? nodeSha256;
  const { files, exportEntry } = inTransaction(db, () => {
    const head = sqliteAuditStore(db).head();
    const time = utcTimeText(input.now);
    const built = exportLogBundle(
      sqliteAuditStore(db),
      auditLogIdentity(db),
      {
        time: head && head.time > time ? head.time : time,
        actor: input.actor,
        personalData: input.includePersonalData ? () => personalDataLines(db) : null,
        csv: input.csv === true,
        region: pinnedRegion(db),
      },
      sha256,
    );
    // Refused inside the transaction, so a bundle too large to zip leaves no audit.exported entry behind.
    const tooLarge = bundleSizeProblem(built.files, input.maxBundleBytes);
    if (tooLarge !== null) throw new AuditLogError(tooLarge);
    return built;
  });
  const zip = zipBundle(files, { level: input.level ?? 6, mtime: input.now });
  return { zip, entries: exportEntry.sequence + 1, exportSequence: exportEntry.sequence, files };
};
