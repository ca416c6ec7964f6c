// The e2e workstation, built once per run: a fresh encrypted workstation with the fintech example imported and users of
// several roles and markets, closed and left in its folder. Every spec file gets its own copy (host.ts), so no spec sees
// what another did. Writes the fixture's description (fixture.json) into the folder named on the command line.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { importList } from '../../../electron/services/lists/store.ts';
import { loadLeadScreener } from '../../../electron/services/workstation/commands/screener.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir, repoRoot } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';
import { E2E_USERS } from './users.ts';
import { writeVerifierBundles } from './verifier-bundles.ts';
import type { E2eFixture } from './host-process.ts';

const fixtureFile = process.argv[2];
if (fixtureFile === undefined) throw new Error('usage: node test/e2e/support/fixture.ts FIXTURE_JSON');

const ws = createTestWorkstation({ example: 'fintech' });
for (const user of E2E_USERS)
  if (user.id !== 'ada') addUser(ws, user.id, [...user.roles], [...user.markets]).workstation.close();
const imported = handleApiCall(ws.admin, 'leads.import', {
  fileName: 'leads.jsonl',
  format: 'jsonl',
  content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
  mode: 'all',
  sourceSystem: 'crm',
});
if (!imported.ok) throw new Error(`importing the fintech leads failed: ${imported.error.message}`);
// For bulk.spec.ts only: four UK leads of unknown customer type (compliance review, low risk, no four-eyes); ada holds
// the claim on the last one, so a bulk decision by another officer fails for that case alone.
const bulkLeads = ['Alpha', 'Beta', 'Gamma', 'Held'].map((name, index) =>
  JSON.stringify({
    id: `L-BULK-${index + 1}`,
    customerType: 'unknown',
    kycStatus: 'verified',
    amlDocumentation: 'complete',
    screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
    productInterests: ['business-payments'],
    company: { name: `Bulk ${name} Ltd` },
    address: { line1: `${index + 1} Bulk Street`, city: 'London', country: 'GB' },
    kycPrescreenJurisdiction: 'GB',
  }),
);
const bulk = handleApiCall(ws.admin, 'leads.import', {
  fileName: 'bulk.jsonl',
  format: 'jsonl',
  content: bulkLeads.join('\n') + '\n',
  mode: 'all',
  sourceSystem: 'e2e-bulk',
});
if (!bulk.ok) throw new Error(`importing the bulk leads failed: ${bulk.error.message}`);
const held = handleApiCall(ws.admin, 'cases.list', { search: 'L-BULK-4' });
const heldId = held.ok ? (held.value as { rows: { id: string }[] }).rows[0]?.id : undefined;
// Claims are leases (decision 0246): ada claims an hour before the host's clock starts, so it holds through the run.
ws.clock.set('2026-11-24T11:00:00.000Z');
if (heldId === undefined || !handleApiCall(ws.admin, 'cases.claim', { caseId: heldId }).ok)
  throw new Error('claiming the held bulk case failed');
// For verifier.spec.ts: two exports of the log by the auditor and a tampered copy (appends two audit.exported).
const verifier = writeVerifierBundles(ws.admin.workstation.db, ws.dir, ws.clock.now(), 'user:avery');
ws.admin.workstation.close();

// A small file for the import screen: two new leads (one with a screening hit) and one broken row.
const importFile = join(ws.dir, 'new-leads.jsonl');
const lead = (id: string, name: string, hits: unknown[]): string =>
  JSON.stringify({
    id,
    customerType: 'professional',
    kycStatus: 'verified',
    amlDocumentation: 'complete',
    screening: { screenedAt: '2026-11-20T09:00:00Z', hits },
    productInterests: ['business-payments'],
    company: { name },
    address: { line1: '1 Test Street', city: 'London', country: 'GB' },
    kycPrescreenJurisdiction: 'GB',
  });
writeFileSync(
  importFile,
  [
    lead('L-E2E-CLEAN', 'Clean Widgets Ltd', []),
    '{"id":"L-E2E-BROKEN","customerType":"vip"}',
    lead('L-E2E-HIT', 'Shadow Widgets Ltd', [
      {
        party: 'company',
        listKind: 'adverse_media',
        strength: 'potential',
        listId: 'adverse-media-internal',
        listVersion: 'sha256:5f1d0c',
        entryId: 'am:900',
        entryName: 'Shadow Widgets',
        score: 0.88,
        cleared: false,
      },
    ]),
  ].join('\n') + '\n',
);

// For screening-hits.spec.ts: the demo's OFAC extract as a list directory, and one lead screened against it by our own
// engine on its way in (a potential hit on SDN 31756, "GHARIB, Abbas Hassan"). The hosts read the directory by version
// for the side-by-side view; they screen no new lead against it, so the other specs' intake is unchanged.
const listsDir = join(ws.dir, 'lists');
const sdnDir = join(repoRoot, 'resources', 'demo', 'lists', 'ofac-sdn');
const listed = await importList(listsDir, {
  source: 'ofac-sdn-csv',
  files: readdirSync(sdnDir).map((name) => join(sdnDir, name)),
  importedAt: '2026-11-20T08:00:00.000Z',
});
if (!listed.ok) throw new Error('importing the demo OFAC extract failed');
const screening = openWorkstation(
  { path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE },
  ws.deps,
  await loadLeadScreener(listsDir),
);
const screened = handleApiCall(screening, 'leads.import', {
  fileName: 'screened.jsonl',
  format: 'jsonl',
  content:
    JSON.stringify({
      id: 'L-E2E-GHARIB',
      customerType: 'professional',
      kycStatus: 'verified',
      amlDocumentation: 'complete',
      productInterests: ['business-payments'],
      person: { fullName: 'Abbas Gharib', nationality: 'FR' },
      address: { line1: '4 rue de Rivoli', city: 'Paris', country: 'FR' },
      kycPrescreenJurisdiction: 'FR',
    }) + '\n',
  mode: 'all',
  sourceSystem: 'e2e-screened',
});
screening.workstation.close();
if (!screened.ok) throw new Error(`importing the screened lead failed: ${screened.error.message}`);

const fixture: E2eFixture = { dir: ws.dir, dbPath: ws.path, importFile, verifier, listsDir };
writeFileSync(fixtureFile, JSON.stringify(fixture));
