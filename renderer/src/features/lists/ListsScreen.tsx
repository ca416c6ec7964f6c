// Screening lists (operations admins; decision 0193): the active version of each list, uploading a new version and
// seeing what it adds, changes and removes before activating it, following the re-screening of the leads it starts
// (new cases go to the review queues), and the recent re-screening runs.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import { LIST_KINDS, LIST_SOURCES } from '../../../../core/screening/model.ts';
import type { ListKind, ListSource } from '../../../../core/screening/model.ts';
import { formatTime, humanise } from '../../app/labels.ts';
import { useView } from '../../app/view-store.ts';
import { useQueues } from '../queues/queue-store.ts';
import { fileBase64, useLists } from './lists-store.ts';
import type { ListPreview, RescreenRun } from './lists-store.ts';

/** How often a running re-screening's status is read. */
const POLL_MS = 400;
const count = (n: number): string => new Intl.NumberFormat('en-GB').format(n);

const SOURCE_LABEL: Readonly<Record<ListSource, string>> = {
  'ofac-sdn-csv': 'OFAC SDN, legacy CSV (sdn.csv with alt.csv, add.csv, sdn_comments.csv)',
  'ofac-enhanced-xml': 'OFAC Enhanced XML (or the ZIP it comes in)',
  'un-xml': 'UN Security Council consolidated list (XML)',
  'eu-fsf-xml': 'EU Financial Sanctions Files (XML 1.1)',
  'uk-sanctions-csv': 'UK Sanctions List (CSV)',
  'ftm-jsonl': 'OpenSanctions FollowTheMoney (JSON lines)',
  'senzing-json': 'Senzing entity records (JSON)',
  'csl-csv': 'US Consolidated Screening List (CSV)',
  blocklist: 'Internal list: one name a line, or CSV with a name column',
};

const runStateText = (run: RescreenRun): string =>
  run.state === 'done'
    ? 'Done'
    : run.state === 'stopped'
      ? `Stopped (${run.stopReason ?? 'unknown'})`
      : run.live
        ? 'Running'
        : 'Interrupted (not running here)';

export const ListsScreen = (): ReactElement => {
  const { overview, preview, run, busy, error, load, previewFiles, discard, activate, refreshRun } = useLists();
  const [source, setSource] = useState<ListSource>('ofac-sdn-csv');
  const [listId, setListId] = useState('');
  const [kind, setKind] = useState<ListKind | ''>('');
  const [files, setFiles] = useState<File[]>([]);
  const [inputKey, setInputKey] = useState(0);

  useEffect(() => {
    void load();
  }, [load]);

  // Follow the run while it runs (also after coming back to this screen); the store reloads the overview when it ends.
  const runId = run?.runId ?? null;
  const running = run !== null && run.state === 'running' && run.live;
  useEffect(() => {
    if (runId === null || !running) return;
    let stopped = false;
    let timer: number | undefined;
    const poll = async (): Promise<void> => {
      const latest = await refreshRun();
      if (stopped) return;
      if (latest !== null && latest.state === 'running' && latest.live)
        timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    timer = window.setTimeout(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [runId, running, refreshRun]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (files.length === 0) return;
    const encoded = await Promise.all(files.map(async (file) => ({ name: file.name, base64: await fileBase64(file) })));
    await previewFiles({
      source,
      files: encoded,
      ...(listId.trim() === '' ? {} : { listId: listId.trim() }),
      ...(kind === '' ? {} : { kind }),
    });
  };

  return (
    <main className="page lists-page" aria-labelledby="lists-title">
      <h1 id="lists-title">Screening lists</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {run !== null && <RunProgress run={run} />}
      <section aria-labelledby="lists-active-title">
        <h2 id="lists-active-title">Active lists</h2>
        {overview === null ? (
          <p className="muted">Loading…</p>
        ) : overview.lists.length === 0 ? (
          <p className="muted">No list has been imported into this workstation’s list directory yet.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">List</th>
                <th scope="col">Version</th>
                <th scope="col">Format</th>
                <th scope="col">Published</th>
                <th scope="col">Imported</th>
                <th scope="col">Entries</th>
              </tr>
            </thead>
            <tbody>
              {overview.lists.map((list) => (
                <tr key={list.listId}>
                  <td>{list.listId}</td>
                  <td>
                    <code>{list.version}</code>
                  </td>
                  <td>{list.source}</td>
                  <td>{list.publishedAt ?? '—'}</td>
                  <td>{formatTime(list.importedAt)}</td>
                  <td className="num">{count(list.entries)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="lists-upload-title">
        <h2 id="lists-upload-title">Upload a new version</h2>
        <p className="muted">
          The file is checked and compared with the active version of its list; nothing changes until you activate it.
          Activating re-screens the leads already here against what the new version adds or changes.
        </p>
        <form className="lists-upload" onSubmit={(event) => void submit(event)}>
          <label htmlFor="lists-source">File format</label>
          <select id="lists-source" value={source} onChange={(event) => setSource(event.target.value as ListSource)}>
            {LIST_SOURCES.map((value) => (
              <option key={value} value={value}>
                {SOURCE_LABEL[value]}
              </option>
            ))}
          </select>
          <label htmlFor="lists-files">List files</label>
          <input
            key={inputKey}
            id="lists-files"
            type="file"
            multiple
            onChange={(event) => setFiles([...(event.target.files ?? [])])}
          />
          <label htmlFor="lists-id">List id (optional; by default the file’s own, such as ofac-sdn)</label>
          <input id="lists-id" value={listId} onChange={(event) => setListId(event.target.value)} />
          <label htmlFor="lists-kind">Kind (optional; for files that do not say)</label>
          <select id="lists-kind" value={kind} onChange={(event) => setKind(event.target.value as ListKind | '')}>
            <option value="">From the file</option>
            {LIST_KINDS.map((value) => (
              <option key={value} value={value}>
                {humanise(value)}
              </option>
            ))}
          </select>
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy || files.length === 0 || running}>
              Show what changes
            </button>
          </div>
        </form>
        {busy && <p className="muted">Working…</p>}
        {preview !== null && (
          <PreviewView
            preview={preview}
            busy={busy || running}
            onActivate={() => {
              void activate().then(() => setInputKey((key) => key + 1));
            }}
            onDiscard={() => {
              discard();
              setInputKey((key) => key + 1);
            }}
          />
        )}
      </section>

      <section aria-labelledby="lists-runs-title">
        <h2 id="lists-runs-title">Re-screening runs</h2>
        {overview !== null && overview.runs.length === 0 ? (
          <p className="muted">No list update has re-screened the leads yet.</p>
        ) : (
          overview !== null && <RunsTable runs={overview.runs} />
        )}
      </section>
    </main>
  );
};

const EntryTable = ({
  caption,
  rows,
  more,
}: {
  caption: string;
  rows: readonly { id: string; name: string; fields?: readonly string[] }[];
  more: number;
}): ReactElement | null => {
  if (rows.length === 0) return null;
  const withFields = rows.some((row) => row.fields !== undefined);
  return (
    <table className="data lists-sample">
      <caption>
        {caption}
        {more > 0 ? ` (the first ${rows.length}; ${count(more)} more)` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Entry</th>
          <th scope="col">Name</th>
          {withFields && <th scope="col">Fields changed</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>
              <code>{row.id}</code>
            </td>
            <td>{row.name}</td>
            {withFields && <td>{row.fields?.join(', ')}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const PreviewView = ({
  preview,
  busy,
  onActivate,
  onDiscard,
}: {
  preview: ListPreview;
  busy: boolean;
  onActivate: () => void;
  onDiscard: () => void;
}): ReactElement => {
  const { version, previous, diff } = preview;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [version.version]);
  return (
    <section className="lists-preview" aria-labelledby="lists-preview-title">
      <h3 id="lists-preview-title" tabIndex={-1} ref={headingRef}>
        New version of {version.listId}: <code>{version.version}</code> (not active yet)
      </h3>
      <dl className="pairs">
        <div>
          <dt>Format</dt>
          <dd>{version.source}</dd>
        </div>
        <div>
          <dt>Published</dt>
          <dd>{version.publishedAt ?? 'not stated in the file'}</dd>
        </div>
        <div>
          <dt>Entries</dt>
          <dd>{count(version.entries)}</dd>
        </div>
        <div>
          <dt>Compared with</dt>
          <dd>
            {previous === null ? (
              'nothing: this is the first version of this list'
            ) : (
              <>
                the active version <code>{previous.version}</code> ({count(previous.entries)} entries, imported{' '}
                {formatTime(previous.importedAt)})
              </>
            )}
          </dd>
        </div>
      </dl>
      {preview.status === 'unchanged' ? (
        <p className="notice">This content is the active version already: there is nothing to activate.</p>
      ) : (
        <>
          <ul className="lists-counts" aria-label="What the new version changes">
            <li>
              <strong data-testid="diff-added">{count(diff.added)}</strong> added
            </li>
            <li>
              <strong data-testid="diff-changed">{count(diff.changed)}</strong> changed
            </li>
            <li>
              <strong data-testid="diff-removed">{count(diff.removed)}</strong> removed
            </li>
            <li>
              <strong>{count(diff.unchanged)}</strong> unchanged
            </li>
          </ul>
          <EntryTable caption="Added" rows={diff.sample.added} more={diff.added - diff.sample.added.length} />
          <EntryTable caption="Changed" rows={diff.sample.changed} more={diff.changed - diff.sample.changed.length} />
          <EntryTable caption="Removed" rows={diff.sample.removed} more={diff.removed - diff.sample.removed.length} />
          <p className="muted">
            Activating makes this the version new leads are screened against, and re-screens the leads already here
            against the {count(diff.added + diff.changed)} added and changed{' '}
            {diff.added + diff.changed === 1 ? 'entry' : 'entries'}: new hits open cases in the review queues; open hits
            on the {count(diff.removed)} removed {diff.removed === 1 ? 'entry' : 'entries'} are resolved. It is recorded
            in the audit log.
          </p>
        </>
      )}
      <div className="buttons">
        {preview.status === 'new' && (
          <button type="button" className="primary" disabled={busy} onClick={onActivate}>
            Activate and re-screen the leads
          </button>
        )}
        <button type="button" onClick={onDiscard} disabled={busy}>
          Discard
        </button>
      </div>
    </section>
  );
};

const RunProgress = ({ run }: { run: RescreenRun }): ReactElement => {
  const { cancelRun } = useLists();
  const show = useView((state) => state.show);
  const running = run.state === 'running' && run.live;
  const found = `${count(run.hits)} new ${run.hits === 1 ? 'hit' : 'hits'} on ${count(run.leadsWithHits)} ${run.leadsWithHits === 1 ? 'lead' : 'leads'}, ${count(run.casesOpened)} ${run.casesOpened === 1 ? 'case' : 'cases'} opened, ${count(run.suppressed)} held back by the allow-list, ${count(run.resolved)} open ${run.resolved === 1 ? 'hit' : 'hits'} resolved (entry removed)`;
  return (
    <section className="lists-progress" aria-labelledby="lists-progress-title">
      <h2 id="lists-progress-title">
        Re-screening against {run.listId} <code>{run.version}</code>
      </h2>
      <progress
        aria-labelledby="lists-progress-title"
        aria-describedby="lists-progress-text"
        value={run.leads}
        max={Math.max(run.total, 1)}
      />
      <p id="lists-progress-text" data-testid="rescreen-progress">
        {running ? '' : `${runStateText(run)}: `}
        {count(run.leads)} of {count(run.total)} leads re-screened against {count(run.added)} added and{' '}
        {count(run.changed)} changed entries. {found}.
      </p>
      {running ? (
        <>
          <p className="muted">You can leave this screen: the re-screening goes on, and its result waits here.</p>
          <button type="button" onClick={() => void cancelRun()}>
            Stop re-screening
          </button>
        </>
      ) : (
        run.casesOpened > 0 && (
          <button
            type="button"
            onClick={() => {
              useQueues.getState().setFilters({ queue: 'screening_review' });
              show('queues');
            }}
          >
            Open the screening review queue
          </button>
        )
      )}
    </section>
  );
};

const RunsTable = ({ runs }: { runs: readonly RescreenRun[] }): ReactElement => {
  const { resume, busy } = useLists();
  return (
    <table className="data">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">List</th>
          <th scope="col">Version</th>
          <th scope="col">Started</th>
          <th scope="col">By</th>
          <th scope="col">State</th>
          <th scope="col">Leads</th>
          <th scope="col">New hits</th>
          <th scope="col">Cases opened</th>
          <th scope="col">Held back</th>
          <th scope="col">Resolved</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.runId}>
            <td>{run.runId}</td>
            <td>{run.listId}</td>
            <td>
              <code>{run.version}</code>
            </td>
            <td>{formatTime(run.startedAt)}</td>
            <td>{run.requestedBy}</td>
            <td>
              {runStateText(run)}
              {run.state === 'running' && !run.live && (
                <>
                  {' '}
                  <button type="button" disabled={busy} onClick={() => void resume(run.runId)}>
                    Resume {run.runId}
                  </button>
                </>
              )}
            </td>
            <td className="num">
              {count(run.leads)} of {count(run.total)}
            </td>
            <td className="num">{count(run.hits)}</td>
            <td className="num">{count(run.casesOpened)}</td>
            <td className="num">{count(run.suppressed)}</td>
            <td className="num">{count(run.resolved)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
