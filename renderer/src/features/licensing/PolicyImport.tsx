// Importing a new policy version: open a YAML or JSON file, see its problems by line or the diff against the active
// policy, give a reason, publish. Only offered to users who may publish; the services check again.
import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent, FormEvent, ReactElement } from 'react';
import { readFileText } from '../../app/read-file-text.ts';
import { useLicensing } from './licensing-store.ts';
import { PolicyDiffView } from './PolicyDiffView.tsx';
import { pendingNotice } from '../approvals/approvals-store.ts';

const MIN_REASON = 5;

export const PolicyImport = (): ReactElement => {
  const { candidate, importError, busy, published, previewFile, clearCandidate, publish } = useLicensing();
  const [reason, setReason] = useState('');
  const [inputKey, setInputKey] = useState(0);
  const publishedRef = useRef<HTMLParagraphElement>(null);
  // The publish button disappears with the candidate: keyboard focus moves to the confirmation instead of the page.
  useEffect(() => {
    if (published !== null) publishedRef.current?.focus();
  }, [published]);

  const choose = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (file === undefined) return;
    setReason('');
    const read = await readFileText(file);
    if (read.ok) await previewFile(file.name, read.text);
    else useLicensing.setState({ candidate: null, published: null, importError: read.message });
  };
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await publish(reason.trim())) {
      setReason('');
      setInputKey((key) => key + 1);
    }
  };
  const preview = candidate?.preview;

  return (
    <section className="lic-import" aria-labelledby="lic-import-title">
      <h2 id="lic-import-title">Import new version</h2>
      <p className="muted">
        Open a policy file (YAML or JSON, format in docs/policy.md). Nothing changes until you publish it; publication
        is recorded in the audit log with your reason.
      </p>
      <label htmlFor="lic-file">Policy file (.yaml, .yml or .json)</label>{' '}
      <input
        key={inputKey}
        id="lic-file"
        type="file"
        accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
        onChange={(event) => void choose(event)}
      />
      {busy && <p className="muted">Working…</p>}
      {importError && (
        <p role="alert" className="error">
          {importError}
        </p>
      )}
      {published && (
        <p role="status" className="notice lic-published" tabIndex={-1} ref={publishedRef}>
          {'pending' in published
            ? pendingNotice(published.pending)
            : `Published ${published.label} (${published.ruleVersion}). New routing decisions use it from now on.`}
        </p>
      )}
      {candidate && preview && !preview.valid && (
        <div role="alert" className="lic-issues">
          <table className="data">
            <caption>
              {preview.fileName} cannot be published: {preview.issues.length}{' '}
              {preview.issues.length === 1 ? 'problem' : 'problems'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {preview.issues.map((issue, index) => (
                <tr key={`${issue.line}-${issue.path}-${index}`}>
                  <td>{issue.line ?? '—'}</td>
                  <td>{issue.column ?? '—'}</td>
                  <td>
                    <code>{issue.path || '(document)'}</code>
                  </td>
                  <td>{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {candidate && preview && preview.valid && (
        <div className="lic-candidate">
          <dl className="pairs">
            <div>
              <dt>File</dt>
              <dd>{preview.fileName}</dd>
            </div>
            <div>
              <dt>New label</dt>
              <dd>{preview.label}</dd>
            </div>
            <div>
              <dt>New rule version</dt>
              <dd>
                <code data-testid="candidate-version">{preview.ruleVersion}</code>
              </dd>
            </div>
            <div>
              <dt>Compared with the active</dt>
              <dd>
                {preview.activeLabel} (<code>{preview.activeRuleVersion}</code>)
              </dd>
            </div>
          </dl>
          {preview.alreadyActive ? (
            <p className="notice">This file is the active policy already: there is nothing to publish.</p>
          ) : (
            <>
              <PolicyDiffView diff={preview.diff} />
              <form className="lic-publish" onSubmit={(event) => void submit(event)}>
                <label htmlFor="lic-reason">Reason for publishing (required, at least {MIN_REASON} characters)</label>
                <textarea
                  id="lic-reason"
                  rows={3}
                  value={reason}
                  required
                  minLength={MIN_REASON}
                  onChange={(event) => setReason(event.target.value)}
                />
                <div className="buttons">
                  <button type="submit" className="primary" disabled={busy || reason.trim().length < MIN_REASON}>
                    Publish {preview.label}
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      clearCandidate();
                      setReason('');
                      setInputKey((key) => key + 1);
                    }}
                  >
                    Discard
                  </button>
                </div>
              </form>
            </>
          )}
        </div>
      )}
    </section>
  );
};
