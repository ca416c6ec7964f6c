// The bulk decision form (in place of the case view): one disposition valid for every selected case, then each case
// with its own mandatory reason, and after submitting each case's own result: decided, or the services' reason why not.
import { useEffect, useRef } from 'react';
import type { FormEvent, ReactElement } from 'react';
import { DISPOSITION, QUEUE_LABEL, STATUS_LABEL } from '../../app/labels.ts';
import { MIN_REASON, commonDispositions, useBulk } from './bulk-store.ts';
import type { BulkResult } from './bulk-store.ts';
import { Messages } from '../../app/Messages.tsx';

const outcome = (result: BulkResult): string => {
  if (!result.ok) return result.error.message;
  if (result.case.status === 'awaiting_approval') return 'Decision recorded; it needs a second officer’s approval.';
  if (result.case.status === 'closed') return 'Decision recorded; the case is closed.';
  return 'Decision recorded; the case stays open.';
};

export const BulkDecision = ({ onDone }: { readonly onDone: () => void }): ReactElement => {
  const { items, disposition, reasons, results, busy, error } = useBulk();
  const { setDisposition, setReason, copyReason, submit, closeForm } = useBulk();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const allowed = commonDispositions(items);
  const pending = items.filter((item) => !results[item.id]?.ok);
  const answered = items.filter((item) => results[item.id] !== undefined);
  const succeeded = answered.filter((item) => results[item.id]?.ok).length;
  const ready =
    disposition !== null &&
    pending.length > 0 &&
    pending.every((item) => (reasons[item.id] ?? '').trim().length >= MIN_REASON);
  const first = pending[0];
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void submit();
  };
  const close = (): void => {
    closeForm();
    onDone();
  };

  return (
    <section className="case-view bulk" aria-labelledby="bulk-title">
      <h2 id="bulk-title" ref={headingRef} tabIndex={-1}>
        Bulk decision: {items.length} {items.length === 1 ? 'case' : 'cases'}
      </h2>
      <p className="muted">
        Each case is claimed for you if it is open and decided on its own, with its own reason; one case failing does
        not stop the others.
      </p>
      <form onSubmit={onSubmit} aria-labelledby="bulk-title">
        <fieldset disabled={busy}>
          <legend>Disposition for every selected case</legend>
          {allowed.length === 0 ? (
            <p className="error">
              These cases have no disposition in common (approving an assignment is decided case by case).
            </p>
          ) : (
            <div className="dispositions">
              {allowed.map((choice) => (
                <label key={choice} className={disposition === choice ? 'choice chosen' : 'choice'}>
                  <input
                    type="radio"
                    name="bulk-disposition"
                    value={choice}
                    checked={disposition === choice}
                    onChange={() => setDisposition(choice)}
                  />
                  {DISPOSITION[choice].label}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <ol className="bulk-items">
          {items.map((item) => {
            const result = results[item.id];
            const done = result?.ok === true;
            return (
              <li key={item.id} className="bulk-item" data-bulk-case={item.id}>
                <div className="bulk-case">
                  <strong>{item.id}</strong> · {item.subject} · {QUEUE_LABEL[item.type]} · {STATUS_LABEL[item.status]}
                </div>
                <label htmlFor={`bulk-reason-${item.id}`}>Reason for {item.id} (required, at least 5 characters)</label>
                <textarea
                  id={`bulk-reason-${item.id}`}
                  rows={2}
                  value={reasons[item.id] ?? ''}
                  readOnly={done || busy}
                  aria-describedby={result ? `bulk-result-${item.id}` : undefined}
                  onChange={(event) => setReason(item.id, event.target.value)}
                />
                {result && (
                  <p
                    id={`bulk-result-${item.id}`}
                    className={result.ok ? 'bulk-result ok' : 'bulk-result error'}
                    data-testid={`bulk-result-${item.id}`}
                  >
                    {result.ok ? '✓ ' : '✗ '}
                    {outcome(result)}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
        <div className="buttons">
          {first !== undefined && pending.length > 1 && (
            <button
              type="button"
              disabled={busy || (reasons[first.id] ?? '').trim() === ''}
              onClick={() => copyReason(first.id)}
            >
              Copy the reason of {first.id} to all
            </button>
          )}
          {pending.length > 0 && (
            <button type="submit" className="primary" disabled={busy || !ready}>
              {answered.length > 0 ? 'Retry' : 'Record'} {pending.length}{' '}
              {pending.length === 1 ? 'decision' : 'decisions'}
            </button>
          )}
          <button type="button" onClick={close}>
            {answered.length > 0 ? 'Done' : 'Cancel'}
          </button>
        </div>
      </form>
      <Messages
        notice={
          answered.length > 0
            ? `${succeeded} of ${answered.length} decided${answered.length - succeeded > 0 ? `; ${answered.length - succeeded} not decided (see each case)` : ''}.`
            : null
        }
        error={error}
      />
    </section>
  );
};
