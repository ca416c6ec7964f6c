#!/usr/bin/env node
// The `perimeter` command: runs the CLI on the project's pinned Node 24 (node_modules/.bin/node), whatever node started it.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
const node = existsSync(pinned) ? pinned : process.execPath;
// The regional hub is a separate deployable (hub/): `perimeter hub …` runs its own CLI.
const args = process.argv.slice(2);
const entry = args[0] === 'hub' ? join(root, 'hub', 'cli.ts') : join(root, 'electron', 'cli', 'main.ts');
const result = spawnSync(node, [entry, ...(args[0] === 'hub' ? args.slice(1) : args)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 2);
