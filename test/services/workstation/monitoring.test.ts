// Ongoing monitoring (decisions 0193–0195) over a real encrypted workstation and a real list directory: a new list
// version re-screens the leads already here against what it adds or changes, opens cases for new hits, resolves open
// hits on removed entries with a reason, does not raise a cleared false positive again until its entry changes, logs
// the read of the leads' parties in bulk, and the projections rebuilt from the log equal the live ones.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importList } from '../../../electron/services/lists/store.ts';
import { listStoreReader } from '../../../electron/services/lists/reader.ts';
import { loadLeadScreener } from '../../../electron/services/workstation/commands/screener.ts';
import { recordListImported } from '../../../electron/services/workstation/commands/list-imports.ts';
import { runMonitoring } from '../../../electron/services/workstation/commands/monitoring.ts';
import type { RunProgress } from '../../../electron/services/workstation/commands/monitoring.ts';
import { createUser } from '../../../electron/services/workstation/commands/users.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { initialiseWorkstation, openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session, WorkstationDeps } from '../../../electron/services/workstation/session/workstation.ts';
import type { Role } from '../../../core/access/roles.ts';
import { examplesDir } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, TEST_SCRYPT, testClock, withoutApprovals } from '../../support/workstation.ts';
import { call } from '../../support/api.ts';

type Entry = {
  sequence: number;
  actor: string;
  type: string;
  subjects: string[];
  payload: Record<string, unknown>;
};
type Row = { id: string; leadId: string; status: string; type: string; reason: string };

const HEADER = 'id,name,type,date_of_birth,nationality,notes\n';
const ODILE = 'W-1,Odile Fontaine,person,1961-04-02,FR,listed 2019\n';
const QUARRINGTON = 'W-2,Ignatius Quarrington,person,1955-01-01,GB,listed 2020\n';
const BRENNER = 'W-3,Viktor Brenner,person,1970-05-05,AT,listed 2026\n';
const BRENNER_CHANGED = 'W-3,Viktor Brenner,person,1970-05-05,AT,listed 2026; programme added\n';
// Entries no lead matches: they make a list version new while W-3 stays as it was (a version id is its content).
const FILLER_A = 'W-8,Hortensia Vandermeer,person,1980-01-01,NL,listed 2027\n';
const FILLER_B = 'W-9,Casimir Oyelaran-Duckworth,person,1981-02-02,NG,listed 2027\n';

let dir: string;
let listsDir: string;
let admin: Session;
let olga: Session;
let sam: Session;
const clock = testClock();

const lead = (id: string, fullName: string, country = 'GB'): string =>
  JSON.stringify({
    id,
    customerType: 'professional',
    kycStatus: 'verified',
    amlDocumentation: 'complete',
    productInterests: ['business-payments'],
    person: { fullName },
    address: { line1: '1 Test Street', city: 'London', country },
    kycPrescreenJurisdiction: country,
  });

/** Writes a version of the watch list (the firm's CSV format, kind sanctions) and imports it as the CLI does. */
const importVersion = async (rows: string) => {
  const file = join(dir, 'watch.csv');
  writeFileSync(file, HEADER + rows);
  const outcome = await importList(listsDir, {
    source: 'blocklist',
    files: [file],
    listId: 'watch',
    kind: 'sanctions',
    importedAt: clock.now().toISOString(),
  });
  if (!outcome.ok) throw new Error(`the watch list was refused: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
};

/** A new version, recorded by the admin and re-screened to its end (as `perimeter lists import --db` does). */
const update = async (rows: string, workers = 0): Promise<RunProgress> => {
  const outcome = await importVersion(rows);
  const { runId } = recordListImported(admin, outcome);
  if (runId === null) throw new Error('no run started');
  return runMonitoring(admin.workstation, runId, { listsDir, chunkSize: 2, workers });
};

const entries = (): Entry[] =>
  (
    admin.workstation.db.prepare('SELECT sequence, canonical FROM audit_entries ORDER BY sequence').all() as {
      sequence: number;
      canonical: Buffer;
    }[]
  ).map((row) => ({ sequence: row.sequence, ...(JSON.parse(row.canonical.toString('utf8')) as object) }) as Entry);

const leadIdOf = (sourceId: string): string =>
  admin.workstation.db.prepare('SELECT id FROM leads WHERE source_id = ?').pluck().get(sourceId) as string;

const casesOf = (leadId: string): Row[] =>
  call<{ rows: Row[] }>(admin, 'cases.list', {
    search: leadId,
    status: ['open', 'claimed', 'awaiting_approval', 'closed'],
  }).rows;

const screeningOf = (leadId: string): { hits: { entryId: string; listVersion: string; cleared: boolean }[] } =>
  JSON.parse(
    admin.workstation.db.prepare('SELECT screening FROM leads WHERE id = ?').pluck().get(leadId) as string,
  ) as never;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perimeter-monitoring-'));
  listsDir = join(dir, 'lists');
  await importVersion(ODILE + QUARRINGTON);
  const deps: WorkstationDeps = { now: clock.now, scryptCost: TEST_SCRYPT, listStore: listStoreReader(listsDir) };
  const screener = await loadLeadScreener(listsDir);
  const path = join(dir, 'workstation.db');
  admin = initialiseWorkstation(
    {
      path,
      logId: 'monitoring-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    deps,
    screener,
  );
  const user = (id: string, roles: Role[], markets: string[]): Session => {
    createUser(admin, { id, name: id, roles, markets, passphrase: `${id} passphrase 123` });
    return openWorkstation({ path, userId: id, passphrase: `${id} passphrase 123` }, deps, screener);
  };
  olga = user('olga', ['compliance_officer'], ['UK', 'EU-Passported']);
  sam = user('sam', ['senior_officer'], ['*']);
  // Screened at intake against the first version: Odile Fontaine hits W-1; the others are clear.
  call(admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content:
      [
        lead('CRM-ODILE', 'Odile Fontaine', 'FR'),
        lead('CRM-VIKTOR', 'Viktor Brenner'),
        lead('CRM-CLEAR', 'Penelope Arkwright'),
        lead('CRM-OTHER', 'Bartholomew Ogunleye'),
        lead('CRM-FIFTH', 'Rosalind Achterberg'),
      ].join('\n') + '\n',
    mode: 'all',
    sourceSystem: 'crm',
  });
}, 60_000);

afterAll(() => {
  olga?.workstation.close();
  sam?.workstation.close();
  admin?.workstation.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('re-screening after a list update', () => {
  it('raises a new hit for an existing lead, opens a screening case, and logs the read in bulk', async () => {
    const viktor = leadIdOf('CRM-VIKTOR');
    expect(casesOf(viktor)).toEqual([]);
    const before = entries().length;
    // Screened on a worker thread while this one reads and records, as a large run is.
    const run = await update(ODILE + QUARRINGTON + BRENNER, 1);
    expect(run).toMatchObject({
      state: 'done',
      total: 5,
      leads: 5,
      added: 1,
      changed: 0,
      removed: 0,
      leadsWithHits: 1,
      hits: 1,
      casesOpened: 1,
    });
    const [kase] = casesOf(viktor);
    expect(kase).toMatchObject({ type: 'screening_review', status: 'open' });
    expect(screeningOf(viktor).hits.map((hit) => [hit.entryId, hit.cleared])).toEqual([['W-3', false]]);
    // The run's entries: started with the import, one bulk read per chunk (2 leads a chunk), the hit and its case.
    const added = entries().slice(before);
    expect(added.map((entry) => entry.type)).toEqual([
      'list.imported',
      'monitoring.started',
      'personal_data.bulk_read',
      'lead.screened',
      'routing.decided',
      'case.opened',
      'personal_data.bulk_read',
      'personal_data.bulk_read',
      'monitoring.completed',
    ]);
    const started = added[1]!;
    expect(started).toMatchObject({
      actor: 'system:monitoring',
      subjects: [`monitoring:${run.runId}`, 'list:watch'],
      payload: { run: run.runId, list: 'watch', added: 1, leads: 5, requestedBy: 'ada' },
    });
    const reads = added.filter((entry) => entry.type === 'personal_data.bulk_read');
    expect(reads.map((entry) => entry.payload.leads)).toEqual([2, 2, 1]);
    expect(reads[0]).toMatchObject({
      actor: 'system:monitoring',
      subjects: [`monitoring:${run.runId}`],
      payload: { purpose: 'monitoring', fields: ['address', 'attributes', 'company', 'person'] },
    });
    expect(reads[0]!.payload.leadsSha256).toMatch(/^[0-9a-f]{64}$/);
    // The hit and the case name the run; no listed entry's name is in the hashed log.
    expect(added[3]).toMatchObject({ subjects: [`lead:${viktor}`, `monitoring:${run.runId}`] });
    expect(added[5]!.subjects).toContain(`monitoring:${run.runId}`);
    expect(JSON.stringify(added)).not.toContain('Brenner');
    expect(added[8]).toMatchObject({
      payload: { state: 'done', leads: 5, leadsWithHits: 1, hits: 1, casesOpened: 1, suppressed: 0, resolved: 0 },
    });
  });

  it('resolves the open hits on an entry the list removed, with the reason recorded', async () => {
    const odile = leadIdOf('CRM-ODILE');
    expect(screeningOf(odile).hits.map((hit) => [hit.entryId, hit.cleared])).toEqual([['W-1', false]]);
    const before = entries().length;
    const run = await update(QUARRINGTON + BRENNER);
    expect(run).toMatchObject({ state: 'done', removed: 1, resolved: 1, hits: 0, casesOpened: 0 });
    expect(screeningOf(odile).hits.map((hit) => [hit.entryId, hit.cleared])).toEqual([['W-1', true]]);
    const resolved = entries()
      .slice(before)
      .filter((entry) => entry.type === 'screening.hits_resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      actor: 'system:monitoring',
      subjects: [`lead:${odile}`, `monitoring:${run.runId}`],
      payload: { leadId: odile, reason: 'entry_removed', list: 'watch', hits: [{ listId: 'watch', entryId: 'W-1' }] },
    });
    expect(
      admin.workstation.db.prepare('SELECT reason, run_id FROM screening_resolutions WHERE lead_id = ?').all(odile),
    ).toEqual([{ reason: 'entry_removed', run_id: run.runId }]);
    // No entry was added or changed: nothing to screen against, so no lead's record is read.
    expect(
      entries()
        .slice(before)
        .filter((entry) => entry.type === 'personal_data.bulk_read'),
    ).toEqual([]);
  });

  it('shows the officer a case whose hits a list update resolved, and leaves its closing to the officer', () => {
    const odile = leadIdOf('CRM-ODILE');
    const [kase] = casesOf(odile);
    expect(kase).toMatchObject({ type: 'screening_review', status: 'open' });
    const view = call<{
      hits: { hit: { entryId: string }; cleared: boolean; resolution: Record<string, unknown> | null }[];
    }>(olga, 'cases.screeningHits', { caseId: kase!.id });
    const run = admin.workstation.db
      .prepare('SELECT run_id FROM screening_resolutions WHERE lead_id = ?')
      .pluck()
      .get(odile) as string;
    const version = admin.workstation.db
      .prepare('SELECT version FROM monitoring_runs WHERE id = ?')
      .pluck()
      .get(run) as string;
    expect(view.hits).toEqual([
      expect.objectContaining({
        hit: expect.objectContaining({ entryId: 'W-1' }),
        cleared: true,
        resolution: { reason: 'entry_removed', resolvedAt: expect.any(String), run, version },
      }),
    ]);
    // The system does not close a sanctions case: the officer decides it, and no allow-list row is made for a hit
    // that was resolved rather than cleared (a relisted entry must be raised again).
    call(olga, 'cases.claim', { caseId: kase!.id });
    call(olga, 'cases.decide', {
      caseId: kase!.id,
      disposition: 'clear_false_positive',
      reason: 'W-1 left the watch list in the last update; nothing listed holds the lead',
    });
    const closed = casesOf(odile).find((row) => row.id === kase!.id)!;
    expect(['closed', 'awaiting_approval']).toContain(closed.status);
    if (closed.status === 'awaiting_approval') call(sam, 'cases.approve', { caseId: kase!.id, reason: 'delisted' });
    expect(casesOf(odile).find((row) => row.id === kase!.id)!.status).toBe('closed');
    expect(
      call<{ rows: { leadId: string }[] }>(olga, 'screening.allowList', {}).rows.filter((row) => row.leadId === odile),
    ).toEqual([]);
  });

  it('does not raise a cleared false positive again until the listed entry changes', async () => {
    const viktor = leadIdOf('CRM-VIKTOR');
    const [kase] = casesOf(viktor);
    // An exact name is a strong match (high risk): the officer's clearance awaits a senior officer's approval.
    call(olga, 'cases.claim', { caseId: kase!.id });
    call(olga, 'cases.decide', {
      caseId: kase!.id,
      disposition: 'clear_false_positive',
      reason: 'another Viktor Brenner',
    });
    const before = entries().length;
    call(sam, 'cases.approve', { caseId: kase!.id, reason: 'date of birth differs' });
    const allowListed = entries()
      .slice(before)
      .filter((entry) => entry.type === 'screening.allow_listed');
    expect(allowListed).toHaveLength(1);
    expect(allowListed[0]).toMatchObject({
      actor: 'user:sam',
      subjects: [`lead:${viktor}`, `case:${kase!.id}`],
      payload: { leadId: viktor, caseId: kase!.id, hits: [{ listId: 'watch', entryId: 'W-3' }] },
    });
    const allowList = call<{ rows: { leadId: string; entryId: string; caseId: string; suppressed: number }[] }>(
      olga,
      'screening.allowList',
      {},
    );
    expect(allowList.rows).toEqual([expect.objectContaining({ leadId: viktor, entryId: 'W-3', caseId: kase!.id })]);

    // The entry leaves the list and comes back unchanged: re-screening finds it, and the allow-list holds it.
    await update(QUARRINGTON);
    const back = entries().length;
    const returned = await update(QUARRINGTON + BRENNER);
    expect(returned).toMatchObject({ added: 1, hits: 0, suppressed: 1, casesOpened: 0 });
    const suppressed = entries()
      .slice(back)
      .filter((entry) => entry.type === 'screening.hit_suppressed');
    expect(suppressed).toEqual([
      expect.objectContaining({
        actor: 'system:monitoring',
        subjects: [`lead:${viktor}`, `monitoring:${returned.runId}`],
        payload: expect.objectContaining({
          leadId: viktor,
          hits: [expect.objectContaining({ entryId: 'W-3', allowedBy: kase!.id })],
        }),
      }),
    ]);
    expect(casesOf(viktor).filter((row) => row.status !== 'closed')).toEqual([]);
    expect(call<{ rows: { suppressed: number }[] }>(olga, 'screening.allowList', {}).rows[0]!.suppressed).toBe(1);

    // The publisher changes the entry: a new content version, so the hit is raised again, in a new case.
    const changed = await update(QUARRINGTON + BRENNER_CHANGED);
    expect(changed).toMatchObject({ changed: 1, hits: 1, suppressed: 0, casesOpened: 1 });
    expect(casesOf(viktor).filter((row) => row.status === 'open')).toHaveLength(1);
  });

  it('rebuilds the projections from the log to the live tables', () => {
    const db = admin.workstation.db;
    const live = projectionSnapshot(db);
    expect((live.monitoring_runs as unknown[]).length).toBe(5);
    expect((live.screening_allow_list as unknown[]).length).toBe(1);
    expect((live.screening_resolutions as unknown[]).length).toBe(1);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });

  /** Clears the lead's open screening case as a false positive (with the senior officer's approval). */
  const clearOpenCase = (leadId: string): string => {
    const kase = casesOf(leadId).find((row) => row.status === 'open')!;
    call(olga, 'cases.claim', { caseId: kase.id });
    call(olga, 'cases.decide', { caseId: kase.id, disposition: 'clear_false_positive', reason: 'another person' });
    call(sam, 'cases.approve', { caseId: kase.id, reason: 'checked the date of birth' });
    return kase.id;
  };
  type AllowRow = { leadId: string; listId: string; entryId: string; entryVersion: string; reviewBy: string };
  const allowRows = (): AllowRow[] => call<{ rows: AllowRow[] }>(olga, 'screening.allowList', {}).rows;

  it('takes a cleared false positive off the allow-list by hand, with a reason, and re-screening raises it again', async () => {
    const viktor = leadIdOf('CRM-VIKTOR');
    const caseId = clearOpenCase(viktor);
    type WithCase = AllowRow & { caseId: string };
    const [row] = (allowRows() as WithCase[]).filter((allowed) => allowed.caseId === caseId);
    expect(row).toMatchObject({ leadId: viktor, entryId: 'W-3' });
    // An auditor may not (it is an officer's call); a reason is required.
    createUser(admin, { id: 'aud', name: 'aud', roles: ['auditor'], markets: ['*'], passphrase: 'aud passphrase 123' });
    const auditor = openWorkstation(
      { path: admin.workstation.path, userId: 'aud', passphrase: 'aud passphrase 123' },
      admin.workstation.deps,
      admin.workstation.screener,
    );
    const { leadId, listId, entryId, entryVersion } = row!;
    expect(() =>
      call(olga, 'screening.removeFromAllowList', { leadId, listId, entryId, entryVersion, reason: 'short' }),
    ).toThrow();
    expect(() =>
      call(auditor, 'screening.removeFromAllowList', {
        leadId,
        listId,
        entryId,
        entryVersion,
        reason: 'the admin is not an officer',
      }),
    ).toThrow(/case\.decide/);
    const before = entries().length;
    const reason = 'new adverse media on this subject';
    const removed = call<{ sequence: number }>(olga, 'screening.removeFromAllowList', {
      leadId,
      listId,
      entryId,
      entryVersion,
      reason,
    });
    const logged = entries().slice(before);
    expect(logged).toEqual([
      expect.objectContaining({
        sequence: String(removed.sequence),
        actor: 'user:olga',
        type: 'screening.allow_list_removed',
        subjects: [`lead:${viktor}`, `case:${caseId}`],
        payload: { leadId: viktor, listId: 'watch', entryId: 'W-3', entryVersion, caseId },
      }),
    ]);
    // The reason is the officer's free text: beside the log, not in the hashed entry.
    expect(JSON.stringify(logged)).not.toContain(reason);
    expect(
      admin.workstation.db
        .prepare('SELECT subject, data IS NOT NULL AS held FROM audit_personal_data WHERE sequence = ?')
        .get(removed.sequence),
    ).toEqual({ subject: `lead:${viktor}`, held: 1 });
    expect(allowRows().filter((allowed) => allowed.entryVersion === entryVersion)).toEqual([]);
    expect(() =>
      call(olga, 'screening.removeFromAllowList', { leadId, listId, entryId, entryVersion, reason }),
    ).toThrow(/no allow-list row/);

    // The entry leaves the list and comes back unchanged: nothing holds it back now.
    await update(QUARRINGTON);
    const returned = await update(QUARRINGTON + BRENNER_CHANGED + FILLER_A);
    expect(returned).toMatchObject({ added: 2, hits: 1, suppressed: 0, casesOpened: 1 });
  });

  it('raises a cleared false positive again once its review period has passed, and records that it lapsed', async () => {
    const viktor = leadIdOf('CRM-VIKTOR');
    const caseId = clearOpenCase(viktor);
    const [row] = (allowRows() as (AllowRow & { caseId: string })[]).filter((allowed) => allowed.caseId === caseId);
    // The policy sets no allowListReviewDays: a year.
    expect(Date.parse(row!.reviewBy) - clock.now().getTime()).toBe(365 * 86_400_000);
    // Within the year the allow-list holds the hit back.
    await update(QUARRINGTON);
    expect(await update(QUARRINGTON + BRENNER_CHANGED + FILLER_B)).toMatchObject({
      hits: 0,
      suppressed: 1,
      casesOpened: 0,
    });
    // A year and a day later, it does not: the hit is raised for a fresh review and the row leaves the allow-list.
    clock.advance(366 * 86_400_000);
    await update(QUARRINGTON);
    const before = entries().length;
    const lapsed = await update(QUARRINGTON + BRENNER_CHANGED + FILLER_A + FILLER_B);
    expect(lapsed).toMatchObject({ hits: 1, suppressed: 0, casesOpened: 1 });
    const expired = entries()
      .slice(before)
      .filter((entry) => entry.type === 'screening.allow_list_expired');
    expect(expired).toEqual([
      expect.objectContaining({
        actor: 'system:monitoring',
        subjects: [`lead:${viktor}`, `monitoring:${lapsed.runId}`],
        payload: {
          leadId: viktor,
          run: lapsed.runId,
          reviewDays: 365,
          hits: [
            {
              listId: 'watch',
              entryId: 'W-3',
              entryVersion: row!.entryVersion,
              caseId,
              clearedAt: expect.any(String),
            },
          ],
        },
      }),
    ]);
    expect(allowRows().filter((allowed) => allowed.entryVersion === row!.entryVersion)).toEqual([]);
    expect(casesOf(viktor).filter((kase) => kase.status === 'open')).toHaveLength(1);
    // The projections rebuilt from the log still equal the live ones.
    const db = admin.workstation.db;
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });

  it('raises again a hit whose entry left the list and came back unchanged (the same version id as before)', async () => {
    const odile = leadIdOf('CRM-ODILE');
    // Odile's hit on W-1 was resolved when W-1 left the list, and her case was closed by an officer.
    const before = screeningOf(odile).hits.filter((hit) => hit.entryId === 'W-1');
    expect(before).toEqual([expect.objectContaining({ cleared: true })]);
    const openBefore = casesOf(odile).filter((kase) => kase.status !== 'closed');
    expect(openBefore).toEqual([]);
    // The list as it first was, word for word: the version id the resolved hit names.
    const relisted = await update(ODILE + QUARRINGTON);
    expect(relisted).toMatchObject({ state: 'done', hits: 1, casesOpened: 1 });
    const after = screeningOf(odile).hits.filter((hit) => hit.entryId === 'W-1');
    expect(after).toEqual([expect.objectContaining({ listVersion: before[0]!.listVersion, cleared: false })]);
    const [reopened] = casesOf(odile).filter((kase) => kase.status === 'open');
    expect(reopened).toMatchObject({ type: 'screening_review' });
    // The case view shows it as an open hit, not as the resolved one it was.
    const view = call<{ hits: { hit: { entryId: string }; cleared: boolean; resolution: unknown }[] }>(
      olga,
      'cases.screeningHits',
      { caseId: reopened!.id },
    );
    expect(view.hits).toEqual([
      expect.objectContaining({ hit: expect.objectContaining({ entryId: 'W-1' }), cleared: false, resolution: null }),
    ]);
    const db = admin.workstation.db;
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});
