// Electronegativity over electron/ (and the built out/ bundles when present): prints every finding, fails on any
// HIGH or MEDIUM one. Run by `npm test` and `npm run electronegativity`. Offline: the check that downloads Electron's
// release list is excluded, and the pinned Electron version is passed in.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;

// AvailableSecurityFixesGlobalCheck fetches Electron's release list over the network: it cannot run offline, and the
// Electron version is kept current by the dependency update instead (docs/decisions/0076).
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];
const FAILING = new Set(['HIGH', 'MEDIUM']);

// Findings reviewed and accepted, each with the decision note that justifies it. Matched by check and file, so the
// same check anywhere else still fails.
const JUSTIFIED = [
  {
    id: 'PRELOAD_JS_CHECK',
    files: ['electron/main/index.ts', 'out/main/index.js'],
    decision: 'docs/decisions/0073-one-preload-exposing-the-contract.md',
  },
];
const justificationOf = (issue, file) =>
  JUSTIFIED.find((entry) => entry.id === issue.id && entry.files.includes(file))?.decision ?? null;

// Global checks (navigation limits, permission handler, CSP) look at a whole app: scan the source tree and the build
// as two apps, not folder by folder.
const inputs = [join(root, 'electron')];
if (existsSync(join(root, 'out', 'main'))) inputs.push(join(root, 'out'));

// It fetches its translations (one-second timeout; offline here) and logs about it with console.log: muted while it runs.
const run = require('@doyensec/electronegativity');
const quietly = async (task) => {
  const log = console.log;
  console.log = () => {};
  try {
    return await task();
  } finally {
    console.log = log;
  }
};

let failures = 0;
let findings = 0;
for (const input of inputs) {
  const result = await quietly(() =>
    run({
      input,
      isRelative: true,
      excludeFromScan: EXCLUDED,
      electronVersionOverride: electronVersion,
      severitySet: 'informational',
      confidenceSet: 'tentative',
      parserPlugins: [],
    }),
  );
  const broken = result.errors.filter((error) => !error.tolerable);
  for (const error of broken) process.stdout.write(`parse error ${relative(root, error.file)}: ${error.message}\n`);
  failures += broken.length;
  for (const issue of result.issues) {
    findings += 1;
    const severity = String(issue.severity?.name ?? issue.severity ?? '').toUpperCase();
    const file = relative(root, join(input, issue.file));
    const justified = justificationOf(issue, file);
    const verdict = justified ? `justified by ${justified}` : FAILING.has(severity) ? 'FAILS' : 'noted';
    process.stdout.write(
      `${severity.padEnd(13)} ${issue.id.padEnd(40)} ${file}:${issue.location?.line ?? '?'}  ${issue.description ?? ''} [${verdict}]\n`,
    );
    if (FAILING.has(severity) && !justified) failures += 1;
  }
}
process.stdout.write(
  `electronegativity ${electronVersion}: ${findings} finding(s) over ${inputs.map((p) => relative(root, p)).join(', ')}; ` +
    `${failures} failing (HIGH or MEDIUM, or unparsable)\n`,
);
process.exit(failures === 0 ? 0 : 1);
