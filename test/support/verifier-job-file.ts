// Runs the verifier screen's job (the code its worker runs) on one bundle file and prints the outcome as JSON.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runVerifierJob } from '../../renderer/src/features/verifier/verifier-job.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: verifier-job-file.ts BUNDLE');
runVerifierJob(
  { kind: 'verify', keys: '', bundle: { name: basename(path), bytes: new Uint8Array(readFileSync(path)) } },
  (message) => {
    if (message.kind !== 'progress') process.stdout.write(`${JSON.stringify(message)}\n`);
  },
);
