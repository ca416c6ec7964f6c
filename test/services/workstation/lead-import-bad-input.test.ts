// Bad rows sent over the api (leads.import, leads.add): reported with line and field; good rows land; nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { createTestWorkstation, leadIdOf } from '../../support/workstation.ts';
import { call, callError, entryCount } from '../../support/api.ts';

type Imported = { imported: number; rejected: { line: number; field: string; message: string }[] };

const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});
const admin = (): Session => {
  const ws = createTestWorkstation();
  open.push(ws.admin);
  return ws.admin;
};

const header = 'id,company_name,address_country,customer_type,kyc_status,aml_documentation,products\n';
const good = (id: string, name: string): string =>
  `${id},${name},FR,professional,verified,complete,business-payments\n`;
const jsonl = (id: string, name: string): string =>
  JSON.stringify({
    id,
    company: { name },
    address: { country: 'FR' },
    customerType: 'professional',
    productInterests: ['business-payments'],
  });

const importFile = (session: Session, format: 'csv' | 'jsonl', content: string, mode: 'all' | 'valid'): Imported =>
  call<Imported>(session, 'leads.import', { fileName: `crm.${format}`, format, content, mode, sourceSystem: 'crm' });

describe('leads.import with bad rows', () => {
  it('in mode valid imports a good row whose quoted cell holds a line break, and reports the bad row', () => {
    const session = admin();
    const csv = `${header}${good('Q-1', '"Atelier\nMoreau SARL"')}Q-2,Bad Co,FR,martian,verified,complete,business-payments\n${good('Q-3', 'Third SARL')}`;
    const result = importFile(session, 'csv', csv, 'valid');
    expect(result.imported).toBe(2);
    expect(result.rejected).toEqual([{ line: 4, field: 'customer_type', message: expect.any(String) }]);
    const lead = call<{ personalData: { company: { name: string } } }>(session, 'leads.get', {
      leadId: leadIdOf(session, 'Q-1'),
      purpose: 'check the import',
    });
    expect(lead.personalData.company.name).toBe('Atelier\nMoreau SARL');
  });

  it('in mode all writes nothing when one row is bad', () => {
    const session = admin();
    const before = entryCount(session);
    const csv = `${header}${good('Q-1', 'First SARL')}Q-2,Bad Co,FR,martian,verified,complete,business-payments\n`;
    expect(importFile(session, 'csv', csv, 'all')).toMatchObject({ imported: 0, rejected: [{ line: 3 }] });
    expect(entryCount(session)).toBe(before);
  });

  it('reports a lone surrogate in a name by line and field, and imports the other leads (never "internal")', () => {
    const session = admin();
    const content = [jsonl('S-1', 'First SARL'), jsonl('S-2', 'Caf\ud800'), jsonl('S-3', 'Third SARL')].join('\n');
    const result = importFile(session, 'jsonl', content, 'valid');
    expect(result.imported).toBe(2);
    expect(result.rejected).toEqual([{ line: 2, field: 'company.name', message: expect.stringMatching(/surrogate/) }]);
  });

  it('reports lead ids with a space or a non-ASCII letter, and imports the others', () => {
    const session = admin();
    const content = [jsonl('ID 1', 'Space SARL'), jsonl('ID-ü', 'Umlaut GmbH'), jsonl('ID-3', 'Fine SARL')].join('\n');
    const result = importFile(session, 'jsonl', content, 'valid');
    expect(result.imported).toBe(1);
    expect(result.rejected.map(({ line, field }) => [line, field])).toEqual([
      [1, 'id'],
      [2, 'id'],
    ]);
  });
});

describe('lone surrogates anywhere in a request', () => {
  it('leads.add refuses an id with a space as invalid input and writes nothing', () => {
    const session = admin();
    const before = entryCount(session);
    const error = callError(session, 'leads.add', {
      lead: { id: 'A 1', company: { name: 'Co' }, customerType: 'retail', productInterests: ['business-payments'] },
    });
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/id/);
    expect(entryCount(session)).toBe(before);
  });

  it('are refused by field before any service runs, so nothing is written', () => {
    const session = admin();
    importFile(session, 'jsonl', jsonl('R-1', 'Read SARL'), 'all');
    const before = entryCount(session);
    const error = callError(session, 'leads.get', { leadId: 'R-1', purpose: 'audit \ud83d check' });
    expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/purpose.*surrogate/) });
    expect(entryCount(session)).toBe(before);
  });
});
