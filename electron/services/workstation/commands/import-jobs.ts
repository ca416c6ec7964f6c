// Lead imports as background jobs (leads.startImport, leads.importStatus, leads.cancelImport; decision 0048): the file
// is read up front, then imported chunk by chunk, each chunk its own transaction, yielding to the event loop between
// chunks so every other api call is served meanwhile. Jobs live in memory only, one running import per workstation.
import { randomUUID } from 'node:crypto';
import { hasPermission } from '../../../../core/access/roles.ts';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import type { LocatedLead } from '../../leads/read-lead-file.ts';
import { apiErrorOf } from '../api/api-errors.ts';
import { denialOf, recordAccessDenied } from '../session/access.ts';
import { addIntake, emptyIntake, importLeads, prescreenWithOwn, startCheckpoints } from './intake.ts';
import type { IntakeScreening, IntakeTotals } from './intake.ts';
import { importResultOf, readLeadImport } from './lead-import.ts';
import type { LeadImportRequest } from './lead-import.ts';
import { refreshSession, WorkstationError } from '../session/workstation.ts';
import type { Session, Workstation } from '../session/workstation.ts';

export type ImportJobStatus = ApiResponse<'leads.importStatus'>;

/** Leads per chunk: one transaction each in "valid" mode; the event loop is served between chunks. */
export const IMPORT_CHUNK_SIZE = 250;
/** Finished jobs kept per workstation (in memory) for their owners to read; older ones are forgotten. */
export const FINISHED_JOBS_KEPT = 20;

type Job = {
  readonly id: string;
  readonly ownerId: string;
  readonly total: number;
  readonly startedAt: string;
  state: ImportJobStatus['state'];
  processed: number;
  /** What has landed: running totals in "valid" mode; in "all" mode set only once its one transaction commits. */
  totals: IntakeTotals | null;
  error: { readonly code: string; readonly message: string } | null;
  finishedAt: string | null;
};

// Per workstation database (by path), so a job survives a lock and unlock of the same workstation as a record.
const registries = new Map<string, Map<string, Job>>();
const jobsOf = (workstation: Workstation): Map<string, Job> => {
  let jobs = registries.get(workstation.path);
  if (jobs === undefined) {
    jobs = new Map();
    registries.set(workstation.path, jobs);
  }
  return jobs;
};

const statusOf = (job: Job): ImportJobStatus => ({
  jobId: job.id,
  state: job.state,
  processed: job.processed,
  total: job.total,
  result: job.totals === null ? null : importResultOf(job.totals),
  error: job.error,
  startedAt: job.startedAt,
  finishedAt: job.finishedAt,
});

const finish = (workstation: Workstation, job: Job, state: Exclude<Job['state'], 'running'>): void => {
  job.state = state;
  job.finishedAt = workstation.deps.now().toISOString();
  const jobs = jobsOf(workstation);
  const finished = [...jobs.values()].filter((other) => other.state !== 'running');
  for (const old of finished.slice(0, Math.max(0, finished.length - FINISHED_JOBS_KEPT))) jobs.delete(old.id);
};

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The owner as the store knows them now: a lock closed the connection, a deactivation or a lost `lead.create` stops
 * the job (refreshSession and importLeads throw what the api answers).
 */
const ownerSession = (workstation: Workstation, owner: Session['user'], job: Job): Session => {
  if (!workstation.db.open)
    throw new WorkstationError(
      'unauthenticated',
      `the workstation was locked during the import; it stopped after ${job.processed} of ${job.total} leads`,
    );
  const session = refreshSession({ user: owner, workstation });
  if (!hasPermission(session.user, 'lead.create'))
    throw new WorkstationError('forbidden', `${session.user.id} may no longer add leads`);
  return session;
};

type RunInput = {
  readonly workstation: Workstation;
  readonly owner: Session['user'];
  readonly records: readonly LocatedLead[];
  readonly sourceSystem: string;
  readonly chunkSize: number;
};

// "valid": each chunk is its own transaction through importLeads; what committed stays whatever happens later.
const runValid = async (job: Job, input: RunInput): Promise<void> => {
  const totals = job.totals!;
  // One background WAL checkpointer for the whole job (decision 0049), stopped however the job ends.
  const checkpoints = input.records.length > input.chunkSize ? startCheckpoints(input.workstation) : null;
  try {
    for (let offset = 0; offset < input.records.length; offset += input.chunkSize) {
      await yieldToEventLoop();
      if (job.state !== 'running') return; // cancelled meanwhile
      const session = ownerSession(input.workstation, input.owner, job);
      const chunk = input.records.slice(offset, offset + input.chunkSize);
      addIntake(
        totals,
        importLeads(session, chunk, [], {
          sourceSystem: input.sourceSystem,
          mode: 'valid',
          chunkSize: chunk.length,
          checkpoints,
        }),
      );
      job.processed += chunk.length;
    }
  } finally {
    checkpoints?.stop();
  }
};

// "all": screening is pure, so it runs in chunks between which the event loop is served; the writing is ONE
// transaction (so it lands whole or not at all), and blocks the event loop while it runs.
const runAll = async (job: Job, input: RunInput): Promise<void> => {
  const { workstation } = input;
  const screened: LocatedLead[] = [];
  let screening: IntakeScreening = { kind: 'none' };
  for (let offset = 0; offset < input.records.length; offset += input.chunkSize) {
    await yieldToEventLoop();
    if (job.state !== 'running') return;
    ownerSession(workstation, input.owner, job);
    const chunk = input.records.slice(offset, offset + input.chunkSize);
    if (workstation.screener) {
      const own = prescreenWithOwn(
        workstation.screener,
        chunk,
        workstation.deps.now().toISOString(),
        workstation.policy(),
      );
      screened.push(...own.records);
      screening = { kind: 'prescreened', screenedWith: own.screenedWith };
    } else screened.push(...chunk);
    job.processed = screened.length;
  }
  await yieldToEventLoop();
  if (job.state !== 'running') return;
  const session = ownerSession(workstation, input.owner, job);
  // Screened already: the one transaction must not screen again.
  const result = importLeads(session, screened, [], { sourceSystem: input.sourceSystem, mode: 'all', screening });
  job.totals = addIntake(emptyIntake(), result);
  job.processed = input.records.length;
};

/**
 * Reads the file and starts its import in the background; answers at once. Bad rows and mode "all" behave as in
 * leads.import: an "all" file with bad rows imports nothing and its job is done at once, with the problems.
 */
export const startImportJob = (
  session: Session,
  request: LeadImportRequest,
  options: { readonly chunkSize?: number } = {},
): { readonly jobId: string } => {
  const { workstation, user } = session;
  if (!hasPermission(user, 'lead.create')) throw new WorkstationError('forbidden', `${user.id} may not add leads`);
  const jobs = jobsOf(workstation);
  if ([...jobs.values()].some((job) => job.state === 'running'))
    throw new WorkstationError(
      'conflict',
      'another import is running on this workstation; start this one when it has finished',
    );
  const { records, problems } = readLeadImport(request);
  const job: Job = {
    id: randomUUID(),
    ownerId: user.id,
    total: records.length,
    startedAt: workstation.deps.now().toISOString(),
    state: 'running',
    processed: 0,
    totals: request.mode === 'valid' ? emptyIntake(problems) : null,
    error: null,
    finishedAt: null,
  };
  jobs.set(job.id, job);
  if (request.mode === 'all' && problems.length > 0) {
    job.totals = emptyIntake(problems);
    finish(workstation, job, 'done');
    return { jobId: job.id };
  }
  const input: RunInput = {
    workstation,
    owner: user,
    records,
    sourceSystem: request.sourceSystem,
    chunkSize: options.chunkSize ?? IMPORT_CHUNK_SIZE,
  };
  void (request.mode === 'valid' ? runValid(job, input) : runAll(job, input)).then(
    () => {
      if (job.state === 'running') finish(workstation, job, 'done');
    },
    (error: unknown) => {
      if (job.state !== 'running') return;
      job.error = apiErrorOf(error);
      // A job stopped by the door (the starter lost lead.create or was deactivated) is a refusal like an api call's.
      const denial = denialOf(error);
      if (denial !== null && workstation.db.open)
        recordAccessDenied({ user, workstation }, 'leads.startImport', denial);
      finish(workstation, job, 'failed');
    },
  );
  return { jobId: job.id };
};

// Only the user who started a job may see or cancel it: for anyone else it does not exist.
const ownJob = (session: Session, jobId: string): Job => {
  const job = jobsOf(session.workstation).get(jobId);
  if (job === undefined || job.ownerId !== session.user.id)
    throw new WorkstationError('not_found', `import job ${jobId} does not exist`);
  return job;
};

export const importJobStatus = (session: Session, jobId: string): ImportJobStatus => statusOf(ownJob(session, jobId));

/**
 * Cancels a running job at once (the job is between chunks whenever an api call runs): in "valid" mode what committed
 * stays and the status says how much; in "all" mode nothing has landed. A finished job is answered as it is.
 */
export const cancelImportJob = (session: Session, jobId: string): ImportJobStatus => {
  const job = ownJob(session, jobId);
  if (job.state === 'running') finish(session.workstation, job, 'cancelled');
  return statusOf(job);
};
