// A policy diff as tables: licence cells added (green), removed (red) and changed (amber), always labelled in words,
// then entities, products, teams, reps, rules and other settings with their fields before and after.
import type { ReactElement } from 'react';
import type { Preview } from './licensing-store.ts';

type Diff = Extract<Preview, { valid: true }>['diff'];
type Change = Diff['licences'][number]['change'];
type ItemChange = Diff['teams'][number];

const CHANGE_LABEL: Readonly<Record<Change, string>> = { added: 'Added', removed: 'Removed', changed: 'Changed' };
const CHANGE_MARK: Readonly<Record<Change, string>> = { added: '+', removed: '−', changed: '~' };

export const ChangeBadge = ({ change }: { readonly change: Change }): ReactElement => (
  <span className={`diff-badge diff-badge-${change}`}>
    <span aria-hidden="true">{CHANGE_MARK[change]} </span>
    {CHANGE_LABEL[change]}
  </span>
);

const Value = ({ value }: { readonly value: string | null }): ReactElement =>
  value === null ? <span className="muted">(absent)</span> : <code className="diff-value">{value}</code>;

const Lines = ({ lines }: { readonly lines: readonly string[] }): ReactElement =>
  lines.length === 0 ? (
    <span className="muted">not licensed</span>
  ) : (
    <ul className="diff-lines">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );

const ItemTable = ({
  title,
  items,
}: {
  readonly title: string;
  readonly items: readonly ItemChange[];
}): ReactElement | null =>
  items.length === 0 ? null : (
    <table className="data diff-table">
      <caption>
        {title} ({items.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">Change</th>
          <th scope="col">Id</th>
          <th scope="col">Name</th>
          <th scope="col">What changed</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.change}-${item.id}`} className={`diff-${item.change}`}>
            <td>
              <ChangeBadge change={item.change} />
            </td>
            <th scope="row">{item.id}</th>
            <td>{item.name}</td>
            <td>
              {item.fields.length === 0 ? (
                <span className="muted">{item.change === 'added' ? 'new' : 'gone'}</span>
              ) : (
                <ul className="diff-lines">
                  {item.fields.map((field) => (
                    <li key={field.path}>
                      <code>{field.path}</code>: <Value value={field.before} /> → <Value value={field.after} />
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

export const PolicyDiffView = ({ diff }: { readonly diff: Diff }): ReactElement => {
  if (diff.identical) return <p className="notice">No difference from the active policy.</p>;
  const count = (change: Change): number => diff.licences.filter((item) => item.change === change).length;
  const others = diff.entities.length + diff.products.length + diff.teams.length + diff.reps.length + diff.rules.length;
  return (
    <section className="diff" aria-labelledby="diff-title">
      <h3 id="diff-title">What changes</h3>
      <p data-testid="diff-summary">
        Licence cells: {count('added')} added, {count('removed')} removed, {count('changed')} changed · {others} other
        records changed · {diff.settings.length} settings changed
        {diff.label && (
          <>
            {' '}
            · label {diff.label.before} → {diff.label.after}
          </>
        )}
      </p>
      {diff.licences.length > 0 && (
        <table className="data diff-table">
          <caption>Licences by entity × jurisdiction × product ({diff.licences.length})</caption>
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Entity</th>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Product</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.licences.map((item) => (
              <tr
                key={`${item.change}-${item.entityId}-${item.jurisdiction}-${item.productId}`}
                className={`diff-${item.change}`}
              >
                <td>
                  <ChangeBadge change={item.change} />
                </td>
                <td>
                  {item.entityName} <span className="lic-sub-inline">({item.entityId})</span>
                </td>
                <td>{item.jurisdiction}</td>
                <td>
                  {item.productName} <span className="lic-sub-inline">({item.productId})</span>
                </td>
                <td>
                  <Lines lines={item.before} />
                </td>
                <td>
                  <Lines lines={item.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ItemTable title="Legal entities and their licence records" items={diff.entities} />
      <ItemTable title="Products" items={diff.products} />
      <ItemTable title="Teams" items={diff.teams} />
      <ItemTable title="Reps" items={diff.reps} />
      <ItemTable title="Rules" items={diff.rules} />
      {diff.settings.length > 0 && (
        <table className="data diff-table">
          <caption>Other settings ({diff.settings.length})</caption>
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Setting</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.settings.map((field) => {
              const change: Change = field.before === null ? 'added' : field.after === null ? 'removed' : 'changed';
              return (
                <tr key={field.path} className={`diff-${change}`}>
                  <td>
                    <ChangeBadge change={change} />
                  </td>
                  <th scope="row">
                    <code>{field.path}</code>
                  </th>
                  <td>
                    <Value value={field.before} />
                  </td>
                  <td>
                    <Value value={field.after} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
};
