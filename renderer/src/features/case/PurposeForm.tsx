// The purpose a reader states before personal data is shown: the read is recorded in the audit log with it.
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';

/** `read` asks for the data with the purpose and answers null when shown, else the problem to say. */
export const PurposeForm = ({
  inputId,
  placeholder,
  read,
}: {
  inputId: string;
  placeholder: string;
  read: (purpose: string) => Promise<string | null>;
}): ReactElement => {
  const [purpose, setPurpose] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    void read(purpose.trim()).then((problem) => {
      setBusy(false);
      setError(problem);
    });
  };
  return (
    <form onSubmit={submit} className="purpose">
      <div className="field">
        <label htmlFor={inputId}>Purpose of this read (recorded in the audit log)</label>
        <input
          id={inputId}
          value={purpose}
          onChange={(event) => setPurpose(event.target.value)}
          placeholder={placeholder}
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
