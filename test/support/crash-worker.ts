// A child process for the crash test: performs commands on a workstation until it is killed, acknowledging each one
// on stdout (synchronously) only after its transaction committed.
//
// It is started ahead of time (decision 0170): it loads its modules, says `loaded`, and touches the database only once
// the test writes `go` on its stdin, after the previous worker was killed and checked. It says `ready` once signed in.
// If stdin closes first, it exits without opening anything.
import { writeSync } from 'node:fs';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { generateLeads } from '../fixtures/generate-leads.ts';
import { TEST_SCRYPT } from './workstation.ts';

const [path, user, runId] = process.argv.slice(2) as [string, string, string];

const performUntilKilled = (): never => {
  // The test checks the file itself (quick_check) at its full checks: every page read at every open would make each
  // kill cost more than the one before.
  const session = openWorkstation(
    { path, userId: user, passphrase: process.env.CRASH_PASSPHRASE ?? '' },
    { now: () => new Date(), scryptCost: TEST_SCRYPT, integrityCheck: 'none' },
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
    // The id the workstation answered with, whatever it makes of the source id.
    writeSync(1, `ok lead ${(reply.value as { leadId: string }).leadId}\n`);
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
};

writeSync(1, 'loaded\n');
let input = '';
process.stdin.on('data', (chunk: Buffer) => {
  input += chunk.toString('utf8');
  if (input.startsWith('go\n')) performUntilKilled();
});
process.stdin.on('end', () => process.exit(0));
