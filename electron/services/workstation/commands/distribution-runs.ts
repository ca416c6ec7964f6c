// Distribution on the workstation for the api (decision 0276): its status (what is active, kept, pending and refused on
// each stream, the pinned publisher key), reading the hub's listing and fetching its statements in the background (the
// status follows them, as sync.now's does), and pinning the publisher key. Activation is fetchDistribution's, through
// the door; nothing here writes but through it and pinPublisherKey.
import * as z from 'zod';
import type { DistributionStatusSchema } from '../../../../core/api/distribution.ts';
import { readEnrolment } from '../../sync/device-state.ts';
import { activeSequences, pinnedPublisherKey } from '../../sync/distribution-state.ts';
import { createHubClient, SyncError } from '../../sync/hub-client.ts';
import { listsDirIfAny } from './list-updates.ts';
import { readManifestSync } from '../../lists/staging.ts';
import { refreshSession, WorkstationError } from '../session/workstation.ts';
import type { Session, Workstation } from '../session/workstation.ts';
import { fetchDistribution, pinPublisherKey } from './distribution.ts';
import type { DistributionStreamResult } from './distribution.ts';
import type { SyncTransport } from './sync.ts';

type HubStatement = {
  stream: string;
  kind: 'policy' | 'list';
  sequence: number;
  version: string;
  label: string;
  publishedAt: string;
};

export type DistributionStatus = z.infer<typeof DistributionStatusSchema>;
export type DistributionStreamStatus = DistributionStatus['streams'][number];
type Outcome = NonNullable<DistributionStatus['lastOutcome']>;

const ListingSchema = z.object({
  region: z.string(),
  distributions: z.array(
    z.object({
      stream: z.string(),
      sequence: z.number().int().min(1),
      kind: z.enum(['policy', 'list']),
      version: z.string(),
      label: z.string(),
      publishedAt: z.string(),
    }),
  ),
});

/** In memory per workstation (by path): a run does not outlive the app; what it changed is in the log. */
const running = new Map<string, 'check' | 'fetch'>();
const listings = new Map<string, { readonly at: string; readonly statements: readonly HubStatement[] }>();
const outcomes = new Map<string, Outcome>();

const requireActive = (session: Session): void => {
  if (!session.user.active)
    throw new WorkstationError('forbidden', `${session.user.id} is not active`, { reason: 'inactive' });
};

type LoggedEntry = { sequence: number; time: string; payload: Record<string, unknown> };

const entriesOf = (session: Session, type: string): LoggedEntry[] =>
  session.workstation.db
    .prepare<[string], Buffer>('SELECT canonical FROM audit_entries WHERE type = ? ORDER BY sequence')
    .pluck()
    .all(type)
    .map((bytes) => {
      // The entry names its sequence as a decimal string (core/audit/entry.ts).
      const entry = JSON.parse(bytes.toString('utf8')) as Omit<LoggedEntry, 'sequence'> & { sequence: string };
      return { ...entry, sequence: Number(entry.sequence) };
    });

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const distributionOf = (entry: LoggedEntry): { stream: string; sequence: number } | null => {
  const ref = entry.payload.distribution as { stream?: unknown; sequence?: unknown } | undefined;
  return ref && typeof ref.stream === 'string' && typeof ref.sequence === 'number'
    ? { stream: ref.stream, sequence: ref.sequence }
    : null;
};

/** What is active, kept and pending on each stream: the policy, every list the hub or this workstation knows. */
export const distributionStatus = (session: Session): DistributionStatus => {
  requireActive(session);
  const workstation = session.workstation;
  const enrolment = readEnrolment(workstation.db);
  const key = pinnedPublisherKey(workstation.db);
  const listing = listings.get(workstation.path) ?? null;
  const sequences = activeSequences(workstation.db);
  const refusals = entriesOf(session, 'distribution.refused');
  const lastRefusalOf = (stream: string): DistributionStreamStatus['lastRefusal'] => {
    const last = refusals.filter((entry) => entry.payload.stream === stream).at(-1);
    return last
      ? {
          sequence: Number(last.payload.sequence),
          problem: String(last.payload.problem),
          version: str(last.payload.version),
          at: last.time,
          entry: last.sequence,
        }
      : null;
  };
  const hubOf = (stream: string): DistributionStreamStatus['hub'] => {
    const found = listing?.statements.find((statement) => statement.stream === stream);
    return found
      ? { sequence: found.sequence, version: found.version, label: found.label, publishedAt: found.publishedAt }
      : null;
  };
  const streamStatus = (
    stream: string,
    kind: 'policy' | 'list',
    active: DistributionStreamStatus['active'],
    previous: DistributionStreamStatus['previous'],
  ): DistributionStreamStatus => {
    const hub = hubOf(stream);
    return {
      stream,
      kind,
      active,
      previous,
      hub,
      pending: hub !== null && hub.sequence > (sequences.get(stream) ?? 0),
      lastRefusal: lastRefusalOf(stream),
    };
  };

  // The policy: the version in force, and the one its publication replaced (the log keeps that bundle).
  const policy = workstation.policy().loaded;
  const published = entriesOf(session, 'policy.published')
    .filter((entry) => entry.payload.ruleVersion === policy.version)
    .at(-1);
  const policyStream = streamStatus(
    'policy',
    'policy',
    {
      version: policy.version,
      label: str(published?.payload.label) ?? null,
      sequence: published ? (distributionOf(published)?.sequence ?? null) : null,
      activatedAt: published?.time ?? null,
      entry: published?.sequence ?? null,
    },
    published && str(published.payload.previousRuleVersion)
      ? { version: str(published.payload.previousRuleVersion)!, label: str(published.payload.previousLabel) }
      : null,
  );

  // Lists: every list stream the hub listed or this workstation activated from a distribution.
  const dir = listsDirIfAny(workstation);
  const manifest = dir === null ? null : readManifestSync(dir);
  const imported = entriesOf(session, 'list.imported');
  const listStreams = new Set<string>([
    ...(listing?.statements ?? []).filter((s) => s.kind === 'list').map((s) => s.stream),
    ...imported.flatMap((entry) => {
      const ref = distributionOf(entry);
      return ref ? [ref.stream] : [];
    }),
  ]);
  const lists = [...listStreams].sort().map((stream) => {
    const listId = stream.slice('list:'.length);
    const list = manifest?.lists[listId];
    const activeVersion = list?.history.find((v) => v.version === list.active) ?? null;
    const activation = imported
      .filter((entry) => entry.payload.list === listId && entry.payload.version === activeVersion?.contentSha256)
      .at(-1);
    const previousHash = activation
      ? str((activation.payload.changes as { previous?: unknown } | undefined)?.previous)
      : null;
    const previousVersion = previousHash ? list?.history.find((v) => v.contentSha256 === previousHash) : undefined;
    return streamStatus(
      stream,
      'list',
      activeVersion
        ? {
            version: activeVersion.contentSha256,
            label: activeVersion.version,
            sequence: activation ? (distributionOf(activation)?.sequence ?? null) : null,
            activatedAt: activation?.time ?? null,
            entry: activation?.sequence ?? null,
          }
        : null,
      previousHash ? { version: previousHash, label: previousVersion?.version ?? null } : null,
    );
  });

  return {
    enrolled: enrolment !== null,
    region: enrolment?.region ?? null,
    publisherKey: key,
    publisherKeyId: key === null ? null : key.split('+').slice(0, 2).join('+'),
    running: running.get(workstation.path) ?? null,
    checkedAt: listing?.at ?? null,
    lastOutcome: outcomes.get(workstation.path) ?? null,
    streams: [policyStream, ...lists],
  };
};

/** Reads the hub's latest statements (GET /v1/distributions) and remembers them for the status. */
export const checkDistribution = async (session: Session, transport: SyncTransport = {}): Promise<number> => {
  requireActive(session);
  const enrolment = readEnrolment(session.workstation.db);
  if (!enrolment)
    throw new SyncError(
      'not_enrolled',
      'this workstation is not enrolled with a regional hub (an operations admin enrols it)',
    );
  const client = createHubClient({
    url: enrolment.hubUrl,
    deviceId: enrolment.deviceId,
    region: enrolment.region,
    seed: enrolment.seed,
    now: session.workstation.deps.now,
    ...(transport.fetch ? { fetch: transport.fetch } : {}),
  });
  const reply = await client.send('GET', '/v1/distributions');
  if (reply.status !== 200) throw new SyncError(`http_${reply.status}`, `distribution listing: ${reply.text.trim()}`);
  let body: unknown;
  try {
    body = JSON.parse(reply.text) as unknown;
  } catch {
    body = null;
  }
  const parsed = ListingSchema.safeParse(body);
  if (!parsed.success) throw new SyncError('bad_reply', 'the hub answered the distribution listing with another shape');
  listings.set(session.workstation.path, {
    at: session.workstation.deps.now().toISOString(),
    statements: parsed.data.distributions,
  });
  return parsed.data.distributions.length;
};

const resultOf = (result: DistributionStreamResult) => ({
  stream: result.stream,
  sequence: result.sequence,
  version: result.version,
  status: result.status,
  problem: result.problem ?? null,
  message: result.message,
  entry: result.entry,
});

/** Fetch, verify and activate, then read the listing again so the status shows what is still pending. */
export const fetchAndActivate = async (session: Session, transport: SyncTransport = {}): Promise<Outcome> => {
  const fetched = await fetchDistribution(session, transport);
  await checkDistribution(session, transport);
  const refused = fetched.results.filter((r) => r.status === 'refused');
  const activated = fetched.results.filter((r) => r.status === 'activated');
  const message =
    fetched.results.length === 0
      ? 'up to date: nothing newer at the hub'
      : [
          ...activated.map((r) => r.message),
          ...refused.map((r) => r.message),
          ...fetched.results.filter((r) => r.status === 'skipped').map((r) => r.message),
        ].join('; ');
  return {
    at: session.workstation.deps.now().toISOString(),
    ok: refused.length === 0,
    message,
    results: fetched.results.map(resultOf),
  };
};

const describe = (error: unknown): string =>
  error instanceof SyncError || error instanceof WorkstationError
    ? error.message
    : error instanceof Error
      ? error.message
      : String(error);

const background = (workstation: Workstation, kind: 'check' | 'fetch', work: () => Promise<Outcome>): void => {
  running.set(workstation.path, kind);
  void (async () => {
    let outcome: Outcome;
    try {
      outcome = await work();
    } catch (error) {
      outcome = { at: workstation.deps.now().toISOString(), ok: false, message: describe(error), results: [] };
    }
    running.delete(workstation.path);
    outcomes.set(workstation.path, outcome);
  })();
};

const stillSignedIn = (session: Session): Session => {
  if (!session.workstation.db.open) throw new SyncError('locked', 'the workstation was locked before the hub answered');
  return refreshSession(session);
};

const startable = (session: Session): void => {
  requireActive(session);
  if (!readEnrolment(session.workstation.db))
    throw new WorkstationError(
      'conflict',
      'this workstation is not enrolled with a regional hub (an operations admin enrols it)',
    );
  if (running.has(session.workstation.path))
    throw new WorkstationError('conflict', 'a distribution check or fetch is running already: wait for it to end');
};

/** distribution.check: reads the hub's listing in the background. */
export const startDistributionCheck = (session: Session, transport: SyncTransport = {}): DistributionStatus => {
  startable(session);
  background(session.workstation, 'check', async () => {
    const count = await checkDistribution(stillSignedIn(session), transport);
    return {
      at: session.workstation.deps.now().toISOString(),
      ok: true,
      message: `the hub lists ${count} stream${count === 1 ? '' : 's'}`,
      results: [],
    };
  });
  return distributionStatus(session);
};

/** distribution.fetch: fetches, verifies and activates every newer statement in the background. */
export const startDistributionFetch = (session: Session, transport: SyncTransport = {}): DistributionStatus => {
  startable(session);
  if (pinnedPublisherKey(session.workstation.db) === null)
    throw new WorkstationError(
      'conflict',
      'no publisher key is pinned on this workstation: an operations admin pins the firm publisher key first',
    );
  background(session.workstation, 'fetch', () => fetchAndActivate(stillSignedIn(session), transport));
  return distributionStatus(session);
};

/** distribution.pinKey: the door's pinPublisherKey, answering the status. */
export const pinKeyAndStatus = (session: Session, input: { readonly verifierKey: string }): DistributionStatus => {
  pinPublisherKey(session, input);
  return distributionStatus(session);
};

/** Resolves when the background run (if any) has ended: for tests and the CLI. */
export const distributionSettled = async (workstation: Workstation, timeoutMs = 60_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (running.has(workstation.path) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
};
