// `npm test`: the system prerequisites first (scripts/prerequisites.ts: installed with apt-get as root, else it stops
// with the command to run), then types, lint and formatting, then every test; ends with one line counting what passed
// and failed.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrerequisites } from './prerequisites.ts';

process.stdout.write('== system prerequisites (Chromium; Go with golang.org/x/mod; PostgreSQL)\n');
const prerequisites = ensurePrerequisites();
if (prerequisites.kind === 'stop') {
  process.stderr.write(`${prerequisites.message}\n`);
  process.exit(2);
}
process.stdout.write(
  prerequisites.installed.length === 0
    ? 'all there\n'
    : `installed: ${prerequisites.installed.map((item) => item.name).join(', ')}\n`,
);

const steps = [
  ['typecheck (core: no DOM, no Node)', 'tsc', ['-p', 'tsconfig.core.json']],
  ['typecheck (node layers and tests)', 'tsc', ['-p', 'tsconfig.node.json']],
  ['typecheck (renderer: DOM, no Node)', 'tsc', ['-p', 'tsconfig.renderer.json']],
  ['typecheck (electron main and preload)', 'tsc', ['-p', 'tsconfig.electron.json']],
  ['lint (layer boundaries)', 'eslint', ['--max-warnings=0', '.']],
  ['electronegativity (Electron security checks)', 'node', ['scripts/electronegativity.mjs']],
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

// The UI end to end in Chromium through the browser host (playwright.config.ts builds the renderer if needed).
const e2eReport = join(reportDir, 'playwright.json');
rmSync(e2eReport, { force: true });
process.stdout.write('\n== e2e (Playwright, /usr/bin/chromium)\n');
const failedBeforeE2e = failed;
const e2e = spawnSync('playwright', ['test', '--reporter=list,json'], {
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
});
try {
  const { stats } = JSON.parse(readFileSync(e2eReport, 'utf8'));
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  if (stats.expected + stats.unexpected + stats.flaky === 0) failed += 1;
} catch {
  failed += 1;
  process.stdout.write('playwright wrote no report\n');
}
if (e2e.status !== 0 && failed === failedBeforeE2e) failed += 1;

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
