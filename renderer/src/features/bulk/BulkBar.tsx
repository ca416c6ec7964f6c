// Above the case list while cases are selected: how many, "Decide selected…" (the bulk form) and "Clear selection".
import type { ReactElement } from 'react';
import { useBulk } from './bulk-store.ts';

export const BulkBar = ({ mayDecide }: { readonly mayDecide: boolean }): ReactElement | null => {
  const { selected, formOpen, openForm, clear } = useBulk();
  if (selected.length === 0) return null;
  return (
    <div className="bulk-bar" role="region" aria-label="Selected cases">
      <span>
        <strong>{selected.length}</strong> {selected.length === 1 ? 'case' : 'cases'} selected
      </span>
      {mayDecide && (
        <button type="button" className="primary" onClick={openForm} disabled={formOpen}>
          Decide selected…
        </button>
      )}
      <button type="button" onClick={clear}>
        Clear selection
      </button>
    </div>
  );
};
