// `npm test`: types, lint and formatting, then every test; ends with one line counting what passed and failed.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const steps = [
  ['typecheck (core: no DOM, no Node)', 'tsc', ['-p', 'tsconfig.core.json']],
  ['typecheck (node layers and tests)', 'tsc', ['-p', 'tsconfig.node.json']],
  ['lint (layer boundaries)', 'eslint', ['--max-warnings=0', '.']],
  ['format', 'prettier', ['--check', '--log-level=warn', '.']],
];

let passed = 0;
let failed = 0;
for (const [name, command, args] of steps) {
  process.stdout.write(`\n== ${name}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status === 0) passed += 1;
  else {
    failed += 1;
    process.stdout.write(`step failed: ${name}\n`);
  }
}

const reportDir = join('test-results');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'vitest.json');
rmSync(report, { force: true });
process.stdout.write('\n== vitest\n');
const vitest = spawnSync('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
  stdio: 'inherit',
});
try {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  passed += summary.numPassedTests;
  failed += summary.numFailedTests;
  if (summary.numTotalTests === 0) failed += 1;
} catch {
  failed += 1;
  process.stdout.write('vitest wrote no report\n');
}
if (vitest.status !== 0 && failed === 0) failed += 1;

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
