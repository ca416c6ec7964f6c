// CSV reading for the importers: fields with whether they were quoted, each record with its line, errors as rejections.
import { CsvError, parse } from 'csv-parse/sync';
import { reject } from './rejection.ts';

export type CsvField = { readonly value: string; readonly quoted: boolean };
export type CsvRecord = { readonly fields: readonly CsvField[]; readonly line: number };

/** Parses CSV text strictly (bad quoting is an error) but lets records differ in length, so we can say which. */
export const readCsv = (fileName: string, text: string): CsvRecord[] => {
  try {
    const rows = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      cast: (value, context) => ({ value, quoted: context.quoting }),
    }) as unknown as { record: CsvField[]; info: { lines: number } }[];
    return rows.map((row) => ({ fields: row.record, line: row.info.lines }));
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return reject(fileName, line, `CSV syntax: ${error.message.replace(/^Invalid [^:]*: /, '')}`);
    }
    throw error;
  }
};

/**
 * OFAC's legacy CSV writes a null as "-0-", usually with a trailing space. The last field of a file sometimes
 * lost its final dash when the end-of-file mark was cut ("-0"); that is still a null.
 */
export const ofacValue = (field: CsvField | undefined): string | undefined => {
  if (field === undefined) return undefined;
  const value = field.value.trim();
  return value === '-0-' || value === '-0' || value === '' ? undefined : value;
};
