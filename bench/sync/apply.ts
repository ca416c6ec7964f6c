// bench/sync/apply: how fast a device applies another device's entries through the one door (decision 0242): the
// inbox checked entry by entry, a receipt appended for each entry that changes a projection, and the projector run on
// it. Printed beside its floor, measured in the same run: the same entries replayed through the projector alone (a
// rebuild of the source device's projections). The issue sets no goal for this figure; it shows what the door costs.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { applyInbox } from '../../electron/services/workstation/commands/sync-apply.ts';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import { rebuildProjections } from '../../electron/services/workstation/projection/rebuild.ts';
import { examplesDir } from '../../test/support/examples.ts';
import { createTestWorkstation } from '../../test/support/workstation.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 5_000);
const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at ${new Date().toISOString()}`;
console.log(load());

const source = createTestWorkstation({ logId: 'bench-source' });
const target = createTestWorkstation({ logId: 'bench-target' });
const template = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const lines = Array.from({ length: LEADS }, (_, i) => {
  const lead = template[i % template.length]!;
  return JSON.stringify({ ...lead, id: `${String(lead.id)}-${i}` });
});
for (let from = 0; from < lines.length; from += 1_000) {
  const reply = handleApiCall(source.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: lines.slice(from, from + 1_000).join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  if (!reply.ok) throw new Error(reply.error.message);
}

// The inbox as a pull leaves it (the transport is bench:sync's figure): every entry and its personal data.
const sdb = source.admin.workstation.db;
const tdb = target.admin.workstation.db;
const origin = 'bench.example/source';
const entries = sdb
  .prepare<[], { sequence: number; canonical: Buffer }>(
    'SELECT sequence, canonical FROM audit_entries ORDER BY sequence',
  )
  .all();
const personal = sdb
  .prepare<[], { sequence: number; subject: string; regime: string; salt: Buffer; data: Buffer | null }>(
    'SELECT sequence, subject, regime, salt, data FROM audit_personal_data ORDER BY sequence',
  )
  .all();
tdb.transaction(() => {
  const put = tdb.prepare('INSERT INTO sync_inbox (origin, seq, bytes) VALUES (?, ?, ?)');
  for (const entry of entries) put.run(origin, entry.sequence, entry.canonical);
  const putPersonal = tdb.prepare(
    'INSERT INTO sync_inbox_personal_data (origin, seq, subject, regime, salt, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const row of personal) putPersonal.run(origin, row.sequence, row.subject, row.regime, row.salt, row.data);
})();

const timed = <T>(run: () => T): { value: T; seconds: number } => {
  const start = process.hrtime.bigint();
  const value = run();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
};

const apply = timed(() => applyInbox(target.admin));
const floor = timed(() => rebuildProjections(sdb));
const applyRate = apply.value.applied / apply.seconds;
const floorRate = floor.value.entries / floor.seconds;
console.log(`leads ${LEADS}, entries ${entries.length}, receipts ${apply.value.receipts}`);
console.log(
  `apply through the door: ${Math.round(applyRate).toLocaleString('en-GB')} entries/s (${apply.seconds.toFixed(2)} s)`,
);
console.log(
  `floor, the projector alone (rebuild): ${Math.round(floorRate).toLocaleString('en-GB')} entries/s (${floor.seconds.toFixed(2)} s)`,
);
console.log(`apply is ${(floorRate / applyRate).toFixed(2)}x the floor (no goal in the issue)`);
console.log(load());
source.admin.workstation.close();
target.admin.workstation.close();
