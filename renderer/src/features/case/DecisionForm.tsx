// The decision form: the dispositions this case type allows (each with its triage key) and a mandatory reason.
import { forwardRef } from 'react';
import type { FormEvent, KeyboardEvent, ReactElement } from 'react';
import { dispositionsFor } from '../../../../core/cases/case.ts';
import { DISPOSITION } from '../../app/labels.ts';
import type { Queue } from '../../app/labels.ts';
import { useCase } from './case-store.ts';

type Props = { readonly caseType: Queue; readonly onDecided: () => void };

export const DecisionForm = forwardRef<HTMLTextAreaElement, Props>(function DecisionForm(
  { caseType, onDecided },
  reasonRef,
): ReactElement {
  const { disposition, reason, assignment, busy, setDisposition, setReason, setAssignment, decide } = useCase();
  const allowed = dispositionsFor(caseType);
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    void decide().then((ok) => {
      if (ok) onDecided();
    });
  };
  // Enter confirms from the reason box; Shift+Enter starts a new line.
  const onReasonKey = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  };
  const reasonShort = reason.trim().length < 5;
  return (
    <form className="decision" onSubmit={submit} aria-labelledby="decision-title">
      <h3 id="decision-title">Decision</h3>
      <fieldset>
        <legend>Disposition</legend>
        <div className="dispositions">
          {allowed.map((choice) => (
            <label key={choice} className={disposition === choice ? 'choice chosen' : 'choice'}>
              <input
                type="radio"
                name="disposition"
                value={choice}
                checked={disposition === choice}
                onChange={() => setDisposition(choice)}
              />
              {DISPOSITION[choice].label}{' '}
              <kbd aria-label={`key ${DISPOSITION[choice].key}`}>{DISPOSITION[choice].key}</kbd>
            </label>
          ))}
        </div>
      </fieldset>
      {disposition === 'approve_assignment' && (
        <fieldset className="assignment">
          <legend>Assignment (checked against the licensing map; a deviation is recorded as an override)</legend>
          {(
            [
              ['entityId', 'Entity id'],
              ['teamId', 'Team id'],
              ['repId', 'Rep id'],
            ] as const
          ).map(([field, label]) => (
            <div className="field" key={field}>
              <label htmlFor={`assign-${field}`}>{label}</label>
              <input
                id={`assign-${field}`}
                value={assignment[field]}
                onChange={(event) => setAssignment({ [field]: event.target.value })}
              />
            </div>
          ))}
        </fieldset>
      )}
      <label htmlFor="decision-reason">Reason (required, at least 5 characters)</label>
      <textarea
        id="decision-reason"
        ref={reasonRef}
        rows={3}
        value={reason}
        aria-describedby="decision-hint"
        onChange={(event) => setReason(event.target.value)}
        onKeyDown={onReasonKey}
      />
      <p id="decision-hint" className="muted">
        Enter records the decision; Shift+Enter adds a line. An open case is claimed for you first.
      </p>
      <button type="submit" className="primary" disabled={busy || disposition === null || reasonShort}>
        Record decision
      </button>
    </form>
  );
});
