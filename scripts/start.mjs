// `npm start`: the Electron app where the Electron binary is installed; otherwise the browser host (`perimeter serve`)
// on a fresh demo workstation (electron/services/demo: users of every role, the example fintech policy and leads plus
// generated ones, a small OFAC SDN and UN extract to screen against), with its URL and every user's one-time passphrase.
// Either way the renderer is built first when it is missing or older than its sources.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary.ts';
import { buildRendererIfNeeded, rendererBuildState } from './renderer-build.ts';

const root = join(import.meta.dirname, '..');
const binary = findElectronBinary(root);
const say = (line = '') => process.stdout.write(`${line}\n`);

if (binary.found) {
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
  if (!built.every((file) => existsSync(join(root, file))) || rendererBuildState(root) !== 'current') {
    say('Building the app (electron-vite build)…');
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
  say(`Electron is not started: ${reason}.`);
  say('Starting the browser host instead: the same renderer and api contract on 127.0.0.1.');
  try {
    buildRendererIfNeeded(root, say);
  } catch (error) {
    say(`${error.message}: the browser host cannot show the workstation.`);
    process.exit(1);
  }
  // Loaded only here: the services need no Electron.
  const { buildDemoWorkstation } = await import('../electron/services/demo/demo-workstation.ts');
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-demo-'));
  say('Building a demo workstation (a new one on every start)…');
  const demo = await buildDemoWorkstation({ dir, resources: join(root, 'resources'), now: () => new Date() });
  say();
  say(`Demo workstation: ${demo.dbPath}`);
  say(
    `  ${demo.leadsImported} leads imported over the past week (the fintech example and generated ones), ` +
      `${demo.casesOpened} review cases opened`,
  );
  say(
    `  screened against ${demo.lists.map((list) => `${list.listId} (${list.entries} entries)`).join(' and ')}` +
      ` from resources/demo/lists: ${demo.screeningCases} cases in the screening queue`,
  );
  if (demo.awaitingApproval !== null)
    say(
      `  case ${demo.awaitingApproval} was decided by olga and awaits a second officer's approval (sam; not ada, who asked for olga's account)`,
    );
  say(
    `  request ${demo.pendingRequest} (rep-olivia's markets, asked by ada) awaits a second operations admin's approval (omar)`,
  );
  say();
  say('Sign in as any of these users (passphrases are shown once; the demo is removed when you stop it, Ctrl+C):');
  const width = Math.max(...demo.users.map((user) => user.id.length));
  for (const user of demo.users)
    say(
      `  ${user.id.padEnd(width)}  passphrase ${user.passphrase}   ${user.purpose}; markets ${user.markets.join(', ')}`,
    );
  say();
  const serve = spawn(
    process.execPath,
    [join(root, 'electron', 'cli', 'main.ts'), 'serve', '--db', demo.dbPath, '--lists', demo.listsDir],
    { cwd: root, stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill(signal));
  serve.on('exit', (code) => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}
