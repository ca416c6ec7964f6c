// The screening hit side by side (cases.screeningHits) over a real encrypted workstation and a real list directory (the
// demo's OFAC extract): permission and market checks, the audited read of the screened party, the listed entry at the
// version screened with every alias and its quality, the aligned tokens, and the decision naming the hits it decides.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importList } from '../../../electron/services/lists/store.ts';
import { listStoreReader } from '../../../electron/services/lists/reader.ts';
import { loadLeadScreener } from '../../../electron/services/workstation/commands/screener.ts';
import { initialiseWorkstation, openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type {
  LeadScreener,
  Session,
  WorkstationDeps,
} from '../../../electron/services/workstation/session/workstation.ts';
import { createUser } from '../../../electron/services/workstation/commands/users.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import type { Role } from '../../../core/access/roles.ts';
import { examplesDir, repoRoot } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, TEST_SCRYPT, testClock, withoutApprovals } from '../../support/workstation.ts';
import { call, callError } from '../../support/api.ts';

type HitsView = {
  caseId: string;
  leadId: string;
  erased: boolean;
  parties: {
    party: string;
    name: string;
    dateOfBirth: string | null;
    nationality: string | null;
    country: string | null;
  }[];
  hits: {
    hit: { listId: string; entryId: string; listVersion: string };
    listKind: string;
    cleared: boolean;
    list: { listId: string; version: string; source: string };
    entry: {
      id: string;
      names: { value: string; role: string; weak: boolean; score: number | null; matched: boolean }[];
      datesOfBirth: { from: string }[];
      nationalities: string[];
      programs: string[];
      remarks: string | null;
    };
    match: {
      queryTokens: { text: string; pair: number | null; how: string | null }[];
      listedTokens: { text: string; pair: number | null; how: string | null }[];
      nameScore: number;
      evidence: { field: string; verdict: string; adjustment: number }[];
      score: number;
      strength: string | null;
    } | null;
  }[];
};
type Row = { id: string; leadId: string; status: string; type: string; reason: string };

const demoLists = join(repoRoot, 'resources', 'demo', 'lists', 'ofac-sdn');
let listsDir: string;
let screener: LeadScreener;
let sdnVersion: string;
let pepVersion: string;

beforeAll(async () => {
  listsDir = mkdtempSync(join(tmpdir(), 'perimeter-hits-lists-'));
  const outcome = await importList(listsDir, {
    source: 'ofac-sdn-csv',
    files: readdirSync(demoLists).map((name) => join(demoLists, name)),
    importedAt: '2026-11-01T00:00:00.000Z',
  });
  if (!outcome.ok) throw new Error('the demo OFAC extract was refused');
  sdnVersion = outcome.value.version.version;
  // A small PEP list in the firm's CSV format: one politically exposed person who shares the OFAC entry's name.
  const pepFile = join(listsDir, 'pep.csv');
  writeFileSync(
    pepFile,
    'id,name,type,date_of_birth,nationality,notes\n' +
      'PEP-7,Abbas Hassan Gharib,person,1969-09-25,LB,Member of parliament 2018-2022\n',
  );
  const pep = await importList(listsDir, {
    source: 'blocklist',
    files: [pepFile],
    listId: 'pep-test',
    kind: 'pep',
    importedAt: '2026-11-01T00:00:00.000Z',
  });
  if (!pep.ok) throw new Error('the PEP list was refused');
  pepVersion = pep.value.version.version;
  screener = await loadLeadScreener(listsDir);
});

afterAll(() => rmSync(listsDir, { recursive: true, force: true }));

const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

// OFAC SDN 31756 in the demo extract: "GHARIB, Abbas Hassan", weak a.k.a. "GHARIB, Abbass", DOB 25 Sep 1969, Lebanon.
const gharib = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    customerType: 'professional',
    kycStatus: 'verified',
    amlDocumentation: 'complete',
    productInterests: ['business-payments'],
    person: { fullName: 'Abbas Hasan Gharib', dateOfBirth: '1969-09-25', nationality: 'LB' },
    address: { line1: '5 Canary Wharf', city: 'London', country: 'GB' },
    kycPrescreenJurisdiction: 'GB',
    ...extra,
  });

const setup = (options: { store?: boolean } = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-ws-'));
  const path = join(dir, 'workstation.db');
  const clock = testClock();
  const deps: WorkstationDeps = {
    now: clock.now,
    scryptCost: TEST_SCRYPT,
    ...(options.store === false ? {} : { listStore: listStoreReader(listsDir) }),
  };
  const admin = initialiseWorkstation(
    {
      path,
      logId: 'test-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
      // Without the approvals section: one admin creates these users at once (separation of duties has its own tests).
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    deps,
    screener,
  );
  open.push(admin);
  const user = (id: string, roles: Role[], markets: string[]): Session => {
    createUser(admin, { id, name: id, roles, markets, passphrase: `${id} passphrase 123` });
    const session = openWorkstation({ path, userId: id, passphrase: `${id} passphrase 123` }, deps, screener);
    open.push(session);
    return session;
  };
  const leads = (lines: string[]) =>
    call(admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: lines.join('\n') + '\n',
      mode: 'all',
      sourceSystem: 'crm',
    });
  const caseOf = (leadId: string, status = ['open', 'claimed', 'awaiting_approval']): Row =>
    call<{ rows: Row[] }>(admin, 'cases.list', { search: leadId, status }).rows[0]!;
  // Each read with its purpose, which is beside the log (decision 0141), not in the hashed payload.
  const reads = (): {
    actor: string;
    subjects: string[];
    payload: Record<string, unknown>;
    purpose: string | undefined;
  }[] =>
    (
      admin.workstation.db
        .prepare(
          `SELECT e.actor, e.canonical, p.data FROM audit_entries e LEFT JOIN audit_personal_data p ON p.sequence = e.sequence
           WHERE e.type = 'personal_data.read' ORDER BY e.sequence`,
        )
        .all() as { actor: string; canonical: Buffer; data: Buffer | null }[]
    ).map((row) => ({
      actor: row.actor,
      ...(JSON.parse(row.canonical.toString('utf8')) as object),
      purpose: row.data ? (JSON.parse(row.data.toString('utf8')) as { purpose?: string }).purpose : undefined,
    })) as never;
  return { admin, user, leads, caseOf, reads, dir };
};

describe('cases.screeningHits', () => {
  it('shows the screened party beside the listed entry at the version screened, aligned token by token', () => {
    const { user, leads, caseOf, reads } = setup();
    const olga = user('olga', ['compliance_officer'], ['UK', 'EU-Passported']);
    leads([gharib('L-GHARIB')]);
    const kase = caseOf('L-GHARIB');
    expect(kase.type).toBe('screening_review');

    const view = call<HitsView>(olga, 'cases.screeningHits', { caseId: kase.id });
    expect(view.parties).toEqual([
      { party: 'person', name: 'Abbas Hasan Gharib', dateOfBirth: '1969-09-25', nationality: 'LB', country: 'GB' },
    ]);
    expect(view.hits).toHaveLength(1);
    const [hit] = view.hits;
    expect(hit!.hit).toEqual({ listId: 'ofac-sdn', entryId: '31756', listVersion: sdnVersion });
    expect(hit!.list).toMatchObject({ listId: 'ofac-sdn', version: sdnVersion, source: 'ofac-sdn-csv' });
    // Every name with its quality: the primary name, and the weak a.k.a. shown as weak.
    expect(hit!.entry.names.map((name) => [name.value, name.role, name.weak, name.matched])).toEqual([
      ['GHARIB, Abbas Hassan', 'primary', false, true],
      ['GHARIB, Abbass', 'alias', true, false],
    ]);
    expect(hit!.entry.datesOfBirth.map((date) => date.from)).toEqual(['1969-09-25']);
    expect(hit!.entry.nationalities).toEqual(['LB']);
    expect(hit!.entry.programs).toEqual(['SDGT']);
    expect(hit!.entry.remarks).toContain('POB Tayir Harfa, Lebanon');
    // The alignment: the same pair number on both sides; "Hasan" is a spelling variant of "Hassan" (a doubled letter).
    const pairOf = (tokens: { text: string; pair: number | null }[], text: string) =>
      tokens.find((token) => token.text === text)?.pair;
    const match = hit!.match!;
    expect(pairOf(match.queryTokens, 'hasan')).toBe(pairOf(match.listedTokens, 'hassan'));
    expect(match.queryTokens.find((token) => token.text === 'hasan')?.how).toBe('variant');
    expect(pairOf(match.queryTokens, 'gharib')).toBe(pairOf(match.listedTokens, 'gharib'));
    expect(match.queryTokens.every((token) => token.pair !== null)).toBe(true);
    // The score's parts: the name, and the evidence that raised it (an address abroad neither helps nor hurts).
    expect(match.nameScore).toBeLessThan(1);
    expect(match.evidence.map((part) => [part.field, part.verdict, part.adjustment])).toEqual([
      ['dateOfBirth', 'exact', 0.08],
      ['nationality', 'match', 0.03],
      ['country', 'no_match', 0],
    ]);
    expect(match.strength).toBe('strong');

    // The read of the screened party is audited: who, whose, why.
    const read = reads().at(-1)!;
    expect(read.actor).toBe('user:olga');
    expect(read.subjects).toEqual([`lead:${kase.leadId}`]);
    expect(read.payload).not.toHaveProperty('purpose');
    expect(read.purpose).toBe(`screening review of case ${kase.id}: the hit side by side`);
  });

  it('shows each case the hits of the kinds its queue reviews: the PEP hit waits for enhanced due diligence', () => {
    const { user, leads, caseOf } = setup();
    const olga = user('olga', ['compliance_officer'], ['UK']);
    leads([gharib('L-GHARIB')]);
    const sanctions = caseOf('L-GHARIB');
    const view = call<HitsView>(olga, 'cases.screeningHits', { caseId: sanctions.id });
    expect(view.hits.map((hit) => [hit.listKind, hit.hit.listId])).toEqual([['sanctions', 'ofac-sdn']]);
    // Clearing the sanctions hit clears that hit only: the PEP hit, never looked at, refuses the path into EDD.
    call(olga, 'cases.claim', { caseId: sanctions.id });
    call(olga, 'cases.decide', {
      caseId: sanctions.id,
      disposition: 'clear_false_positive',
      reason: 'A namesake: the listed man is not our customer',
    });
    call(user('sam', ['senior_officer'], ['*']), 'cases.approve', {
      caseId: sanctions.id,
      reason: 'Agreed on the evidence',
    });
    const edd = caseOf('L-GHARIB', ['open']);
    expect(edd.type).toBe('enhanced_due_diligence');
    const pep = call<HitsView>(olga, 'cases.screeningHits', { caseId: edd.id });
    expect(pep.hits).toHaveLength(1);
    expect(pep.hits[0]).toMatchObject({
      hit: { listId: 'pep-test', entryId: 'PEP-7', listVersion: pepVersion },
      listKind: 'pep',
      cleared: false,
      entry: { remarks: 'Member of parliament 2018-2022', nationalities: ['LB'] },
    });
    expect(pep.hits[0]!.match!.queryTokens.map((token) => token.how)).toEqual(['exact', 'variant', 'exact']);
  });

  it('refuses outside the case permission, the personal-data permission or the market, reading nothing', () => {
    const { user, leads, caseOf, reads } = setup();
    const uma = user('uma', ['compliance_officer'], ['US-CA']);
    const oscar = user('oscar', ['operations_admin'], ['*']);
    const fiona = user('fiona', ['field_rep'], ['UK']);
    leads([gharib('L-GHARIB')]);
    const kase = caseOf('L-GHARIB');
    const before = reads().length;
    // Outside uma's markets the case does not exist for her.
    expect(callError(uma, 'cases.screeningHits', { caseId: kase.id }).code).toBe('not_found');
    expect(callError(fiona, 'cases.screeningHits', { caseId: kase.id }).code).toBe('forbidden');
    // An operations admin reads cases but not personal data.
    expect(callError(oscar, 'cases.screeningHits', { caseId: kase.id })).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('may not read personal data'),
    });
    expect(reads()).toHaveLength(before);
  });

  it('refuses, reading nothing, when the list version screened is no longer stored or no store is loaded', () => {
    const { user, leads, caseOf, reads } = setup();
    const olga = user('olga', ['compliance_officer'], ['UK']);
    // An upstream hit from a list version this workstation never stored, beside our own.
    leads([
      gharib('L-UPSTREAM', {
        screening: {
          screenedAt: '2026-11-20T09:00:00Z',
          hits: [
            {
              party: 'person',
              listKind: 'sanctions',
              strength: 'potential',
              listId: 'ofac-sdn',
              listVersion: 'sha256:5f1d0c',
              entryId: '31756',
              entryName: 'GHARIB, Abbas Hassan',
              score: 0.9,
              cleared: false,
            },
          ],
        },
      }),
    ]);
    const kase = caseOf('L-UPSTREAM');
    const before = reads().length;
    expect(callError(olga, 'cases.screeningHits', { caseId: kase.id })).toEqual({
      code: 'not_found',
      message: expect.stringMatching(/^list ofac-sdn version sha256:5f1d0c is no longer stored in .*: the entry 31756/),
    });
    expect(reads()).toHaveLength(before);

    const bare = setup({ store: false });
    const sam = bare.user('sam', ['senior_officer'], ['*']);
    bare.leads([gharib('L-GHARIB')]);
    expect(callError(sam, 'cases.screeningHits', { caseId: bare.caseOf('L-GHARIB').id }).message).toContain(
      'no list store',
    );
  });

  it('refuses a case that is not about a screening hit', () => {
    const { user, leads, caseOf } = setup();
    const olga = user('olga', ['compliance_officer'], ['UK']);
    leads([
      JSON.stringify({
        id: 'L-UNKNOWN-TYPE',
        customerType: 'unknown',
        kycStatus: 'verified',
        amlDocumentation: 'complete',
        productInterests: ['business-payments'],
        company: { name: 'Plain Widgets Ltd' },
        address: { line1: '1 High St', city: 'Leeds', country: 'GB' },
        kycPrescreenJurisdiction: 'GB',
      }),
    ]);
    expect(callError(olga, 'cases.screeningHits', { caseId: caseOf('L-UNKNOWN-TYPE').id })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('not for a screening hit'),
    });
  });
});

describe('a screening decision names the hits it decides', () => {
  const decidedPayloads = (session: Session) =>
    (
      session.workstation.db
        .prepare("SELECT canonical FROM audit_entries WHERE type = 'case.decided' ORDER BY sequence")
        .all() as { canonical: Buffer }[]
    ).map((row) => (JSON.parse(row.canonical.toString('utf8')) as { payload: Record<string, unknown> }).payload);

  it('records the hits named, refuses one that is not the case’s, and clears only those named', () => {
    const { admin, user, leads, caseOf } = setup();
    const olga = user('olga', ['compliance_officer'], ['UK']);
    const sam = user('sam', ['senior_officer'], ['*']);
    const upstream = {
      party: 'person',
      listKind: 'sanctions',
      strength: 'potential',
      listId: 'internal-watch',
      listVersion: 'v7',
      entryId: 'W-12',
      entryName: 'A. H. Gharib',
      score: 0.85,
      cleared: false,
    };
    leads([gharib('L-TWO-HITS', { screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [upstream] } })]);
    const kase = caseOf('L-TWO-HITS');
    const ours = { listId: 'ofac-sdn', entryId: '31756', listVersion: sdnVersion };
    const theirs = { listId: 'internal-watch', entryId: 'W-12', listVersion: 'v7' };

    expect(
      callError(olga, 'cases.decide', {
        caseId: kase.id,
        disposition: 'clear_false_positive',
        reason: 'different person',
        hits: [{ listId: 'ofac-sdn', entryId: '99999', listVersion: sdnVersion }],
      }),
    ).toEqual({
      code: 'invalid_input',
      message: `case ${kase.id}: hits.0: ofac-sdn/99999@${sdnVersion} is not a screening hit of this case`,
    });

    call(olga, 'cases.claim', { caseId: kase.id });
    call(olga, 'cases.decide', {
      caseId: kase.id,
      disposition: 'clear_false_positive',
      reason: 'Date of birth matches but the listed person is a different man',
      hits: [ours],
    });
    expect(decidedPayloads(admin).at(-1)).toMatchObject({ decision: 'clear_false_positive', hits: [ours] });
    // A strong sanctions hit is high risk: the decision waits for a second officer, and takes effect on approval.
    call(sam, 'cases.approve', { caseId: kase.id, reason: 'Agree: a different person' });
    const screening = JSON.parse(
      (
        admin.workstation.db.prepare('SELECT screening FROM leads WHERE source_id = ?').get('L-TWO-HITS') as {
          screening: string;
        }
      ).screening,
    ) as { hits: { listId: string; cleared: boolean }[] };
    expect(screening.hits.map((hit) => [hit.listId, hit.cleared])).toEqual([
      ['internal-watch', false],
      ['ofac-sdn', true],
      ['pep-test', false],
    ]);
    // The hit not decided still holds the lead: its path is refused again into a new screening case.
    const next = caseOf('L-TWO-HITS', ['open']);
    expect(next.id).not.toBe(kase.id);
    expect(next.type).toBe('screening_review');

    // Without hits named, a screening decision covers every open hit of the case, and says so.
    call(olga, 'cases.claim', { caseId: next.id });
    call(olga, 'cases.decide', { caseId: next.id, disposition: 'escalate', reason: 'needs the watch-list owner' });
    expect(decidedPayloads(admin).at(-1)).toMatchObject({ decision: 'escalate', hits: [theirs] });

    // The projections rebuilt from the log equal the live tables.
    const live = projectionSnapshot(admin.workstation.db);
    rebuildProjections(admin.workstation.db);
    expect(projectionSnapshot(admin.workstation.db)).toEqual(live);
  });

  it('refuses hits on a case that is not about a screening hit', () => {
    const { user, leads, caseOf } = setup();
    const olga = user('olga', ['compliance_officer'], ['UK']);
    leads([
      JSON.stringify({
        id: 'L-UNKNOWN-TYPE',
        customerType: 'unknown',
        kycStatus: 'verified',
        amlDocumentation: 'complete',
        productInterests: ['business-payments'],
        company: { name: 'Plain Widgets Ltd' },
        address: { line1: '1 High St', city: 'Leeds', country: 'GB' },
        kycPrescreenJurisdiction: 'GB',
      }),
    ]);
    expect(
      callError(olga, 'cases.decide', {
        caseId: caseOf('L-UNKNOWN-TYPE').id,
        disposition: 'reject',
        reason: 'not our customer',
        hits: [{ listId: 'ofac-sdn', entryId: '31756', listVersion: 'x' }],
      }).message,
    ).toContain('is not about a screening hit');
  });
});
