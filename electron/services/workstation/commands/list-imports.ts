// List imports in the workstation's log (decision 0133): a list version imported with a workstation given is a
// `list.imported` entry by the signed-in user with `lists.import`: list id, version (content hash), source, kinds and
// counts, so a clear screening can be traced to the list versions the log knows.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import type { ImportOutcome } from '../../lists/store.ts';
import { requirePermission } from '../session/access.ts';
import { actorOf, commit } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

/** Refuses (and the door logs) a user without `lists.import`, before anything is imported. */
export const requireListImport = (session: Session): void =>
  requirePermission(session, 'lists.import', 'import screening lists');

/** Appends `list.imported` for an import that activated a version or found it already active; returns its sequence. */
export const recordListImported = (session: Session, outcome: ImportOutcome): number => {
  requireListImport(session);
  const { version, diff } = outcome;
  const kinds = Object.keys(version.counts)
    .filter((key) => key.startsWith('kind.'))
    .map((key) => key.slice('kind.'.length))
    .sort();
  return commit(session.workstation, (append) =>
    append({
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
      },
    }),
  ).sequence;
};
