// Signed distribution of policy bundles and list versions through the regional hub (issue 15, decisions 0253–0256),
// against both hub stores: an operations admin publishes statements signed by the firm's publisher key; a device
// fetches them, verifies the signature it pinned before activating, and activates through the door (the same
// policy.published and list.imported entries, naming the signed distribution). A tampered bundle, a statement signed by
// another key, and one the hub (compromised) rewrote are refused with an audit entry, and the old version stays in
// force. Decisions name the policy and list versions they used, and the hub lists those taken under a superseded one.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { utf8Bytes } from '../../core/audit/bytes.ts';
import {
  formatVerifierKey,
  noteVerifierKeyFromSeed,
  parseNote,
  parseVerifierKey,
  verifyNoteSignature,
} from '../../core/audit/note.ts';
import type { NoteSigner } from '../../core/audit/note.ts';
import { distributionNoteText, publisherKeyName, signDistribution } from '../../core/sync/distribution.ts';
import { addPublisher, publishDistribution, supersededDecisions } from '../../hub/distribution.ts';
import { publishListVersion, publishPolicyBundle } from '../../hub/publish.ts';
import { decideDevice, nodeSha256 } from '../../hub/service.ts';
import { listStoreReader } from '../../electron/services/lists/reader.ts';
import { importList } from '../../electron/services/lists/store.ts';
import { SyncError } from '../../electron/services/sync/hub-client.ts';
import { fetchDistribution, pinPublisherKey } from '../../electron/services/workstation/commands/distribution.ts';
import { loadLeadScreener } from '../../electron/services/workstation/commands/screener.ts';
import { enrolWithHub, syncPush } from '../../electron/services/workstation/commands/sync.ts';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { examplesDir, sharedData } from '../support/examples.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';
import { startTestHub } from '../support/hub.ts';
import type { StoreKind, TestHub } from '../support/hub.ts';
import {
  addUser,
  ADMIN_PASSPHRASE,
  createTestWorkstation,
  TEST_SCRYPT,
  testClock,
  withoutApprovals,
} from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';
import { call } from '../support/api.ts';

const fintechText = withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8'));
const relabel = (text: string, label: string): string => {
  expect(text.split('version: 2026.11-1').length - 1).toBe(1);
  return text.replace('version: 2026.11-1', `version: ${label}`);
};
const blocked = readFileSync(join(sharedData, 'sanctions', 'blocked.txt'));

type Entry = { type: string; time: string; payload: Record<string, unknown> };
const entries = (session: Session, type: string): Entry[] =>
  session.workstation.db
    .prepare<[string], Buffer>('SELECT canonical FROM audit_entries WHERE type = ? ORDER BY sequence')
    .pluck()
    .all(type)
    .map((bytes) => JSON.parse(bytes.toString('utf8')) as Entry);

const lead = (id: string, name: string): string =>
  JSON.stringify({
    id,
    customerType: 'professional',
    kycStatus: 'verified',
    amlDocumentation: 'complete',
    productInterests: ['business-payments'],
    company: { name },
    address: { line1: '1 Poultry', city: 'London', postalCode: 'EC2R 8EJ', country: 'GB' },
    kycPrescreenJurisdiction: 'GB',
    targetMarket: 'UK',
  });
const importLeads = (session: Session, prefix: string, count: number): void => {
  call(session, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: Array.from({ length: count }, (_, i) => lead(`${prefix}-${i}`, `${prefix} Ledger ${i} Ltd`)).join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
};

const signer = (name: string): NoteSigner => ({ name, seed: new Uint8Array(randomBytes(32)) });
const vkey = (s: NoteSigner): string => formatVerifierKey(noteVerifierKeyFromSeed(s.name, s.seed, nodeSha256));

const syncError = async (promise: Promise<unknown>): Promise<SyncError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected a SyncError');
};

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe.each<StoreKind>(['sqlite', 'postgres'])('signed distribution through the hub on %s', (kind) => {
  let hub: TestHub;
  const clock = testClock();
  let a: Session; // a field device with a list directory: it fetches and activates
  let aws: TestWorkstation;
  let listsDir: string;
  let b: TestWorkstation; // a device that never fetches: it keeps deciding under the old policy
  const publisher = signer(publisherKeyName('eu-west'));
  const rogue = signer(publisherKeyName('eu-west'));
  const jerseyText = relabel(fintechText, '2026.12-1');
  let v1List: string;

  beforeAll(async () => {
    hub = await startTestHub(kind, { cluster: cluster!, now: clock.now });
    const dir = mkdtempSync(join(tmpdir(), 'perimeter-distrib-'));
    listsDir = join(dir, 'lists');
    writeFileSync(join(dir, 'blocked.txt'), blocked);
    const first = await importList(listsDir, {
      source: 'blocklist',
      files: [join(dir, 'blocked.txt')],
      listId: 'internal',
      importedAt: '2026-11-01T00:00:00.000Z',
    });
    if (!first.ok) throw new Error('the blocklist was refused');
    v1List = first.value.version.contentSha256;
    const deps = { now: clock.now, scryptCost: TEST_SCRYPT, listStore: listStoreReader(listsDir) };
    a = initialiseWorkstation(
      {
        path: join(dir, 'a.db'),
        logId: `distrib-a-${kind}`,
        admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
        policyText: fintechText,
      },
      deps,
      await loadLeadScreener(listsDir),
    );
    aws = { dir, path: join(dir, 'a.db'), clock, deps, admin: a, otto: null };
    b = createTestWorkstation({ logId: `distrib-b-${kind}` });
    b.clock.set(clock.now().toISOString());
    for (const device of [a, b.admin]) {
      // b pins the publisher key at enrolment (it never fetches); a pins it later, in the first test.
      const enrolled = await enrolWithHub(device, {
        hubUrl: hub.url(),
        region: 'eu-west',
        ...(device === a ? {} : { publisherKey: vkey(publisher) }),
      });
      await decideDevice(hub.hub(), { deviceId: enrolled.deviceId, decision: 'approved', admin: 'olga' });
    }
  }, 120_000);
  afterAll(async () => {
    await hub.stop();
    a.workstation.close();
    b.admin.workstation.close();
  });

  it('fetches nothing until an operations admin pins the publisher key; a field rep cannot pin one', async () => {
    expect((await syncError(fetchDistribution(a))).code).toBe('no_publisher_key');
    const rep = addUser(aws, `rep-${kind}`, ['field_rep'], ['UK']);
    try {
      expect(() => pinPublisherKey(rep, { verifierKey: vkey(publisher) })).toThrow(/needs user.manage/);
    } finally {
      rep.workstation.close();
    }
    expect(() => pinPublisherKey(a, { verifierKey: 'not a key' })).toThrow(/not a signed-note verifier key/);
    expect(pinPublisherKey(a, { verifierKey: vkey(publisher) })).toMatchObject({ previousKey: null });
    expect(entries(a, 'distribution.key_pinned').at(-1)!.payload).toMatchObject({ key: vkey(publisher) });
    expect(entries(b.admin, 'distribution.key_pinned').map((e) => e.payload)).toEqual([
      { pv: 2, key: vkey(publisher), previousKey: null },
    ]);
  });

  it('the hub takes statements signed by a registered publisher only, in sequence, with the signed content', async () => {
    const h = hub.hub();
    const refused = await publishPolicyBundle(h, publisher, { fileName: 'p.yaml', text: fintechText, admin: 'olga' });
    expect(refused).toMatchObject({ ok: false, status: 403 });
    expect(await addPublisher(h, { verifierKey: vkey(publisher), admin: 'olga' })).toMatchObject({ ok: true });
    expect(await publishPolicyBundle(h, rogue, { fileName: 'p.yaml', text: fintechText, admin: 'olga' })).toMatchObject(
      {
        ok: false,
        status: 403,
      },
    );
    expect(
      await publishPolicyBundle(h, publisher, { fileName: 'p.yaml', text: 'name: [', admin: 'olga' }),
    ).toMatchObject({ ok: false, status: 400 });
    const first = await publishPolicyBundle(h, publisher, { fileName: 'p.yaml', text: fintechText, admin: 'olga' });
    expect(first).toMatchObject({ ok: true, value: { stream: 'policy', sequence: 1 } });
    // The same sequence again, and content other than the signed digest, are refused.
    const manifest = {
      region: 'eu-west',
      stream: 'policy',
      sequence: 1,
      kind: 'policy' as const,
      version: 'x',
      label: 'x',
      contentSha256: Buffer.from(nodeSha256(utf8Bytes('x'))).toString('hex'),
      publishedAt: clock.now().toISOString(),
    };
    const note = signDistribution(manifest, publisher, nodeSha256);
    expect(await publishDistribution(h, { note, content: utf8Bytes('x'), admin: 'olga' })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(
      await publishDistribution(h, {
        note: signDistribution({ ...manifest, sequence: 2 }, publisher, nodeSha256),
        content: utf8Bytes('y'),
        admin: 'olga',
      }),
    ).toMatchObject({ ok: false, status: 422 });
  });

  it('a device fetches, verifies and activates the policy through the door, naming the signed distribution', async () => {
    const h = hub.hub();
    clock.advance(60_000);
    const second = await publishPolicyBundle(h, publisher, { fileName: 'p.yaml', text: jerseyText, admin: 'olga' });
    expect(second).toMatchObject({ ok: true, value: { sequence: 2 } });
    const jerseyVersion = second.ok ? second.value.version : '';
    clock.advance(60_000);
    const fetched = await fetchDistribution(a);
    expect(fetched.results).toEqual([
      expect.objectContaining({ stream: 'policy', sequence: 2, status: 'activated', version: jerseyVersion }),
    ]);
    expect(a.workstation.policy().loaded.version).toBe(jerseyVersion);
    const published = entries(a, 'policy.published').at(-1)!;
    expect(published.payload).toMatchObject({
      ruleVersion: jerseyVersion,
      label: '2026.12-1',
      distribution: {
        hub: 'hub:eu-west',
        stream: 'policy',
        sequence: 2,
        signer: vkey(publisher).slice(0, vkey(publisher).lastIndexOf('+')),
      },
    });
    // The entry holds the whole signed manifest: an auditor rebuilds the statement and checks it with the pinned key.
    const ref = published.payload.distribution as Record<string, string | number>;
    const rebuilt = distributionNoteText({
      region: String(ref.hub).slice('hub:'.length),
      stream: String(ref.stream),
      sequence: Number(ref.sequence),
      kind: 'policy',
      version: String(published.payload.ruleVersion),
      label: String(published.payload.label),
      contentSha256: String(ref.contentSha256),
      publishedAt: String(ref.publishedAt),
    });
    const signature = parseNote(utf8Bytes(`${rebuilt}\n— ${ref.signer!.toString().split('+')[0]} ${ref.signature}\n`));
    if (!signature.ok) throw new Error(signature.error);
    const pinned = parseVerifierKey(vkey(publisher), nodeSha256);
    if (!pinned.ok) throw new Error('pinned key');
    expect(verifyNoteSignature(rebuilt, signature.value.signatures[0]!, pinned.value)).toBe(true);
    expect(Buffer.from(nodeSha256(utf8Bytes(String(published.payload.bundle)))).toString('hex')).toBe(
      ref.contentSha256,
    );
    expect(
      verifyNoteSignature(
        rebuilt.replace('"sequence":2', '"sequence":3'),
        signature.value.signatures[0]!,
        pinned.value,
      ),
    ).toBe(false);
    // Nothing newer: nothing happens.
    expect(await fetchDistribution(a)).toMatchObject({ results: [], upToDate: ['policy'] });
  });

  it('lists at the hub the decisions taken offline under a policy older than the region had then', async () => {
    // Device b never fetched: it still decides under sequence 1, after sequence 2 was published.
    b.clock.set(clock.now().toISOString());
    importLeads(b.admin, 'B', 2);
    importLeads(a, 'A0', 1);
    await syncPush(b.admin);
    await syncPush(a);
    const flagged = await supersededDecisions(hub.hub());
    const bDecisions = entries(b.admin, 'lead.intake');
    expect(bDecisions.length).toBeGreaterThan(0);
    expect(flagged).toHaveLength(bDecisions.length);
    for (const found of flagged)
      expect(found).toMatchObject({
        device: `distrib-b-${kind}`,
        type: 'lead.intake',
        ruleVersion: b.admin.workstation.policy().loaded.version,
        policySequence: 1,
        currentRuleVersion: a.workstation.policy().loaded.version,
        currentSequence: 2,
        reason: 'older_policy',
      });
    // Device a's decisions under the policy it activated are not listed; b's own decision names its policy too.
    expect(flagged.some((found) => found.device === `distrib-a-${kind}`)).toBe(false);
  });

  it('a tampered bundle is refused with an audit entry and the active policy stays in force', async () => {
    const h = hub.hub();
    const before = a.workstation.policy().loaded.version;
    // A compromised hub (or a damaged store) serves a bundle other than the one the publisher signed.
    const text = relabel(fintechText, '2026.12-2');
    const manifest = {
      region: 'eu-west',
      stream: 'policy',
      sequence: 3,
      kind: 'policy' as const,
      version: 'forged',
      label: '2026.12-2',
      contentSha256: Buffer.from(nodeSha256(utf8Bytes(text))).toString('hex'),
      publishedAt: clock.now().toISOString(),
    };
    await h.store.transaction((tx) =>
      tx.putDistribution(
        {
          stream: 'policy',
          sequence: 3,
          kind: 'policy',
          version: 'forged',
          label: '2026.12-2',
          note: signDistribution(manifest, publisher, nodeSha256),
          publishedAt: manifest.publishedAt,
          receivedAt: manifest.publishedAt,
          receivedBy: 'mallory',
        },
        utf8Bytes(`${text}\n# tampered\n`),
      ),
    );
    const fetched = await fetchDistribution(a);
    expect(fetched.results).toEqual([
      expect.objectContaining({ stream: 'policy', sequence: 3, status: 'refused', problem: 'content_mismatch' }),
    ]);
    expect(fetched.results[0]!.message).toMatch(/stays in force/);
    expect(a.workstation.policy().loaded.version).toBe(before);
    expect(entries(a, 'distribution.refused').at(-1)!.payload).toMatchObject({
      stream: 'policy',
      sequence: 3,
      problem: 'content_mismatch',
      activeVersion: before,
    });
    // Asked again, it is refused again, and logged once.
    const logged = entries(a, 'distribution.refused').length;
    expect((await fetchDistribution(a)).results[0]).toMatchObject({ status: 'refused', entry: null });
    expect(entries(a, 'distribution.refused').length).toBe(logged);
  });

  it('a statement signed by another key is refused, even one the hub was made to accept', async () => {
    const h = hub.hub();
    const before = a.workstation.policy().loaded.version;
    // The rogue key registered at the hub (a compromised hub, or a careless admin): the device still refuses it.
    await addPublisher(h, { verifierKey: vkey(rogue), admin: 'mallory' });
    const forged = await publishPolicyBundle(h, rogue, {
      fileName: 'p.yaml',
      text: relabel(fintechText, '2026.12-3'),
      admin: 'mallory',
    });
    expect(forged).toMatchObject({ ok: true, value: { sequence: 4 } });
    const fetched = await fetchDistribution(a);
    expect(fetched.results).toEqual([
      expect.objectContaining({ stream: 'policy', sequence: 4, status: 'refused', problem: 'untrusted_signature' }),
    ]);
    expect(a.workstation.policy().loaded.version).toBe(before);
    expect(entries(a, 'distribution.refused').at(-1)!.payload).toMatchObject({ problem: 'untrusted_signature' });
  });

  it('a list version is published, fetched, verified and activated as a list update naming its distribution', async () => {
    const h = hub.hub();
    const v2 = Buffer.concat([blocked, Buffer.from('Ignatius Quellbrook-Varga\n')]);
    const published = await publishListVersion(h, publisher, {
      source: 'blocklist',
      listId: 'internal',
      files: [{ name: 'blocked.txt', bytes: new Uint8Array(v2) }],
      admin: 'olga',
    });
    expect(published).toMatchObject({ ok: true, value: { stream: 'list:internal', sequence: 1 } });
    const v2Version = published.ok ? published.value.version : '';
    expect(v2Version).not.toBe(v1List);
    const fetched = await fetchDistribution(a);
    expect(fetched.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: 'list:internal', sequence: 1, status: 'activated', version: v2Version }),
      ]),
    );
    const manifest = JSON.parse(readFileSync(join(listsDir, 'manifest.json'), 'utf8')) as {
      lists: Record<string, { active: string; history: { version: string; contentSha256: string }[] }>;
    };
    const list = manifest.lists['internal']!;
    expect(list.history.find((v) => v.version === list.active)!.contentSha256).toBe(v2Version);
    expect(entries(a, 'list.imported').at(-1)!.payload).toMatchObject({
      list: 'internal',
      version: v2Version,
      status: 'activated',
      changes: { previous: v1List, added: 1 },
      distribution: { stream: 'list:internal', sequence: 1 },
    });
    // The screener screens against it from now on, and the intake entry (its routing decisions) names it.
    importLeads(a, 'A', 2);
    const routed = entries(a, 'lead.intake').at(-1)!;
    expect(routed.payload.ruleVersion).toBe(a.workstation.policy().loaded.version);
    expect((routed.payload.screening as { listVersions?: unknown }).listVersions).toEqual([
      { listId: 'internal', version: expect.any(String) },
    ]);
    // A case decision names the policy and the lists it was taken under too.
    call(a, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
      // The example's leads span regions: this pinned workstation takes in those of eu-west (decision 0270).
      mode: 'valid',
      sourceSystem: 'crm',
    });
    const senior = addUser(aws, `sam-${kind}`, ['senior_officer'], ['*'], a.workstation.screener);
    try {
      const kase = call<{ rows: { id: string }[] }>(senior, 'cases.list', { pageSize: 10 }).rows[0]!;
      call(senior, 'cases.claim', { caseId: kase.id });
      call(senior, 'cases.decide', { caseId: kase.id, disposition: 'escalate', reason: 'needs a second look' });
    } finally {
      senior.workstation.close();
    }
    expect(entries(a, 'case.decided').at(-1)!.payload).toMatchObject({
      ruleVersion: a.workstation.policy().loaded.version,
      listVersions: (routed.payload.screening as { listVersions?: unknown }).listVersions,
    });
  });
});
