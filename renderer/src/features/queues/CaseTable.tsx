// The case list: TanStack Table v9 for columns and (server-side) sort state, TanStack Virtual so only visible rows render.
import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable } from '@tanstack/react-table';
import type { SortingState, Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CaseRow } from '../../../../core/api/contract.ts';
import { QUEUE_LABEL, STATUS_LABEL, formatTime, humanise } from '../../app/labels.ts';
import { useBulk } from '../bulk/bulk-store.ts';
import { useQueues } from './queue-store.ts';
import type { SortKey } from './queue-store.ts';

const ROW_HEIGHT = 36;
const features = tableFeatures({ rowSortingFeature });
const column = createColumnHelper<typeof features, CaseRow>();
const SORTABLE: ReadonlySet<string> = new Set<SortKey>(['slaDueAt', 'openedAt', 'risk', 'jurisdiction']);

const columns = column.columns([
  column.accessor('id', { header: 'Case', enableSorting: false }),
  column.accessor('subject', {
    header: 'Subject',
    enableSorting: false,
    cell: (info) => <span title={humanise(info.row.original.reason)}>{info.getValue()}</span>,
  }),
  column.accessor('type', { header: 'Queue', enableSorting: false, cell: (info) => QUEUE_LABEL[info.getValue()] }),
  column.accessor('risk', {
    header: 'Risk',
    cell: (info) => <span className={`risk risk-${info.getValue()}`}>{humanise(info.getValue())}</span>,
  }),
  column.accessor('jurisdiction', { header: 'Jurisdiction', cell: (info) => info.getValue() ?? '—' }),
  column.accessor('status', {
    header: 'Status',
    enableSorting: false,
    cell: (info) => STATUS_LABEL[info.getValue()],
  }),
  column.accessor('slaDueAt', {
    header: 'SLA due (UTC)',
    cell: (info) => (
      <>
        {formatTime(info.getValue()).replace(' UTC', '')}
        {info.row.original.overdue && <span className="badge overdue">overdue</span>}
      </>
    ),
  }),
]);

// Column widths as a CSS grid template: header and virtual rows share it, so the columns line up. The first column
// holds the bulk-selection checkboxes.
const GRID = '34px 68px minmax(110px, 1.3fr) minmax(110px, 1.1fr) 78px 104px 136px 222px';

export const CaseTable = (): ReactElement => {
  const { rows, sort, direction, selectedId, loading, setFilters, select } = useQueues();
  const { selected: picked, toggle, selectRange, setAll } = useBulk();
  const pageIds = rows.map((row) => row.id);
  const allPicked = pageIds.length > 0 && pageIds.every((id) => picked.includes(id));
  const somePicked = !allPicked && pageIds.some((id) => picked.includes(id));
  const allRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = somePicked;
  }, [somePicked]);
  const sorting: SortingState = [{ id: sort, desc: direction === 'desc' }];
  const table = useTable({
    features,
    columns,
    data: rows as CaseRow[],
    getRowId: (row) => row.id,
    manualSorting: true,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (first && SORTABLE.has(first.id))
        setFilters({ sort: first.id as SortKey, direction: first.desc ? 'desc' : 'asc' });
      else setFilters({ direction: direction === 'asc' ? 'desc' : 'asc' });
    },
  });
  const tableRows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => tableRows[index]?.id ?? index,
    overscan: 10,
  });

  // Keep the selected row in view as j / k move through the queue.
  const selectedIndex = tableRows.findIndex((row) => row.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  return (
    <div className="case-table-wrap" ref={scrollRef} tabIndex={-1}>
      <table className="case-table" aria-label="Cases" aria-rowcount={tableRows.length + 1} aria-busy={loading}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} style={{ gridTemplateColumns: GRID }} aria-rowindex={1}>
              <th scope="col" className="select-cell">
                <input
                  type="checkbox"
                  ref={allRef}
                  aria-label="Select every case on this page"
                  checked={allPicked}
                  disabled={pageIds.length === 0}
                  onChange={(event) => setAll(pageIds, event.target.checked)}
                />
              </th>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ' ↕'}</span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = tableRows[item.index];
            if (row === undefined) return null;
            const selected = row.id === selectedId;
            return (
              <tr
                key={row.id}
                data-case-id={row.id}
                aria-rowindex={item.index + 2}
                aria-current={selected ? 'true' : undefined}
                className={selected ? 'selected' : undefined}
                style={{ gridTemplateColumns: GRID, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => select(row.id)}
              >
                <td className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select case ${row.id} for a bulk decision`}
                    checked={picked.includes(row.id)}
                    // The click does not open the case; shift-click selects the range from the last case toggled.
                    onClick={(event) => event.stopPropagation()}
                    onChange={(event) =>
                      (event.nativeEvent as MouseEvent).shiftKey ? selectRange(row.id) : toggle(row.id)
                    }
                  />
                </td>
                {row.getAllCells().map((cell) =>
                  cell.column.id === 'id' ? (
                    <td key={cell.id} data-column={cell.column.id}>
                      <button type="button" className="link" onClick={() => select(row.id)}>
                        {row.original.id}
                      </button>
                    </td>
                  ) : (
                    <td key={cell.id} data-column={cell.column.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!loading && tableRows.length === 0 && <p className="empty">No cases match these filters.</p>}
    </div>
  );
};
