// distribution.spec.ts's regional hub, in a process of its own (its clock keeps the e2e host's time, as sync-hub.ts's):
// a real hub (encrypted SQLite) with the firm's publisher key registered and a policy bundle (the fintech example
// relabelled 2026.12-1) published as sequence 1. On SIGUSR2 it stores a statement of sequence 2 whose signature was
// tampered with (as a compromised hub could), bypassing the hub's own check, and writes STATE_FILE.tampered.
// Writes {url, adminToken, publisherKey, pid} to STATE_FILE; stops on SIGTERM.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../../core/audit/note.ts';
import { publisherKeyName } from '../../../core/sync/distribution.ts';
import { addPublisher } from '../../../hub/distribution.ts';
import { publishPolicyBundle } from '../../../hub/publish.ts';
import { nodeSha256 } from '../../../hub/service.ts';
import { relabelledFintech, storeTamperedPolicyStatement } from '../../support/distribution.ts';
import { startTestHub } from '../../support/hub.ts';

const [stateFile] = process.argv.slice(2);
if (stateFile === undefined) throw new Error('usage: node test/e2e/support/distribution-hub.ts STATE_FILE');

const startedAt = Date.now();
const hub = await startTestHub('sqlite', {
  now: () => new Date(Date.parse('2026-11-24T12:00:00.000Z') + (Date.now() - startedAt)),
});
const publisher = { name: publisherKeyName('eu-west'), seed: new Uint8Array(randomBytes(32)) };
const publisherKey = formatVerifierKey(noteVerifierKeyFromSeed(publisher.name, publisher.seed, nodeSha256));

const registered = await addPublisher(hub.hub(), { verifierKey: publisherKey, admin: 'olga' });
if (!registered.ok) throw new Error(registered.error);
const first = await publishPolicyBundle(hub.hub(), publisher, {
  fileName: 'policy.yaml',
  text: relabelledFintech('2026.12-1'),
  admin: 'olga',
});
if (!first.ok) throw new Error(first.error);

/** Sequence 2, signed by the publisher, then one bit of its signature flipped: no device may activate it. */
const storeTampered = async (): Promise<void> => {
  const stored = await storeTamperedPolicyStatement(hub.hub(), publisher, relabelledFintech('2026.12-2'));
  writeFileSync(`${stateFile}.tampered`, JSON.stringify(stored));
};

writeFileSync(
  stateFile,
  JSON.stringify({ url: hub.url(), adminToken: hub.keys.adminToken, publisherKey, pid: process.pid }),
);

process.on('SIGUSR2', () => void storeTampered());
const stop = (): void => {
  void hub.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
