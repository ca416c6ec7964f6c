// Runs a script in this process and reports the process's peak resident memory when it exits: the child that the
// bounded-memory tests spawn (`node test/support/peak-memory.ts SCRIPT ARGS…`), so nothing else shares the figure.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('exit', () => process.stderr.write(`\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`));
const [node, , script, ...args] = process.argv;
if (!node || !script) throw new Error('usage: peak-memory.ts SCRIPT [ARGS…]');
process.argv = [node, script, ...args];
await import(pathToFileURL(resolve(script)).href);
