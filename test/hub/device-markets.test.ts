// A device's served markets follow its users (decision 0271), through a real hub on both stores: the device says its
// users' markets by a signed request before each pull; the hub serves it those met with what its admin approved (never
// more). A device that gains a market receives that market's leads from then on; one that loses it stops; what it
// received before stays (decision 0271).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../core/api/contract.ts';
import { decideDevice } from '../../hub/service.ts';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import { setActive } from '../../electron/services/workstation/commands/deactivation.ts';
import { setMarkets } from '../../electron/services/workstation/commands/users.ts';
import { enrolWithHub, syncPull, syncPush } from '../../electron/services/workstation/commands/sync.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';
import { startTestHub } from '../support/hub.ts';
import type { StoreKind, TestHub } from '../support/hub.ts';
import { addUser, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

const ADDRESSES = {
  GB: { line1: '1 Poultry', city: 'London', postalCode: 'EC2R 8EJ', country: 'GB' },
  FR: { line1: '8 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
} as const;

const customer = (id: string, name: string, country: keyof typeof ADDRESSES) => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
  productInterests: ['business-payments'],
  company: { name, industry: 'software' },
  address: ADDRESSES[country],
  kycPrescreenJurisdiction: country,
});

const importLeads = (ws: TestWorkstation, leads: readonly ReturnType<typeof customer>[]): void => {
  ok(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: leads.map((lead) => JSON.stringify(lead)).join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
};

const inboxText = (ws: TestWorkstation): string =>
  ws.admin.workstation.db
    .prepare<[], Buffer>('SELECT data FROM sync_inbox_personal_data WHERE data IS NOT NULL')
    .pluck()
    .all()
    .map((data) => data.toString('utf8'))
    .join('\n');

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe.each<StoreKind>(['sqlite', 'postgres'])("a device's markets follow its users on %s", (kind) => {
  let hub: TestHub;
  let a: TestWorkstation;
  let b: TestWorkstation;
  let eve: Session | null = null;
  const deviceB = `mkt-b-${kind}`;
  const served = async (): Promise<readonly string[]> =>
    (await hub.hub().store.transaction((tx) => tx.device(deviceB)))!.markets;

  beforeAll(async () => {
    a = createTestWorkstation({ logId: `mkt-a-${kind}` });
    b = createTestWorkstation({ logId: deviceB, secondAdmin: true });
    hub = await startTestHub(kind, { cluster: cluster!, now: () => a.clock.now() });
    // B's users work in the UK only (each admin sets the other's markets: nobody changes their own).
    setMarkets(b.admin, { userId: 'otto', markets: ['UK'], reason: 'UK desk' });
    setMarkets(b.otto!, { userId: 'ada', markets: ['UK'], reason: 'UK desk' });
    await enrolWithHub(a.admin, { hubUrl: hub.url(), region: 'eu-west' });
    await decideDevice(hub.hub(), { deviceId: `mkt-a-${kind}`, decision: 'approved', admin: 'olga' });
    await enrolWithHub(b.admin, { hubUrl: hub.url(), region: 'eu-west' });
    // The hub's admin approves more than B's users work in today: the ceiling of what B may be served.
    await decideDevice(hub.hub(), {
      deviceId: deviceB,
      decision: 'approved',
      admin: 'olga',
      markets: ['UK', 'EU-Passported'],
    });
  }, 120_000);
  afterAll(async () => {
    await hub.stop();
    eve?.workstation.close();
    for (const ws of [a, b]) {
      ws.otto?.workstation.close();
      ws.admin.workstation.close();
    }
  });

  it("serves the approved markets met with the users' markets: UK only at first", async () => {
    const device = await hub.hub().store.transaction((tx) => tx.device(deviceB));
    expect(device).toMatchObject({
      requestedMarkets: ['UK'],
      approvedMarkets: ['UK', 'EU-Passported'],
      markets: ['UK'],
    });
    importLeads(a, [customer('GB-1', 'Threadneedle Ledger Ltd', 'GB'), customer('FR-1', 'Rivoli Registre SARL', 'FR')]);
    await syncPush(a.admin);
    const pulled = await syncPull(b.admin);
    expect(pulled.markets).toEqual(['UK']);
    expect(inboxText(b)).toContain('Threadneedle');
    expect(inboxText(b)).not.toContain('Rivoli');
  });

  it('gains a market when a user of it is added, and receives its leads from then on; never beyond the approval', async () => {
    eve = addUser(b, 'eve', ['compliance_officer'], ['EU-Passported', 'Switzerland'], null, b.admin);
    importLeads(a, [customer('FR-2', 'Vendome Registre SARL', 'FR')]);
    await syncPush(a.admin);
    const pulled = await syncPull(b.admin);
    // Switzerland is asked for but not approved: not served.
    expect(pulled.markets).toEqual(['UK', 'EU-Passported']);
    expect(await hub.hub().store.transaction((tx) => tx.device(deviceB))).toMatchObject({
      requestedMarkets: ['EU-Passported', 'Switzerland', 'UK'],
    });
    expect(inboxText(b)).toContain('Vendome');
    // The lead withheld before the market was gained stays withheld (the cursor is past it; decision 0271).
    expect(inboxText(b)).not.toContain('Rivoli');
    const lead = b.admin.workstation.db
      .prepare<[], number>("SELECT count(*) FROM leads WHERE residency_region = 'eu-west'")
      .pluck()
      .get();
    expect(lead).toBeGreaterThanOrEqual(2);
  });

  it('loses the market when its only user is deactivated: its new leads stop, what B has stays', async () => {
    setActive(b.admin, { userId: 'eve', active: false, reason: 'left the EU desk' });
    importLeads(a, [customer('FR-3', 'Tuileries Registre SARL', 'FR'), customer('GB-3', 'Poultry Ledger Ltd', 'GB')]);
    await syncPush(a.admin);
    const pulled = await syncPull(b.admin);
    expect(pulled.markets).toEqual(['UK']);
    expect(await served()).toEqual(['UK']);
    expect(inboxText(b)).toContain('Poultry Ledger');
    expect(inboxText(b)).not.toContain('Tuileries');
    expect(inboxText(b)).toContain('Vendome');
    // Every change is in the hub's log: the markets asked, served and before.
    const changes = (await hub.hub().store.transaction((tx) => tx.hubLogEntries(0, 10_000)))
      .map((leaf) => JSON.parse(new TextDecoder().decode(leaf.bytes)))
      .filter((leaf) => leaf.type === 'device.markets_changed' && leaf.device === deviceB);
    expect(changes.map((change) => [change.markets, change.previous])).toEqual([
      ['UK,EU-Passported', 'UK'],
      ['UK', 'UK,EU-Passported'],
    ]);
  });
});
