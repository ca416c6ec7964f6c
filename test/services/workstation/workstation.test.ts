// The workstation services end to end on a real encrypted database: intake, cases, four-eyes, access, audit, rebuild.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { leadIdOf, ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';
import { call, callError, entryCount } from '../../support/api.ts';

const fintechLeads = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8');
const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

const setup = (): { ws: TestWorkstation; officer: Session; senior: Session; usOfficer: Session; auditor: Session } => {
  const ws = createTestWorkstation();
  open.push(ws.admin);
  const officer = addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']);
  const senior = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const usOfficer = addUser(ws, 'uma', ['compliance_officer'], ['US-CA']);
  const auditor = addUser(ws, 'audrey', ['auditor'], ['*']);
  open.push(officer, senior, usOfficer, auditor);
  return { ws, officer, senior, usOfficer, auditor };
};

const importFintech = (session: Session) =>
  call<{
    imported: number;
    duplicates: number;
    casesOpened: number;
    decisions: Record<string, number>;
    rejected: unknown[];
  }>(session, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: fintechLeads,
    mode: 'all',
    sourceSystem: 'crm',
  });

describe('intake', () => {
  it('tags, routes, persists and opens cases for every lead, and re-importing duplicates nothing', () => {
    const { ws } = setup();
    const first = importFintech(ws.admin);
    expect(first).toMatchObject({
      imported: 27,
      duplicates: 0,
      casesOpened: 18,
      decisions: { assigned: 7, refused: 18, held: 2, waiting_for_capacity: 1 },
    });
    const entries = entryCount(ws.admin);
    const again = importFintech(ws.admin);
    expect(again).toMatchObject({ imported: 0, duplicates: 27, casesOpened: 0 });
    expect(entryCount(ws.admin)).toBe(entries);
  });

  it('imports all or nothing, or only the valid rows, as the user chooses', () => {
    const { ws } = setup();
    const lines = fintechLeads.trim().split('\n');
    const broken = [lines[0], '{"id":"bad","customerType":"vip"}', lines[1]].join('\n');
    const before = entryCount(ws.admin);
    const all = call<{ imported: number; rejected: { line: number; field: string }[] }>(ws.admin, 'leads.import', {
      fileName: 'broken.jsonl',
      format: 'jsonl',
      content: broken,
      mode: 'all',
      sourceSystem: 'crm',
    });
    expect(all.imported).toBe(0);
    expect(all.rejected.map((problem) => `${problem.line}:${problem.field}`)).toContain('2:customerType');
    expect(entryCount(ws.admin)).toBe(before);
    const valid = call<{ imported: number; rejected: unknown[] }>(ws.admin, 'leads.import', {
      fileName: 'broken.jsonl',
      format: 'jsonl',
      content: broken,
      mode: 'valid',
      sourceSystem: 'crm',
    });
    expect(valid.imported).toBe(2);
    expect(valid.rejected.length).toBeGreaterThan(0);
  });

  it('maps the columns of a CRM export onto the documented ones', () => {
    const { ws } = setup();
    const csv =
      'Lead ID,Account Name,Country,KYC Country,Segment,KYC,AML,Products,Screened\nX-1,Paris Bakery SARL,FR,FR,professional,verified,complete,business-payments,2026-11-20T09:00:00Z\n';
    const result = call<{ imported: number; decisions: Record<string, number> }>(ws.admin, 'leads.import', {
      fileName: 'crm.csv',
      format: 'csv',
      content: csv,
      mode: 'all',
      sourceSystem: 'salesforce',
      columnMapping: {
        'Lead ID': 'id',
        'Account Name': 'company_name',
        Country: 'address_country',
        'KYC Country': 'kyc_prescreen_jurisdiction',
        Segment: 'customer_type',
        KYC: 'kyc_status',
        AML: 'aml_documentation',
        Products: 'products',
        Screened: 'screened_at',
      },
    });
    expect(result).toMatchObject({ imported: 1, decisions: { assigned: 1 } });
  });

  it('maps quoted CRM column names that hold commas and quotes', () => {
    const { ws } = setup();
    const csv =
      '"Lead ID","Account Name, legal","Country","KYC Country","Segment ""type""",KYC,AML,Products,Screened\n' +
      'X-2,Lyon Bakery SARL,FR,FR,professional,verified,complete,business-payments,2026-11-20T09:00:00Z\n';
    const result = call<{ imported: number; rejected: unknown[] }>(ws.admin, 'leads.import', {
      fileName: 'crm.csv',
      format: 'csv',
      content: csv,
      mode: 'all',
      sourceSystem: 'salesforce',
      columnMapping: {
        'Lead ID': 'id',
        'Account Name, legal': 'company_name',
        Country: 'address_country',
        'KYC Country': 'kyc_prescreen_jurisdiction',
        'Segment "type"': 'customer_type',
        KYC: 'kyc_status',
        AML: 'aml_documentation',
        Products: 'products',
        Screened: 'screened_at',
      },
    });
    expect(result).toMatchObject({ imported: 1, rejected: [] });
  });
});

describe('cases and four eyes', () => {
  it('lets one officer claim a case, requires a reason, and closes a low-risk decision at once', () => {
    const { ws, officer, senior } = setup();
    importFintech(ws.admin);
    const page = call<{ rows: { id: string; leadId: string }[] }>(officer, 'cases.list', {
      queue: 'compliance_review',
    });
    const conflict = page.rows.find((row) => row.leadId === leadIdOf(ws.admin, 'L-INTENT'))!;
    call(officer, 'cases.claim', { caseId: conflict.id });
    expect(callError(senior, 'cases.claim', { caseId: conflict.id }).code).toBe('conflict');
    expect(callError(officer, 'cases.decide', { caseId: conflict.id, disposition: 'reject', reason: '' }).code).toBe(
      'invalid_request',
    );
    const closed = call<{ status: string; resolution: string; makerId: string }>(officer, 'cases.decide', {
      caseId: conflict.id,
      disposition: 'reject',
      reason: 'residence contradicts the stated market',
    });
    expect(closed).toMatchObject({ status: 'closed', resolution: 'reject', makerId: 'olga' });
  });

  it('needs a second officer for a PEP decision: the maker (even an admin) cannot check, another senior can', () => {
    const ws = createTestWorkstation({ secondAdmin: true });
    const officer = addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']);
    // sam's account was created at ada's request, so sam is no second person for ada's decisions (decision 0161);
    // sue's was created at otto's.
    const tied = addUser(ws, 'sam', ['senior_officer'], ['*']);
    const senior = addUser(ws, 'sue', ['senior_officer'], ['*'], null, ws.otto!);
    open.push(ws.admin, ws.otto!, officer, tied, senior);
    importFintech(ws.admin);
    const pep = call<{ rows: { id: string; leadId: string }[] }>(ws.admin, 'cases.list', {
      queue: 'enhanced_due_diligence',
    }).rows.find((row) => row.leadId === leadIdOf(ws.admin, 'L-PEP'))!;
    call(ws.admin, 'cases.claim', { caseId: pep.id });
    const made = call<{ status: string }>(ws.admin, 'cases.decide', {
      caseId: pep.id,
      disposition: 'clear_false_positive',
      reason: 'different person: date of birth differs',
    });
    expect(made.status).toBe('awaiting_approval');
    expect(callError(ws.admin, 'cases.approve', { caseId: pep.id, reason: 'I checked it myself' }).code).toBe(
      'forbidden',
    );
    expect(callError(officer, 'cases.approve', { caseId: pep.id, reason: 'fine by me' }).code).toBe('forbidden');
    expect(call<{ awaitingMyApproval: number }>(tied, 'cases.counts', {}).awaitingMyApproval).toBe(0);
    expect(callError(tied, 'cases.approve', { caseId: pep.id, reason: 'looks fine to me' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining("sam's account was created at ada's request"),
    });
    expect(call<{ awaitingMyApproval: number }>(senior, 'cases.counts', {}).awaitingMyApproval).toBe(1);
    const approved = call<{ status: string; makerId: string; checkerId: string }>(senior, 'cases.approve', {
      caseId: pep.id,
      reason: 'evidence reviewed and agreed',
    });
    expect(approved).toMatchObject({ status: 'closed', makerId: 'ada', checkerId: 'sue' });
    // Clearing the hit re-routes the lead: the path is now assigned in France.
    const lead = call<{ paths: { outcome: string; entityId: string }[] }>(senior, 'leads.get', {
      leadId: leadIdOf(ws.admin, 'L-PEP'),
      purpose: 'verify re-routing',
    });
    expect(lead.paths[0]).toMatchObject({ outcome: 'assigned', entityId: 'northwind-eu-ab' });
  });

  it('approves a specific assignment, re-checked against the licensing map, with deviations as an explicit override', () => {
    const { ws, officer, senior } = setup();
    importFintech(ws.admin);
    const kase = call<{ rows: { id: string; leadId: string }[] }>(officer, 'cases.list', {
      queue: 'compliance_review',
    }).rows.find((row) => row.leadId === leadIdOf(ws.admin, 'L-INTENT'))!;
    call(officer, 'cases.claim', { caseId: kase.id });
    const made = call<{ status: string }>(officer, 'cases.decide', {
      caseId: kase.id,
      disposition: 'approve_assignment',
      reason: 'the client moved to London; proof of address on file',
      assignment: { entityId: 'northwind-uk-ltd', teamId: 'uk-sme', repId: 'rep-olivia' },
    });
    expect(made.status).toBe('awaiting_approval');
    const detail = call<{ maker: { override: { violations: string[] } } }>(senior, 'cases.get', { caseId: kase.id });
    expect(detail.maker.override.violations.join(' ')).toMatch(/jurisdiction tag/);
    call(senior, 'cases.approve', { caseId: kase.id, reason: 'override accepted on the evidence' });
    const lead = call<{ paths: { outcome: string; repId: string }[] }>(senior, 'leads.get', {
      leadId: leadIdOf(ws.admin, 'L-INTENT'),
      purpose: 'check the override',
    });
    expect(lead.paths[0]).toMatchObject({ outcome: 'assigned', repId: 'rep-olivia' });
  });

  it('decides an expansion review', () => {
    const { ws } = setup();
    importFintech(ws.admin);
    const brazil = call<{ rows: { id: string; leadId: string }[] }>(ws.admin, 'cases.list', {
      queue: 'expansion_review',
    }).rows.find((row) => row.leadId === leadIdOf(ws.admin, 'L-BR'))!;
    call(ws.admin, 'cases.claim', { caseId: brazil.id });
    const decided = call<{ status: string; resolution: string }>(ws.admin, 'cases.decide', {
      caseId: brazil.id,
      disposition: 'pursue_expansion',
      reason: 'Brazil demand justifies a licence application',
    });
    expect(decided).toMatchObject({ status: 'closed', resolution: 'pursue_expansion' });
  });
});

describe('access control in the services', () => {
  it('shows a user only the cases in their markets, and hides the rest as not found', () => {
    const { ws, officer, usOfficer } = setup();
    importFintech(ws.admin);
    const ukEu = call<{ rows: { jurisdiction: string | null }[]; total: number }>(officer, 'cases.list', {
      pageSize: 500,
    });
    expect(ukEu.rows.every((row) => row.jurisdiction !== null && !row.jurisdiction.startsWith('US'))).toBe(true);
    const all = call<{ total: number }>(ws.admin, 'cases.list', { pageSize: 500 });
    expect(ukEu.total).toBeLessThan(all.total);
    const gambling = call<{ rows: { id: string; leadId: string }[] }>(ws.admin, 'cases.list', {
      pageSize: 500,
    }).rows.find((row) => row.leadId === leadIdOf(ws.admin, 'L-CA-GAMBLING'))!;
    expect(callError(officer, 'cases.get', { caseId: gambling.id }).code).toBe('not_found');
    expect(callError(officer, 'cases.claim', { caseId: gambling.id }).code).toBe('not_found');
    expect(call<{ case: { id: string } }>(usOfficer, 'cases.get', { caseId: gambling.id }).case.id).toBe(gambling.id);
    expect(callError(officer, 'leads.get', { leadId: leadIdOf(ws.admin, 'L-CA-SMB'), purpose: 'curiosity' }).code).toBe(
      'not_found',
    );
  });

  it('lets an auditor read and never decide; role and market changes need an operations admin', () => {
    const { ws, officer, auditor } = setup();
    importFintech(ws.admin);
    const any = call<{ rows: { id: string }[] }>(auditor, 'cases.list', {}).rows[0]!;
    expect(callError(auditor, 'cases.claim', { caseId: any.id }).code).toBe('forbidden');
    expect(
      callError(officer, 'users.setRoles', {
        userId: 'olga',
        roles: ['senior_officer'],
        reason: 'promote myself please',
      }).code,
    ).toBe('forbidden');
    const changed = call<{ markets: string[] }>(ws.admin, 'users.setMarkets', {
      userId: 'olga',
      markets: ['US-CA'],
      reason: 'moved to the US desk',
    });
    expect(changed.markets).toEqual(['US-CA']);
    expect(call<{ total: number }>(officer, 'cases.list', {}).total).toBeGreaterThan(0);
    const types = ws.admin.workstation.db
      .prepare("SELECT type FROM audit_entries WHERE type IN ('market.reassigned', 'user.created')")
      .pluck()
      .all();
    expect(types).toContain('market.reassigned');
  });

  it('audits every read of personal data: who saw what, when, why', () => {
    const { ws, officer } = setup();
    importFintech(ws.admin);
    const lead = call<{ personalData: { company: { name: string } } }>(officer, 'leads.get', {
      leadId: leadIdOf(ws.admin, 'L-FR-SME'),
      purpose: 'prepare the onboarding call',
    });
    expect(lead.personalData.company.name).toBe('Atelier Moreau SARL');
    const read = ws.admin.workstation.db
      .prepare("SELECT canonical FROM audit_entries WHERE type = 'personal_data.read' ORDER BY sequence DESC LIMIT 1")
      .pluck()
      .get() as Buffer;
    const entry = JSON.parse(read.toString('utf8'));
    expect(entry).toMatchObject({ actor: 'user:olga', subjects: [`lead:${leadIdOf(ws.admin, 'L-FR-SME')}`] });
    expect(entry.payload.fields).toEqual(['address', 'company', 'sourceId']);
    // The purpose is the reader's free text: beside the log, bound by the entry's commitment, never in the entry.
    expect(entry.payload.purpose).toBeUndefined();
    expect(read.toString('utf8')).not.toContain('onboarding');
    const purpose = ws.admin.workstation.db
      .prepare('SELECT data FROM audit_personal_data WHERE sequence = ?')
      .pluck()
      .get(Number(entry.sequence)) as Buffer;
    expect(JSON.parse(purpose.toString('utf8'))).toEqual({ purpose: 'prepare the onboarding call' });
  });

  it('notifies operations admins of refusals and expansion demand, and only them', () => {
    const { ws, officer } = setup();
    importFintech(ws.admin);
    const notes = call<{ kind: string; leadId: string }[]>(ws.admin, 'notifications.list', { limit: 500 });
    expect(notes.filter((note) => note.kind === 'expansion_demand').map((note) => note.leadId)).toEqual(
      expect.arrayContaining(['L-BR', 'L-NY'].map((id) => leadIdOf(ws.admin, id))),
    );
    expect(notes.filter((note) => note.kind === 'refusal').map((note) => note.leadId)).toEqual(
      expect.arrayContaining(['L-SANCTIONS', 'L-PEP', 'L-CONFLICT'].map((id) => leadIdOf(ws.admin, id))),
    );
    expect(callError(officer, 'notifications.list', {}).code).toBe('forbidden');
  });
});

describe('the api contract', () => {
  it('answers wrong types, unknown methods and oversized fields with an error envelope, writing nothing', () => {
    const { ws } = setup();
    const before = entryCount(ws.admin);
    expect(callError(ws.admin, 'cases.list', { page: 'first' }).code).toBe('invalid_request');
    expect(callError(ws.admin, 'cases.nuke', {}).code).toBe('unknown_method');
    expect(
      callError(ws.admin, 'cases.decide', { caseId: 'x'.repeat(101), disposition: 'reject', reason: 'a fine reason' })
        .code,
    ).toBe('invalid_request');
    expect(
      callError(ws.admin, 'users.create', {
        id: 'Bad Id',
        name: 'x',
        roles: ['auditor'],
        markets: ['*'],
        passphrase: 'short',
      }).code,
    ).toBe('invalid_request');
    expect(callError(ws.admin, 'leads.add', { lead: { id: 'x', customerType: 'retail' } }).code).toBe('invalid_input');
    expect(entryCount(ws.admin)).toBe(before);
  });
});

describe('the store', () => {
  it('signs a user in with their own passphrase and refuses a wrong one', () => {
    const { ws } = setup();
    expect(() => openWorkstation({ path: ws.path, userId: 'ada', passphrase: 'not the passphrase' }, ws.deps)).toThrow(
      /passphrase/,
    );
    const again = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    open.push(again);
    expect(again.user.roles).toContain('operations_admin');
  });

  it('rebuilds every projection from the audit log exactly', () => {
    const { ws, officer, senior } = setup();
    importFintech(ws.admin);
    const kase = call<{ rows: { id: string }[] }>(officer, 'cases.list', {}).rows[0]!;
    call(officer, 'cases.claim', { caseId: kase.id });
    call(officer, 'cases.decide', { caseId: kase.id, disposition: 'escalate', reason: 'needs a senior view' });
    call(senior, 'cases.claim', { caseId: kase.id });
    const live = projectionSnapshot(ws.admin.workstation.db);
    rebuildProjections(ws.admin.workstation.db);
    expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(live);
  });

  it('leaves no plaintext of protected data in any file it wrote', () => {
    const { ws, officer } = setup();
    const marker = 'Zyxwvut Markerperson';
    const lead = JSON.parse(fintechLeads.split('\n')[0]!);
    call(ws.admin, 'leads.add', {
      lead: {
        ...lead,
        id: 'L-MARKER',
        person: { fullName: marker },
        address: { ...lead.address, line1: '77 Markerstrasse' },
      },
    });
    call(officer, 'leads.get', { leadId: leadIdOf(ws.admin, 'L-MARKER'), purpose: 'marker read' });
    for (const session of open) session.workstation.db.pragma('wal_checkpoint(PASSIVE)');
    for (const file of readdirSync(ws.dir)) {
      const bytes = readFileSync(join(ws.dir, file));
      for (const needle of [marker, 'Markerstrasse', 'Atelier'])
        expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
    }
  });
});
