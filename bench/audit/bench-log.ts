// bench/audit fixture: a device log of N routing decisions (about 500 bytes each) appended to the encrypted store in
// batches, with a checkpoint every so often, then exported as one bundle zip; the benchmarks verify it.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRIES_FILE } from '../../core/audit/bundle-format.ts';
import { appendAuditEvent, initialiseAuditLog, signAuditCheckpoint } from '../../electron/services/audit/audit-log.ts';
import { exportAuditBundle } from '../../electron/services/audit/export.ts';
import { createDatabase } from '../../electron/services/store/database.ts';
import { createKeySlots } from '../../electron/services/store/key-slots.ts';

const rate = (count: number, ms: number): string => `${Math.round(count / (ms / 1000)).toLocaleString('en')}/s`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const start = Date.UTC(2025, 0, 1);

export type BenchLogOptions = {
  readonly entries: number;
  readonly checkpointEvery: number;
  readonly batch: number;
  readonly level: 0 | 1 | 6 | 9;
  /** Whether the bundle carries entries.csv (decision 0231: not by default). */
  readonly csv?: boolean;
};

/** Appends the entries to a new encrypted log in `dir`, exports it to dir/bundle.zip; prints both rates. */
export const appendAndExportBenchLog = async (
  dir: string,
  options: BenchLogOptions,
): Promise<{ readonly zipPath: string; readonly entries: number }> => {
  const path = join(dir, 'bench.db');
  const db = createDatabase(path, createKeySlots(path, 'bench', 'benchmark passphrase', { N: 2 ** 14, r: 8, p: 1 }));
  initialiseAuditLog(db, { logId: 'bench-device', now: new Date(start), actor: 'system:bench', keyValidityDays: 3650 });

  // --- append: routing decisions of about 300 bytes, committed in batches like an intake run ----------------------
  const outcomes = ['assigned', 'refused', 'held', 'waiting_for_capacity'] as const;
  let appended = 1;
  const appendStarted = performance.now();
  const appendBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      appendAuditEvent(db, {
        time: new Date(start + i * 1000),
        actor: `user:u-${i % 40}`,
        type: 'routing.decided',
        subjects: [`lead:L-${i}`],
        payload: {
          pv: 2,
          leadId: `L-${i}`,
          productId: 'fx',
          outcome: outcomes[i % 4]!,
          queue: null,
          reason: null,
          entityId: null,
          teamId: null,
          repId: null,
          licenceId: null,
          jurisdiction: 'GB',
          ruleVersion: 'sha256:9c1f04',
          cursor: null,
          notifications: [],
          trace: { team: `T-${i % 12}` },
        },
      });
      appended++;
      if (appended % options.checkpointEvery === 0) signAuditCheckpoint(db);
    }
  });
  for (let from = 1; from < options.entries; from += options.batch)
    appendBatch(from, Math.min(options.entries, from + options.batch));
  const appendMs = performance.now() - appendStarted;
  console.log(
    `append:  ${rate(options.entries - 1, appendMs)} (${seconds(appendMs)}, encrypted SQLite, WAL, synchronous=FULL, batches of ${options.batch})`,
  );

  // --- export ---------------------------------------------------------------------------------------------------
  const exportStarted = performance.now();
  const exported = exportAuditBundle(db, {
    now: new Date(start + options.entries * 1000 + 1000),
    actor: 'user:auditor',
    level: options.level,
    csv: options.csv === true,
  });
  const exportMs = performance.now() - exportStarted;
  const written = join(dir, 'bundle.zip');
  writeFileSync(written, exported.zip);
  db.close();
  const entriesBytes = exported.files.get(ENTRIES_FILE)!;
  console.log(
    `export:  ${seconds(exportMs)} for ${exported.entries.toLocaleString('en')} entries; entries.jsonl ${mib(entriesBytes.length)} ` +
      `(${Math.round(entriesBytes.length / exported.entries)} bytes/entry), bundle ${mib(statSync(written).size)}`,
  );
  return { zipPath: written, entries: exported.entries };
};
