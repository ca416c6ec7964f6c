// The api's one door, method by method (decisions 0130, 0132): for every method of the contract, a user without the
// permission, a user outside the market, a deactivated user and a locked workstation are refused, nothing changes, and
// the refusal is in the log as access.denied with actor, action and reason. Calls go through handleApiCall and the
// session holder, the functions the browser host and Electron's IPC call.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../../core/api/contract.ts';
import type { ApiMethod } from '../../../core/api/contract.ts';
import { inScope } from '../../../core/access/roles.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { setActive } from '../../../electron/services/workstation/commands/deactivation.ts';
import { projectionSnapshot } from '../../../electron/services/workstation/projection/rebuild.ts';
import { createSessionHolder } from '../../../electron/services/workstation/session/session-holder.ts';
import { doorSidecarPath } from '../../../electron/services/workstation/session/sign-in.ts';
import { commit } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { enqueueKycInitiation } from '../../../electron/services/workstation/commands/kyc-outbox.ts';
import { keySlotsPath } from '../../../electron/services/store/key-slots.ts';
import { call } from '../../support/api.ts';
import { examplesDir } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';
import { join } from 'node:path';

type Entry = { actor: string; type: string; subjects: string[]; payload: Record<string, unknown> };

let ws: TestWorkstation;
let users: Record<'rep' | 'aud' | 'uksen' | 'gone', Session>;
let outside: { leadId: string; caseId: string };
let outsideKycEvent: string;

const fintech = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
  .trim()
  .split('\n');
const freshLead = (id: string): Record<string, unknown> => ({ ...JSON.parse(fintech[0]!), id });

beforeAll(() => {
  ws = createTestWorkstation();
  call(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: fintech.join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  users = {
    rep: addUser(ws, 'rep', ['field_rep'], ['UK']),
    aud: addUser(ws, 'aud', ['auditor'], ['*']),
    uksen: addUser(ws, 'uksen', ['senior_officer'], ['UK']),
    gone: addUser(ws, 'gone', ['compliance_officer', 'operations_admin', 'auditor'], ['*']),
  };
  setActive(ws.admin, { userId: 'gone', active: false, reason: 'left the firm' });
  // A case (and its lead) outside the UK: what uksen may not see.
  const vocabulary = ws.admin.workstation.policy().compiled.vocabulary;
  const cases = ws.admin.workstation.db.prepare('SELECT id, lead_id, jurisdiction FROM cases ORDER BY id').all() as {
    id: string;
    lead_id: string;
    jurisdiction: string | null;
  }[];
  const foreign = cases.find(
    (row) => row.jurisdiction !== null && !inScope(users.uksen.user, row.jurisdiction, vocabulary),
  )!;
  outside = { leadId: foreign.lead_id, caseId: foreign.id };
  // A KYC initiation for that lead, outside the UK: what uksen may not retry.
  commit(ws.admin.workstation, (append) =>
    enqueueKycInitiation(
      { db: ws.admin.workstation.db, append },
      {
        leadId: foreign.lead_id,
        productId: 'door-product',
        jurisdiction: foreign.jurisdiction!,
        ruleVersion: ws.admin.workstation.policy().loaded.version,
        requestedBy: 'user:ada',
        at: '2026-11-23T10:00:00.000Z',
        pathSequence: 1,
      },
    ),
  );
  outsideKycEvent = (ws.admin.workstation.db.prepare('SELECT event_id FROM kyc_outbox').get() as { event_id: string })
    .event_id;
}, 60_000);

afterAll(() => {
  for (const session of Object.values(users ?? {})) session.workstation.close();
  ws?.admin.workstation.close();
});

const entries = (): Entry[] =>
  (
    ws.admin.workstation.db.prepare('SELECT canonical FROM audit_entries ORDER BY sequence').all() as {
      canonical: Buffer;
    }[]
  ).map((row) => JSON.parse(row.canonical.toString('utf8')) as Entry);

// Everything a refused call could change: projections, the log apart from the door's own records, personal data,
// key slots.
const DOOR_RECORDS = ['access.denied', 'session.signed_in', 'session.signed_out', 'session.sign_in_failed'];
const digest = (): unknown => {
  const db = ws.admin.workstation.db;
  return {
    projections: projectionSnapshot(db),
    log: (
      db.prepare('SELECT type, canonical FROM audit_entries ORDER BY sequence').all() as {
        type: string;
        canonical: Buffer;
      }[]
    )
      .filter((row) => !DOOR_RECORDS.includes(row.type))
      .map((row) => row.canonical.toString('utf8')),
    personalData: db.prepare('SELECT sequence, data IS NULL AS erased FROM audit_personal_data').all(),
    slots: readFileSync(keySlotsPath(ws.path), 'utf8'),
  };
};

const reason = 'a reason long enough';
const passphrase = 'a new passphrase 123';

/**
 * Per method: a valid request, who lacks its permission (or why nobody does), and whether it names a subject that
 * can lie outside the caller's markets. Keyed by every method of the contract, so a new method needs a row.
 */
type Row = {
  readonly request: () => unknown;
  /** The user refused `forbidden`, or why every signed-in user may call it. */
  readonly forbidden: 'rep' | 'aud' | { readonly open: string };
  /** The subject an out-of-market caller (uksen) is refused on, answered not_found. */
  readonly outOfMarket?: () => string;
  /** decideMany answers per item: the refusal is in the item, the envelope is ok. */
  readonly perItem?: true;
};

const importRequest = (id: string) => ({
  fileName: 'one.jsonl',
  format: 'jsonl',
  content: JSON.stringify(freshLead(id)),
  mode: 'all',
  sourceSystem: 'crm',
});

const TABLE: Record<ApiMethod, Row> = {
  'session.whoami': { request: () => ({}), forbidden: { open: 'every signed-in user may ask who they are' } },
  'leads.import': { request: () => importRequest('L-DOOR-1'), forbidden: 'aud' },
  'leads.startImport': { request: () => importRequest('L-DOOR-2'), forbidden: 'aud' },
  'leads.importStatus': {
    request: () => ({ jobId: 'job-1' }),
    forbidden: { open: 'a job is its starter’s own: anyone else’s id does not exist for them' },
  },
  'leads.cancelImport': {
    request: () => ({ jobId: 'job-1' }),
    forbidden: { open: 'a job is its starter’s own: anyone else’s id does not exist for them' },
  },
  'leads.add': { request: () => ({ lead: freshLead('L-DOOR-3') }), forbidden: 'aud' },
  'leads.find': {
    request: () => ({ id: outside.leadId }),
    forbidden: 'rep',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'leads.get': {
    request: () => ({ leadId: outside.leadId, purpose: 'door test' }),
    forbidden: 'rep',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'leads.erase': {
    request: () => ({ leadId: outside.leadId, reason }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'leads.erasureStatus': {
    request: () => ({ leadId: outside.leadId }),
    forbidden: 'rep',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'leads.approveErasureOverride': { request: () => ({ requestId: 'EO-1', reason }), forbidden: 'aud' },
  'retention.report': { request: () => ({}), forbidden: 'rep' },
  'retention.run': { request: () => ({}), forbidden: 'aud' },
  'approvals.list': { request: () => ({}), forbidden: 'aud' },
  'approvals.approve': { request: () => ({ requestId: 'MR-1' }), forbidden: 'aud' },
  'approvals.reject': { request: () => ({ requestId: 'MR-1', reason }), forbidden: 'aud' },
  'cases.list': { request: () => ({}), forbidden: 'rep' },
  'cases.counts': { request: () => ({}), forbidden: 'rep' },
  'cases.get': {
    request: () => ({ caseId: outside.caseId }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'cases.claim': {
    request: () => ({ caseId: outside.caseId }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'cases.release': {
    request: () => ({ caseId: outside.caseId }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'cases.screeningHits': {
    request: () => ({ caseId: outside.caseId }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'cases.decide': {
    request: () => ({ caseId: outside.caseId, disposition: 'reject', reason }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'cases.approve': {
    request: () => ({ caseId: outside.caseId, reason }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'cases.return': {
    request: () => ({ caseId: outside.caseId, reason }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  // Sync conflicts (decisions 0244, 0266-0268): the case the conflict id names is checked first, so a conflict outside
  // the user's markets looks unknown whether or not one exists; only a senior officer resolves.
  'cases.conflict': {
    request: () => ({ conflictId: `SC-${outside.caseId}-v0` }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'cases.resolveConflict': {
    request: () => ({ conflictId: `SC-${outside.caseId}-v0`, chosen: null, reason }),
    forbidden: 'aud',
    outOfMarket: () => `case:${outside.caseId}`,
  },
  'users.list': { request: () => ({}), forbidden: 'rep' },
  'users.create': {
    request: () => ({ id: 'newbie', name: 'New Bie', roles: ['auditor'], markets: ['*'], passphrase }),
    forbidden: 'rep',
  },
  'users.setRoles': { request: () => ({ userId: 'aud', roles: ['operations_admin'], reason }), forbidden: 'rep' },
  'users.setMarkets': { request: () => ({ userId: 'aud', markets: ['UK'], reason }), forbidden: 'rep' },
  'users.changeOwnPassphrase': {
    request: () => ({ current: 'rep passphrase 123', next: passphrase }),
    forbidden: { open: 'everyone may change their own passphrase (they must know the current one)' },
  },
  'users.keySlots': { request: () => ({}), forbidden: 'rep' },
  'users.rotateDatabaseKey': { request: () => ({ passphrase: 'rep passphrase 123', reason }), forbidden: 'rep' },
  'users.reEnrol': { request: () => ({ userId: 'aud', initialPassphrase: passphrase, reason }), forbidden: 'rep' },
  'users.claimedCases': { request: () => ({ userId: 'aud' }), forbidden: 'rep' },
  'users.setActive': { request: () => ({ userId: 'aud', active: false, reason }), forbidden: 'rep' },
  // Operations admins, and reps for their own assignments (issue 14); an auditor reads none.
  'notifications.list': { request: () => ({}), forbidden: 'aud' },
  'audit.list': { request: () => ({}), forbidden: 'rep' },
  'audit.personalData': {
    request: () => ({
      sequence: String(
        ws.admin.workstation.db.prepare('SELECT ingested_seq FROM leads WHERE id = ?').pluck().get(outside.leadId),
      ),
      purpose: 'door test',
    }),
    // Its market check needs a market-scoped auditor (uksen has no audit.read): audit-personal-data.test.ts.
    forbidden: 'rep',
  },
  'audit.export': { request: () => ({ format: 'csv' }), forbidden: 'rep' },
  'dashboard.summary': { request: () => ({}), forbidden: 'rep' },
  'policy.current': { request: () => ({}), forbidden: 'rep' },
  'policy.preview': {
    request: () => ({ fileName: 'policy.yaml', text: ws.admin.workstation.policy().text }),
    forbidden: 'aud',
  },
  'policy.publish': {
    request: () => {
      const version = ws.admin.workstation.policy().loaded.version;
      return {
        fileName: 'policy.yaml',
        text: ws.admin.workstation.policy().text,
        ruleVersion: version,
        activeRuleVersion: version,
        reason,
      };
    },
    forbidden: 'aud',
  },
  'views.list': { request: () => ({}), forbidden: 'rep' },
  'views.save': { request: () => ({ name: 'mine', filter: {} }), forbidden: 'rep' },
  'views.delete': { request: () => ({ id: 'view-1' }), forbidden: 'rep' },
  'cases.decideMany': {
    request: () => ({ items: [{ caseId: outside.caseId, disposition: 'reject', reason }] }),
    forbidden: 'rep',
    outOfMarket: () => `case:${outside.caseId}`,
    perItem: true,
  },
  // Ongoing monitoring (decisions 0193–0195): list updates are operations admins' (lists.import); auditors lack it.
  'lists.overview': { request: () => ({}), forbidden: 'aud' },
  'lists.preview': {
    request: () => ({
      source: 'blocklist',
      listId: 'door-list',
      kind: 'sanctions',
      files: [{ name: 'door.txt', base64: Buffer.from('Door Test Name\n').toString('base64') }],
    }),
    forbidden: 'aud',
  },
  'lists.activate': {
    request: () => ({ listId: 'door-list', version: '0123456789abcdef', expectedActive: null }),
    forbidden: 'aud',
  },
  'lists.rescreenStatus': { request: () => ({ runId: 'M-1' }), forbidden: 'aud' },
  'lists.cancelRescreen': { request: () => ({ runId: 'M-1' }), forbidden: 'aud' },
  'lists.resumeRescreen': { request: () => ({ runId: 'M-1' }), forbidden: 'aud' },
  // Compliance and senior officers (case.decide), filtered to their markets; an auditor may not.
  'screening.allowList': { request: () => ({}), forbidden: 'aud' },
  'screening.removeFromAllowList': {
    request: () => ({
      leadId: 'L-none',
      listId: 'watch',
      entryId: 'W-1',
      entryVersion: '0'.repeat(64),
      reason: 'no longer a false positive',
    }),
    forbidden: 'aud',
  },
  // The product-path lifecycle (issue 14, decision 0201): reps work their own paths, senior officers supervise,
  // compliance updates facts; an auditor does none of it.
  'paths.mine': { request: () => ({}), forbidden: 'aud' },
  'paths.dueSoon': { request: () => ({}), forbidden: 'aud' },
  'paths.heldAndWaiting': { request: () => ({}), forbidden: 'rep' },
  'paths.get': {
    request: () => ({ leadId: outside.leadId, productId: 'business-payments' }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'paths.transition': {
    request: () => ({ leadId: outside.leadId, productId: 'business-payments', action: 'close', reason: 'other' }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'paths.recordOutreach': {
    request: () => ({
      leadId: outside.leadId,
      productId: 'business-payments',
      direction: 'inbound',
      channel: 'phone',
      content: { kind: 'summary', text: 'The prospect called back' },
    }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'paths.completeChecklistItem': {
    request: () => ({ leadId: outside.leadId, productId: 'business-payments', item: 'sponsor-bank-agreement' }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'paths.reassign': {
    request: () => ({ leadId: outside.leadId, productId: 'business-payments', to: 'rep-olivia' }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'paths.reassignCandidates': {
    request: () => ({ leadId: outside.leadId, productId: 'business-payments' }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'paths.planContact': {
    request: () => ({ leadId: outside.leadId, productId: 'business-payments', plan: null }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  'leads.updateFacts': {
    request: () => ({ leadId: outside.leadId, facts: { kycStatus: 'verified' } }),
    forbidden: 'aud',
    outOfMarket: () => `lead:${outside.leadId}`,
  },
  // The KYC outbox (decision 0210): operations admins and senior officers (kyc.operate); an auditor may not.
  'kyc.outbox': { request: () => ({}), forbidden: 'aud' },
  'kyc.retry': {
    request: () => ({ eventId: outsideKycEvent }),
    forbidden: 'aud',
    outOfMarket: () => `kyc:${outsideKycEvent}`,
  },
  // Sync with the regional hub (decisions 0224, 0258-0259): every active user reads the status and syncs; only an
  // operations admin (user.manage) enrols the workstation.
  'sync.status': { request: () => ({}), forbidden: { open: 'every active user may see the sync status' } },
  'sync.enrol': { request: () => ({ hubUrl: 'http://127.0.0.1:9', region: 'eu-west' }), forbidden: 'aud' },
  'sync.now': { request: () => ({}), forbidden: { open: 'every active user may sync (decision 0224)' } },
  // Signed distribution (decisions 0254, 0276): every active user sees what is active and pending and may fetch (the
  // publisher's signature is the authority); pinning the publisher key is an operations admin's.
  'distribution.status': {
    request: () => ({}),
    forbidden: { open: 'every active user may see the distribution status' },
  },
  'distribution.check': { request: () => ({}), forbidden: { open: 'every active user may read the hub listing' } },
  'distribution.fetch': {
    request: () => ({}),
    forbidden: { open: 'every active user may fetch signed versions (decision 0254)' },
  },
  'distribution.pinKey': {
    request: () => ({ verifierKey: 'perimeter-publisher/eu-west+00000000+AAAA' }),
    forbidden: 'aud',
  },
  // The region's devices from an operations device: operations admins only (user.manage; decision 0273).
  'sync.devices': { request: () => ({ refresh: true }), forbidden: 'aud' },
  'sync.approveDevice': { request: () => ({ deviceId: 'field-9' }), forbidden: 'aud' },
  'sync.revokeDevice': { request: () => ({ deviceId: 'field-9' }), forbidden: 'aud' },
};

const METHODS = Object.keys(API) as ApiMethod[];

/** The error a call answered: the envelope's, or (decideMany) its one item's. */
const refusalOf = (method: ApiMethod, session: Session, request: unknown): { code: string; message: string } => {
  const reply = handleApiCall(session, method, request);
  if (TABLE[method].perItem && reply.ok) {
    const [item] = reply.value as { ok: boolean; error?: { code: string; message: string } }[];
    if (item?.ok !== false) throw new Error(`${method} should have refused its item`);
    return item.error!;
  }
  if (reply.ok) throw new Error(`${method} should have been refused`);
  return reply.error;
};

/** Runs the refused call and checks: the code, nothing changed, exactly one access.denied with actor, action, reason. */
const expectRefused = (
  method: ApiMethod,
  session: Session,
  expected: { code: string; reason: string; subjects: string[] },
): void => {
  const before = digest();
  const logged = entries().length;
  const error = refusalOf(method, session, TABLE[method].request());
  expect(error.code, error.message).toBe(expected.code);
  expect(digest()).toEqual(before);
  const added = entries().slice(logged);
  expect(added).toHaveLength(1);
  expect(added[0]).toMatchObject({
    actor: `user:${session.user.id}`,
    type: 'access.denied',
    subjects: expected.subjects,
    payload: { action: method, reason: expected.reason },
  });
};

describe('the api door, for every method of the contract', () => {
  it('has a row for every method', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...METHODS].sort());
  });

  const withPermission = METHODS.filter((method) => typeof TABLE[method].forbidden === 'string');
  it.each(withPermission)('%s: refuses a user without the permission, changes nothing, logs it', (method) => {
    const who = TABLE[method].forbidden as 'rep' | 'aud';
    expectRefused(method, users[who], { code: 'forbidden', reason: 'forbidden', subjects: [] });
  });

  const scoped = METHODS.filter((method) => TABLE[method].outOfMarket !== undefined);
  it.each(scoped)('%s: answers not_found outside the market, changes nothing, logs the refusal', (method) => {
    expectRefused(method, users.uksen, {
      code: 'not_found',
      reason: 'out_of_market',
      subjects: [TABLE[method].outOfMarket!()],
    });
  });

  it.each(METHODS)('%s: refuses a user deactivated while signed in, changes nothing, logs it', (method) => {
    const before = digest();
    const logged = entries().length;
    const reply = handleApiCall(users.gone, method, TABLE[method].request());
    expect(reply.ok).toBe(false);
    expect(reply.ok ? null : reply.error.code).toBe('unauthenticated');
    expect(digest()).toEqual(before);
    const added = entries().slice(logged);
    expect(added).toEqual([
      expect.objectContaining({
        actor: 'user:gone',
        type: 'access.denied',
        payload: { action: method, reason: 'inactive' },
      }),
    ]);
  });

  it('refuses every method on a locked workstation, changes nothing, and logs each refusal at the next unlock', () => {
    const holder = createSessionHolder({ dbPath: ws.path, deps: ws.deps });
    const before = digest();
    for (const method of METHODS) {
      const reply = holder.call(method, TABLE[method].request());
      expect(reply.ok ? null : reply.error.code, method).toBe('unauthenticated');
    }
    // An unknown method's name is the caller's text: refused, and not noted.
    expect(holder.call('made.up', {}).ok).toBe(false);
    expect(digest()).toEqual(before);
    expect(readFileSync(doorSidecarPath(ws.path), 'utf8')).not.toContain('made.up');
    const logged = entries().length;
    expect(holder.call('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE }).ok).toBe(true);
    expect(existsSync(doorSidecarPath(ws.path))).toBe(false);
    const added = entries().slice(logged);
    expect(added.map((entry) => [entry.actor, entry.type, entry.payload.action, entry.payload.reason])).toEqual([
      ...METHODS.map((method) => ['system:door', 'access.denied', method, 'locked']),
      ['user:ada', 'session.signed_in', undefined, undefined],
    ]);
    holder.lock();
  });
});

describe('session events through the session holder', () => {
  it('logs sign-in, switch, lock and a failed passphrase (at the next sign-in), with no passphrase anywhere', () => {
    const holder = createSessionHolder({ dbPath: ws.path, deps: ws.deps });
    const logged = entries().length;
    expect(holder.call('session.unlock', { userId: 'aud', passphrase: 'not the passphrase' }).ok).toBe(false);
    expect(holder.call('session.unlock', { userId: 'aud', passphrase: 'aud passphrase 123' }).ok).toBe(true);
    expect(holder.call('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE }).ok).toBe(true);
    expect(holder.call('session.lock', {}).ok).toBe(true);
    const added = entries().slice(logged);
    expect(added.map((entry) => [entry.actor, entry.type, entry.payload.reason ?? null])).toEqual([
      ['system:door', 'session.sign_in_failed', 'wrong_passphrase'],
      ['user:aud', 'session.signed_in', null],
      // The new session opens first (a failed switch leaves the old one signed in), then the old one ends.
      ['user:ada', 'session.signed_in', null],
      ['user:aud', 'session.signed_out', 'switch'],
      ['user:ada', 'session.signed_out', 'lock'],
    ]);
    expect(added[0]).toMatchObject({ subjects: ['user:aud'], payload: { userId: 'aud', via: 'api' } });
    expect(JSON.stringify(added)).not.toContain('not the passphrase');
  });

  it('notes an attempt refused by the passphrase throttle as throttled', () => {
    const holder = createSessionHolder({
      dbPath: ws.path,
      deps: ws.deps,
      throttle: { failuresBeforeWait: 1, firstDelayMs: 60_000 },
    });
    const logged = entries().length;
    expect(holder.call('session.unlock', { userId: 'aud', passphrase: 'not the passphrase' }).ok).toBe(false);
    const throttled = holder.call('session.unlock', { userId: 'aud', passphrase: 'aud passphrase 123' });
    expect(throttled.ok ? null : throttled.error.code).toBe('rate_limited');
    expect(holder.call('session.unlock', { userId: 'ada', passphrase: ADMIN_PASSPHRASE }).ok).toBe(true);
    holder.lock();
    const added = entries().slice(logged);
    expect(added.map((entry) => [entry.type, entry.payload.userId ?? null, entry.payload.reason ?? null])).toEqual([
      ['session.sign_in_failed', 'aud', 'wrong_passphrase'],
      ['session.sign_in_failed', 'aud', 'throttled'],
      ['session.signed_in', null, null],
      ['session.signed_out', null, 'lock'],
    ]);
  });
});
