// The personal data one audit entry committed to (a reason, a name, a purpose), shown on request with a stated purpose:
// the read is itself recorded in the audit log (audit.personalData, decision 0177).
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { humanise } from '../../app/labels.ts';
import { describeValue } from '../case/RoutingTrace.tsx';

type Shown = ApiResponse<'audit.personalData'>;

export const EntryPersonalData = ({ sequence }: { sequence: string }): ReactElement => {
  const [purpose, setPurpose] = useState('');
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    void call('audit.personalData', { sequence, purpose: purpose.trim() }).then((reply) => {
      setBusy(false);
      if (reply.ok) setShown(reply.value);
      else setError(reply.error.message);
    });
  };
  if (shown !== null)
    return (
      <section aria-labelledby="entry-personal-title" className="personal">
        <h3 id="entry-personal-title">Personal data of this entry</h3>
        {shown.erased ? (
          <p>Erased: the data and its salt are gone; the commitment stays in the entry.</p>
        ) : (
          <>
            <p className="muted">
              Subject {shown.subject}, kept under {shown.regime}. This read was recorded in the audit log with your
              purpose.
            </p>
            <dl className="pairs">
              {Object.entries(shown.data ?? {}).map(([key, value]) => (
                <div key={key}>
                  <dt>{humanise(key)}</dt>
                  <dd>{describeValue(value)}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
      </section>
    );
  return (
    <form onSubmit={submit} className="purpose" aria-labelledby="entry-personal-title">
      <h3 id="entry-personal-title">Personal data of this entry</h3>
      <div className="field">
        <label htmlFor="entry-personal-purpose">Purpose of this read (recorded in the audit log)</label>
        <input
          id="entry-personal-purpose"
          value={purpose}
          onChange={(event) => setPurpose(event.target.value)}
          placeholder="e.g. review the reason of a decision"
        />
      </div>
      <button type="submit" disabled={busy || purpose.trim().length < 3}>
        Show personal data
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
};
