// Intake for large files: worker threads screen the next chunk of leads while this thread routes and persists the
// current one, so screening and the store's work overlap on a multi-core machine.
import { toRoutingScreening } from '../../../../core/screening/routing-input.ts';
import type { Lead } from '../../../../core/routing/lead.ts';
import type { BatchScreener } from '../../screening/batch.ts';
import type { LeadRecordProblem, LocatedLead } from '../../leads/read-lead-file.ts';
import { addIntake, emptyIntake, importLeads, startCheckpoints } from './intake.ts';
import type { ImportOptions, IntakeResult } from './intake.ts';
import { partiesOf } from './screener.ts';
import type { ScreenedWith } from './screener.ts';
import type { Session } from '../session/workstation.ts';

/** Screens every lead of a chunk (person and company) and sets its screening, keeping hits it arrived with. */
export const prescreenLeads = async (
  records: readonly LocatedLead[],
  screener: BatchScreener,
  at: string,
): Promise<LocatedLead[]> => {
  const parties = records.map((record) => partiesOf(record.lead));
  const results = await screener.screen(parties.flat());
  let offset = 0;
  return records.map((record, index) => {
    const own = results.slice(offset, offset + parties[index]!.length);
    offset += parties[index]!.length;
    const summary = toRoutingScreening(own, at);
    const lead: Lead = {
      ...record.lead,
      screening: {
        screenedAt: summary.screenedAt,
        hits: [...(record.lead.screening?.hits ?? []), ...summary.hits.map((hit) => ({ ...hit }))],
      },
    };
    return { line: record.line, lead };
  });
};

/**
 * The intake with screening on worker threads: chunk n+1 is screened while chunk n is persisted by importLeads (with
 * `screening: prescreened`), one transaction per chunk. Mode "valid" only.
 */
export const importLeadsPipelined = async (
  session: Session,
  records: readonly LocatedLead[],
  problems: readonly LeadRecordProblem[],
  screener: BatchScreener,
  options: Omit<ImportOptions, 'mode' | 'chunkSize' | 'screening'> & {
    readonly chunkSize?: number;
    /** The thresholds and list versions the workers screen with, for the lead.screened entries. */
    readonly screenedWith?: ScreenedWith | null;
  },
): Promise<IntakeResult> => {
  const chunkSize = options.chunkSize ?? 1_000;
  const chunks: LocatedLead[][] = [];
  for (let i = 0; i < records.length; i += chunkSize) chunks.push(records.slice(i, i + chunkSize));
  const at = (): string => session.workstation.deps.now().toISOString();
  const totals = emptyIntake(problems);
  const screening = { kind: 'prescreened', screenedWith: options.screenedWith ?? null } as const;
  let next = chunks.length > 0 ? prescreenLeads(chunks[0]!, screener, at()) : null;
  // One background checkpointer for the whole run (decision 0049), not one per chunk: the caller's, when it imports in
  // several calls (starting one costs a worker and a connection: about a third of a second here).
  const own = options.checkpoints === undefined && chunks.length > 1 ? startCheckpoints(session.workstation) : null;
  const checkpoints = options.checkpoints === undefined ? own : options.checkpoints;
  try {
    for (let index = 0; index < chunks.length; index += 1) {
      const screened = await next!;
      next = index + 1 < chunks.length ? prescreenLeads(chunks[index + 1]!, screener, at()) : null;
      const { onProgress: _progress, screenedWith: _with, checkpoints: _given, ...rest } = options;
      addIntake(
        totals,
        importLeads(session, screened, [], { ...rest, mode: 'valid', chunkSize, checkpoints, screening }),
      );
      options.onProgress?.(Math.min((index + 1) * chunkSize, records.length), records.length);
    }
  } finally {
    own?.stop();
  }
  return totals;
};
