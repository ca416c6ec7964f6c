// The import screen's CSV reading and column mapping (the service side: test/services/workstation/workstation.test.ts).
import { describe, expect, it } from 'vitest';
import {
  initialChoices,
  mappingOf,
  mappingProblems,
  previewCsv,
  readCsvRecords,
  suggestColumn,
} from '../../renderer/src/features/import/csv-columns.ts';

const crm = [
  '\uFEFF"Lead Ref","Company Name",Country,Products,"Notes"',
  'L-MAP-1,"Acme, Ltd",GB,business-payments,"said ""hello"""',
  '',
  'L-MAP-2,"Two\nLines Ltd",GB,business-payments,',
].join('\r\n');

describe('readCsvRecords and previewCsv', () => {
  it('reads quotes, doubled quotes, commas and line breaks in cells, CRLF and a BOM, and skips blank lines', () => {
    expect(readCsvRecords(crm, 10)).toEqual([
      ['Lead Ref', 'Company Name', 'Country', 'Products', 'Notes'],
      ['L-MAP-1', 'Acme, Ltd', 'GB', 'business-payments', 'said "hello"'],
      ['L-MAP-2', 'Two\nLines Ltd', 'GB', 'business-payments', ''],
    ]);
  });
  it('stops after the header and the asked number of rows', () => {
    const preview = previewCsv(crm, 1);
    expect(preview.headers).toEqual(['Lead Ref', 'Company Name', 'Country', 'Products', 'Notes']);
    expect(preview.rows).toHaveLength(1);
  });
});

describe('the column mapping', () => {
  it('guesses from the normalised name or an alias, and leaves the rest out', () => {
    expect(suggestColumn('Company Name')).toBe('company_name');
    expect(suggestColumn('Country')).toBe('address_country');
    expect(suggestColumn('Products')).toBe('products');
    expect(suggestColumn('Sales Owner')).toBe('');
    expect(initialChoices(['id', 'Company Name', 'Notes'])).toEqual({ 'Company Name': 'company_name', Notes: '' });
  });
  it('sends only the mapped columns', () => {
    expect(mappingOf({ 'Lead Ref': 'id', Notes: '' })).toEqual({ 'Lead Ref': 'id' });
  });
  it('refuses two columns onto one name, also onto a documented column the file has; maps a comma header', () => {
    expect(mappingProblems(['A', 'B'], { A: 'id', B: 'id' })).toEqual(['"A" and "B" would both become id: keep one.']);
    expect(mappingProblems(['id', 'Ref'], { Ref: 'id' })).toHaveLength(1);
    expect(mappingProblems(['Name, full'], { 'Name, full': 'person_name' })).toEqual([]);
    expect(mappingProblems(['Name, full', 'id'], { 'Name, full': '' })).toEqual([]);
  });
});
