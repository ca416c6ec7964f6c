// The licensing map and policy publication: the active policy as a map, a candidate's validation issues or diff, and
// publication as an audited meta-action through the one command path (the projector makes it the active policy).
import { isCurrentPayload, PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { hasPermission } from '../../../../core/access/roles.ts';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { diffCounts, diffPolicies } from '../../../../core/policy/diff.ts';
import { licensingMapOf, marketScope } from '../../../../core/policy/licensing-map.ts';
import { parsePolicyText } from '../../../../core/policy/parse.ts';
import type { LoadedPolicy, LocatedPolicyIssue } from '../../../../core/policy/parse.ts';
import type { JsonObject } from '../../../../core/audit/entry.ts';
import { approvalFields, requestMetaAction, requiresSecondApproval } from './duties.ts';
import type { MetaApplier, Pending } from './duties.ts';
import { nodeSha256 } from '../../audit/node-sha256.ts';
import { personalDataAt } from '../projection/projector.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';
import { staffRecord } from '../session/staff-records.ts';
import type { DistributionRefValue } from '../../sync/distribution-state.ts';

type Publication = Exclude<ApiResponse<'policy.publish'>, { pending: unknown }>;

const HISTORY = 20;

/** Reading the map: anyone who reads cases (cut to their markets) or publishes policy (all of it). */
const mayRead = (session: Session): { scoped: boolean } => {
  const { user } = session;
  if (hasPermission(user, 'policy.publish')) return { scoped: false };
  if (hasPermission(user, 'case.read')) return { scoped: !user.markets.includes('*') };
  throw new WorkstationError('forbidden', `${user.id} may not read the licensing map`);
};

const mustPublish = (session: Session): void => {
  if (!hasPermission(session.user, 'policy.publish'))
    throw new WorkstationError('forbidden', `${session.user.id} may not import or publish a policy`);
};

type PublishedEntry = { time: string; actor: string; payload: Record<string, unknown> };

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The policy.published entries of this log, newest first. */
const publications = (session: Session, limit: number): Publication[] =>
  session.workstation.db
    .prepare<[number], { sequence: number; canonical: Buffer }>(
      "SELECT sequence, canonical FROM audit_entries WHERE type = 'policy.published' ORDER BY sequence DESC LIMIT ?",
    )
    .all(limit)
    .map((row) => {
      const entry = JSON.parse(row.canonical.toString('utf8')) as PublishedEntry;
      return {
        ruleVersion: text(entry.payload.ruleVersion) ?? '',
        label: text(entry.payload.label) ?? '',
        publishedAt: entry.time,
        publishedBy: entry.actor,
        // Version 2 keeps the publisher's reason beside the log (a staff member's words about the firm's map, not a
        // lead's data: shown to readers of the map without a read entry; decision 0141); version 1 had it inline.
        reason: isCurrentPayload('policy.published', entry.payload)
          ? text(personalDataAt(session.workstation.db, row.sequence)?.reason)
          : text(entry.payload.reason),
        previousRuleVersion: text(entry.payload.previousRuleVersion),
        sequence: row.sequence,
      };
    });

const today = (session: Session): string => session.workstation.deps.now().toISOString().slice(0, 10);

export const currentPolicy = (session: Session): ApiResponse<'policy.current'> => {
  const { scoped } = mayRead(session);
  const active = session.workstation.policy();
  const { policy, version } = active.loaded;
  const asOf = today(session);
  const [published, ...history] = publications(session, HISTORY + 1);
  if (published === undefined || published.ruleVersion !== version)
    throw new WorkstationError('not_found', 'the active policy has no publication entry in this log');
  const map = licensingMapOf(policy, {
    asOf,
    ...(scoped ? { inScope: marketScope(active.compiled.vocabulary, session.user.markets) } : {}),
  });
  return {
    name: policy.name,
    firm: policy.firm,
    label: policy.version,
    ruleVersion: version,
    asOf,
    scoped,
    mayPublish: hasPermission(session.user, 'policy.publish'),
    published,
    history,
    map: structuredClone(map) as ApiResponse<'policy.current'>['map'],
  };
};

const issueOf = (issue: LocatedPolicyIssue) => ({
  line: issue.line ?? null,
  column: issue.column ?? null,
  path: issue.path,
  message: issue.message,
});

export const previewPolicy = (
  session: Session,
  request: { readonly fileName: string; readonly text: string },
): ApiResponse<'policy.preview'> => {
  mustPublish(session);
  const parsed = parsePolicyText(request.text, nodeSha256);
  if (!parsed.ok) return { valid: false, fileName: request.fileName, issues: parsed.error.map(issueOf) };
  const active = session.workstation.policy().loaded;
  const diff = diffPolicies(active.policy, parsed.value.policy);
  return {
    valid: true,
    fileName: request.fileName,
    ruleVersion: parsed.value.version,
    label: parsed.value.policy.version,
    activeRuleVersion: active.version,
    activeLabel: active.policy.version,
    alreadyActive: parsed.value.version === active.version,
    diff: structuredClone(diff) as Extract<ApiResponse<'policy.preview'>, { valid: true }>['diff'],
  };
};

export type PublishRequest = {
  readonly fileName: string;
  readonly text: string;
  readonly ruleVersion: string;
  readonly activeRuleVersion: string;
  readonly reason: string;
};

/**
 * Publishes a previewed policy: the text must still hash to the rule version the user saw, the active policy must be
 * the one the preview compared against, and it must differ from it. One policy.published entry records who, why, the
 * previous version and the bundle itself; routing uses the new version from the next decision on.
 */
export const publishPolicy = (session: Session, request: PublishRequest): Publication | Pending => {
  mustPublish(session);
  const parsed = parsePolicyText(request.text, nodeSha256);
  if (!parsed.ok)
    throw new WorkstationError(
      'invalid_input',
      `${request.fileName} is not a valid policy: ${parsed.error
        .slice(0, 5)
        .map((issue) => `${issue.line ?? '?'}:${issue.column ?? '?'}: ${issue.path} ${issue.message}`.trim())
        .join('; ')}`,
    );
  const candidate = parsed.value;
  if (candidate.version !== request.ruleVersion)
    throw new WorkstationError(
      'conflict',
      `${request.fileName} is rule version ${candidate.version}, not the ${request.ruleVersion} that was previewed: preview it again`,
    );
  const { user, workstation } = session;
  if (requiresSecondApproval(session, 'policy.publish')) {
    const active = workstation.policy().loaded;
    problemWithActive(active, request.activeRuleVersion, candidate.version);
    return requestMetaAction(session, {
      action: 'policy.publish',
      target: `policy:${candidate.version}`,
      change: {
        ruleVersion: candidate.version,
        label: candidate.policy.version,
        previousRuleVersion: active.version,
        previousLabel: active.policy.version,
        changes: diffCounts(diffPolicies(active.policy, candidate.policy)),
        bundle: request.text,
      },
      // The file's name is free text like the reason: beside the log (decision 0141).
      personal: { reason: request.reason, fileName: request.fileName },
    });
  }
  return commit(workstation, (append) => {
    // Checked inside the transaction, so two publishers cannot both pass against the same active version.
    const active = workstation.policy().loaded;
    problemWithActive(active, request.activeRuleVersion, candidate.version);
    const appended = append(
      publishedEvent(
        actorOf(user),
        { text: request.text, fileName: request.fileName },
        candidate,
        active,
        request.reason,
      ),
    );
    return {
      ruleVersion: candidate.version,
      label: candidate.policy.version,
      publishedAt: appended.entry.time,
      publishedBy: actorOf(user),
      reason: request.reason,
      previousRuleVersion: active.version,
      sequence: appended.sequence,
    };
  });
};

const problemWithActive = (active: LoadedPolicy, previewedAgainst: string, candidateVersion: string): void => {
  if (active.version !== previewedAgainst)
    throw new WorkstationError(
      'conflict',
      `the active policy changed since the preview (it is now ${active.policy.version}, ${active.version}): preview again`,
    );
  if (candidateVersion === active.version)
    throw new WorkstationError('conflict', `${candidateVersion} is already the active policy`);
};

const publishedEvent = (
  actor: string,
  file: { readonly text: string; readonly fileName: string },
  candidate: LoadedPolicy,
  active: LoadedPolicy,
  reason: string | null,
  approval: JsonObject = {},
) => ({
  actor,
  type: 'policy.published' as const,
  subjects: [`policy:${candidate.version}`],
  payload: {
    pv: PAYLOAD_VERSION,
    ruleVersion: candidate.version,
    label: candidate.policy.version,
    bundle: file.text,
    previousRuleVersion: active.version,
    previousLabel: active.policy.version,
    changes: diffCounts(diffPolicies(active.policy, candidate.policy)),
    ...approval,
  },
  // The publisher's reason and their file's name are free text: beside the log (decision 0141).
  personalData: staffRecord(`policy:${candidate.version}`, {
    ...(reason === null ? {} : { reason }),
    fileName: file.fileName,
  }),
});

/**
 * Applies an approved policy.publish: the bundle in the request must still be a valid policy of the requested rule
 * version, and the active policy the one the request was made against.
 */
export const applyPolicyPublish: MetaApplier = (session, append, request) => {
  const text = String(request.change.bundle);
  const parsed = parsePolicyText(text, nodeSha256);
  if (!parsed.ok || parsed.value.version !== request.change.ruleVersion)
    throw new WorkstationError('conflict', `${request.id}: the requested bundle no longer validates; reject it`);
  const active = session.workstation.policy().loaded;
  problemWithActive(active, String(request.change.previousRuleVersion), parsed.value.version);
  append(
    publishedEvent(
      `user:${request.requestedBy}`,
      { text, fileName: String(request.personal.fileName ?? request.change.fileName) },
      parsed.value,
      active,
      // The reason stays in the request's committed personal data, never copied into a hashed entry.
      null,
      approvalFields(request, session.user),
    ),
  );
};

/**
 * Activates a policy bundle distributed by the hub, after the device verified the publisher's signature over it
 * (decision 0254): the same `policy.published` entry as a local publication, naming the signed `distribution`. The
 * authority is the publisher's signature, so neither the signed-in user's `policy.publish` nor a second approval is
 * asked for; the entry's actor is the user whose session fetched it. The version already active is recorded too (the
 * device now runs under the signed statement), with no changes.
 */
export const activateDistributedPolicy = (
  session: Session,
  input: { readonly text: string; readonly candidate: LoadedPolicy; readonly distribution: DistributionRefValue },
): { readonly sequence: number; readonly previousRuleVersion: string } =>
  commit(session.workstation, (append) => {
    const active = session.workstation.policy().loaded;
    const appended = append(
      publishedEvent(
        actorOf(session.user),
        { text: input.text, fileName: `${input.distribution.stream}#${input.distribution.sequence}` },
        input.candidate,
        active,
        null,
        { distribution: { ...input.distribution } },
      ),
    );
    return { sequence: appended.sequence, previousRuleVersion: active.version };
  });
