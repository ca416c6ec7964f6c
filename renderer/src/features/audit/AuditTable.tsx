// One page of audit entries as a table: TanStack Table v9 for the columns (the services order and page the log).
import type { ReactElement } from 'react';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useAudit } from './audit-store.ts';
import type { AuditEntryView } from './audit-store.ts';

const features = tableFeatures({});
const column = createColumnHelper<typeof features, AuditEntryView>();

const columns = column.columns([
  column.accessor('sequence', { header: 'Sequence' }),
  // To the second: entries of one minute are common, and their order matters.
  column.accessor('time', { header: 'Time (UTC)', cell: (info) => info.getValue().replace('T', ' ').slice(0, 19) }),
  column.accessor('type', { header: 'Event type', cell: (info) => <code>{info.getValue()}</code> }),
  column.accessor('actor', { header: 'Actor' }),
  column.accessor('subjects', { header: 'Subjects', cell: (info) => info.getValue().join(' ') }),
]);

export const AuditTable = (): ReactElement => {
  const { entries, selected, select, loading } = useAudit();
  const table = useTable({
    features,
    columns,
    data: entries as AuditEntryView[],
    getRowId: (row) => row.sequence,
  });
  return (
    <div className="audit-table-wrap">
      <table className="data audit-table" aria-label="Audit entries" aria-busy={loading}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  <table.FlexRender header={header} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const isSelected = row.id === selected;
            return (
              <tr
                key={row.id}
                data-sequence={row.id}
                aria-current={isSelected ? 'true' : undefined}
                className={isSelected ? 'selected' : undefined}
                onClick={() => select(row.id)}
              >
                {row.getAllCells().map((cell) =>
                  cell.column.id === 'sequence' ? (
                    <td key={cell.id}>
                      <button
                        type="button"
                        className="link"
                        aria-label={`Entry ${row.id}`}
                        onClick={() => select(row.id)}
                      >
                        {row.id}
                      </button>
                    </td>
                  ) : (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!loading && entries.length === 0 && <p className="empty">No entries match these filters.</p>}
    </div>
  );
};
