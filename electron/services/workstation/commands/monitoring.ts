// Ongoing monitoring (decisions 0193–0195): after a list update, the leads already here are re-screened against what
// the new version added or changed, a chunk of leads per transaction, as `system:monitoring`. Each chunk reads the
// leads' parties from beside the log (one `personal_data.bulk_read` entry for the chunk, in its transaction), screens
// them against an index of the delta only, raises new hits (`lead.screened`, then routing's screening gate refuses the
// lead's live paths into review, opening cases), records hits the allow-list holds (`screening.hit_suppressed`), and
// resolves open hits on entries the list no longer holds (`screening.hits_resolved`).
import { createHash } from 'node:crypto';
import { leadFromRecord } from '../../../../core/intake/lead-record.ts';
import { DEFAULT_ALLOW_LIST_REVIEW_DAYS } from '../../../../core/policy/schema.ts';
import type { Lead, ScreeningHit, ScreeningSummary } from '../../../../core/routing/lead.ts';
import { startRoutingRun } from '../../../../core/routing/route.ts';
import { sameHit } from '../../../../core/screening/case-hits.ts';
import {
  allowKey,
  deltaIndex,
  entryContentVersion,
  listDelta,
  sortRescreened,
} from '../../../../core/screening/monitoring.ts';
import type { ListDelta, MonitoringHit } from '../../../../core/screening/monitoring.ts';
import { screenParty } from '../../../../core/screening/screen.ts';
import type { Party, PartyResult } from '../../../../core/screening/screen.ts';
import { startBatchScreener } from '../../screening/batch.ts';
import { availableParallelism } from 'node:os';
import type { ListEntry } from '../../../../core/screening/model.ts';
import { versionIdOf } from '../../../../core/screening/version.ts';
import { canonicalJsonBytes } from '../../../../core/shared/canonical-json.ts';
import { nativeSha256 } from '../../lists/store.ts';
import type { ImportOutcome } from '../../lists/store.ts';
import { readSnapshotSync } from '../../lists/staging.ts';
import { statement } from '../../store/statements.ts';
import type { Database } from '../../store/database.ts';
import { listVersionsInForce, loadRoutingState, recordDecision, screenedEntry } from './intake.ts';
import { partiesOf } from './screener.ts';
import { commit, WorkstationError } from '../session/workstation.ts';
import type { Appender, Workstation } from '../session/workstation.ts';

/** Who re-screens: the system, for the monitoring purpose, started by a user's list import. */
export const MONITORING_ACTOR = 'system:monitoring';
/** Leads per chunk: one transaction, one bulk read entry. */
export const MONITORING_CHUNK = 1_000;
/** The fields of a lead's record monitoring uses: its parties to screen, its attributes when it must be routed again. */
export const MONITORING_FIELDS = ['address', 'attributes', 'company', 'person'] as const;

/** Product paths routing may still decide; rejected, blocked and expansion-pursued paths were ended by a review. */
const LIVE_OUTCOMES: ReadonlySet<string> = new Set(['assigned', 'held', 'waiting_for_capacity', 'refused']);

export type MonitoringCounts = {
  readonly leads: number;
  readonly leadsWithHits: number;
  readonly hits: number;
  readonly suppressed: number;
  readonly resolved: number;
  readonly casesOpened: number;
};

export type RunState = 'running' | 'done' | 'stopped';

/** What a run has done so far (or in all, once it ended). */
export type RunProgress = MonitoringCounts & {
  readonly runId: string;
  readonly listId: string;
  readonly version: string;
  readonly state: RunState;
  readonly stopReason: string | null;
  readonly total: number;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
};

const subjectOf = (runId: string): string => `monitoring:${runId}`;

/** The leads a run re-screens: ingested before it started, still active, their record still held. */
const countLeadsToScreen = (db: Database, through: number): number =>
  statement<[number], number>(
    db,
    `SELECT count(*) FROM leads l JOIN audit_personal_data p ON p.sequence = l.ingested_seq
     WHERE l.ingested_seq <= ? AND l.status = 'active' AND p.data IS NOT NULL`,
  )
    .pluck()
    .get(through) ?? 0;

/**
 * Appends `monitoring.started` for a list version just activated, inside the caller's command (after its
 * `list.imported`), and returns the run's id. The leads to re-screen are those ingested before this entry.
 */
export const appendMonitoringStarted = (
  workstation: Workstation,
  append: Appender,
  outcome: ImportOutcome,
  requestedBy: string,
): string => {
  const { db } = workstation;
  const next = db.prepare<[], number>('SELECT coalesce(max(sequence), -1) + 1 FROM audit_entries').pluck().get() ?? 0;
  const runId = `M-${next}`;
  const screening = workstation.policy().loaded.policy.screening;
  append({
    actor: MONITORING_ACTOR,
    type: 'monitoring.started',
    subjects: [subjectOf(runId), `list:${outcome.version.listId}`],
    payload: {
      run: runId,
      list: outcome.version.listId,
      version: outcome.version.contentSha256,
      label: outcome.version.version,
      previous: outcome.previous?.contentSha256 ?? null,
      added: outcome.diff.added.length,
      changed: outcome.diff.changed.length,
      removed: outcome.diff.removed.length,
      leads: countLeadsToScreen(db, next - 1),
      ingestedThrough: String(Math.max(0, next - 1)),
      thresholds: { potential: screening.potentialMatchThreshold, strong: screening.strongMatchThreshold },
      requestedBy,
    },
  });
  return runId;
};

export type RunRow = {
  id: string;
  list_id: string;
  version: string;
  content_sha256: string;
  previous_sha256: string | null;
  added: number;
  changed: number;
  removed: number;
  leads_total: number;
  ingested_through: number;
  requested_by: string;
  started_at: string;
  started_seq: number;
  state: RunState;
  stop_reason: string | null;
  leads_read: number;
  read_through: number | null;
  leads_with_hits: number;
  hits: number;
  suppressed: number;
  resolved: number;
  cases_opened: number;
  completed_at: string | null;
};

export const runRow = (db: Database, runId: string): RunRow | undefined =>
  statement<[string], RunRow>(db, 'SELECT * FROM monitoring_runs WHERE id = ?').get(runId);

/** A run as the projection records it: its counts add up its entries as they land, across the chunks committed. */
export const progressOf = (row: RunRow): RunProgress => ({
  runId: row.id,
  listId: row.list_id,
  version: row.version,
  state: row.state,
  stopReason: row.stop_reason,
  total: row.leads_total,
  added: row.added,
  changed: row.changed,
  removed: row.removed,
  leads: row.leads_read,
  leadsWithHits: row.leads_with_hits,
  hits: row.hits,
  suppressed: row.suppressed,
  resolved: row.resolved,
  casesOpened: row.cases_opened,
  startedAt: row.started_at,
  finishedAt: row.completed_at,
});

/** The thresholds the run screens with: those its `monitoring.started` entry recorded (the policy's at its start). */
const thresholdsOf = (db: Database, row: RunRow): { potential: number; strong: number } => {
  const canonical = statement<[number], Buffer>(db, 'SELECT canonical FROM audit_entries WHERE sequence = ?')
    .pluck()
    .get(row.started_seq);
  if (canonical === undefined) throw new WorkstationError('not_found', `run ${row.id} has no monitoring.started entry`);
  return (JSON.parse(canonical.toString('utf8')) as { payload: { thresholds: { potential: number; strong: number } } })
    .payload.thresholds;
};

/** The run's delta: the versions it compares, read from the list directory (each checked against its hash). */
export const deltaOfRun = (listsDir: string, row: RunRow): ListDelta => {
  const next = readSnapshotSync(listsDir, row.list_id, row.version);
  if (next === undefined)
    throw new WorkstationError('not_found', `list ${row.list_id} version ${row.version} is not in the list directory`);
  const previousId = row.previous_sha256 === null ? null : versionIdOf(row.previous_sha256);
  const previous = previousId === null ? undefined : readSnapshotSync(listsDir, row.list_id, previousId);
  if (previousId !== null && previous === undefined)
    throw new WorkstationError(
      'not_found',
      `list ${row.list_id} version ${previousId} (the one replaced) is not in the list directory`,
    );
  return listDelta(previous, next);
};

type ScreeningJson = { screenedAt: string; hits: ScreeningHit[] };

/** Resolves the open hits of every lead on entries the new version no longer lists; one transaction per 500 leads. */
const resolveRemoved = (workstation: Workstation, row: RunRow, delta: ListDelta): void => {
  if (delta.removed.length === 0) return;
  const removed = new Set<string>(delta.removed);
  const { db } = workstation;
  const affected = statement<[string], { id: string; screening: string }>(
    db,
    'SELECT id, screening FROM leads WHERE screening IS NOT NULL AND instr(screening, ?) > 0 ORDER BY ingested_seq',
  )
    .all(`"listId":${JSON.stringify(row.list_id)}`)
    .map((lead) => ({
      leadId: lead.id,
      hits: (JSON.parse(lead.screening) as ScreeningJson).hits.filter(
        (hit) => !hit.cleared && hit.listId === row.list_id && removed.has(hit.entryId),
      ),
    }))
    .filter((lead) => lead.hits.length > 0);
  for (let offset = 0; offset < affected.length; offset += 500)
    commit(workstation, (append) => {
      for (const { leadId, hits } of affected.slice(offset, offset + 500)) {
        const unique = hits.filter((hit, index) => hits.findIndex((other) => sameHit(other, hit)) === index);
        append({
          actor: MONITORING_ACTOR,
          type: 'screening.hits_resolved',
          subjects: [`lead:${leadId}`, subjectOf(row.id)],
          payload: {
            leadId,
            run: row.id,
            reason: 'entry_removed',
            list: row.list_id,
            version: row.content_sha256,
            hits: unique.map((hit) => ({ listId: hit.listId, entryId: hit.entryId, listVersion: hit.listVersion })),
          },
        });
      }
    });
};

type LeadRow = { id: string; facts: string; screening: string | null; seq: number; data: Buffer };

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** An allow-list row of the run's list: the case that cleared it and when. */
type Allowed = {
  readonly caseId: string;
  readonly clearedAt: string;
  readonly entryId: string;
  readonly entryVersion: string;
};

/** The allow-list of the run's list, by lead: allowKey → the row. */
const allowListOf = (db: Database, listId: string): Map<string, Map<string, Allowed>> => {
  const byLead = new Map<string, Map<string, Allowed>>();
  for (const entry of statement<
    [string],
    { lead_id: string; entry_id: string; entry_version: string; case_id: string; cleared_at: string }
  >(db, 'SELECT lead_id, entry_id, entry_version, case_id, cleared_at FROM screening_allow_list WHERE list_id = ?').all(
    listId,
  )) {
    let keys = byLead.get(entry.lead_id);
    if (keys === undefined) byLead.set(entry.lead_id, (keys = new Map()));
    keys.set(allowKey({ listId, entryId: entry.entry_id, entryVersion: entry.entry_version }), {
      caseId: entry.case_id,
      clearedAt: entry.cleared_at,
      entryId: entry.entry_id,
      entryVersion: entry.entry_version,
    });
  }
  return byLead;
};

const DAY_MS = 86_400_000;

/** The policy's review period of an allow-list row, in days (decision 0197). */
const allowListReviewDays = (workstation: Workstation): number =>
  workstation.policy().loaded.policy.screening.allowListReviewDays ?? DEFAULT_ALLOW_LIST_REVIEW_DAYS;

/** Splits a lead's allow-list into the rows that still hold hits back and those past their review date. */
const splitExpired = (
  allowed: ReadonlyMap<string, Allowed>,
  cutoff: string,
): { current: Map<string, Allowed>; expired: Map<string, Allowed> } => {
  const current = new Map<string, Allowed>();
  const expired = new Map<string, Allowed>();
  for (const [key, row] of allowed) (row.clearedAt <= cutoff ? expired : current).set(key, row);
  return { current, expired };
};

const EMPTY = new Map<string, Allowed>();

type ChunkContext = {
  readonly workstation: Workstation;
  readonly row: RunRow;
  readonly entries: ReadonlyMap<string, ListEntry>;
  readonly thresholds: { readonly potential: number; readonly strong: number };
  readonly versionOf: (entry: ListEntry) => string;
  readonly chunkSize: number;
};

/** A chunk of leads read for screening: their rows, their records' data, and their parties (per lead). */
type ReadChunk = {
  readonly leads: readonly LeadRow[];
  readonly data: readonly Record<string, unknown>[];
  readonly parties: readonly Party[][];
  readonly lastSeq: number;
};

const storedHit = ({ entryVersion: _version, ...hit }: MonitoringHit): ScreeningHit => ({ ...hit });

/**
 * Routes the lead's live paths again with its new hits (the screening gate refuses them into review, opening a case),
 * except a path already refused into that queue with a case still open: that case now shows the new hit too.
 */
const rerouteLivePaths = (workstation: Workstation, append: Appender, lead: Lead, at: string, runId: string): void => {
  const { db } = workstation;
  const paths = statement<[string], { product_id: string; outcome: string; queue: string | null }>(
    db,
    'SELECT product_id, outcome, queue FROM product_paths WHERE lead_id = ? ORDER BY product_id',
  )
    .all(lead.id)
    .filter((path) => LIVE_OUTCOMES.has(path.outcome));
  if (paths.length === 0) return;
  const openCases = statement<[string], { product_id: string; type: string }>(
    db,
    "SELECT product_id, type FROM cases WHERE lead_id = ? AND status <> 'closed'",
  ).all(lead.id);
  const policy = workstation.policy();
  const run = startRoutingRun(policy.compiled, loadRoutingState(db));
  for (const decision of run.route({ ...lead, productInterests: paths.map((path) => path.product_id) }, at)) {
    const current = paths.find((path) => path.product_id === decision.productId);
    const { outcome } = decision;
    if (
      outcome.kind === 'refused' &&
      current?.outcome === 'refused' &&
      current.queue === outcome.queue &&
      openCases.some((kase) => kase.product_id === decision.productId && kase.type === outcome.queue)
    )
      continue;
    recordDecision(
      append,
      policy,
      decision,
      run.cursorOf,
      MONITORING_ACTOR,
      [subjectOf(runId)],
      listVersionsInForce(workstation),
    );
  }
};

/** The next leads to re-screen after `after` (by ingestion): their rows and records, parsed, and their parties. */
const readChunk = (context: ChunkContext, after: number): ReadChunk | null => {
  const { db } = context.workstation;
  const leads = statement<[number, number, number], LeadRow>(
    db,
    `SELECT l.id, l.facts, l.screening, l.ingested_seq AS seq, p.data FROM leads l
     JOIN audit_personal_data p ON p.sequence = l.ingested_seq
     WHERE l.ingested_seq > ? AND l.ingested_seq <= ? AND l.status = 'active' AND p.data IS NOT NULL
     ORDER BY l.ingested_seq LIMIT ?`,
  ).all(after, context.row.ingested_through, context.chunkSize);
  if (leads.length === 0) return null;
  const data = leads.map((lead) => JSON.parse(lead.data.toString('utf8')) as Record<string, unknown>);
  const parties = leads.map((lead, position) =>
    partiesOf({
      id: lead.id,
      person: data[position]!.person as Lead['person'],
      company: data[position]!.company as Lead['company'],
      address: data[position]!.address as Lead['address'],
    }),
  );
  return { leads, data, parties, lastSeq: leads[leads.length - 1]!.seq };
};

/**
 * Records one chunk in one transaction: the read of its leads' records (decision 0194) and what screening them found
 * (`results`, per lead, per party): suppressed hits, new hits with their routing and cases. Nothing of a chunk is
 * written unless all of it is, so a run carried on after an interruption starts after the last chunk recorded.
 */
const recordChunk = (context: ChunkContext, chunk: ReadChunk, results: readonly PartyResult[][]): void =>
  commit(context.workstation, (append) => {
    const { workstation, row, thresholds, versionOf, entries } = context;
    const { db } = workstation;
    const { leads } = chunk;
    append({
      actor: MONITORING_ACTOR,
      type: 'personal_data.bulk_read',
      subjects: [subjectOf(row.id)],
      payload: {
        run: row.id,
        purpose: 'monitoring',
        fields: [...MONITORING_FIELDS],
        leads: leads.length,
        ingestedFrom: String(leads[0]!.seq),
        ingestedThrough: String(chunk.lastSeq),
        leadsSha256: sha256Hex(canonicalJsonBytes(leads.map((lead) => lead.id).sort())),
      },
    });
    const allowed = allowListOf(db, row.list_id);
    const now = workstation.deps.now();
    const at = now.toISOString();
    const reviewDays = allowListReviewDays(workstation);
    const cutoff = new Date(now.getTime() - reviewDays * DAY_MS).toISOString();
    leads.forEach((lead, position) => {
      // A row past its review date holds nothing back: the hit is raised again, and the row leaves the allow-list.
      const { current: allowedHere, expired } = splitExpired(allowed.get(lead.id) ?? EMPTY, cutoff);
      const found = sortRescreened(results[position] ?? [], at, entries, allowedHere, versionOf);
      const lapsed = found.raised.filter((hit) => expired.has(allowKey(hit)));
      if (lapsed.length > 0)
        append({
          actor: MONITORING_ACTOR,
          type: 'screening.allow_list_expired',
          subjects: [`lead:${lead.id}`, subjectOf(row.id)],
          payload: {
            leadId: lead.id,
            run: row.id,
            reviewDays,
            hits: lapsed.map((hit) => {
              const was = expired.get(allowKey(hit))!;
              return {
                listId: hit.listId,
                entryId: hit.entryId,
                entryVersion: hit.entryVersion,
                caseId: was.caseId,
                clearedAt: was.clearedAt,
              };
            }),
          },
        });
      if (found.suppressed.length > 0)
        append({
          actor: MONITORING_ACTOR,
          type: 'screening.hit_suppressed',
          subjects: [`lead:${lead.id}`, subjectOf(row.id)],
          payload: {
            leadId: lead.id,
            run: row.id,
            hits: found.suppressed.map((hit) => ({
              party: hit.party,
              listKind: hit.listKind,
              listId: hit.listId,
              entryId: hit.entryId,
              listVersion: hit.listVersion,
              entryVersion: hit.entryVersion,
              score: hit.score,
              strength: hit.strength,
              allowedBy: allowedHere.get(allowKey(hit))!.caseId,
            })),
          },
        });
      const existing = lead.screening === null ? undefined : (JSON.parse(lead.screening) as ScreeningJson);
      // A hit the lead holds open already (a run carried on, or repeated) is not raised twice. One it holds cleared is
      // raised again: the allow-list above is what holds back a cleared false positive, and an entry that left the list
      // and came back unchanged (the same content, so the same version id as the hit it resolved) must be raised.
      const held = existing?.hits ?? [];
      const raised = found.raised.filter((hit) => !held.some((old) => !old.cleared && sameHit(old, hit)));
      if (raised.length === 0) return;
      const screening: ScreeningSummary = {
        screenedAt: at,
        hits: [...held.filter((old) => !raised.some((hit) => sameHit(old, hit))), ...raised.map(storedHit)],
      };
      append(
        screenedEntry(db, MONITORING_ACTOR, lead.id, screening, {
          extraSubjects: [subjectOf(row.id)],
          screenedWith: {
            thresholds: { ...thresholds },
            listVersions: [{ listId: row.list_id, version: row.version }],
          },
        }),
      );
      const full = leadFromRecord(
        lead.id,
        JSON.parse(lead.facts) as Record<string, unknown>,
        chunk.data[position]!,
        screening,
      );
      rerouteLivePaths(workstation, append, full, at, row.id);
    });
  });

/** Screens a chunk's parties: on this thread, or on worker threads (each with its own index of the delta). */
type ChunkScreener = {
  readonly screen: (parties: readonly Party[]) => Promise<PartyResult[]>;
  readonly close: () => Promise<void>;
};

/** Below this many leads a run screens on its own thread: starting workers would cost more than they save. */
export const WORKERS_FROM_LEADS = 5_000;

const startScreener = async (
  delta: ListDelta,
  thresholds: { readonly potential: number; readonly strong: number },
  workers: number,
): Promise<ChunkScreener> => {
  if (workers === 0) {
    const index = deltaIndex(delta);
    return {
      screen: (parties) =>
        Promise.resolve(parties.map((party) => screenParty(index, party, thresholds, { maxHits: 5 }))),
      close: () => Promise.resolve(),
    };
  }
  const batch = await startBatchScreener(
    { snapshots: [{ version: delta.version, entries: delta.entries }] },
    thresholds,
    {
      workers,
      maxHits: 5,
    },
  );
  return { screen: batch.screen, close: batch.close };
};

export type RunOptions = {
  /** The list directory holding the versions the run compares. */
  readonly listsDir: string;
  readonly chunkSize?: number;
  /**
   * Worker threads that screen while this thread reads and records (each indexes the delta). By default one per core
   * but one (at least one) for a run of WORKERS_FROM_LEADS leads or more, none below.
   */
  readonly workers?: number;
  /** After each chunk (and the resolution of removed entries): the api's job yields here, the CLI prints progress. */
  readonly between?: (progress: RunProgress) => Promise<void> | void;
  /** Asked before each chunk: why to stop now (cancelled, the workstation locked), or null to go on. */
  readonly stopReason?: () => string | null;
};

/**
 * Runs (or carries on with) a re-screening run to its end: removed entries' open hits resolved first, then the leads
 * chunk by chunk (the next chunk is screened while the one before is recorded), then `monitoring.completed` with what
 * the run's entries add up to. A failure is recorded as a stopped run when the log can still take it, and thrown on.
 */
export const runMonitoring = async (
  workstation: Workstation,
  runId: string,
  options: RunOptions,
): Promise<RunProgress> => {
  const row = runRow(workstation.db, runId);
  if (row === undefined) throw new WorkstationError('not_found', `no re-screening run ${runId}`);
  if (row.state !== 'running') return progressOf(row);
  const current = (): RunProgress => progressOf(runRow(workstation.db, runId)!);
  const finish = (state: 'done' | 'stopped', reason: string | null): RunProgress => {
    commit(workstation, (append) => {
      const { leads, leadsWithHits, hits, suppressed, resolved, casesOpened } = current();
      append({
        actor: MONITORING_ACTOR,
        type: 'monitoring.completed',
        subjects: [subjectOf(runId), `list:${row.list_id}`],
        payload: { run: runId, state, reason, leads, leadsWithHits, hits, suppressed, resolved, casesOpened },
      });
    });
    return current();
  };
  let screener: ChunkScreener | null = null;
  try {
    const delta = deltaOfRun(options.listsDir, row);
    const versions = new Map<ListEntry, string>();
    const thresholds = thresholdsOf(workstation.db, row);
    const context: ChunkContext = {
      workstation,
      row,
      entries: new Map(delta.entries.map((entry) => [String(entry.id), entry])),
      thresholds,
      versionOf: (entry) => {
        let version = versions.get(entry);
        if (version === undefined) versions.set(entry, (version = entryContentVersion(entry, nativeSha256)));
        return version;
      },
      chunkSize: options.chunkSize ?? MONITORING_CHUNK,
    };
    // Idempotent: only open hits are resolved, so a run carried on resolves nothing twice.
    resolveRemoved(workstation, row, delta);
    await options.between?.(current());
    if (delta.entries.length > 0) {
      const workers =
        options.workers ??
        (row.leads_total - row.leads_read >= WORKERS_FROM_LEADS ? Math.max(1, availableParallelism() - 1) : 0);
      screener = await startScreener(delta, thresholds, workers);
      // Carried on after an interruption: the leads a recorded chunk read are not read again.
      let after = row.read_through ?? 0;
      let pending: { chunk: ReadChunk; results: Promise<PartyResult[]> } | null = null;
      for (;;) {
        const stop = options.stopReason?.() ?? null;
        if (stop !== null) return workstation.db.open ? finish('stopped', stop) : progressOf(row);
        const chunk = readChunk(context, after);
        if (chunk !== null) after = chunk.lastSeq;
        // The workers screen one chunk at a time: the next one starts once the one before is back, and is screened
        // while this thread records that one.
        const screened = pending === null ? null : await pending.results;
        const next = chunk === null ? null : { chunk, results: screener.screen(chunk.parties.flat()) };
        if (pending !== null && screened !== null) {
          let offset = 0;
          const perLead = pending.chunk.parties.map((parties) => screened.slice(offset, (offset += parties.length)));
          if (!workstation.db.open) return progressOf(row);
          recordChunk(context, pending.chunk, perLead);
          await options.between?.(current());
        }
        if (next === null) break;
        pending = next;
      }
    }
    return finish('done', null);
  } catch (error) {
    if (workstation.db.open)
      try {
        finish('stopped', 'failed');
      } catch {
        // The log could not take it (the lock is held elsewhere): the run shows as interrupted.
      }
    throw error;
  } finally {
    await screener?.close();
  }
};
