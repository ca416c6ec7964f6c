// The queue list: five review queues and "awaiting my approval" (cases and, for admins, user and policy changes), each with its open count and overdue badge; then
// the user's saved views.
import type { ReactElement } from 'react';
import { QUEUES, QUEUE_LABEL } from '../../app/labels.ts';
import { SavedViews } from '../views/SavedViews.tsx';
import { useQueues } from './queue-store.ts';
import { awaitingMine, useApprovals } from '../approvals/approvals-store.ts';
import type { QueueChoice } from './queue-store.ts';

export const QueueNav = (): ReactElement => {
  const { counts, queue, setFilters } = useQueues();
  // Cases awaiting my second pair of eyes, and the user or policy changes I may approve (empty unless an admin).
  const metaMine = awaitingMine(useApprovals((state) => state.requests)).length;
  const totalOpen = counts?.queues.reduce((sum, entry) => sum + entry.open, 0) ?? 0;
  const totalOverdue = counts?.queues.reduce((sum, entry) => sum + entry.overdue, 0) ?? 0;
  const entries: { id: QueueChoice; label: string; open: number | null; overdue: number }[] = [
    { id: 'all', label: 'All queues', open: counts ? totalOpen : null, overdue: totalOverdue },
    // Sync conflicts (decision 0244) are listed when there are any: a device that never synced never has one.
    ...[
      ...QUEUES,
      ...(counts?.queues.some((entry) => entry.queue === 'sync_conflict') ? (['sync_conflict'] as const) : []),
    ].map((id) => {
      const entry = counts?.queues.find((candidate) => candidate.queue === id);
      return { id, label: QUEUE_LABEL[id], open: entry?.open ?? null, overdue: entry?.overdue ?? 0 };
    }),
    {
      id: 'awaiting_mine',
      label: 'Awaiting my approval',
      open: counts ? counts.awaitingMyApproval + metaMine : null,
      overdue: 0,
    },
  ];
  return (
    <nav className="queue-nav" aria-label="Queues">
      <h2 className="nav-title">Queues</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className="queue-link"
              aria-current={queue === entry.id ? 'page' : undefined}
              onClick={() => setFilters({ queue: entry.id })}
            >
              <span className="queue-name">{entry.label}</span>
              <span className="queue-count" aria-label={`${entry.open ?? 'unknown'} active`}>
                {entry.open ?? '–'}
              </span>
              {entry.overdue > 0 && (
                <span className="badge overdue" aria-label={`${entry.overdue} overdue`}>
                  {entry.overdue} overdue
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      <SavedViews />
    </nav>
  );
};
