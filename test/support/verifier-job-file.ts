// Runs the verifier screen's worker path on one bundle file (the zip read as the worker reads it, then the job) and
// prints the outcome as JSON: the child whose peak memory test/renderer/verifier.test.ts measures.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readChosenBundle, runVerifierJob } from '../../renderer/src/features/verifier/verifier-job.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: verifier-job-file.ts BUNDLE');
const bundle = await readChosenBundle(basename(path), new Uint8Array(readFileSync(path)));
runVerifierJob({ kind: 'verify', keys: '', bundle }, (message) => {
  if (message.kind !== 'progress') process.stdout.write(`${JSON.stringify(message)}\n`);
});
