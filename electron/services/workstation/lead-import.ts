// A lead file sent over the api (leads.import, leads.startImport): its CSV columns renamed by the caller's mapping, its
// records read and validated, and the ImportResult the contract answers. Shared so both methods read files alike.
import { parse as parseCsv } from 'csv-parse/sync';
import type { ApiParsedRequest, ApiResponse } from '../../../core/api/contract.ts';
import { parseLeadCsv, parseLeadJsonLines } from '../leads/read-lead-file.ts';
import type { LeadRecordProblem, LocatedLead } from '../leads/read-lead-file.ts';
import type { IntakeResult } from './intake.ts';

export type LeadImportRequest = ApiParsedRequest<'leads.import'>;
export type ImportResultDto = ApiResponse<'leads.import'>;

/** The records to import and the problems found reading them (line, field, message). */
export type ReadLeadImport = {
  readonly records: readonly LocatedLead[];
  readonly problems: readonly LeadRecordProblem[];
};

// A header cell as CSV writes it: quoted when it holds a comma, a quote or a line break (quotes doubled).
const csvHeaderCell = (name: string): string => (/[",\r\n]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name);

/** Renames the header row's columns (read as CSV, so quoted names with commas work); the rows are left as they are. */
const applyColumnMapping = (content: string, mapping: Record<string, string> | undefined): string => {
  if (!mapping) return content;
  const newline = content.indexOf('\n');
  const header = newline === -1 ? content : content.slice(0, newline);
  let names: string[];
  try {
    names = (parseCsv(header.replace(/\r$/, ''), { bom: true, relax_column_count: true }) as string[][])[0] ?? [];
  } catch {
    return content; // an unreadable header is reported by the lead reader, with its line
  }
  const renamed = names.map((name) => csvHeaderCell(mapping[name.trim()] ?? name)).join(',');
  return newline === -1 ? renamed : `${renamed}\n${content.slice(newline + 1)}`;
};

const salvage = (content: string, format: 'csv' | 'jsonl', fileName: string): LocatedLead[] => {
  if (format === 'jsonl') {
    const lines = content.split('\n');
    return lines.flatMap((line, index) => {
      if (line.trim() === '') return [];
      const one = parseLeadJsonLines(line, fileName);
      return one.ok ? one.value.map((record) => ({ ...record, line: index + 1 })) : [];
    });
  }
  const newline = content.indexOf('\n');
  const header = content.slice(0, newline);
  const body = content.slice(newline + 1).split('\n');
  return body.flatMap((line, index) => {
    if (line.trim() === '') return [];
    const one = parseLeadCsv(`${header}\n${line}\n`, fileName);
    return one.ok ? one.value.map((record) => ({ ...record, line: index + 2 })) : [];
  });
};

/**
 * Reads the file of an import request. A file with bad rows gives its problems and, in "valid" mode, the good rows
 * (re-read one by one); in "all" mode no records, since nothing of it may land.
 */
export const readLeadImport = (request: LeadImportRequest): ReadLeadImport => {
  const content =
    request.format === 'csv' ? applyColumnMapping(request.content, request.columnMapping) : request.content;
  const parsed =
    request.format === 'csv' ? parseLeadCsv(content, request.fileName) : parseLeadJsonLines(content, request.fileName);
  if (parsed.ok) return { records: parsed.value, problems: [] };
  // In "valid" mode the good rows of a file with bad rows still land: re-read them one by one.
  return {
    records: request.mode === 'valid' ? salvage(content, request.format, request.fileName) : [],
    problems: parsed.error,
  };
};

/** What the contract answers for an import: the counts, the rejected rows and the routing outcomes. */
export const importResultOf = (
  result: Pick<IntakeResult, 'imported' | 'duplicates' | 'rejected' | 'decisions' | 'casesOpened'>,
): ImportResultDto => ({
  imported: result.imported,
  duplicates: result.duplicates,
  rejected: result.rejected.map((problem) => ({ line: problem.line, field: problem.field, message: problem.message })),
  decisions: { ...result.decisions },
  casesOpened: result.casesOpened,
});
