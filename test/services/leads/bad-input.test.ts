// Bad records in lead files: each one refused with its line and field, the good ones kept, nothing silently changed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLeadFile, readLeadFileRecords, readLeadRecords } from '../../../electron/services/leads/read-lead-file.ts';

const header = 'id,company_name,address_country,customer_type,products,attributes\n';
const jsonl = (record: Record<string, unknown>): string =>
  JSON.stringify({ company: { name: 'Co' }, customerType: 'professional', productInterests: ['p'], ...record });

describe('lead records judged one by one', () => {
  it('keeps the good CSV rows of a file with one bad row, and a good row whose quoted cell holds a line break', () => {
    const csv = `${header}A-1,"Two\nLines Ltd",FR,professional,p,\nA-2,Bad Co,FR,martian,p,\nA-3,Third Co,FR,retail,p,\n`;
    const read = readLeadRecords(csv, 'crm.csv', 'csv');
    expect(read.leads.map(({ line, lead }) => [line, lead.id, lead.company?.name])).toEqual([
      [2, 'A-1', 'Two\nLines Ltd'],
      [5, 'A-3', 'Third Co'],
    ]);
    expect(read.problems).toEqual([{ file: 'crm.csv', line: 4, field: 'customer_type', message: expect.any(String) }]);
  });

  it('refuses a lone surrogate in a name with its line and field, and reads the other records', () => {
    const text = [
      jsonl({ id: 'J-1' }),
      jsonl({ id: 'J-2', company: { name: 'Caf\ud800' } }),
      jsonl({ id: 'J-3' }),
    ].join('\n');
    const read = readLeadRecords(text, 'leads.jsonl', 'jsonl');
    expect(read.leads.map(({ lead }) => lead.id)).toEqual(['J-1', 'J-3']);
    expect(read.problems).toEqual([
      { file: 'leads.jsonl', line: 2, field: 'company.name', message: expect.stringMatching(/lone surrogate/) },
    ]);
  });

  it('refuses lead ids with a space or a non-ASCII letter, naming the line and the id field', () => {
    const text = [jsonl({ id: 'L 1' }), jsonl({ id: 'L-é' }), jsonl({ id: 'L-3' })].join('\n');
    const read = readLeadRecords(text, 'leads.jsonl', 'jsonl');
    expect(read.leads.map(({ lead }) => lead.id)).toEqual(['L-3']);
    expect(read.problems.map(({ line, field }) => [line, field])).toEqual([
      [1, 'id'],
      [2, 'id'],
    ]);
    expect(read.problems[0]?.message).toMatch(/visible ASCII/);
  });

  it('refuses a CSV header that names a column twice, instead of letting the last one win', () => {
    const csv = 'id,company_name,customer_type,products,company_name\nD-1,First,retail,p,Second\n';
    const read = readLeadRecords(csv, 'dup.csv', 'csv');
    expect(read.leads).toEqual([]);
    expect(read.problems).toEqual([
      { file: 'dup.csv', line: 1, field: 'company_name', message: expect.stringMatching(/more than once/) },
    ]);
  });

  it('refuses a column mapping that makes two columns one', () => {
    const csv = 'Lead,Name,Alias,customer_type,products\nM-1,First,Second,retail,p\n';
    const read = readLeadRecords(csv, 'crm.csv', 'csv', {
      columnMapping: { Lead: 'id', Name: 'company_name', Alias: 'company_name' },
    });
    expect(read.leads).toEqual([]);
    expect(read.problems[0]).toMatchObject({ line: 1, field: 'company_name' });
  });

  it('refuses __proto__ as an attribute name in JSON Lines and CSV, instead of dropping it', () => {
    const text =
      '{"id":"P-1","company":{"name":"Co"},"customerType":"retail","productInterests":["p"],"attributes":{"__proto__":"x"}}';
    const fromJson = readLeadRecords(text, 'p.jsonl', 'jsonl');
    expect(fromJson.leads).toEqual([]);
    expect(fromJson.problems[0]).toMatchObject({ line: 1, field: 'attributes.__proto__' });
    const fromCsv = readLeadRecords(`${header}P-2,Co,FR,retail,p,__proto__=x\n`, 'p.csv', 'csv');
    expect(fromCsv.leads).toEqual([]);
    expect(fromCsv.problems[0]).toMatchObject({ line: 2, field: 'attributes.__proto__' });
  });

  it('refuses a JSON Lines record that gives a key twice, instead of keeping the last', () => {
    const text = [
      '{"id":"K-1","id":"K-2","company":{"name":"Co"},"customerType":"retail","productInterests":["p"]}',
      '{"id":"K-3","company":{"name":"A","name":"B"},"customerType":"retail","productInterests":["p"]}',
      '{"id":"K-4","company":{"name":"Co"},"customerType":"retail","productInterests":["p"],"attributes":{"a":"x,\\"a\\":"}}',
    ].join('\n');
    const read = readLeadRecords(text, 'k.jsonl', 'jsonl');
    expect(read.problems.map(({ line, field }) => [line, field])).toEqual([
      [1, 'id'],
      [2, 'company.name'],
    ]);
    expect(read.leads.map(({ lead }) => lead.id)).toEqual(['K-4']);
  });

  it('refuses NUL and other control characters in any text, with the field', () => {
    const read = readLeadRecords(`${header}N-1,Nul\u0000Co,FR,retail,p,\nN-2,Fine Co,FR,retail,p,\n`, 'n.csv', 'csv');
    expect(read.leads.map(({ lead }) => lead.id)).toEqual(['N-2']);
    expect(read.problems).toEqual([
      { file: 'n.csv', line: 2, field: 'company_name', message: expect.stringMatching(/U\+0000/) },
    ]);
    const json = readLeadRecords(jsonl({ id: 'N-3', attributes: { note: 'a\u001bb' } }), 'n.jsonl', 'jsonl');
    expect(json.problems[0]).toMatchObject({ line: 1, field: 'attributes.note' });
  });

  it('caps attribute values, attribute counts and product interests', () => {
    const big = readLeadRecords(jsonl({ id: 'B-1', attributes: { note: 'x'.repeat(1001) } }), 'b.jsonl', 'jsonl');
    expect(big.problems[0]).toMatchObject({ field: 'attributes.note', message: expect.stringMatching(/1000/) });
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i]));
    const wide = readLeadRecords(jsonl({ id: 'B-2', attributes: many }), 'b.jsonl', 'jsonl');
    expect(wide.problems[0]).toMatchObject({ field: 'attributes', message: expect.stringMatching(/50 attributes/) });
    const products = Array.from({ length: 51 }, (_, i) => `p${i}`);
    const broad = readLeadRecords(jsonl({ id: 'B-3', productInterests: products }), 'b.jsonl', 'jsonl');
    expect(broad.problems[0]).toMatchObject({ field: 'productInterests' });
    const fits = readLeadRecords(jsonl({ id: 'B-4', attributes: { note: 'x'.repeat(1000) } }), 'b.jsonl', 'jsonl');
    expect(fits.problems).toEqual([]);
  });

  it('accepts a byte order mark at the start of JSON Lines as it does in CSV', () => {
    expect(readLeadRecords(`\ufeff${jsonl({ id: 'M-1' })}\n`, 'bom.jsonl', 'jsonl')).toMatchObject({
      leads: [{ line: 1 }],
      problems: [],
    });
    expect(readLeadRecords(`\ufeff${header}M-2,Co,FR,retail,p,\n`, 'bom.csv', 'csv').problems).toEqual([]);
  });
});

describe('lead files that are not UTF-8', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-leads-'));

  it('refuses a Latin-1 file with the line of the first invalid byte, instead of reading "Caf\uFFFD"', async () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.from(`${header}C-1,Fine Co,FR,retail,p,\nC-2,Caf\xe9 Ltd,FR,retail,p,\n`, 'latin1'));
    const read = await readLeadFileRecords(file);
    expect(read).toMatchObject({
      kind: 'read',
      records: {
        leads: [],
        problems: [{ file, line: 3, field: '', message: expect.stringMatching(/not UTF-8.*0xE9/) }],
      },
    });
    const whole = await readLeadFile(file);
    expect(whole.ok).toBe(false);
  });

  it('reads a UTF-8 file with a byte order mark', async () => {
    const file = join(dir, 'bom.jsonl');
    writeFileSync(file, `\ufeff${jsonl({ id: 'U-1', company: { name: 'Café' } })}\n`);
    const read = await readLeadFile(file);
    expect(read.ok && read.value[0]?.lead.company?.name).toBe('Café');
  });
});
