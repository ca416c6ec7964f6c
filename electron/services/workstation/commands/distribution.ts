// Signed distribution on the device (issue 15, decisions 0253–0255), through the door: an operations admin pins the
// firm's publisher key; any active user's session fetches the hub's statements, and each is verified (publisher
// signature, region, stream, content digest, a newer sequence, content that parses to the signed version) before it is
// activated through the same entries as a local publication or list update. A statement that fails any check is
// refused with a `distribution.refused` entry and the version in force stays in force.
import * as z from 'zod';
import { base64ToBytes } from '../../../../core/audit/bytes.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import type { DISTRIBUTION_PROBLEMS } from '../../../../core/audit/events/sync.ts';
import { parsePolicyText } from '../../../../core/policy/parse.ts';
import { parsePublisherKey, readDistributionNote, verifyDistribution } from '../../../../core/sync/distribution.ts';
import { nodeSha256 } from '../../audit/node-sha256.ts';
import { readListPackage } from '../../lists/package.ts';
import { readManifestSync, stageListVersion } from '../../lists/staging.ts';
import { readEnrolment } from '../../sync/device-state.ts';
import { activeSequences, pinnedPublisherKey, refusalLogged } from '../../sync/distribution-state.ts';
import type { DistributionRefValue } from '../../sync/distribution-state.ts';
import { createHubClient, SyncError } from '../../sync/hub-client.ts';
import type { HubClient } from '../../sync/hub-client.ts';
import { requirePermission } from '../session/access.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';
import { activateDistributedPolicy } from './policy-admin.ts';
import { activateStoredListVersion, listsDirIfAny } from './list-updates.ts';
import type { SyncTransport } from './sync.ts';

type Problem = (typeof DISTRIBUTION_PROBLEMS)[number];

export type DistributionStreamResult = {
  readonly stream: string;
  readonly sequence: number;
  readonly version: string;
  readonly status: 'activated' | 'refused' | 'skipped';
  /** For a refusal, the problem code (also in the `distribution.refused` entry). */
  readonly problem?: Problem;
  readonly message: string;
  /** The audit entry that activated it or logged its refusal (null when a refusal was logged before). */
  readonly entry: number | null;
};

export type FetchDistributionResult = {
  readonly hub: string;
  readonly results: readonly DistributionStreamResult[];
  /** Streams whose latest statement is the one active here. */
  readonly upToDate: readonly string[];
};

const ListingSchema = z.object({
  region: z.string(),
  distributions: z.array(
    z.object({
      stream: z.string(),
      sequence: z.number().int().min(1),
      kind: z.enum(['policy', 'list']),
      version: z.string(),
    }),
  ),
});
const StatementSchema = z.object({ note: z.string(), content: z.string() });

const requireActive = (session: Session): void => {
  if (!session.user.active)
    throw new WorkstationError('forbidden', `${session.user.id} is not active`, { reason: 'inactive' });
};

const hubOf = (region: string): string => `hub:${region}`;

const jsonOrNull = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

/**
 * Pins the publisher key (a signed-note verifier key) whose signature this device requires on every distributed
 * policy and list version. An operations admin takes it from the firm's publisher, not from the hub: the hub cannot
 * choose whom the device trusts. Replacing a pinned key is the same act, logged with the key it replaces.
 */
export const pinPublisherKey = (
  session: Session,
  input: { readonly verifierKey: string },
): { readonly key: string; readonly previousKey: string | null; readonly sequence: number } => {
  requirePermission(session, 'user.manage', 'pin the publisher key of distributed policy and lists');
  requirePermission(session, 'policy.publish', 'pin the publisher key of distributed policy and lists');
  if (parsePublisherKey(input.verifierKey, nodeSha256) === null)
    throw new WorkstationError(
      'invalid_input',
      'the publisher key is not a signed-note verifier key (<name>+<key id>+<base64 key>)',
    );
  const enrolment = readEnrolment(session.workstation.db);
  const previousKey = pinnedPublisherKey(session.workstation.db);
  if (previousKey === input.verifierKey) throw new WorkstationError('conflict', 'this publisher key is pinned already');
  const { sequence } = commit(session.workstation, (append) =>
    append({
      actor: actorOf(session.user),
      type: 'distribution.key_pinned',
      subjects: [enrolment ? hubOf(enrolment.region) : 'hub:none'],
      payload: { pv: PAYLOAD_VERSION, key: input.verifierKey, previousKey },
    }),
  );
  return { key: input.verifierKey, previousKey, sequence };
};

const streamSubject = (stream: string): string => (stream === 'policy' ? 'policy:distributed' : stream);

/**
 * Fetches the hub's latest statements and activates each newer one that verifies (policy first, then lists). It never
 * throws for a bad statement: each is a result, refused ones with an audit entry; it throws (SyncError) only when the
 * device is not enrolled, has no pinned publisher key, or the hub cannot be asked.
 */
export const fetchDistribution = async (
  session: Session,
  transport: SyncTransport = {},
): Promise<FetchDistributionResult> => {
  requireActive(session);
  const db = session.workstation.db;
  const enrolment = readEnrolment(db);
  if (!enrolment)
    throw new SyncError(
      'not_enrolled',
      'this workstation is not enrolled with a regional hub (an operations admin enrols it)',
    );
  const trusted = pinnedPublisherKey(db);
  if (trusted === null)
    throw new SyncError(
      'no_publisher_key',
      'no publisher key is pinned on this workstation: an operations admin pins the firm publisher key first',
    );
  const hub = hubOf(enrolment.region);
  const client: HubClient = createHubClient({
    url: enrolment.hubUrl,
    deviceId: enrolment.deviceId,
    region: enrolment.region,
    seed: enrolment.seed,
    now: session.workstation.deps.now,
    ...(transport.fetch ? { fetch: transport.fetch } : {}),
  });
  const listing = await client.send('GET', '/v1/distributions');
  if (listing.status !== 200)
    throw new SyncError(`http_${listing.status}`, `distribution listing: ${listing.text.trim()}`);
  const parsed = ListingSchema.safeParse(jsonOrNull(listing.text));
  if (!parsed.success) throw new SyncError('bad_reply', 'the hub answered the distribution listing with another shape');
  const latest = [...parsed.data.distributions].sort((a, b) =>
    a.stream === 'policy' ? -1 : b.stream === 'policy' ? 1 : a.stream.localeCompare(b.stream),
  );
  const results: DistributionStreamResult[] = [];
  const upToDate: string[] = [];
  for (const listed of latest) {
    const active = activeSequences(db).get(listed.stream) ?? 0;
    if (listed.sequence <= active) {
      upToDate.push(listed.stream);
      continue;
    }
    results.push(await fetchOne(session, client, hub, trusted, enrolment.region, listed, active));
  }
  return { hub, results, upToDate };
};

const activeVersionOf = (session: Session, stream: string): string | null => {
  if (stream === 'policy') return session.workstation.policy().loaded.version;
  const dir = listsDirIfAny(session.workstation);
  if (dir === null) return null;
  const listId = stream.slice('list:'.length);
  const list = readManifestSync(dir).lists[listId];
  return list?.history.find((v) => v.version === list.active)?.contentSha256 ?? null;
};

/** The version in force in words: its label and version (the policy's `version`, the list version id). */
const activeInWords = (session: Session, stream: string, version: string | null): string => {
  if (version === null) return 'nothing';
  if (stream === 'policy') return `${session.workstation.policy().loaded.policy.version} (${version})`;
  const dir = listsDirIfAny(session.workstation);
  const list = dir === null ? undefined : readManifestSync(dir).lists[stream.slice('list:'.length)];
  return list?.active ? `${list.active} (${version})` : version;
};

const fetchOne = async (
  session: Session,
  client: HubClient,
  hub: string,
  trusted: string,
  region: string,
  listed: { readonly stream: string; readonly sequence: number; readonly version: string },
  activeSequence: number,
): Promise<DistributionStreamResult> => {
  const { stream, sequence } = listed;
  const refuse = (problem: Problem, message: string, version: string | null): DistributionStreamResult => {
    const activeVersion = activeVersionOf(session, stream);
    const db = session.workstation.db;
    const entry = refusalLogged(db, stream, sequence, problem)
      ? null
      : commit(session.workstation, (append) =>
          append({
            actor: actorOf(session.user),
            type: 'distribution.refused',
            subjects: [hub, streamSubject(stream)],
            payload: { pv: PAYLOAD_VERSION, hub, stream, sequence, version, problem, activeVersion },
          }),
        ).sequence;
    return {
      stream,
      sequence,
      version: version ?? listed.version,
      status: 'refused',
      problem,
      message: `${stream} sequence ${sequence} refused: ${message}; ${activeInWords(session, stream, activeVersion)} stays in force`,
      entry,
    };
  };
  const response = await client.send(
    'GET',
    `/v1/distribution?stream=${encodeURIComponent(stream)}&sequence=${sequence}`,
  );
  if (response.status !== 200)
    throw new SyncError(`http_${response.status}`, `distribution ${stream} ${sequence}: ${response.text.trim()}`);
  const statement = StatementSchema.safeParse(jsonOrNull(response.text));
  if (!statement.success) return refuse('malformed', 'the hub answered with another shape', null);
  const claimed = readDistributionNote(statement.data.note);
  const claimedVersion = claimed.ok ? claimed.manifest.version : null;
  const content = base64ToBytes(statement.data.content);
  if (content === null) return refuse('malformed', 'the content is not canonical base64', claimedVersion);
  const check = verifyDistribution({
    note: statement.data.note,
    content,
    trustedKeys: [trusted],
    region,
    stream,
    activeSequence,
    sha256: nodeSha256,
  });
  if (!check.ok) return refuse(check.problem, check.message, claimedVersion);
  const { manifest, signer, signature } = check.value;
  const distribution: DistributionRefValue = {
    hub,
    stream,
    sequence: manifest.sequence,
    contentSha256: manifest.contentSha256,
    publishedAt: manifest.publishedAt,
    signer,
    signature,
  };
  const activated = (entry: number, message: string): DistributionStreamResult => ({
    stream,
    sequence,
    version: manifest.version,
    status: 'activated',
    message,
    entry,
  });
  if (manifest.kind === 'policy') {
    // Exactly the signed bytes (a BOM kept), so the entry's bundle hashes to the signed digest; not UTF-8 is refused.
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
    } catch {
      return refuse('content_invalid', 'the bundle is not UTF-8 text', manifest.version);
    }
    const policy = parsePolicyText(text, nodeSha256);
    if (!policy.ok)
      return refuse(
        'content_invalid',
        `the bundle is not a valid policy: ${policy.error
          .slice(0, 3)
          .map((i) => `${i.path} ${i.message}`)
          .join('; ')}`,
        manifest.version,
      );
    if (policy.value.version !== manifest.version)
      return refuse(
        'content_invalid',
        `the bundle is rule version ${policy.value.version}, not the signed ${manifest.version}`,
        manifest.version,
      );
    const { sequence: entry } = activateDistributedPolicy(session, { text, candidate: policy.value, distribution });
    return activated(entry, `policy ${manifest.label} (${manifest.version}) is active`);
  }
  const dir = listsDirIfAny(session.workstation);
  if (dir === null)
    return {
      stream,
      sequence,
      version: manifest.version,
      status: 'skipped',
      message: `${stream} sequence ${sequence}: this workstation has no list directory`,
      entry: null,
    };
  const pkg = readListPackage(content);
  if (!pkg.ok) return refuse('content_invalid', pkg.error, manifest.version);
  const listId = stream.slice('list:'.length);
  if (pkg.listId !== listId || pkg.contentSha256 !== manifest.version)
    return refuse(
      'content_invalid',
      `the package is list ${pkg.listId} version ${pkg.contentSha256}, not the signed ${listId} ${manifest.version}`,
      manifest.version,
    );
  const staged = stageListVersion(dir, {
    source: pkg.source,
    files: pkg.files,
    listId,
    ...(pkg.kind === undefined ? {} : { kind: pkg.kind }),
    importedAt: session.workstation.deps.now().toISOString(),
  });
  if (!staged.ok || staged.value.version.contentSha256 !== manifest.version)
    return refuse('content_invalid', 'the package does not stage as the signed version', manifest.version);
  const expectedActive = readManifestSync(dir).lists[listId]?.active ?? null;
  let done;
  try {
    done = activateStoredListVersion(
      session,
      { listId, version: staged.value.version.version, expectedActive },
      distribution,
    );
  } catch (error) {
    if (error instanceof WorkstationError && error.code === 'conflict')
      return refuse('activation_failed', error.message, manifest.version);
    throw error;
  }
  return activated(done.sequence, `list ${listId} version ${manifest.label} (${manifest.version}) is active`);
};
