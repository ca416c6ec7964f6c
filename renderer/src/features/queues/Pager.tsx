// Paging through a queue: where we are, how many cases match (exact, or "10,000+" when the count was capped).
import type { ReactElement } from 'react';
import { useQueues } from './queue-store.ts';

export const Pager = (): ReactElement => {
  const { page, pageSize, total, totalCapped, rows, setFilters } = useQueues();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : page * pageSize + 1;
  const last = page * pageSize + rows.length;
  const totalText = `${total.toLocaleString('en-GB')}${totalCapped ? '+' : ''}`;
  return (
    <div className="pager" role="group" aria-label="Pages">
      <span aria-live="polite">
        {first.toLocaleString('en-GB')}–{last.toLocaleString('en-GB')} of {totalText} cases
      </span>
      <button type="button" disabled={page === 0} onClick={() => setFilters({ page: page - 1 })}>
        Previous page
      </button>
      <span>
        Page {page + 1} of {pages.toLocaleString('en-GB')}
        {totalCapped ? '+' : ''}
      </span>
      <button type="button" disabled={!totalCapped && page + 1 >= pages} onClick={() => setFilters({ page: page + 1 })}>
        Next page
      </button>
    </div>
  );
};
