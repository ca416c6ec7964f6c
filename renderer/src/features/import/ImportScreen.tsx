// Importing leads: pick a CSV or JSON Lines file (a CSV's undocumented columns mapped to documented ones, with a
// preview of the first rows), choose all-or-nothing or valid-rows-only, follow the import's progress (it runs as a
// background job the officer may cancel, or leave and come back to), and see what happened; or add one lead by hand.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { humanise } from '../../app/labels.ts';
import { readFileText } from '../../app/read-file-text.ts';
import { AddLeadForm } from './AddLeadForm.tsx';
import { useImportJob } from './import-job-store.ts';
import type { ImportJobStatus } from './import-job-store.ts';
import {
  DOCUMENTED_COLUMNS,
  initialChoices,
  isDocumented,
  mappingOf,
  mappingProblems,
  previewCsv,
} from './csv-columns.ts';
import type { ColumnChoices, CsvPreview } from './csv-columns.ts';

type Result = ApiResponse<'leads.import'>;

/** How often a running import's status is read. */
const POLL_MS = 300;
const count = (n: number): string => new Intl.NumberFormat('en-GB').format(n);

const formatOf = (name: string): 'csv' | 'jsonl' | null =>
  /\.csv$/i.test(name) ? 'csv' : /\.(jsonl|ndjson)$/i.test(name) ? 'jsonl' : null;

export const ImportScreen = ({ onImported }: { onImported: () => void }): ReactElement => {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'all' | 'valid'>('all');
  const [sourceSystem, setSourceSystem] = useState('crm');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const job = useImportJob();
  const running = job.jobId !== null && (job.status === null || job.status.state === 'running');
  const finished = job.status !== null && job.status.state !== 'running' ? job.status : null;
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [choices, setChoices] = useState<ColumnChoices>({});

  const choose = async (chosen: File | null): Promise<void> => {
    setFile(chosen);
    setPreview(null);
    setChoices({});
    if (chosen === null || formatOf(chosen.name) !== 'csv') return;
    // Only the start of the file is needed for the header and three rows.
    const read = previewCsv(await chosen.slice(0, 256 * 1024).text());
    setPreview(read);
    setChoices(initialChoices(read.headers));
  };
  const problems = preview === null ? [] : mappingProblems(preview.headers, choices);

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
    const read = await readFileText(file);
    if (!read.ok) {
      setBusy(false);
      setError(read.message);
      return;
    }
    const content = read.text;
    const mapping = format === 'csv' ? mappingOf(choices) : {};
    const reply = await call('leads.startImport', {
      fileName: file.name,
      format,
      content,
      mode,
      sourceSystem,
      ...(Object.keys(mapping).length > 0 ? { columnMapping: mapping } : {}),
    });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    job.started(reply.value.jobId, mode, file.name);
  };

  // Poll the job while it runs (also after coming back to this screen); once it ends, the queue counts are reloaded.
  const importedRef = useRef(onImported);
  importedRef.current = onImported;
  const { jobId, refresh } = job;
  useEffect(() => {
    if (jobId === null) return;
    let stopped = false;
    let timer: number | undefined;
    const poll = async (): Promise<void> => {
      const latest = await refresh();
      if (stopped) return;
      if (latest === null) {
        // A failed read (not a forgotten job): try again a little later.
        if (useImportJob.getState().jobId === jobId) timer = window.setTimeout(() => void poll(), POLL_MS * 3);
        return;
      }
      if (latest.state === 'running') timer = window.setTimeout(() => void poll(), POLL_MS);
      else importedRef.current();
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [jobId, refresh]);

  return (
    <main className="page" aria-labelledby="import-title">
      <h1 id="import-title">Import leads</h1>
      <form className="import-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="import-file">Lead file (.csv or .jsonl)</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
          onChange={(event) => void choose(event.target.files?.[0] ?? null)}
        />
        {preview !== null && (
          <ColumnMapping
            preview={preview}
            choices={choices}
            problems={problems}
            onChoose={(header, target) => setChoices({ ...choices, [header]: target })}
          />
        )}
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
        <button
          type="submit"
          className="primary"
          disabled={busy || running || file === null || sourceSystem.trim() === '' || problems.length > 0}
        >
          {busy ? 'Reading the file…' : running ? 'Importing…' : 'Import'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {job.error && (
        <p role="alert" className="error">
          Could not read the import's progress: {job.error}
        </p>
      )}
      {running && (
        <ImportProgress
          fileName={job.fileName}
          mode={job.mode}
          status={job.status}
          onCancel={() => void job.cancel()}
        />
      )}
      {finished && <ImportEnd status={finished} mode={job.mode} fileName={job.fileName} />}
      {finished?.result && <ImportResult result={finished.result} />}
      <AddLeadForm onAdded={onImported} />
    </main>
  );
};

/** The running import: a progress bar, "12,000 of 100,000 leads", and the cancel button. */
const ImportProgress = ({
  fileName,
  mode,
  status,
  onCancel,
}: {
  fileName: string;
  mode: 'all' | 'valid';
  status: ImportJobStatus | null;
  onCancel: () => void;
}): ReactElement => {
  const processed = status?.processed ?? 0;
  const total = status?.total ?? 0;
  const text =
    status === null
      ? 'Starting…'
      : mode === 'valid'
        ? `${count(processed)} of ${count(total)} leads`
        : processed < total
          ? `${count(processed)} of ${count(total)} leads screened; all of them are written together at the end`
          : `Writing ${count(total)} leads in one go…`;
  return (
    <section className="import-progress" aria-labelledby="import-progress-title">
      <h2 id="import-progress-title">Importing {fileName}</h2>
      {status === null ? (
        <progress aria-labelledby="import-progress-title" aria-describedby="import-progress-text" />
      ) : (
        <progress
          aria-labelledby="import-progress-title"
          aria-describedby="import-progress-text"
          value={processed}
          max={Math.max(total, 1)}
        />
      )}
      <p id="import-progress-text" data-testid="import-progress-text">
        {text}
      </p>
      <p className="muted">You can leave this screen: the import goes on, and its result waits here.</p>
      <button type="button" onClick={onCancel}>
        Cancel import
      </button>
    </section>
  );
};

/** How the import ended, when it did not simply finish: cancelled, or stopped by an error. */
const ImportEnd = ({
  status,
  mode,
  fileName,
}: {
  status: ImportJobStatus;
  mode: 'all' | 'valid';
  fileName: string;
}): ReactElement | null => {
  const landed =
    mode === 'valid'
      ? `${count(status.result?.imported ?? 0)} leads were imported before it stopped; they stay.`
      : 'Nothing was imported (all or nothing).';
  if (status.state === 'cancelled')
    return (
      <p role="status" className="import-end">
        The import of {fileName} was cancelled after {count(status.processed)} of {count(status.total)} leads. {landed}
      </p>
    );
  if (status.state === 'failed')
    return (
      <p role="alert" className="error">
        The import of {fileName} stopped: {status.error?.message ?? 'an unknown error'}. {landed}
      </p>
    );
  return null;
};

/** What the import did: as leads.import answers it (for a cancelled or failed import, what landed before it stopped). */
const ImportResult = ({ result }: { result: Result }): ReactElement => (
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
            .map(([outcome, n]) => `${humanise(outcome)}: ${n}`)
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
);

/** One select per undocumented column (documented ones need none), then the first rows as the file has them. */
const ColumnMapping = ({
  preview,
  choices,
  problems,
  onChoose,
}: {
  preview: CsvPreview;
  choices: ColumnChoices;
  problems: readonly string[];
  onChoose: (header: string, target: ColumnChoices[string]) => void;
}): ReactElement => {
  const undocumented = preview.headers.filter((header) => !isDocumented(header));
  return (
    <section aria-labelledby="mapping-title" className="column-mapping">
      <h2 id="mapping-title">Columns</h2>
      {undocumented.length === 0 ? (
        <p>Every column of this file is a documented column.</p>
      ) : (
        <>
          <p className="muted">
            Match each column of the file to a documented lead column (see the lead file format), or leave it out.
            Columns left out are not imported.
          </p>
          <div className="mapping-grid">
            {undocumented.map((header, index) => (
              <div key={header} className="mapping-row">
                <label htmlFor={`map-${index}`}>Column “{header}”</label>
                <select
                  id={`map-${index}`}
                  value={choices[header] ?? ''}
                  onChange={(event) => onChoose(header, event.target.value as ColumnChoices[string])}
                >
                  <option value="">Leave out (not imported)</option>
                  {DOCUMENTED_COLUMNS.map((column) => (
                    <option key={column} value={column}>
                      {column}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        </>
      )}
      {problems.length > 0 && (
        <ul className="error" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Preview of the file">
        <table className="data preview">
          <caption>First {preview.rows.length} rows of the file</caption>
          <thead>
            <tr>
              {preview.headers.map((header, index) => {
                const target = isDocumented(header) ? header : choices[header];
                return (
                  <th scope="col" key={`${header}-${index}`}>
                    {header}
                    <span className="maps-to">{target ? `→ ${target}` : '(left out)'}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {preview.headers.map((header, index) => (
                  <td key={`${header}-${index}`}>{row[index] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
};
