// A child process for the crash test: performs commands on a workstation until it is killed, acknowledging each one
// on stdout (synchronously) only after its transaction committed.
import { writeSync } from 'node:fs';
import { handleApiCall } from '../../electron/services/workstation/api.ts';
import { openWorkstation } from '../../electron/services/workstation/workstation.ts';
import { generateLeads } from '../../bench/routing/generate.ts';
import { TEST_SCRYPT } from './workstation.ts';

const [path, user, runId] = process.argv.slice(2) as [string, string, string];
const session = openWorkstation(
  { path, userId: user, passphrase: process.env.CRASH_PASSPHRASE ?? '' },
  { now: () => new Date(), scryptCost: TEST_SCRYPT },
);
writeSync(1, 'ready\n');
for (let n = 0; ; n += 1) {
  const lead = {
    ...generateLeads(Number(runId) * 100_000 + n, 1)[0]!,
    id: `K-${runId}-${n}`,
    productInterests: ['business-payments', 'corporate-cards'],
  };
  const reply = handleApiCall(session, 'leads.add', { lead, sourceSystem: 'crash' });
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  writeSync(1, `ok lead ${lead.id}\n`);
  if (n % 3 === 0) {
    const page = handleApiCall(session, 'cases.list', { status: ['open'], pageSize: 1 });
    const kase = page.ok ? (page.value as { rows: { id: string }[] }).rows[0] : undefined;
    if (kase && handleApiCall(session, 'cases.claim', { caseId: kase.id }).ok) {
      const decided = handleApiCall(session, 'cases.decide', {
        caseId: kase.id,
        disposition: 'escalate',
        reason: 'crash test escalation',
      });
      if (decided.ok) writeSync(1, `ok case ${kase.id}\n`);
    }
  }
}
