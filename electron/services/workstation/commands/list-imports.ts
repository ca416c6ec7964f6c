// List imports in the workstation's log (decision 0133): a list version imported with a workstation given is a
// `list.imported` entry by the signed-in user with `lists.import`: list id, version (content hash), source, kinds and
// counts, so a clear screening can be traced to the list versions the log knows. A version that became active starts a
// re-screening run of the leads already here (decision 0193): its `monitoring.started` entry is in the same transaction.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import type { ImportOutcome } from '../../lists/store.ts';
import type { DistributionRefValue } from '../../sync/distribution-state.ts';
import { requirePermission } from '../session/access.ts';
import { appendMonitoringStarted } from './monitoring.ts';
import { actorOf, commit } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

/** Refuses (and the door logs) a user without `lists.import`, before anything is imported. */
export const requireListImport = (session: Session): void =>
  requirePermission(session, 'lists.import', 'import screening lists');

/**
 * Appends `list.imported` for an import that activated a version or found it already active, and for an activated one
 * `monitoring.started`; returns the entry's sequence and the run to carry out (null when nothing changed).
 */
export const recordListImported = (
  session: Session,
  outcome: ImportOutcome,
): { readonly sequence: number; readonly runId: string | null } => {
  requireListImport(session);
  return appendListImported(session, outcome);
};

/**
 * The entries of `recordListImported` without its permission check: for a list version distributed by the hub, whose
 * authority is the publisher's signature the device verified (decision 0254), named in `distribution`.
 */
export const appendListImported = (
  session: Session,
  outcome: ImportOutcome,
  distribution?: DistributionRefValue,
): { readonly sequence: number; readonly runId: string | null } => {
  const { version, diff } = outcome;
  const kinds = Object.keys(version.counts)
    .filter((key) => key.startsWith('kind.'))
    .map((key) => key.slice('kind.'.length))
    .sort();
  return commit(session.workstation, (append) => {
    const { sequence } = append({
      actor: actorOf(session.user),
      type: 'list.imported',
      subjects: [`list:${version.listId}`],
      payload: {
        pv: PAYLOAD_VERSION,
        list: version.listId,
        version: version.contentSha256,
        label: version.version,
        source: version.source,
        status: outcome.status,
        kinds,
        counts: { ...version.counts },
        changes: {
          previous: outcome.previous?.contentSha256 ?? null,
          added: diff.added.length,
          removed: diff.removed.length,
          changed: diff.changed.length,
          unchanged: diff.unchanged,
        },
        ...(distribution === undefined ? {} : { distribution: { ...distribution } }),
      },
    });
    const runId =
      outcome.status === 'activated'
        ? appendMonitoringStarted(session.workstation, append, outcome, session.user.id)
        : null;
    return { sequence, runId };
  });
};
