// The case list's filters: status, overdue only, a search (case id, lead id or subject prefix), sort and page size.
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import { PAGE_SIZES, STATUS_CHOICES, useQueues } from './queue-store.ts';
import type { SortKey, StatusChoice } from './queue-store.ts';

const SORT_LABEL: Readonly<Record<SortKey, string>> = {
  slaDueAt: 'SLA due',
  openedAt: 'Opened',
  risk: 'Risk',
  jurisdiction: 'Jurisdiction',
};

export const QueueFilters = (): ReactElement => {
  const { queue, status, overdueOnly, search, searchRevision, sort, direction, pageSize, setFilters } = useQueues();
  const [draft, setDraft] = useState(search);
  // A search set from elsewhere (a saved view) replaces what is being typed, even when it equals the last one sent.
  useEffect(() => setDraft(search), [search, searchRevision]);
  // Search as the officer types, but not on every keystroke.
  useEffect(() => {
    if (draft === search) return;
    const timer = setTimeout(() => setFilters({ search: draft }), 250);
    return () => clearTimeout(timer);
  }, [draft, search, setFilters]);

  return (
    <form className="filters" role="search" aria-label="Filter cases" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor="filter-search">Search</label>
        <input
          id="filter-search"
          type="search"
          placeholder="Case id, lead id or name"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select
          id="filter-status"
          value={status}
          disabled={queue === 'awaiting_mine'}
          onChange={(event) => setFilters({ status: event.target.value as StatusChoice })}
        >
          {(Object.keys(STATUS_CHOICES) as StatusChoice[]).map((choice) => (
            <option key={choice} value={choice}>
              {STATUS_CHOICES[choice].label}
            </option>
          ))}
        </select>
      </div>
      <div className="field checkbox">
        <input
          id="filter-overdue"
          type="checkbox"
          checked={overdueOnly}
          onChange={(event) => setFilters({ overdueOnly: event.target.checked })}
        />
        <label htmlFor="filter-overdue">Overdue only</label>
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort by</label>
        <select
          id="filter-sort"
          value={`${sort}:${direction}`}
          onChange={(event) => {
            const [key, dir] = event.target.value.split(':') as [SortKey, 'asc' | 'desc'];
            setFilters({ sort: key, direction: dir });
          }}
        >
          {(Object.keys(SORT_LABEL) as SortKey[]).flatMap((key) =>
            (['asc', 'desc'] as const).map((dir) => (
              <option key={`${key}:${dir}`} value={`${key}:${dir}`}>
                {SORT_LABEL[key]} {dir === 'asc' ? '(ascending)' : '(descending)'}
              </option>
            )),
          )}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-page-size">Rows per page</label>
        <select
          id="filter-page-size"
          value={pageSize}
          onChange={(event) => setFilters({ pageSize: Number(event.target.value) })}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
};
