// A lead file sent over the api (leads.import, leads.startImport): its CSV columns renamed by the caller's mapping, its
// records read and validated, and the ImportResult the contract answers. Shared so both methods read files alike.
import type { ApiParsedRequest, ApiResponse } from '../../../../core/api/contract.ts';
import { readLeadRecords } from '../../leads/read-lead-file.ts';
import type { LeadRecordProblem, LocatedLead } from '../../leads/read-lead-file.ts';
import type { IntakeResult } from './intake.ts';

export type LeadImportRequest = ApiParsedRequest<'leads.import'>;
export type ImportResultDto = ApiResponse<'leads.import'>;

/** The records to import and the problems found reading them (line, field, message). */
export type ReadLeadImport = {
  readonly records: readonly LocatedLead[];
  readonly problems: readonly LeadRecordProblem[];
};

/**
 * Reads the file of an import request, each record judged on its own. A file with bad rows gives its problems and, in
 * "valid" mode, its good rows; in "all" mode no records, since nothing of it may land.
 */
export const readLeadImport = (request: LeadImportRequest): ReadLeadImport => {
  const read = readLeadRecords(request.content, request.fileName, request.format, {
    ...(request.format === 'csv' && request.columnMapping ? { columnMapping: request.columnMapping } : {}),
  });
  return {
    records: read.problems.length > 0 && request.mode === 'all' ? [] : read.leads,
    problems: read.problems,
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
