// The CSV side of the import screen: the documented lead columns (docs/leads.md), a small quote-aware reader for the
// header and the first rows (for the preview), and the column mapping a CRM-style export needs (decision 0099).

/** The CSV columns of docs/leads.md, in documented order. Any other column is ignored by the service. */
export const DOCUMENTED_COLUMNS = [
  'id',
  'person_name',
  'person_date_of_birth',
  'person_nationality',
  'company_name',
  'company_registration_country',
  'company_registration_number',
  'company_industry',
  'address_line1',
  'address_line2',
  'address_city',
  'address_subdivision',
  'address_postal_code',
  'address_country',
  'target_market',
  'kyc_prescreen_jurisdiction',
  'booking_entity',
  'customer_type',
  'net_worth_band',
  'kyc_status',
  'aml_documentation',
  'suitability_assessed',
  'products',
  'attributes',
  'screened_at',
  'screening_hits',
] as const;
export type DocumentedColumn = (typeof DOCUMENTED_COLUMNS)[number];

const DOCUMENTED = new Set<string>(DOCUMENTED_COLUMNS);
export const isDocumented = (column: string): boolean => DOCUMENTED.has(column);

/** Common CRM headers and the documented column they usually mean: only a first guess, the person confirms it. */
const ALIASES: Readonly<Record<string, DocumentedColumn>> = {
  lead_id: 'id',
  reference: 'id',
  external_id: 'id',
  company: 'company_name',
  account_name: 'company_name',
  organisation: 'company_name',
  organization: 'company_name',
  contact_name: 'person_name',
  full_name: 'person_name',
  name: 'person_name',
  street: 'address_line1',
  address: 'address_line1',
  city: 'address_city',
  state: 'address_subdivision',
  region: 'address_subdivision',
  postcode: 'address_postal_code',
  postal_code: 'address_postal_code',
  zip: 'address_postal_code',
  country: 'address_country',
  segment: 'customer_type',
  product: 'products',
  product_interests: 'products',
  kyc: 'kyc_status',
  aml: 'aml_documentation',
};

const normalise = (header: string): string =>
  header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** A first guess for an undocumented header: its normalised form if that is documented, else a known alias, else ''. */
export const suggestColumn = (header: string): DocumentedColumn | '' => {
  const key = normalise(header);
  if (DOCUMENTED.has(key)) return key as DocumentedColumn;
  return ALIASES[key] ?? '';
};

/** Reads up to `limit` records (the header counts as one) of CSV text: quotes, doubled quotes, CRLF, a leading BOM. */
export const readCsvRecords = (text: string, limit: number): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; index < text.length && records.length < limit; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(cell);
      cell = '';
      if (record.some((value) => value.trim() !== '')) records.push(record);
      record = [];
    } else cell += char;
  }
  if (records.length < limit && (cell !== '' || record.length > 0)) {
    record.push(cell);
    if (record.some((value) => value.trim() !== '')) records.push(record);
  }
  return records;
};

export type CsvPreview = { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };

/** The header row and the first `rows` data rows. */
export const previewCsv = (text: string, rows = 3): CsvPreview => {
  const [headers = [], ...body] = readCsvRecords(text, rows + 1);
  return { headers: headers.map((header) => header.trim()), rows: body };
};

/** For each undocumented header: the documented column chosen for it, or '' to leave it out (the service ignores it). */
export type ColumnChoices = Readonly<Record<string, DocumentedColumn | ''>>;

export const initialChoices = (headers: readonly string[]): ColumnChoices =>
  Object.fromEntries(
    headers.filter((header) => !isDocumented(header)).map((header) => [header, suggestColumn(header)]),
  );

/** The columnMapping to send: only the chosen columns (ignored ones are left out). */
export const mappingOf = (choices: ColumnChoices): Record<string, string> =>
  Object.fromEntries(Object.entries(choices).filter(([, target]) => target !== ''));

/** Problems that would make the import read the wrong data: two columns ending up with the same documented name. */
export const mappingProblems = (headers: readonly string[], choices: ColumnChoices): string[] => {
  const problems: string[] = [];
  const finalNames = new Map<string, string[]>();
  for (const header of headers) {
    const target = isDocumented(header) ? header : choices[header];
    if (target === undefined || target === '') continue;
    finalNames.set(target, [...(finalNames.get(target) ?? []), header]);
  }
  for (const [target, sources] of finalNames)
    if (sources.length > 1)
      problems.push(`${sources.map((source) => `"${source}"`).join(' and ')} would both become ${target}: keep one.`);
  return problems;
};
