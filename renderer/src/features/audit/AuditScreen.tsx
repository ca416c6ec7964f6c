// The audit log screen (auditors): filter the log, page through it, read one entry, export CSV, JSON or the bundle.
import { useEffect, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import { AUDIT_EVENT_TYPES } from '../../../../core/audit/event-types.ts';
import { humanise } from '../../app/labels.ts';
import { RetentionLine } from '../retention/RetentionLine.tsx';
import { AuditTable } from './AuditTable.tsx';
import { EntryPersonalData } from './EntryPersonalData.tsx';
import { PAGE_SIZE, useAudit } from './audit-store.ts';
import type { AuditEntryView, AuditFilterForm, ExportFormat } from './audit-store.ts';

const EXPORTS: readonly { format: ExportFormat; name: string; hint: string }[] = [
  { format: 'csv', name: 'CSV', hint: 'the entries the filter selects, as a spreadsheet' },
  { format: 'json', name: 'JSON', hint: 'the entries the filter selects, one canonical JSON entry a line' },
  { format: 'bundle', name: 'regulator bundle', hint: 'the whole log, signed, verifiable offline' },
];

const Filters = (): ReactElement => {
  const { filter, order, apply } = useAudit();
  const [form, setForm] = useState<AuditFilterForm>(filter);
  const [formOrder, setFormOrder] = useState(order);
  const change = (field: keyof AuditFilterForm) => (event: { target: { value: string } }) =>
    setForm({ ...form, [field]: event.target.value });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void apply(form, formOrder);
  };
  const clear = (): void => {
    const empty = { type: '', actor: '', subject: '', from: '', to: '' };
    setForm(empty);
    setFormOrder('newest');
    void apply(empty, 'newest');
  };
  return (
    <form className="audit-filters" onSubmit={submit} aria-label="Filter the audit log">
      <label>
        Event type
        <select value={form.type} onChange={change('type')}>
          <option value="">Every type</option>
          {AUDIT_EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <label>
        Actor
        <input value={form.actor} onChange={change('actor')} placeholder="user:ada or ada" />
      </label>
      <label>
        Subject
        <input value={form.subject} onChange={change('subject')} placeholder="lead:L-1042, case:C-7KQ2M-1043" />
      </label>
      <label>
        From (UTC)
        <input type="datetime-local" value={form.from} onChange={change('from')} />
      </label>
      <label>
        To (UTC, not included)
        <input type="datetime-local" value={form.to} onChange={change('to')} />
      </label>
      <label>
        Order
        <select value={formOrder} onChange={(event) => setFormOrder(event.target.value as 'newest' | 'oldest')}>
          <option value="newest">Newest first</option>
          <option value="oldest">By sequence (oldest first)</option>
        </select>
      </label>
      <div className="audit-filter-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
};

const Pager = (): ReactElement => {
  const { cursors, entries, total, totalCapped, nextCursor, logSize, loading, next, previous, first } = useAudit();
  const pageNumber = cursors.length;
  const from = (pageNumber - 1) * PAGE_SIZE + (entries.length > 0 ? 1 : 0);
  const to = (pageNumber - 1) * PAGE_SIZE + entries.length;
  return (
    <nav className="pager" aria-label="Audit pages">
      <span aria-live="polite">
        {loading
          ? 'Loading…'
          : `Entries ${from.toLocaleString('en')}–${to.toLocaleString('en')} of ${total.toLocaleString('en')}${totalCapped ? '+' : ''} matching (log holds ${logSize.toLocaleString('en')})`}
      </span>
      <button type="button" onClick={() => void first()} disabled={pageNumber <= 1}>
        First page
      </button>
      <button type="button" onClick={() => void previous()} disabled={pageNumber <= 1}>
        Previous page
      </button>
      <button type="button" onClick={() => void next()} disabled={nextCursor === null}>
        Next page
      </button>
    </nav>
  );
};

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

const Payload = ({ payload }: { payload: Record<string, unknown> }): ReactElement => {
  const keys = Object.keys(payload);
  if (keys.length === 0) return <p className="muted">No payload fields.</p>;
  return (
    <dl className="audit-payload">
      {keys.map((key) => {
        const value = payload[key];
        return (
          <div key={key}>
            <dt>{key}</dt>
            <dd>
              {isScalar(value) ? (
                <span className="payload-scalar">{String(value)}</span>
              ) : (
                <pre tabIndex={0} aria-label={`${key} (JSON)`}>
                  {JSON.stringify(value, null, 2)}
                </pre>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
};

const Detail = ({ entry }: { entry: AuditEntryView | null }): ReactElement => (
  // Focusable: on a short window or with a long payload the entry scrolls inside the panel, and a scroll region must be
  // reachable by keyboard (axe).
  <aside className="audit-detail" aria-labelledby="audit-entry-title" tabIndex={0}>
    {entry === null ? (
      <p className="muted" id="audit-entry-title">
        Select an entry to read it.
      </p>
    ) : (
      <>
        <h2 id="audit-entry-title">
          Entry {entry.sequence}: <code>{entry.type}</code>
        </h2>
        <p className="muted">{humanise(entry.type)}</p>
        <dl className="facts">
          <div>
            <dt>Time</dt>
            <dd>{entry.time.replace('T', ' ').replace('Z', ' UTC')}</dd>
          </div>
          <div>
            <dt>Actor</dt>
            <dd>{entry.actor}</dd>
          </div>
          <div>
            <dt>Subjects</dt>
            <dd>{entry.subjects.join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>Personal data</dt>
            <dd>
              {entry.commitment === null
                ? 'none'
                : 'held beside the log, bound by a salted commitment (shown below on request, with a purpose)'}
            </dd>
          </div>
          <div>
            <dt>Leaf hash</dt>
            <dd>
              <code className="hash">{entry.leafHash}</code>
            </dd>
          </div>
        </dl>
        <h3>Payload</h3>
        <Payload payload={entry.payload} />
        {entry.commitment !== null && <EntryPersonalData key={entry.sequence} sequence={entry.sequence} />}
      </>
    )}
  </aside>
);

export const AuditScreen = (): ReactElement => {
  const { entries, selected, error, exporting, exportMessage, load, exportAs } = useAudit();
  useEffect(() => {
    void load();
  }, [load]);
  const entry = entries.find((candidate) => candidate.sequence === selected) ?? null;
  return (
    <main className="page audit-page" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <RetentionLine />
      <Filters />
      <section className="audit-exports" aria-label="Export">
        {EXPORTS.map(({ format, name }) => (
          <button
            key={format}
            type="button"
            onClick={() => void exportAs(format)}
            disabled={exporting !== null}
            aria-describedby={`export-hint-${format}`}
          >
            {exporting === format ? 'Exporting…' : `Export ${name}`}
          </button>
        ))}
        <ul className="muted export-hints">
          {EXPORTS.map(({ format, name, hint }) => (
            <li key={format} id={`export-hint-${format}`}>
              {name.charAt(0).toUpperCase() + name.slice(1)}: {hint}.
            </li>
          ))}
        </ul>
        <p className="muted">
          Exports never include personal data, and each one is itself recorded in the log (<code>audit.exported</code>).
        </p>
        {exportMessage && (
          <p role="status" className={exportMessage.startsWith('Export failed') ? 'error' : 'ok'}>
            {exportMessage}
          </p>
        )}
      </section>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="audit-body">
        <section className="audit-list" aria-label="Entries">
          <AuditTable />
          <Pager />
        </section>
        <Detail entry={entry} />
      </div>
    </main>
  );
};
