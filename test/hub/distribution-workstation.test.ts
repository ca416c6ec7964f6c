// Signed distribution through the workstation's api (decision 0276) against a real hub: the status before anything is
// pinned, pinning the publisher key (an operations admin only), the hub's listing showing the policy pending, fetching
// it in the background (activated, the replaced version kept), and a statement with a tampered signature refused with
// its reason while the activated version stays in force.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../core/audit/note.ts';
import { publisherKeyName } from '../../core/sync/distribution.ts';
import { distributionSettled } from '../../electron/services/workstation/commands/distribution-runs.ts';
import type { DistributionStatus } from '../../electron/services/workstation/commands/distribution-runs.ts';
import { enrolWithHub } from '../../electron/services/workstation/commands/sync.ts';
import { addPublisher } from '../../hub/distribution.ts';
import { publishPolicyBundle } from '../../hub/publish.ts';
import { decideDevice, nodeSha256 } from '../../hub/service.ts';
import { call, callError, refusalsLogged } from '../support/api.ts';
import { relabelledFintech, storeTamperedPolicyStatement } from '../support/distribution.ts';
import { startTestHub } from '../support/hub.ts';
import type { TestHub } from '../support/hub.ts';
import { addUser, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const publisher = { name: publisherKeyName('eu-west'), seed: new Uint8Array(randomBytes(32)) };
const publisherKey = formatVerifierKey(noteVerifierKeyFromSeed(publisher.name, publisher.seed, nodeSha256));

let ws: TestWorkstation;
let hub: TestHub;
const status = (): DistributionStatus => call<DistributionStatus>(ws.admin, 'distribution.status', {});
const policyOf = (s: DistributionStatus) => s.streams.find((stream) => stream.stream === 'policy')!;
const settled = async (started: DistributionStatus): Promise<DistributionStatus> => {
  expect(started.running).not.toBeNull();
  await distributionSettled(ws.admin.workstation);
  return status();
};

beforeAll(async () => {
  ws = createTestWorkstation({ logId: 'distrib-api' });
  hub = await startTestHub('sqlite', { now: ws.clock.now });
  const enrolled = await enrolWithHub(ws.admin, { hubUrl: hub.url(), region: 'eu-west' });
  await decideDevice(hub.hub(), { deviceId: enrolled.deviceId, decision: 'approved', admin: 'olga' });
  expect(await addPublisher(hub.hub(), { verifierKey: publisherKey, admin: 'olga' })).toMatchObject({ ok: true });
}, 60_000);
afterAll(async () => {
  await hub.stop();
  ws.admin.workstation.close();
});

describe('distribution through the api', () => {
  it('shows the local policy and no publisher key; fetching needs one', () => {
    const before = status();
    expect(before).toMatchObject({ enrolled: true, region: 'eu-west', publisherKey: null, running: null });
    expect(policyOf(before)).toMatchObject({
      kind: 'policy',
      active: { label: '2026.11-1', sequence: null },
      hub: null,
      pending: false,
      lastRefusal: null,
    });
    expect(callError(ws.admin, 'distribution.fetch', {})).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/no publisher key is pinned/),
    });
  });

  it('lets an operations admin pin the publisher key, not a field rep', () => {
    const rep = addUser(ws, 'rep-dist', ['field_rep'], ['UK']);
    try {
      expect(callError(rep, 'distribution.pinKey', { verifierKey: publisherKey }).code).toBe('forbidden');
      expect(refusalsLogged(ws.admin).at(-1)).toMatchObject({ actor: 'user:rep-dist', reason: 'forbidden' });
      // A field rep still sees the status (decision 0254: anyone may fetch what the publisher signed).
      expect(call<DistributionStatus>(rep, 'distribution.status', {}).publisherKey).toBeNull();
    } finally {
      rep.workstation.close();
    }
    expect(callError(ws.admin, 'distribution.pinKey', { verifierKey: 'nonsense' })).toMatchObject({
      code: 'invalid_input',
    });
    const pinned = call<DistributionStatus>(ws.admin, 'distribution.pinKey', { verifierKey: publisherKey });
    expect(pinned.publisherKey).toBe(publisherKey);
    expect(pinned.publisherKeyId).toBe(publisherKey.split('+').slice(0, 2).join('+'));
  });

  it('shows a published policy pending, then fetches and activates it, keeping the one it replaced', async () => {
    const published = await publishPolicyBundle(hub.hub(), publisher, {
      fileName: 'policy.yaml',
      text: relabelledFintech('2026.12-1'),
      admin: 'olga',
    });
    expect(published).toMatchObject({ ok: true });
    const checked = await settled(call<DistributionStatus>(ws.admin, 'distribution.check', {}));
    expect(checked.checkedAt).not.toBeNull();
    expect(policyOf(checked)).toMatchObject({
      active: { label: '2026.11-1', sequence: null },
      hub: { sequence: 1, label: '2026.12-1' },
      pending: true,
    });
    const fetched = await settled(call<DistributionStatus>(ws.admin, 'distribution.fetch', {}));
    expect(fetched.lastOutcome).toMatchObject({ ok: true, results: [{ stream: 'policy', status: 'activated' }] });
    expect(fetched.lastOutcome!.message).toMatch(/policy 2026\.12-1 \(sha256:[0-9a-f]+\) is active/);
    expect(policyOf(fetched)).toMatchObject({
      active: { label: '2026.12-1', sequence: 1 },
      previous: { label: '2026.11-1' },
      pending: false,
    });
    expect(ws.admin.workstation.policy().loaded.policy.version).toBe('2026.12-1');
  });

  it('refuses a statement whose signature was tampered with, in words, and keeps the activated version', async () => {
    const stored = await storeTamperedPolicyStatement(hub.hub(), publisher, relabelledFintech('2026.12-2'));
    expect(stored.sequence).toBe(2);
    const activeBefore = ws.admin.workstation.policy().loaded.version;
    const fetched = await settled(call<DistributionStatus>(ws.admin, 'distribution.fetch', {}));
    expect(fetched.lastOutcome).toMatchObject({
      ok: false,
      results: [{ stream: 'policy', sequence: 2, status: 'refused', problem: 'untrusted_signature' }],
    });
    expect(fetched.lastOutcome!.message).toMatch(
      /^policy sequence 2 refused: no signature on the statement verifies against the pinned publisher key; 2026\.12-1 \(sha256:[0-9a-f]+\) stays in force$/,
    );
    expect(ws.admin.workstation.policy().loaded.version).toBe(activeBefore);
    expect(policyOf(fetched)).toMatchObject({
      active: { label: '2026.12-1', sequence: 1 },
      previous: { label: '2026.11-1' },
      hub: { sequence: 2 },
      pending: true,
      lastRefusal: { sequence: 2, problem: 'untrusted_signature' },
    });
    // Fetching again refuses again, but logs the same refusal once.
    const again = await settled(call<DistributionStatus>(ws.admin, 'distribution.fetch', {}));
    expect(again.lastOutcome).toMatchObject({ ok: false, results: [{ status: 'refused', entry: null }] });
  });
});
