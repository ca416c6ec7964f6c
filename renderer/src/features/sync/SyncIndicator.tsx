// The header's sync indicator: Offline when the last attempt could not reach the hub, Not enrolled, Revoked, Awaiting
// approval or Online; it opens the Sync screen.
import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { useView } from '../../app/view-store.ts';
import { syncBadge, useSync } from './sync-store.ts';

const REFRESH_MS = 60_000;

export const SyncIndicator = (): ReactElement | null => {
  const status = useSync((state) => state.status);
  const load = useSync((state) => state.load);
  const show = useView((state) => state.show);
  useEffect(() => {
    void load();
    const every = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(every);
  }, [load]);
  const badge = syncBadge(status);
  if (badge === null) return null;
  return (
    <button
      type="button"
      className={`sync-indicator sync-${badge.tone}`}
      aria-label={`Sync: ${badge.label}. Open the sync screen`}
      onClick={() => show('sync')}
    >
      <span aria-hidden="true" className="sync-dot" />
      <span>{badge.label}</span>
    </button>
  );
};
