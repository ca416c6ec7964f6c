// The audit verifier: open or drop an exported bundle, verify it in a worker, and compare two bundles. Offline.
import { useState } from 'react';
import type { DragEvent, ReactElement } from 'react';
import { VERDICT_LABEL, bundleView, compareView } from './verifier-view.ts';
import type { BundleView, CompareView } from './verifier-view.ts';
import { RegionResult } from './RegionResult.tsx';
import { regionView } from './region-view.ts';
import type { RegionView } from './region-view.ts';
import { useVerifierWorker } from './use-verifier-worker.ts';
import type { VerifierJobState } from './use-verifier-worker.ts';

const Progress = ({ state, label }: { state: VerifierJobState; label: string }): ReactElement | null => {
  if (state.status === 'idle') return null;
  const percent = state.status === 'running' ? state.percent : 100;
  const text = state.status === 'running' ? state.text : 'finished';
  return (
    <div className="verifier-progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${text}`}
        className="bar"
      >
        <div className="fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="muted">
        {percent}% · {text}
      </span>
    </div>
  );
};

const BundleResult = ({ view }: { view: BundleView }): ReactElement => (
  <section className={`verifier-result verdict-${view.verdict}`} aria-labelledby="verifier-result-title">
    <h3 id="verifier-result-title">
      Verdict: <span data-testid="verdict">{VERDICT_LABEL[view.verdict]}</span>
      {view.name && <span className="muted"> · {view.name}</span>}
    </h3>
    {view.error && (
      <p className="error" data-testid="unusable">
        {view.error}
      </p>
    )}
    {view.trust && (
      <p className={`trust trust-${view.trust.level}`}>
        <strong>Trust mode:</strong> <span data-testid="trust">{view.trust.label}</span>
        <br />
        <span className="muted">{view.trust.note}</span>
      </p>
    )}
    {view.firstFailure && (
      <div className="first-failure" data-testid="first-failure">
        <h4>First failure</h4>
        <dl className="facts">
          <div>
            <dt>Entry (sequence number)</dt>
            <dd data-testid="failing-entry">{view.firstFailure.entry ?? 'not at an entry'}</dd>
          </div>
          <div>
            <dt>Where</dt>
            <dd>{view.firstFailure.location}</dd>
          </div>
          <div>
            <dt>Problem</dt>
            <dd data-testid="failure-problem">{view.firstFailure.problem}</dd>
          </div>
        </dl>
        <p data-testid="failure-reason">{view.firstFailure.message}</p>
      </div>
    )}
    {view.summary && (
      <>
        <h4>Summary</h4>
        <dl className="facts">
          <div>
            <dt>Entries</dt>
            <dd data-testid="entry-count">{view.summary.entries.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>From</dt>
            <dd>{view.summary.firstTime ?? '—'}</dd>
          </div>
          <div>
            <dt>To</dt>
            <dd>{view.summary.lastTime ?? '—'}</dd>
          </div>
          <div>
            <dt>Log</dt>
            <dd>{view.summary.logId}</dd>
          </div>
          <div>
            <dt>Origin</dt>
            <dd>{view.summary.origin}</dd>
          </div>
          <div>
            <dt>Personal data</dt>
            <dd>{view.summary.personalData}</dd>
          </div>
        </dl>
        <div className="verifier-tables">
          <table className="data">
            <caption>Events by type</caption>
            <thead>
              <tr>
                <th scope="col">Event type</th>
                <th scope="col">Entries</th>
              </tr>
            </thead>
            <tbody>
              {view.summary.eventCounts.map(([type, count]) => (
                <tr key={type}>
                  <td>
                    <code>{type}</code>
                  </td>
                  <td>{count.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="data">
            <caption>Checkpoints ({view.summary.checkpoints.length})</caption>
            <thead>
              <tr>
                <th scope="col">Size</th>
                <th scope="col">Time of last entry</th>
                <th scope="col">Signed by</th>
                <th scope="col">Root</th>
              </tr>
            </thead>
            <tbody>
              {view.summary.checkpoints.map((checkpoint) => (
                <tr key={checkpoint.size}>
                  <td>{checkpoint.size.toLocaleString('en')}</td>
                  <td>{checkpoint.time}</td>
                  <td>{checkpoint.signedBy}</td>
                  <td>
                    <code className="hash">{checkpoint.root}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <table className="data">
          <caption>Signing keys ({view.summary.keys.length})</caption>
          <thead>
            <tr>
              <th scope="col">Key id</th>
              <th scope="col">Name</th>
              <th scope="col">Valid</th>
              <th scope="col">Announced</th>
              <th scope="col">Retired</th>
              <th scope="col">Trust</th>
            </tr>
          </thead>
          <tbody>
            {view.summary.keys.map((key) => (
              <tr key={key.keyId}>
                <td>
                  <code>{key.keyId}</code>
                </td>
                <td>{key.name}</td>
                <td>{key.window}</td>
                <td>{key.announcedAt}</td>
                <td>{key.retiredAt}</td>
                <td>{key.trust}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    )}
    {view.failures.length > 1 && (
      <details>
        <summary>
          All failures ({view.failures.length + view.unlisted}
          {view.unlisted > 0 ? `, first ${view.failures.length} listed` : ''})
        </summary>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">Where</th>
              <th scope="col">Problem</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {view.failures.map((failure, index) => (
              <tr key={index}>
                <td>{failure.entry ?? '—'}</td>
                <td>{failure.location}</td>
                <td>{failure.problem}</td>
                <td>{failure.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    )}
  </section>
);

const CompareResult = ({ view }: { view: CompareView }): ReactElement => (
  <section className={`verifier-result compare-${view.status}`} aria-labelledby="compare-result-title">
    <h3 id="compare-result-title">
      Result: <span data-testid="compare-status">{view.label}</span>
    </h3>
    {view.status !== 'unusable' && (
      <dl className="facts">
        <div>
          <dt>Older bundle</dt>
          <dd>
            {view.older.name}: {view.older.size ?? '?'} entries
          </dd>
        </div>
        <div>
          <dt>Newer bundle</dt>
          <dd>
            {view.newer.name}: {view.newer.size ?? '?'} entries
          </dd>
        </div>
        <div>
          <dt>Consistency proof</dt>
          <dd>{view.status === 'consistent' ? `${view.proofHashes} hashes, verified` : '—'}</dd>
        </div>
      </dl>
    )}
    {view.problems.length > 0 && (
      <ul className="error" data-testid="compare-problems">
        {view.problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    )}
    {view.trust && (
      <p>
        <strong>Trust mode:</strong> {view.trust}
      </p>
    )}
  </section>
);

const finishedText = (state: VerifierJobState, what: string): string => {
  if (state.status === 'running') return `${what}…`;
  if (state.status === 'failed') return `${what} stopped: ${state.error}`;
  return '';
};

export const VerifierScreen = (): ReactElement => {
  const [keys, setKeys] = useState('');
  const [bundle, setBundle] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [older, setOlder] = useState<File | null>(null);
  const [newer, setNewer] = useState<File | null>(null);
  const verify = useVerifierWorker();
  const compare = useVerifierWorker();

  const verifyFile = (file: File | null): void => {
    setBundle(file);
    if (file) verify.start({ kind: 'verify', keys, bundle: file });
  };
  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) verifyFile(file);
  };
  const verifyState = verify.state;
  const compareState = compare.state;
  const region: RegionView | null =
    verifyState.status === 'done' && verifyState.outcome.kind === 'region' ? regionView(verifyState.outcome) : null;
  const verified = verifyState.status === 'done' && region === null ? bundleView(verifyState.outcome) : null;
  const compared = compareState.status === 'done' ? compareView(compareState.outcome) : null;

  return (
    <main className="page verifier" aria-labelledby="verifier-title">
      <h1 id="verifier-title">Verify audit exports</h1>
      <p className="muted">
        Verification runs inside this window from the bundle&rsquo;s bytes alone; nothing is sent to the workstation or
        anywhere else.
      </p>

      <div className="verifier-keys">
        <label htmlFor="verifier-keys">Trusted verifier keys (optional)</label>
        <textarea
          id="verifier-keys"
          rows={2}
          spellCheck={false}
          value={keys}
          onChange={(event) => setKeys(event.target.value)}
          aria-describedby="verifier-keys-help"
        />
        <p id="verifier-keys-help" className="muted">
          One note verifier key per line (<code>name+keyid+base64</code>; <code># comments</code> allowed), obtained
          from the log&rsquo;s owner separately. With a key the verdict can be trust established; without one it is
          integrity only.
        </p>
      </div>

      <section aria-labelledby="verify-title" className="verifier-section">
        <h2 id="verify-title">Verify a bundle</h2>
        <div
          className={dragging ? 'drop-zone dragging' : 'drop-zone'}
          data-testid="drop-zone"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label htmlFor="verifier-bundle">Open bundle</label>
          <input
            id="verifier-bundle"
            type="file"
            accept=".zip,application/zip"
            onChange={(event) => {
              verifyFile(event.target.files?.[0] ?? null);
              // Choosing the same file again (after a drop, or after it changed on disk) verifies it again.
              event.target.value = '';
            }}
          />
          <p className="muted">
            or drop an exported bundle (.zip) anywhere in this box: an audit export of one workstation, or a region
            export of a sync hub (<code>perimeter hub export</code>)
          </p>
        </div>
        <div className="buttons">
          <button
            type="button"
            disabled={bundle === null || verifyState.status === 'running'}
            onClick={() => verifyFile(bundle)}
          >
            Verify again
          </button>
          {bundle && <span className="muted">{bundle.name}</span>}
        </div>
        <Progress state={verifyState} label="Verification progress" />
        <p role="status" className="live">
          {verifyState.status === 'done' && (verified ?? region)
            ? `Verification finished: ${VERDICT_LABEL[(verified ?? region)!.verdict]}`
            : finishedText(verifyState, 'Verifying')}
        </p>
        {verified && <BundleResult view={verified} />}
        {region && <RegionResult view={region} />}
      </section>

      <section aria-labelledby="compare-title" className="verifier-section">
        <h2 id="compare-title">Compare two bundles</h2>
        <p className="muted">
          Checks that a newer export of a log extends an older one: both verify, the same entries, and the older
          checkpoint is consistent with the newer one.
        </p>
        <div className="compare-inputs">
          <div className="field">
            <label htmlFor="verifier-older">Older bundle</label>
            <input
              id="verifier-older"
              type="file"
              accept=".zip,application/zip"
              onChange={(event) => setOlder(event.target.files?.[0] ?? null)}
            />
          </div>
          <div className="field">
            <label htmlFor="verifier-newer">Newer bundle</label>
            <input
              id="verifier-newer"
              type="file"
              accept=".zip,application/zip"
              onChange={(event) => setNewer(event.target.files?.[0] ?? null)}
            />
          </div>
        </div>
        <div className="buttons">
          <button
            type="button"
            className="primary"
            disabled={older === null || newer === null || compareState.status === 'running'}
            onClick={() => {
              if (older && newer) compare.start({ kind: 'compare', keys, older, newer });
            }}
          >
            Compare
          </button>
        </div>
        <Progress state={compareState} label="Comparison progress" />
        <p role="status" className="live">
          {compareState.status === 'done' && compared
            ? `Comparison finished: ${compared.label}`
            : finishedText(compareState, 'Comparing')}
        </p>
        {compared && <CompareResult view={compared} />}
      </section>
    </main>
  );
};
