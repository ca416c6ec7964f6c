// A list update from the workstation's api (decision 0193) with the real OFAC SDN lists: the 2021 edition uploaded over
// the 2019 one is diffed before activation (1,858 added, 261 removed, 841 changed), activated, and the leads already
// here re-screened in the background: leads named as added entries get cases, a lead's open hit on a removed entry is
// resolved, new leads are screened against the new version. A stale diff is refused, a broken file stores nothing, and
// a run cut short by a lock is carried on where it stopped; a run can be stopped.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDelta } from '../../../core/screening/monitoring.ts';
import type { ListEntry } from '../../../core/screening/model.ts';
import { importList, loadActiveSnapshots } from '../../../electron/services/lists/store.ts';
import { listStoreReader } from '../../../electron/services/lists/reader.ts';
import { loadLeadScreener } from '../../../electron/services/workstation/commands/screener.ts';
import { rescreenJob } from '../../../electron/services/workstation/commands/list-updates.ts';
import { recordListImported } from '../../../electron/services/workstation/commands/list-imports.ts';
import { runMonitoring } from '../../../electron/services/workstation/commands/monitoring.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { initialiseWorkstation, openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session, WorkstationDeps } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir, sharedData } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, TEST_SCRYPT, testClock, withoutApprovals } from '../../support/workstation.ts';
import { call, callError } from '../../support/api.ts';

type Run = {
  runId: string;
  state: string;
  stopReason: string | null;
  live: boolean;
  total: number;
  leads: number;
  hits: number;
  leadsWithHits: number;
  casesOpened: number;
  resolved: number;
  suppressed: number;
};
type Preview = {
  status: string;
  version: { listId: string; version: string; entries: number };
  previous: { version: string } | null;
  diff: {
    added: number;
    removed: number;
    changed: number;
    unchanged: number;
    sample: { added: { id: string; name: string }[] };
  };
};

const sdn = (year: string): string[] => {
  const dir = join(sharedData, 'sanctions', `ofac-sdn-${year}`);
  return readdirSync(dir).map((name) => join(dir, name));
};
const upload = (paths: string[]) =>
  paths.map((path) => ({ name: path.split('/').pop()!, base64: readFileSync(path).toString('base64') }));

let dir: string;
let listsDir: string;
let path: string;
let deps: WorkstationDeps;
let admin: Session;
let sdn2019: string;
let added: { person: ListEntry; company: ListEntry; later: ListEntry };
let removed: ListEntry;
const clock = testClock();

const lead = (id: string, party: { person?: string; company?: string }): string =>
  JSON.stringify({
    id,
    customerType: 'professional',
    kycStatus: 'verified',
    amlDocumentation: 'complete',
    productInterests: ['business-payments'],
    ...(party.person ? { person: { fullName: party.person } } : {}),
    ...(party.company ? { company: { name: party.company } } : {}),
    address: { line1: '1 Test Street', city: 'London', country: 'GB' },
    kycPrescreenJurisdiction: 'GB',
  });
const leadIdOf = (sourceId: string): string =>
  admin.workstation.db.prepare('SELECT id FROM leads WHERE source_id = ?').pluck().get(sourceId) as string;
const screeningOf = (leadId: string): { hits: { listVersion: string; entryId: string; cleared: boolean }[] } =>
  JSON.parse(admin.workstation.db.prepare('SELECT screening FROM leads WHERE id = ?').pluck().get(leadId) as string);
const openCases = (leadId: string): { type: string }[] =>
  call<{ rows: { type: string }[] }>(admin, 'cases.list', { search: leadId }).rows;
const manifest = (): string => readFileSync(join(listsDir, 'manifest.json'), 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perimeter-list-updates-'));
  listsDir = join(dir, 'lists');
  const first = await importList(listsDir, {
    source: 'ofac-sdn-csv',
    files: sdn('2019'),
    importedAt: '2026-11-01T00:00:00.000Z',
  });
  if (!first.ok) throw new Error('OFAC 2019 was refused');
  sdn2019 = first.value.version.version;
  // What 2021 changes, worked out on the side, to name leads after entries it adds and one it removes.
  const scratch = join(dir, 'scratch');
  const second = await importList(scratch, {
    source: 'ofac-sdn-csv',
    files: sdn('2021'),
    importedAt: '2026-11-02T00:00:00.000Z',
  });
  if (!second.ok) throw new Error('OFAC 2021 was refused');
  const [before] = await loadActiveSnapshots(listsDir);
  const [after] = await loadActiveSnapshots(scratch);
  const delta = listDelta(before, after!);
  const addedIds = new Set(
    delta.entries.filter((listed) => !before!.entries.some((old) => old.id === listed.id)).map((e) => e.id),
  );
  const people = delta.entries.filter((listed) => addedIds.has(listed.id) && listed.type === 'person');
  added = {
    person: people[0]!,
    company: delta.entries.find((listed) => addedIds.has(listed.id) && listed.type === 'company')!,
    later: people[1]!,
  };
  removed = before!.entries.find((listed) => delta.removed.includes(listed.id) && listed.type === 'person')!;

  const screener = await loadLeadScreener(listsDir);
  deps = { now: clock.now, scryptCost: TEST_SCRYPT, listStore: listStoreReader(listsDir) };
  path = join(dir, 'workstation.db');
  admin = initialiseWorkstation(
    {
      path,
      logId: 'list-updates-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    deps,
    screener,
  );
  call(admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content:
      [
        lead('CRM-ADDED-PERSON', { person: added.person.names[0]!.value }),
        lead('CRM-ADDED-COMPANY', { company: added.company.names[0]!.value }),
        lead('CRM-REMOVED', { person: removed.names[0]!.value }),
        lead('CRM-CLEAR-1', { person: 'Penelope Arkwright' }),
        lead('CRM-CLEAR-2', { company: 'Brick Lane Coffee Ltd' }),
        lead('CRM-CLEAR-3', { person: 'Bartholomew Ogunleye', company: 'Ogunleye Joinery Ltd' }),
      ].join('\n') + '\n',
    mode: 'all',
    sourceSystem: 'crm',
  });
}, 120_000);

afterAll(() => {
  admin?.workstation.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a list update from the workstation', () => {
  it('shows the diff of the uploaded version before anything changes', () => {
    const before = manifest();
    const preview = call<Preview>(admin, 'lists.preview', { source: 'ofac-sdn-csv', files: upload(sdn('2021')) });
    expect(preview).toMatchObject({
      status: 'new',
      version: { listId: 'ofac-sdn', entries: 8_976 },
      previous: { version: sdn2019 },
      diff: { added: 1_858, removed: 261, changed: 841, unchanged: 6_277 },
    });
    expect(preview.diff.sample.added).toHaveLength(10);
    // Stored as a version, not active: the manifest is unchanged.
    expect(manifest()).toBe(before);
    // A broken file is refused with its file, line and reason, and nothing is stored.
    const broken = callError(admin, 'lists.preview', {
      source: 'ofac-sdn-csv',
      files: upload([join(sharedData, 'sanctions', 'malformed', 'sdn.csv')]),
    });
    expect(broken).toMatchObject({ code: 'invalid_input' });
    expect(broken.message).toContain('sdn.csv:7380: expected 12 fields, found 1');
    expect(manifest()).toBe(before);
  });

  it('activates it and re-screens the leads in the background: new hits open cases, a removed entry’s hit is resolved', async () => {
    const removedLead = leadIdOf('CRM-REMOVED');
    expect(screeningOf(removedLead).hits.some((hit) => hit.entryId === removed.id && !hit.cleared)).toBe(true);
    const preview = call<Preview>(admin, 'lists.preview', { source: 'ofac-sdn-csv', files: upload(sdn('2021')) });
    const activated = call<{ sequence: number; run: Run }>(admin, 'lists.activate', {
      listId: 'ofac-sdn',
      version: preview.version.version,
      expectedActive: sdn2019,
    });
    expect(activated.run).toMatchObject({ state: 'running', live: true, total: 6 });
    // Another activation waits for the run.
    expect(
      callError(admin, 'lists.activate', {
        listId: 'ofac-sdn',
        version: preview.version.version,
        expectedActive: preview.version.version,
      }).code,
    ).toBe('conflict');
    await rescreenJob(admin.workstation, activated.run.runId);
    const done = call<Run>(admin, 'lists.rescreenStatus', { runId: activated.run.runId });
    expect(done).toMatchObject({ state: 'done', live: false, total: 6, leads: 6 });
    expect(done.leadsWithHits).toBeGreaterThanOrEqual(2);
    expect(done.casesOpened).toBeGreaterThanOrEqual(2);
    expect(done.resolved).toBeGreaterThanOrEqual(1);
    for (const source of ['CRM-ADDED-PERSON', 'CRM-ADDED-COMPANY']) {
      const leadId = leadIdOf(source);
      expect(screeningOf(leadId).hits.some((hit) => hit.listVersion === preview.version.version)).toBe(true);
      expect(openCases(leadId).map((row) => row.type)).toContain('screening_review');
    }
    expect(screeningOf(removedLead).hits.find((hit) => hit.entryId === removed.id)?.cleared).toBe(true);
    expect(JSON.parse(manifest()).lists['ofac-sdn'].active).toBe(preview.version.version);
    const overview = call<{ lists: { version: string }[]; runs: Run[] }>(admin, 'lists.overview', {});
    expect(overview.lists.map((list) => list.version)).toEqual([preview.version.version]);
    expect(overview.runs[0]).toMatchObject({ runId: activated.run.runId, state: 'done' });

    // A diff made against the version that was active before is stale now.
    expect(
      callError(admin, 'lists.activate', {
        listId: 'ofac-sdn',
        version: preview.version.version,
        expectedActive: sdn2019,
      }),
    ).toMatchObject({ code: 'conflict' });
    // New leads are screened at intake against the new version.
    call(admin, 'leads.import', {
      fileName: 'later.jsonl',
      format: 'jsonl',
      content: lead('CRM-LATER', { person: added.later.names[0]!.value }) + '\n',
      mode: 'all',
      sourceSystem: 'crm',
    });
    expect(screeningOf(leadIdOf('CRM-LATER')).hits.map((hit) => [hit.entryId, hit.listVersion])).toContainEqual([
      added.later.id,
      preview.version.version,
    ]);
  });

  it('carries on with a run a lock cut short, from the chunk after the last one recorded, and stops one on request', async () => {
    // A first version of another list: every entry is new, so every lead is read.
    const watch = join(dir, 'watch.txt');
    writeFileSync(watch, `${added.person.names[0]!.value}\nSomeone Unheardof\n`);
    const imported = await importList(listsDir, {
      source: 'blocklist',
      files: [watch],
      listId: 'watch',
      kind: 'sanctions',
      importedAt: clock.now().toISOString(),
    });
    if (!imported.ok) throw new Error('the watch list was refused');
    const { runId } = recordListImported(admin, imported.value);
    // Another session carries it out and is locked after its first chunk of two leads.
    const other = openWorkstation({ path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, deps);
    await runMonitoring(other.workstation, runId!, {
      listsDir,
      chunkSize: 2,
      workers: 0,
      between: (progress) => {
        if (progress.leads >= 2) other.workstation.close();
      },
      stopReason: () => (other.workstation.db.open ? null : 'locked'),
    });
    const cut = call<Run>(admin, 'lists.rescreenStatus', { runId });
    expect(cut).toMatchObject({ state: 'running', live: false, leads: 2, total: 7 });
    call(admin, 'lists.resumeRescreen', { runId });
    await rescreenJob(admin.workstation, runId!);
    const resumed = call<Run>(admin, 'lists.rescreenStatus', { runId });
    expect(resumed).toMatchObject({ state: 'done', leads: 7, total: 7 });
    // Each lead read once: the bulk reads of the run add up to the leads.
    const reads = admin.workstation.db
      .prepare(
        "SELECT json_extract(CAST(canonical AS TEXT), '$.payload.leads') FROM audit_entries WHERE type = 'personal_data.bulk_read' AND json_extract(CAST(canonical AS TEXT), '$.payload.run') = ?",
      )
      .pluck()
      .all(runId) as number[];
    expect(reads.reduce((sum, n) => sum + n, 0)).toBe(7);

    // Stopped on request before its first chunk: recorded as stopped, nothing read.
    writeFileSync(watch, `${added.person.names[0]!.value}\nSomeone Else Unheardof\n`);
    const preview = call<Preview>(admin, 'lists.preview', {
      source: 'blocklist',
      listId: 'watch',
      kind: 'sanctions',
      files: upload([watch]),
    });
    const started = call<{ run: Run }>(admin, 'lists.activate', {
      listId: 'watch',
      version: preview.version.version,
      expectedActive: imported.value.version.version,
    });
    call(admin, 'lists.cancelRescreen', { runId: started.run.runId });
    await rescreenJob(admin.workstation, started.run.runId);
    expect(call<Run>(admin, 'lists.rescreenStatus', { runId: started.run.runId })).toMatchObject({
      state: 'stopped',
      stopReason: 'cancelled',
      leads: 0,
    });
  });

  it('rebuilds the projections from the log to the live tables', () => {
    const db = admin.workstation.db;
    const live = projectionSnapshot(db);
    expect((live.monitoring_runs as unknown[]).length).toBe(3);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });
});
