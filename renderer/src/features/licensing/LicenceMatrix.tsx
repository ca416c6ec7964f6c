// The licensing matrix: one row group per legal entity, a row per jurisdiction it holds or passports a licence in, a
// column per product; each cell says licensed or not in words, with the licences' conditions on hover, focus and for
// screen readers.
import type { ReactElement } from 'react';
import type { CurrentPolicy } from './licensing-store.ts';

type LicensingMap = CurrentPolicy['map'];
type Entity = LicensingMap['entities'][number];
type Cover = Entity['rows'][number]['cells'][number]['covers'][number];

export const STATUS_LABEL: Readonly<Record<Cover['status'], string>> = {
  in_force: 'Licensed',
  not_yet_in_force: 'Not yet in force',
  expired: 'Expired',
};

const cellState = (covers: readonly Cover[]): 'licensed' | 'pending' | 'none' =>
  covers.length === 0 ? 'none' : covers.some((cover) => cover.status === 'in_force') ? 'licensed' : 'pending';

const cellLabel = (covers: readonly Cover[]): string => {
  const state = cellState(covers);
  if (state === 'none') return 'Not licensed';
  if (state === 'licensed') return 'Licensed';
  return STATUS_LABEL[covers[0]?.status ?? 'not_yet_in_force'];
};

/** One line per covering licence: its id, basis, customer types and dates, plus its status when not in force. */
const conditionLines = (covers: readonly Cover[]): string[] =>
  covers.map((cover) =>
    cover.status === 'in_force' ? cover.summary : `${cover.summary} (${STATUS_LABEL[cover.status].toLowerCase()})`,
  );

export const LicenceMatrix = ({
  products,
  entities,
}: {
  readonly products: LicensingMap['products'];
  readonly entities: readonly Entity[];
}): ReactElement => (
  <div className="lic-matrix-wrap">
    <table className="data lic-matrix">
      <caption>Licences: legal entity and jurisdiction (rows) × product (columns)</caption>
      <thead>
        <tr>
          <th scope="col">Jurisdiction</th>
          {products.map((product) => (
            <th scope="col" key={product.id}>
              {product.name}
              <span className="lic-sub">
                {product.id} · {product.class.replace(/_/g, ' ')}
              </span>
            </th>
          ))}
        </tr>
      </thead>
      {entities.map((entity) => (
        <tbody key={entity.id}>
          <tr className="lic-entity">
            <th scope="rowgroup" colSpan={products.length + 1} id={`lic-entity-${entity.id}`}>
              {entity.name}{' '}
              <span className="lic-sub-inline">
                ({entity.id} · {entity.legalForm} · home {entity.home} · routing priority {entity.priority})
              </span>
            </th>
          </tr>
          {entity.rows.map((row) => (
            <tr key={row.jurisdiction} data-entity={entity.id} data-jurisdiction={row.jurisdiction}>
              <th scope="row">
                {row.jurisdiction}
                <span className="lic-sub">{row.description}</span>
              </th>
              {row.cells.map((cell) => {
                const state = cellState(cell.covers);
                const lines = conditionLines(cell.covers);
                return (
                  <td
                    key={cell.productId}
                    className={`lic-cell lic-${state}`}
                    data-product={cell.productId}
                    tabIndex={state === 'none' ? undefined : 0}
                  >
                    <span className="lic-mark" aria-hidden="true">
                      {state === 'licensed' ? '✓ ' : state === 'pending' ? '◷ ' : '— '}
                    </span>
                    <span className="lic-state">{cellLabel(cell.covers)}</span>
                    {cell.covers.length > 0 && (
                      <span className="lic-sub" aria-hidden="true">
                        {cell.covers
                          .map((cover) =>
                            cover.basis === 'passported' ? `${cover.licenceId} (passport)` : cover.licenceId,
                          )
                          .join(', ')}
                      </span>
                    )}
                    {lines.length > 0 && (
                      <>
                        <span className="lic-sr">. Conditions: {lines.join('. ')}</span>
                        <span className="lic-tip" aria-hidden="true">
                          {lines.map((line) => (
                            <span key={line}>{line}</span>
                          ))}
                        </span>
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  </div>
);
