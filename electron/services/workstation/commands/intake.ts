// Intake: the one way leads come in (the CLI, the api's import and single lead, import jobs, the pipelined bulk path).
// Each lead is tagged, screened and routed per product interest, then persisted with its audit entries and cases, one
// transaction per chunk. Screening is a parameter: our own screener in the transaction, leads screened before the call
// (on worker threads, or outside the write lock), or none. Idempotent on (source system, source id).
import { decisionRowOf } from '../../../../core/routing/decision-row.ts';
import { hasPermission } from '../../../../core/access/roles.ts';
import { openCaseFor, scopeJurisdictionOf } from '../../../../core/cases/case.ts';
import { caseIdOf, intakeCaseIds, LEAD_INTAKE_PAYLOAD_VERSION } from '../../../../core/cases/intake-case-ids.ts';
import { leadResidency } from '../../../../core/policy/residency.ts';
import type { Lead } from '../../../../core/routing/lead.ts';
import { startRoutingRun } from '../../../../core/routing/route.ts';
import { auditTraceOf } from '../../../../core/routing/audit-trace.ts';
import { intakePathsOf } from '../../../../core/routing/intake-paths.ts';
import type { RoutingDecision, RoutingRun, RoutingState } from '../../../../core/routing/route.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { factsOf, leadFromRecord, personalDataOf, regimeFor } from '../../../../core/intake/lead-record.ts';
import type { ScreeningSummary } from '../../../../core/routing/lead.ts';
import { regimeOfSubject } from '../../audit/audit-log.ts';
import { personalDataAt } from '../projection/projector.ts';
import { currentRoutingState } from '../projection/routing-state.ts';
import type { LocatedLead, LeadRecordProblem } from '../../leads/read-lead-file.ts';
import type { Database } from '../../store/database.ts';
import { statement } from '../../store/statements.ts';
import { startBackgroundCheckpointer } from '../../store/checkpointer.ts';
import type { BackgroundCheckpointer } from '../../store/checkpointer.ts';
import { refuseOtherRegions } from './residency-guard.ts';
import { screenedWithOf } from './screener.ts';
import type { ScreenedWith } from './screener.ts';
import { actorOf, commit, newLeadId, WorkstationError } from '../session/workstation.ts';
import type {
  ActivePolicy,
  Appender,
  CommandEvent,
  LeadScreener,
  Session,
  Workstation,
} from '../session/workstation.ts';

export type IntakeSource = 'file' | 'form' | 'sync' | 'api';

export type IntakeResult = {
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: readonly LeadRecordProblem[];
  readonly decisions: Readonly<Record<string, number>>;
  readonly casesOpened: number;
  readonly paths: readonly RoutedPath[];
  /** The leads imported, each with the internal id intake gave it. */
  readonly leads: readonly IngestedLead[];
};

/** A lead intake took in: the source system's id for it and its internal id (decision 0178). */
export type IngestedLead = { readonly sourceId: string; readonly leadId: string };

export type RoutedPath = { readonly decision: RoutingDecision; readonly caseId: string | null };

/** Rebuilds the full lead for re-routing: facts from the projection, personal data from beside the log. */
export const leadFromStore = (db: Database, leadId: string): Lead => {
  const row = statement<[string], { facts: string; screening: string | null; ingested_seq: number }>(
    db,
    'SELECT facts, screening, ingested_seq FROM leads WHERE id = ?',
  ).get(leadId);
  if (!row) throw new WorkstationError('not_found', `lead ${leadId} does not exist`);
  return leadFromRecord(
    leadId,
    JSON.parse(row.facts) as Record<string, unknown>,
    personalDataAt(db, row.ingested_seq) as Record<string, unknown> | null,
    row.screening ? (JSON.parse(row.screening) as ScreeningSummary) : undefined,
  );
};

/** What a screening found, as lead.screened and lead.intake record it. */
const screeningOutcomeOf = (screening: ScreeningSummary): 'strong' | 'potential' | 'clear' =>
  screening.hits.some((hit) => hit.strength === 'strong')
    ? 'strong'
    : screening.hits.length > 0
      ? 'potential'
      : 'clear';

/**
 * The lead.screened entry for a screening: the hits in the hashed payload without the listed entries' names, which go
 * beside the log as the lead's personal data (decision 0141).
 */
export const screenedEntry = (
  db: Database,
  actor: string,
  leadId: string,
  screening: ScreeningSummary,
  extra: {
    readonly outcome?: 'cleared';
    readonly clearedBy?: string;
    readonly extraSubjects?: readonly string[];
    readonly screenedWith?: ScreenedWith | null;
  } = {},
): CommandEvent => {
  const subject = `lead:${leadId}`;
  return {
    actor,
    type: 'lead.screened',
    subjects: [subject, ...(extra.extraSubjects ?? [])],
    payload: {
      pv: PAYLOAD_VERSION,
      leadId,
      outcome: extra.outcome ?? screeningOutcomeOf(screening),
      screening: {
        screenedAt: screening.screenedAt,
        hits: screening.hits.map(({ entryName: _name, ...hit }) => hit),
      },
      ...(extra.clearedBy === undefined ? {} : { clearedBy: extra.clearedBy }),
      ...(extra.screenedWith
        ? {
            thresholds: { ...extra.screenedWith.thresholds },
            listVersions: extra.screenedWith.listVersions.map((list) => ({ ...list })),
          }
        : {}),
    },
    ...(screening.hits.length > 0
      ? {
          personalData: {
            subject,
            regime: regimeOfSubject(db, subject),
            data: { entryNames: screening.hits.map((hit) => hit.entryName) },
          },
        }
      : {}),
  };
};

/** The routing state routing starts from: the transaction's one copy, kept in step by the projector. */
export const loadRoutingState = (db: Database): RoutingState => currentRoutingState(db);

/** The list versions the workstation screens against now (none without lists): recorded with each decision. */
export const listVersionsInForce = (
  workstation: Workstation,
): readonly { readonly listId: string; readonly version: string }[] => workstation.screener?.listVersions ?? [];

/** Appends one routing decision and the case it opens (if it is a refusal). */
export const recordDecision = (
  append: Appender,
  policy: ActivePolicy,
  decision: RoutingDecision,
  cursorOf: (teamId: string) => number,
  actor: string,
  /** More subjects for both entries: a re-screening run names itself (monitoring:<run>). */
  extraSubjects: readonly string[] = [],
  /** The list versions in force on this device when it decided (decision 0255); omitted by older callers. */
  listVersions?: readonly { readonly listId: string; readonly version: string }[],
): RoutedPath => {
  const { outcome } = decision;
  const { leadId, productId, ...row } = decisionRowOf(decision);
  const routed = append({
    actor,
    type: 'routing.decided',
    subjects: [`lead:${decision.leadId}`, ...extraSubjects],
    payload: {
      pv: PAYLOAD_VERSION,
      leadId,
      productId,
      ...row,
      jurisdiction: decision.trace.jurisdiction.jurisdiction,
      ruleVersion: decision.ruleVersion,
      ...(listVersions === undefined ? {} : { listVersions: listVersions.map((list) => ({ ...list })) }),
      cursor: outcome.kind === 'assigned' ? { teamId: outcome.teamId, next: cursorOf(outcome.teamId) } : null,
      notifications: decision.notifications.map((notification) => ({ ...notification })),
      trace: auditTraceOf(decision),
    },
  });
  const opened = openCaseFor(decision, policy.loaded.policy.cases, caseIdOf(routed.entry.log, routed.sequence));
  if (!opened) return { decision, caseId: null };
  append({
    actor,
    type: 'case.opened',
    subjects: [`case:${opened.id}`, `lead:${opened.leadId}`, ...extraSubjects],
    payload: {
      pv: PAYLOAD_VERSION,
      caseId: opened.id,
      queue: opened.type,
      leadId: opened.leadId,
      productId: opened.productId,
      reason: opened.reason,
      risk: opened.risk,
      jurisdiction: opened.jurisdiction,
      ruleVersion: opened.ruleVersion,
      openedAt: opened.openedAt,
      slaDueAt: opened.slaDueAt,
      decisionSequence: String(routed.sequence),
    },
  });
  return { decision, caseId: opened.id };
};

/** How the leads of one intake call are screened (decision 0143). */
export type IntakeScreening =
  /** By the workstation's own screener (when lists are loaded), inside the transaction. */
  | { readonly kind: 'own' }
  /** Before this call (by worker threads, or outside the write lock): the thresholds and list versions it used. */
  | { readonly kind: 'prescreened'; readonly screenedWith: ScreenedWith | null }
  /** Not by Perimeter: the leads keep only the screening they arrived with. */
  | { readonly kind: 'none' };

/**
 * Screens records outside any transaction with the workstation's screener (pure), for an intake that must hold the
 * write lock for the writing only: the records and what they were screened with, for `{ kind: 'prescreened' }`.
 */
export const prescreenWithOwn = (
  screener: LeadScreener,
  records: readonly LocatedLead[],
  at: string,
  policy: ActivePolicy,
): { readonly records: LocatedLead[]; readonly screenedWith: ScreenedWith } => ({
  records: records.map((record) => ({ line: record.line, lead: withOwnScreening(screener, record.lead, at, policy) })),
  screenedWith: screenedWithOf(policy.loaded.policy.screening, screener.listVersions),
});

/**
 * The lead with our own screening of its parties (when lists are loaded). Our screening never drops a hit the record
 * arrived with (from an upstream system): both are kept. Pure given the screener, so it may run outside a transaction.
 */
export const withOwnScreening = (screener: LeadScreener | null, lead: Lead, at: string, policy: ActivePolicy): Lead => {
  const ours = screener ? screener(lead, at, policy.loaded.policy.screening) : undefined;
  const screening =
    ours === undefined
      ? lead.screening
      : { screenedAt: ours.screenedAt, hits: [...(lead.screening?.hits ?? []), ...ours.hits] };
  return screening === undefined ? lead : { ...lead, screening };
};

/** Tags, screens, routes and persists one lead inside the caller's transaction. */
const ingestOne = (
  workstation: Workstation,
  append: Appender,
  policy: ActivePolicy,
  input: {
    readonly lead: Lead;
    readonly sourceSystem: string;
    readonly source: IntakeSource;
    readonly screening: IntakeScreening;
  },
  run: RoutingRun,
  actor: string,
): { readonly leadId: string; readonly paths: RoutedPath[] } => {
  const at = workstation.deps.now().toISOString();
  const own = input.screening.kind === 'own' ? workstation.screener : null;
  // The record's id is the source system's: the lead gets its own pseudonymous id, and the source id goes beside the log.
  const sourceId = input.lead.id;
  const given = { ...input.lead, id: newLeadId(workstation.deps) };
  const lead = own ? withOwnScreening(own, given, at, policy) : given;
  // What our own screening used (decision 0127): the policy's thresholds and the list versions, for the auditor.
  const screenedWith = own
    ? screenedWithOf(policy.loaded.policy.screening, own.listVersions)
    : input.screening.kind === 'prescreened'
      ? input.screening.screenedWith
      : null;
  const decisions = run.route(lead, at);
  const subject = `lead:${lead.id}`;
  // Scoped like its cases: the tag, else the resolved evidence (a DIFC address is AE-DIFC, not its country AE).
  const scope =
    (decisions[0] ? scopeJurisdictionOf(decisions[0]) : null) ??
    lead.address?.country ??
    lead.kycPrescreenJurisdiction ??
    null;
  const residency = leadResidency(policy.loaded.policy, policy.compiled.vocabulary, {
    jurisdiction: scope,
    bookingEntity: lead.bookingEntity,
  });
  // One entry for the lead (decision 0263): ingestion, screening and every path's decision; the projector derives
  // the cases the refusals open from it.
  const { tagging, paths } = intakePathsOf(decisions, policy.loaded.policy, policy.loaded.policy.cases, run.cursorOf);
  const screening = lead.screening;
  const appended = append({
    actor,
    type: 'lead.intake',
    subjects: [subject],
    payload: {
      pv: LEAD_INTAKE_PAYLOAD_VERSION,
      leadId: lead.id,
      source: input.source,
      sourceSystem: input.sourceSystem,
      facts: factsOf(lead),
      scope,
      ...(residency ? { residency: { ...residency, markets: [...residency.markets] } } : {}),
      screening: screening
        ? {
            outcome: screeningOutcomeOf(screening),
            screening: {
              screenedAt: screening.screenedAt,
              hits: screening.hits.map(({ entryName: _name, ...hit }) => hit),
            },
            ...(screenedWith
              ? {
                  thresholds: { ...screenedWith.thresholds },
                  listVersions: screenedWith.listVersions.map((list) => ({ ...list })),
                }
              : {}),
          }
        : null,
      ruleVersion: decisions[0]?.ruleVersion ?? policy.loaded.version,
      decidedAt: decisions[0]?.decidedAt ?? at,
      ...(tagging === undefined ? {} : { tagging }),
      paths,
    },
    personalData: {
      subject,
      regime: regimeFor(policy.loaded.policy, decisions),
      data: {
        ...personalDataOf(lead, sourceId),
        ...(screening && screening.hits.length > 0 ? { entryNames: screening.hits.map((hit) => hit.entryName) } : {}),
      },
    },
  });
  const caseIds = intakeCaseIds(
    { log: appended.entry.log, sequence: appended.sequence, pv: LEAD_INTAKE_PAYLOAD_VERSION },
    paths,
  );
  return {
    leadId: lead.id,
    paths: decisions.map((decision, index) => ({ decision, caseId: caseIds[index] ?? null })),
  };
};

/**
 * Whether a source system's lead is here already: by (source system, source id), which the projection holds beside the
 * internal id. An erased lead's source id is gone, so a later import of it is a new lead (decision 0178).
 */
const isDuplicate = (db: Database, sourceSystem: string, sourceId: string): boolean =>
  statement<[string, string], { id: string }>(db, 'SELECT id FROM leads WHERE source_system = ? AND source_id = ?').get(
    sourceSystem,
    sourceId,
  ) !== undefined;

export type ImportOptions = {
  readonly sourceSystem: string;
  /** all: every row lands or none does; valid: bad rows are reported, the rest land. */
  readonly mode: 'all' | 'valid';
  readonly source?: IntakeSource;
  /** Progress for long imports: called after each chunk with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Leads per transaction in `valid` mode (all-or-nothing imports are one transaction). */
  readonly chunkSize?: number;
  /**
   * The background checkpointer of a caller that imports in several calls (pipeline.ts); null for none. By default an
   * import of more than one chunk starts its own.
   */
  readonly checkpoints?: BackgroundCheckpointer | null;
  /** How the leads are screened; by default the workstation's own screener. */
  readonly screening?: IntakeScreening;
};

/** Starts the workstation's background checkpointer for a long write run (decision 0049); null when there is none. */
export const startCheckpoints = (workstation: Workstation): BackgroundCheckpointer | null => {
  const factory =
    workstation.deps.checkpointer === undefined ? startBackgroundCheckpointer : workstation.deps.checkpointer;
  return factory ? factory(workstation.db, workstation.path, workstation.key()) : null;
};

/** Running totals of an intake: what the chunks (or runs) so far imported. */
export type IntakeTotals = {
  imported: number;
  duplicates: number;
  readonly rejected: LeadRecordProblem[];
  readonly decisions: Record<string, number>;
  casesOpened: number;
  readonly paths: RoutedPath[];
  readonly leads: IngestedLead[];
};

/** An intake that has not imported anything yet: the problems found reading the records. */
export const emptyIntake = (problems: readonly LeadRecordProblem[] = []): IntakeTotals => ({
  imported: 0,
  duplicates: 0,
  rejected: [...problems],
  decisions: {},
  casesOpened: 0,
  paths: [],
  leads: [],
});

/** The one way the results of intake calls (chunks, or runs) add up. */
export const addIntake = (into: IntakeTotals, more: IntakeResult): IntakeTotals => {
  into.imported += more.imported;
  into.duplicates += more.duplicates;
  into.casesOpened += more.casesOpened;
  into.rejected.push(...more.rejected);
  for (const [kind, count] of Object.entries(more.decisions))
    into.decisions[kind] = (into.decisions[kind] ?? 0) + count;
  for (const path of more.paths) into.paths.push(path);
  for (const lead of more.leads) into.leads.push(lead);
  return into;
};

const resultOf = (
  paths: readonly RoutedPath[],
  leads: readonly IngestedLead[],
  counts: { readonly imported: number; readonly duplicates: number; readonly rejected: readonly LeadRecordProblem[] },
): IntakeResult => {
  const decisions: Record<string, number> = {};
  for (const { decision } of paths) decisions[decision.outcome.kind] = (decisions[decision.outcome.kind] ?? 0) + 1;
  return {
    ...counts,
    decisions,
    casesOpened: paths.filter((path) => path.caseId !== null).length,
    paths,
    leads,
  };
};

/**
 * Imports validated lead records (and the problems found while reading them) as the signed-in user: the one intake
 * function. Chunks of `chunkSize` leads, each one transaction ("all": one chunk, so all land or none).
 */
export const importLeads = (
  session: Session,
  given: readonly LocatedLead[],
  readProblems: readonly LeadRecordProblem[],
  options: ImportOptions,
): IntakeResult => {
  const { workstation, user } = session;
  if (!hasPermission(user, 'lead.create')) throw new WorkstationError('forbidden', `${user.id} may not add leads`);
  if (options.mode === 'all' && readProblems.length > 0) return emptyIntake(readProblems);
  // A workstation pinned to a region refuses other regions' leads first (decision 0270); in mode "all" none lands then.
  const screened = refuseOtherRegions(session, given, {
    sourceSystem: options.sourceSystem,
    source: options.source ?? 'file',
  });
  const problems = [...readProblems, ...screened.refused];
  if (options.mode === 'all' && screened.refused.length > 0) return emptyIntake(problems);
  const records = screened.records;
  const policy = workstation.policy();
  const actor = actorOf(user);
  const screening = options.screening ?? { kind: 'own' };
  const total = emptyIntake(problems);
  const chunkSize = options.mode === 'all' ? Math.max(records.length, 1) : (options.chunkSize ?? 500);
  const ownCheckpoints =
    options.checkpoints === undefined && records.length > chunkSize ? startCheckpoints(workstation) : null;
  const checkpoints = options.checkpoints ?? ownCheckpoints;
  try {
    for (let offset = 0; offset < records.length; offset += chunkSize) {
      const chunk = records.slice(offset, offset + chunkSize);
      const chunkResult = commit(workstation, (append) => {
        const run = startRoutingRun(policy.compiled, loadRoutingState(workstation.db));
        const paths: RoutedPath[] = [];
        const leads: IngestedLead[] = [];
        let imported = 0;
        let duplicates = 0;
        const rejected: LeadRecordProblem[] = [];
        for (const { lead } of chunk) {
          if (isDuplicate(workstation.db, options.sourceSystem, lead.id)) {
            duplicates += 1;
            continue;
          }
          const ingested = ingestOne(
            workstation,
            append,
            policy,
            { lead, sourceSystem: options.sourceSystem, source: options.source ?? 'file', screening },
            run,
            actor,
          );
          paths.push(...ingested.paths);
          leads.push({ sourceId: lead.id, leadId: ingested.leadId });
          imported += 1;
        }
        return resultOf(paths, leads, { imported, duplicates, rejected });
      });
      addIntake(total, chunkResult);
      checkpoints?.request();
      options.onProgress?.(Math.min(offset + chunk.length, records.length), records.length);
    }
  } finally {
    ownCheckpoints?.stop();
  }
  return total;
};

/** Re-routes some of a lead's product paths (after a screening hit is cleared, for example), inside a transaction. */
export const reroutePaths = (
  workstation: Workstation,
  append: Appender,
  lead: Lead,
  productIds: readonly string[],
  actor: string,
): RoutedPath[] => {
  const policy = workstation.policy();
  const at = workstation.deps.now().toISOString();
  const run = startRoutingRun(policy.compiled, loadRoutingState(workstation.db));
  return run
    .route({ ...lead, productInterests: [...productIds] }, at)
    .map((decision) =>
      recordDecision(append, policy, decision, run.cursorOf, actor, [], listVersionsInForce(workstation)),
    );
};
