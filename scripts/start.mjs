// `npm start`: the Electron app where the Electron binary is installed; otherwise the browser host (`perimeter serve`)
// on a fresh demo workstation (the example fintech policy and leads), with its URL and one-time passphrase.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary.ts';

const root = join(import.meta.dirname, '..');
const binary = findElectronBinary(root);

if (binary.found) {
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
  if (!built.every((file) => existsSync(join(root, file)))) {
    process.stdout.write('Building the app (electron-vite build)…\n');
    const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const child = spawn(binary.path, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await startBrowserDemo(binary.reason);
}

async function startBrowserDemo(reason) {
  // Loaded only here: the services need no Electron.
  const { initialiseWorkstation } = await import('../electron/services/workstation/workstation.ts');
  const { handleApiCall } = await import('../electron/services/workstation/api.ts');
  const examples = join(root, 'resources', 'examples', 'fintech');
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-demo-'));
  const dbPath = join(dir, 'workstation.db');
  const passphrase = randomBytes(12).toString('base64url');
  const session = initialiseWorkstation(
    {
      path: dbPath,
      logId: `demo-${randomBytes(4).toString('hex')}`,
      admin: { id: 'ada', name: 'Ada Admin (demo)', passphrase },
      policyText: readFileSync(join(examples, 'policy.yaml'), 'utf8'),
    },
    { now: () => new Date() },
  );
  const imported = handleApiCall(session, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examples, 'leads.jsonl'), 'utf8'),
    mode: 'valid',
    sourceSystem: 'demo',
  });
  session.workstation.close();
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Electron is not started: ${reason}.`);
  out('Starting the browser host instead: the same renderer and api contract on 127.0.0.1.');
  out();
  out(`Demo workstation: ${dbPath}`);
  out(
    imported.ok
      ? `  ${imported.value.imported} example leads imported, ${imported.value.casesOpened} review cases opened`
      : `  the example leads were not imported: ${imported.error.message}`,
  );
  out(`  sign in as user "ada" with the passphrase ${passphrase}   (shown once; a new demo is made on every start)`);
  out();
  const serve = spawn(process.execPath, [join(root, 'electron', 'cli', 'main.ts'), 'serve', '--db', dbPath], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill(signal));
  serve.on('exit', (code) => process.exit(code ?? 0));
}
