// Importing leads: pick a CSV or JSON Lines file, choose all-or-nothing or valid-rows-only, and see what happened.
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { humanise } from '../../app/labels.ts';

type Result = ApiResponse<'leads.import'>;

const formatOf = (name: string): 'csv' | 'jsonl' | null =>
  /\.csv$/i.test(name) ? 'csv' : /\.(jsonl|ndjson)$/i.test(name) ? 'jsonl' : null;

export const ImportScreen = ({ onImported }: { onImported: () => void }): ReactElement => {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'all' | 'valid'>('all');
  const [sourceSystem, setSourceSystem] = useState('crm');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (file === null) return;
    const format = formatOf(file.name);
    if (format === null) {
      setError('Choose a .csv or .jsonl file.');
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    const content = await file.text();
    const reply = await call('leads.import', { fileName: file.name, format, content, mode, sourceSystem });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    setResult(reply.value);
    onImported();
  };

  return (
    <main className="page" aria-labelledby="import-title">
      <h1 id="import-title">Import leads</h1>
      <form className="import-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="import-file">Lead file (.csv or .jsonl)</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <label htmlFor="import-source">Source system</label>
        <input id="import-source" value={sourceSystem} onChange={(event) => setSourceSystem(event.target.value)} />
        <fieldset>
          <legend>When a row is invalid</legend>
          <label className="choice">
            <input type="radio" name="mode" value="all" checked={mode === 'all'} onChange={() => setMode('all')} />
            Reject the whole file (nothing is imported)
          </label>
          <label className="choice">
            <input
              type="radio"
              name="mode"
              value="valid"
              checked={mode === 'valid'}
              onChange={() => setMode('valid')}
            />
            Import the valid rows and report the others
          </label>
        </fieldset>
        <button type="submit" className="primary" disabled={busy || file === null || sourceSystem.trim() === ''}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <section aria-labelledby="import-result-title" className="import-result" role="status">
          <h2 id="import-result-title">Import result</h2>
          <dl className="pairs">
            <div>
              <dt>Imported</dt>
              <dd data-testid="imported">{result.imported}</dd>
            </div>
            <div>
              <dt>Duplicates (already imported)</dt>
              <dd>{result.duplicates}</dd>
            </div>
            <div>
              <dt>Cases opened</dt>
              <dd data-testid="cases-opened">{result.casesOpened}</dd>
            </div>
            <div>
              <dt>Routing outcomes</dt>
              <dd>
                {Object.entries(result.decisions)
                  .map(([outcome, count]) => `${humanise(outcome)}: ${count}`)
                  .join(', ') || 'none'}
              </dd>
            </div>
          </dl>
          {result.rejected.length > 0 && (
            <table className="data">
              <caption>Rejected rows ({result.rejected.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {result.rejected.map((problem, index) => (
                  <tr key={`${problem.line}-${problem.field}-${index}`}>
                    <td>{problem.line}</td>
                    <td>{problem.field}</td>
                    <td>{problem.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </main>
  );
};
