// List updates from the workstation (decision 0193): an operations admin uploads a list file set, sees what it changes
// against the active version, activates it (the `list.imported` entry and the start of a re-screening run, one
// transaction), and follows the run, which goes on in the background a chunk of leads at a time while every other api
// call is served. One run at a time per workstation; the run's progress is in the projection, so a run the CLI carries
// out is seen here too.
import type { ApiParsedRequest, ApiResponse } from '../../../../core/api/contract.ts';
import type { ListVersion } from '../../../../core/screening/model.ts';
import { formatRejection } from '../../lists/rejection.ts';
import { inputFileFromBytes } from '../../lists/source-files.ts';
import { activateListVersion, readManifestSync, stageListVersion } from '../../lists/staging.ts';
import { ListStoreError } from '../../lists/store.ts';
import { statement } from '../../store/statements.ts';
import { appendListImported, requireListImport } from './list-imports.ts';
import type { DistributionRefValue } from '../../sync/distribution-state.ts';
import { progressOf, runMonitoring, runRow } from './monitoring.ts';
import type { RunRow } from './monitoring.ts';
import { WorkstationError } from '../session/workstation.ts';
import type { Session, Workstation } from '../session/workstation.ts';

type RescreenRun = ApiResponse<'lists.rescreenStatus'>;
type ListVersionView = ApiResponse<'lists.overview'>['lists'][number];

/** Runs shown on the lists screen. */
const RUNS_SHOWN = 20;
/** Entries of each kind of change a preview shows. */
const SAMPLE = 10;

/** The workstation's list directory (serve --lists, PERIMETER_LISTS): where versions are stored and read. */
const listsDirOf = (workstation: Workstation): string => {
  const dir = workstation.deps.listStore?.dir;
  if (dir === undefined)
    throw new WorkstationError(
      'not_found',
      'this workstation has no list directory (start it with perimeter serve --lists <dir>, or PERIMETER_LISTS)',
    );
  return dir;
};

type VersionRecord = Pick<ListVersion, 'publishedAt' | 'contentSha256' | 'importedAt' | 'counts'> & {
  readonly listId: string;
  readonly version: string;
  readonly source: string;
};

const versionView = (version: VersionRecord): ListVersionView => ({
  listId: version.listId,
  version: version.version,
  source: version.source,
  publishedAt: version.publishedAt,
  contentSha256: version.contentSha256,
  importedAt: version.importedAt,
  entries: version.counts['entries'] ?? 0,
  counts: { ...version.counts },
});

// The runs this process carries out: the cancel flag of each (their progress is in the projection).
type Job = { cancelled: boolean; readonly done: Promise<void> };
const jobs = new Map<string, Map<string, Job>>();
const jobsOf = (workstation: Workstation): Map<string, Job> => {
  let found = jobs.get(workstation.path);
  if (found === undefined) jobs.set(workstation.path, (found = new Map()));
  return found;
};

const runView = (workstation: Workstation, row: RunRow): RescreenRun => ({
  ...progressOf(row),
  requestedBy: row.requested_by,
  live: jobsOf(workstation).has(row.id),
});

const requireRun = (workstation: Workstation, runId: string): RescreenRun => {
  const row = runRow(workstation.db, runId);
  if (row === undefined) throw new WorkstationError('not_found', `no re-screening run ${runId}`);
  return runView(workstation, row);
};

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Carries out a run in the background: chunks with the event loop served between them, stopped by a cancel or a lock. */
const startJob = (workstation: Workstation, runId: string, listsDir: string): void => {
  const registry = jobsOf(workstation);
  if (registry.size > 0)
    throw new WorkstationError('conflict', 'a re-screening run is going on: wait until it has finished');
  const job: { cancelled: boolean; done: Promise<void> } = { cancelled: false, done: Promise.resolve() };
  registry.set(runId, job);
  job.done = (async (): Promise<void> => {
    await yieldToEventLoop();
    await runMonitoring(workstation, runId, {
      listsDir,
      between: yieldToEventLoop,
      stopReason: () => (job.cancelled ? 'cancelled' : workstation.db.open ? null : 'locked'),
    });
  })()
    .catch(() => {
      // Recorded as a stopped run (reason "failed") when the log could take it; the run's status says so.
    })
    .finally(() => registry.delete(runId));
};

/** Whether a run is being carried out here; for tests and the host's shutdown. */
export const rescreenJob = (workstation: Workstation, runId: string): Promise<void> | null =>
  jobsOf(workstation).get(runId)?.done ?? null;

/** The list directory of a workstation, or null when it has none (distribution skips lists then). */
export const listsDirIfAny = (workstation: Workstation): string | null => workstation.deps.listStore?.dir ?? null;

export const listsOverview = (session: Session): ApiResponse<'lists.overview'> => {
  requireListImport(session);
  const { workstation } = session;
  const dir = listsDirOf(workstation);
  const manifest = readManifestSync(dir);
  const lists = Object.entries(manifest.lists)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, list]) => {
      const active = list.history.find((version) => version.version === list.active);
      if (active === undefined) return [];
      return [versionView(active)];
    });
  const runs = statement<[number], RunRow>(
    workstation.db,
    'SELECT * FROM monitoring_runs ORDER BY started_seq DESC LIMIT ?',
  )
    .all(RUNS_SHOWN)
    .map((row) => runView(workstation, row));
  return { lists, runs };
};

export const previewListUpdate = (
  session: Session,
  request: ApiParsedRequest<'lists.preview'>,
): ApiResponse<'lists.preview'> => {
  requireListImport(session);
  const dir = listsDirOf(session.workstation);
  const files = request.files.map((file) =>
    inputFileFromBytes(file.name, new Uint8Array(Buffer.from(file.base64, 'base64'))),
  );
  let staged;
  try {
    staged = stageListVersion(dir, {
      source: request.source,
      files,
      ...(request.listId === undefined ? {} : { listId: request.listId }),
      ...(request.kind === undefined ? {} : { kind: request.kind }),
      importedAt: session.workstation.deps.now().toISOString(),
    });
  } catch (error) {
    if (error instanceof ListStoreError) throw new WorkstationError('conflict', error.message);
    throw error;
  }
  if (!staged.ok)
    throw new WorkstationError(
      'invalid_input',
      `${formatRejection(staged.error)}: nothing stored; the active version is unchanged`,
    );
  const { version, previous, diff, status } = staged.value;
  return {
    status,
    version: versionView(version),
    previous: previous === null ? null : versionView(previous),
    diff: {
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
      unchanged: diff.unchanged,
      sample: {
        added: diff.added.slice(0, SAMPLE).map(({ id, name }) => ({ id, name })),
        removed: diff.removed.slice(0, SAMPLE).map(({ id, name }) => ({ id, name })),
        changed: diff.changed.slice(0, SAMPLE).map(({ id, name, fields }) => ({ id, name, fields: [...fields] })),
      },
    },
  };
};

export const activateListUpdate = (
  session: Session,
  request: ApiParsedRequest<'lists.activate'>,
): ApiResponse<'lists.activate'> => {
  requireListImport(session);
  return activateStoredListVersion(session, request);
};

/**
 * Activates a stored list version and starts its re-screening run, as `activateListUpdate` does, without its
 * permission check: for a version distributed by the hub, whose authority is the publisher's signature the device
 * verified (decision 0254), named in `distribution`.
 */
export const activateStoredListVersion = (
  session: Session,
  request: { readonly listId: string; readonly version: string; readonly expectedActive: string | null },
  distribution?: DistributionRefValue,
): ApiResponse<'lists.activate'> => {
  const { workstation } = session;
  const dir = listsDirOf(workstation);
  if (jobsOf(workstation).size > 0)
    throw new WorkstationError('conflict', 'a re-screening run is going on: activate when it has finished');
  let activated;
  try {
    activated = activateListVersion(dir, request.listId, request.version, request.expectedActive);
  } catch (error) {
    if (error instanceof ListStoreError) throw new WorkstationError('conflict', error.message);
    throw error;
  }
  if (!activated.ok) throw new WorkstationError('conflict', activated.error);
  const { sequence, runId } = appendListImported(session, activated.value, distribution);
  // New leads are screened against the new version from now on; the ones already here by the run.
  workstation.screener?.reload?.();
  if (runId === null) return { sequence, run: null };
  startJob(workstation, runId, dir);
  return { sequence, run: requireRun(workstation, runId) };
};

export const rescreenStatus = (session: Session, runId: string): RescreenRun => {
  requireListImport(session);
  return requireRun(session.workstation, runId);
};

export const cancelRescreen = (session: Session, runId: string): RescreenRun => {
  requireListImport(session);
  const job = jobsOf(session.workstation).get(runId);
  if (job !== undefined) job.cancelled = true;
  return requireRun(session.workstation, runId);
};

export const resumeRescreen = (session: Session, runId: string): RescreenRun => {
  requireListImport(session);
  const { workstation } = session;
  const run = requireRun(workstation, runId);
  if (run.state !== 'running' || run.live) return run;
  startJob(workstation, runId, listsDirOf(workstation));
  return requireRun(workstation, runId);
};
