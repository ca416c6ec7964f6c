// sync.spec.ts's regional hub, in a process of its own: a real hub (encrypted SQLite store) on 127.0.0.1 whose clock
// keeps the e2e host's time (host.ts starts it on 24 November 2026; a hub on the real clock would refuse every device
// request as skewed). Writes {url, adminToken} to the state file named on the command line; stops on SIGTERM.
import { writeFileSync } from 'node:fs';
import { startTestHub } from '../../support/hub.ts';

const [stateFile] = process.argv.slice(2);
if (stateFile === undefined) throw new Error('usage: node test/e2e/support/sync-hub.ts STATE_FILE');

const startedAt = Date.now();
const hub = await startTestHub('sqlite', {
  now: () => new Date(Date.parse('2026-11-24T12:00:00.000Z') + (Date.now() - startedAt)),
});
writeFileSync(stateFile, JSON.stringify({ url: hub.url(), adminToken: hub.keys.adminToken }));

const stop = (): void => {
  void hub.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
