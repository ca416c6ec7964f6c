// A child process for the re-key crash test: rotates the database key as ada, and SIGKILLs itself at the named step
// of the hand-over (argv[3]), or rotates again and again until the parent kills it ('loop'), acknowledging each
// rotation on stdout only after it returned.
import { writeSync } from 'node:fs';
import { rotateDatabaseKey } from '../../electron/services/workstation/commands/key-rotation.ts';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { RekeyStep } from '../../electron/services/store/rekey.ts';
import { TEST_SCRYPT } from './workstation.ts';

const [path, killAt] = process.argv.slice(2) as [string, RekeyStep | 'loop'];
const passphrase = process.env.CRASH_PASSPHRASE ?? '';
const session = openWorkstation(
  { path, userId: 'ada', passphrase },
  { now: () => new Date(), scryptCost: TEST_SCRYPT },
);
writeSync(1, 'ready\n');
const onStep = (step: RekeyStep): void => {
  if (step !== killAt) return;
  process.kill(process.pid, 'SIGKILL');
  for (;;); // SIGKILL is on its way; nothing more may run
};
for (let n = 0; ; n += 1) {
  const result = rotateDatabaseKey(session, { passphrase, reason: `crash test rotation ${n}` }, { onStep });
  writeSync(1, `ok rotated ${result.sequence}\n`);
  if (killAt !== 'loop') {
    writeSync(2, `the rotation finished without reaching step ${killAt}\n`);
    process.exit(3);
  }
}
