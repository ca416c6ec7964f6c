// The `perimeter policy check` and `perimeter route` commands, run for real: output, exit codes, errors, state.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, repoRoot } from '../support/examples.ts';
import { runCli } from '../support/cli.ts';

const fintechPolicy = join(examplesDir, 'fintech', 'policy.yaml');
const fintechLeads = join(examplesDir, 'fintech', 'leads.jsonl');
const AT = '2026-11-23T10:00:00Z';
const temp = (): string => mkdtempSync(join(tmpdir(), 'perimeter-cli-'));

describe('perimeter policy check', () => {
  it('prints a summary with the rule version and exits 0 for a valid bundle', () => {
    const run = runCli(['policy', 'check', fintechPolicy]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/valid/);
    expect(run.stdout).toMatch(/rule version sha256:[0-9a-f]{64}/);
    expect(run.stdout).toContain('fi-psd2-pi [Finansinspektionen: SE + passport FR DE NL IE]');
  });

  it('prints every error with file, line and path, and exits 1', () => {
    const dir = temp();
    const file = join(dir, 'bad.yaml');
    // Schema errors are all reported first; reference checks run once the shape is right.
    writeFileSync(
      file,
      readFileSync(fintechPolicy, 'utf8')
        .replace('currency: EUR', 'currency: euro')
        .replace('capacity: 40', 'capacity: -1'),
    );
    const schema = runCli(['policy', 'check', file]);
    expect(schema.status).toBe(1);
    expect(schema.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: currency: `));
    expect(schema.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: reps\\[0\\]\\.capacity: `));
    writeFileSync(
      file,
      readFileSync(fintechPolicy, 'utf8')
        .replace('entity: northwind-us-llc', 'entity: nobody')
        .replace('team: uk-reseller', 'team: nowhere'),
    );
    const references = runCli(['policy', 'check', file]);
    expect(references.status).toBe(1);
    expect(references.stderr).toMatch(/:\d+:\d+: teams\[4\]\.entity: unknown entity "nobody"/);
    expect(references.stderr).toMatch(/:\d+:\d+: reps\[2\]\.team: unknown team "nowhere"/);
  });

  it('exits 2 when the file cannot be read', () => {
    const run = runCli(['policy', 'check', '/nonexistent/policy.yaml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('/nonexistent/policy.yaml: cannot read the policy');
  });

  it('prints the generated JSON Schema', () => {
    const run = runCli(['policy', 'schema']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).title).toBe('Perimeter policy bundle');
  });
});

describe('perimeter route', () => {
  it('prints one JSON decision per product interest', () => {
    const run = runCli(['route', '--policy', fintechPolicy, '--leads', fintechLeads, '--at', AT]);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const leadCount = readFileSync(fintechLeads, 'utf8').trim().split('\n').length;
    expect(lines.length).toBe(leadCount + 1); // one lead has two product interests
    const french = lines.find((line) => line.leadId === 'L-FR-SME');
    expect(french).toMatchObject({
      outcome: 'assigned',
      entity: 'northwind-eu-ab',
      team: 'eu-sme',
      rep: 'rep-amelie',
      licence: 'fi-psd2-pi',
      queue: null,
    });
    expect(french.ruleVersion).toMatch(/^sha256:/);
    expect(french.trace.teams.length).toBeGreaterThan(0);
    const brazil = lines.find((line) => line.leadId === 'L-BR');
    expect(brazil).toMatchObject({
      outcome: 'refused',
      queue: 'expansion_review',
      reason: 'no_licensed_entity',
      rep: null,
    });
  });

  it('renders decisions as text with --explain', () => {
    const run = runCli(['route', '--policy', fintechPolicy, '--leads', fintechLeads, '--at', AT, '--explain']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'Lead L-FR-SME / product Business payment account (business-payments): ASSIGNED to rep Amélie Laurent (rep-amelie) in team EU SME desk (eu-sme) of Northwind Pay Europe AB (northwind-eu-ab)',
    );
    expect(run.stdout).toContain('policy "Northwind Pay licensing map", label 2026.11-1, rule version sha256:');
    expect(run.stdout).toContain(
      'licence fi-psd2-pi [Finansinspektionen, PSD2 payment institution, ref. 47110]: passported into FR',
    );
    // Jurisdiction is checked first: a French lead's trace does not exclude a New York licence for its dates.
    const french = run.stdout.split('\n\n').find((block) => block.startsWith('Lead L-FR-SME'))!;
    expect(french).toContain(
      'licence ny-dfs-mtl [NYDFS, New York money transmitter licence]: excluded by licence.jurisdiction',
    );
    expect(french).not.toContain('licence.validity');
    expect(run.stdout).not.toContain('covers via');
  });

  it('reads CSV leads with the documented columns', () => {
    const dir = temp();
    const file = join(dir, 'leads.csv');
    writeFileSync(
      file,
      'id,company_name,address_line1,address_city,address_country,kyc_prescreen_jurisdiction,customer_type,kyc_status,aml_documentation,products,screened_at,attributes\n' +
        'C-1,"Atelier Moreau, SARL",12 rue du Sentier,Paris,FR,FR,professional,verified,complete,business-payments,2026-11-20T09:00:00Z,employees=12\n' +
        'C-2,Rhein GmbH,Königsallee 1,Düsseldorf,DE,DE,professional,verified,complete,business-payments;crypto-custody,2026-11-20T09:00:00Z,\n',
    );
    const run = runCli(['route', '--policy', fintechPolicy, '--leads', file, '--at', AT]);
    expect(run.stderr).toBe('');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => `${line.leadId} ${line.productId} ${line.outcome}`)).toEqual([
      'C-1 business-payments assigned',
      'C-2 business-payments assigned',
      'C-2 crypto-custody refused',
    ]);
  });

  it('names the line and field of every bad record, prints nothing, and exits 1', () => {
    const dir = temp();
    const file = join(dir, 'leads.jsonl');
    const good = readFileSync(fintechLeads, 'utf8').trim().split('\n');
    const bad = JSON.parse(good[1]!);
    bad.address.country = 'France';
    writeFileSync(
      file,
      [
        good[0],
        JSON.stringify(bad),
        '{not json',
        JSON.stringify({ ...JSON.parse(good[2]!), customerType: 'vip' }),
      ].join('\n'),
    );
    const run = runCli(['route', '--policy', fintechPolicy, '--leads', file, '--at', AT]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file} line 2, field address.country:`);
    expect(run.stderr).toContain(`${file} line 3: not valid JSON`);
    expect(run.stderr).toContain(`${file} line 4, field customerType:`);
  });

  it('names the CSV column of a bad cell', () => {
    const dir = temp();
    const file = join(dir, 'leads.csv');
    writeFileSync(
      file,
      'id,company_name,address_country,customer_type,products\nC-1,Acme,GB,martian,business-payments\n',
    );
    const run = runCli(['route', '--policy', fintechPolicy, '--leads', file, '--at', AT]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('line 2, field customer_type:');
  });

  it('threads round-robin state through a state file across runs', () => {
    const dir = temp();
    const leads = join(dir, 'leads.jsonl');
    const state = join(dir, 'state.json');
    const lead = JSON.parse(readFileSync(fintechLeads, 'utf8').split('\n')[0]!);
    writeFileSync(
      leads,
      `${JSON.stringify({ ...lead, address: { ...lead.address, country: 'DE' }, kycPrescreenJurisdiction: 'DE' })}\n`,
    );
    const reps: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const run = runCli(['route', '--policy', fintechPolicy, '--leads', leads, '--state', state, '--at', AT]);
      expect(run.status).toBe(0);
      reps.push(JSON.parse(run.stdout).rep);
    }
    expect(reps).toEqual(['rep-amelie', 'rep-jonas', 'rep-amelie']);
    expect(JSON.parse(readFileSync(state, 'utf8')).openAssignments).toEqual({ 'rep-amelie': 2, 'rep-jonas': 1 });
    expect(existsSync(`${state}.tmp`)).toBe(false);
  });

  it('names the teams a waiting decision waits on, in JSON and in --explain', () => {
    const dir = temp();
    const leads = join(dir, 'leads.jsonl');
    const state = join(dir, 'state.json');
    const reseller = readFileSync(fintechLeads, 'utf8')
      .split('\n')
      .find((line) => line.includes('"L-UK-RESELLER"'))!;
    writeFileSync(leads, `${reseller}\n`);
    // The documented --state format (docs/leads.md): the reseller team's only rep is at capacity.
    writeFileSync(state, JSON.stringify({ cursors: { 'uk-reseller': 0 }, openAssignments: { 'rep-priya': 30 } }));
    const run = runCli(['route', '--policy', fintechPolicy, '--leads', leads, '--state', state, '--at', AT]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'waiting_for_capacity',
      entity: 'northwind-uk-ltd',
      teams: ['uk-reseller'],
      team: null,
      rep: null,
    });
    const explained = runCli([
      'route',
      '--policy',
      fintechPolicy,
      '--leads',
      leads,
      '--state',
      state,
      '--at',
      AT,
      '--explain',
    ]);
    expect(explained.stdout).toContain(
      'WAITING FOR CAPACITY at Northwind Pay UK Limited (northwind-uk-ltd) (teams UK reseller partnerships (uk-reseller))',
    );
    expect(explained.stdout).toContain('skipped (at_capacity) Priya');
  });

  it('reads the --state file exactly as docs/leads.md documents it', () => {
    const docs = readFileSync(join(repoRoot, 'docs', 'leads.md'), 'utf8');
    const section = docs.split('## The `--state` file')[1];
    expect(section, 'docs/leads.md documents the --state file').toBeDefined();
    const example = /```json\n([^`]+)```/.exec(section!)![1]!;
    const dir = temp();
    const state = join(dir, 'state.json');
    writeFileSync(state, example);
    const run = runCli(['route', '--policy', fintechPolicy, '--leads', fintechLeads, '--state', state, '--at', AT]);
    expect(run.status).toBe(0);
    const written = JSON.parse(readFileSync(state, 'utf8'));
    expect(Object.keys(written)).toEqual(['cursors', 'openAssignments']);
    // The documented example's counts carry on: rep-harry (capacity 1) already holds one, so he is never chosen.
    expect(written.openAssignments['rep-harry']).toBe(1);
    expect(written.openAssignments['rep-olivia']).toBeGreaterThan(12);
  });

  it('rejects a malformed state file and a bad --at with a clear message, exit 2', () => {
    const dir = temp();
    const state = join(dir, 'state.json');
    writeFileSync(state, '{"cursors":{"eu-sme":-1},"openAssignments":{}}');
    const badState = runCli([
      'route',
      '--policy',
      fintechPolicy,
      '--leads',
      fintechLeads,
      '--state',
      state,
      '--at',
      AT,
    ]);
    expect(badState.status).toBe(2);
    expect(badState.stderr).toContain(`${state}: field cursors.eu-sme`);
    const badAt = runCli(['route', '--policy', fintechPolicy, '--leads', fintechLeads, '--at', 'yesterday']);
    expect(badAt.status).toBe(2);
    expect(badAt.stderr).toContain('--at');
  });

  it('runs the demo that npm start shows', () => {
    const run = runCli(['demo']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/28 decisions: 7 assigned, 18 refused, 2 held, 1 waiting_for_capacity/);
    // The decision it explains names the rep, team and entity beside their ids, like perimeter route --explain.
    expect(run.stdout).toContain('ASSIGNED to rep Amélie Laurent (rep-amelie) in team EU SME desk (eu-sme)');
  });
});
