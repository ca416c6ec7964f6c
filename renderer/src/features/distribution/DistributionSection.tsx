// The Sync screen's Distribution section (decisions 0253–0255, 0276): the pinned publisher key (an operations admin pins
// it), each stream's active version, the version kept before it and what the hub offers that is newer; "Check the hub"
// reads the hub's listing, "Fetch and activate" verifies each newer statement and activates it or refuses it in words.
import { useEffect, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { UserDto } from '../../../../core/api/contract.ts';
import { formatTime, may } from '../../app/labels.ts';
import { useDistribution } from './distribution-store.ts';
import type { DistributionStatus } from './distribution-store.ts';

type Stream = DistributionStatus['streams'][number];

const streamName = (stream: Stream): string =>
  stream.kind === 'policy' ? 'Policy bundle' : `List ${stream.stream.slice('list:'.length)}`;

const short = (version: string): string => (version.length > 23 ? `${version.slice(0, 23)}…` : version);

const activeText = (stream: Stream): string => {
  if (stream.active === null) return 'none';
  const label = stream.active.label === null ? short(stream.active.version) : stream.active.label;
  const how =
    stream.active.sequence === null
      ? 'published on this workstation'
      : `distributed, sequence ${stream.active.sequence}`;
  return `${label} (${how}${stream.active.activatedAt ? `, since ${formatTime(stream.active.activatedAt)}` : ''})`;
};

const hubText = (stream: Stream, checked: boolean): string => {
  if (stream.hub === null) return checked ? 'nothing published' : 'not checked yet';
  return `${stream.hub.label}, sequence ${stream.hub.sequence} (published ${formatTime(stream.hub.publishedAt)})`;
};

const PinForm = ({ pinned }: { readonly pinned: boolean }): ReactElement => {
  const pinKey = useDistribution((state) => state.pinKey);
  const [key, setKey] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void pinKey(key.trim()).then((done) => done && setKey(''));
  };
  return (
    <form onSubmit={submit} aria-labelledby="distribution-pin-title" className="distribution-pin">
      <h3 id="distribution-pin-title">{pinned ? 'Replace the publisher key' : 'Pin the publisher key'}</h3>
      <p className="muted">
        Paste the verifier key the firm&rsquo;s publisher gave you (<code>perimeter-publisher/&lt;region&gt;+…</code>),
        never one read from the hub: it decides whose signature this workstation accepts.
      </p>
      <label>
        Publisher verifier key{' '}
        <input required size={60} spellCheck={false} value={key} onChange={(event) => setKey(event.target.value)} />
      </label>{' '}
      <button type="submit">Pin key</button>
    </form>
  );
};

export const DistributionSection = ({ user }: { readonly user: UserDto }): ReactElement => {
  const { status, error, load, check, fetch } = useDistribution();
  useEffect(() => {
    void load();
  }, [load]);
  if (status === null)
    return (
      <section aria-labelledby="distribution-title" className="sync-panel">
        <h2 id="distribution-title">Distributed policy and lists</h2>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </section>
    );
  const checked = status.checkedAt !== null;
  const pinned = status.publisherKey !== null;
  return (
    <section aria-labelledby="distribution-title" className="sync-panel">
      <h2 id="distribution-title">Distributed policy and lists</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {status.lastOutcome !== null && status.running === null && (
        <div role="status" className={status.lastOutcome.ok ? 'sync-outcome-ok' : 'error'}>
          <p>
            {status.lastOutcome.ok ? 'Last distribution run: ' : 'Last distribution run refused: '}
            {status.lastOutcome.message} ({formatTime(status.lastOutcome.at)})
          </p>
        </div>
      )}
      <dl className="facts">
        <dt>Publisher key</dt>
        <dd>
          {pinned ? (
            <code aria-label="Pinned publisher key">{status.publisherKeyId}</code>
          ) : (
            'none pinned: nothing distributed can be activated'
          )}
        </dd>
        <dt>Hub listing</dt>
        <dd>{checked ? `read ${formatTime(status.checkedAt!)}` : 'not read yet'}</dd>
      </dl>
      <table className="data">
        <caption>Streams</caption>
        <thead>
          <tr>
            <th scope="col">Stream</th>
            <th scope="col">Active here</th>
            <th scope="col">Kept before it</th>
            <th scope="col">At the hub</th>
            <th scope="col">State</th>
            <th scope="col">Last refusal</th>
          </tr>
        </thead>
        <tbody>
          {status.streams.map((stream) => (
            <tr key={stream.stream} data-stream={stream.stream}>
              <th scope="row">{streamName(stream)}</th>
              <td data-testid={`active-${stream.stream}`}>{activeText(stream)}</td>
              <td data-testid={`previous-${stream.stream}`}>
                {stream.previous === null ? '—' : (stream.previous.label ?? short(stream.previous.version))}
              </td>
              <td>{hubText(stream, checked)}</td>
              <td data-testid={`state-${stream.stream}`}>
                {stream.pending ? 'pending: newer at the hub' : checked ? 'up to date' : '—'}
              </td>
              <td>
                {stream.lastRefusal === null
                  ? '—'
                  : `sequence ${stream.lastRefusal.sequence}: ${stream.lastRefusal.problem} (${formatTime(stream.lastRefusal.at)})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" disabled={status.running !== null} onClick={() => void check()}>
          {status.running === 'check' ? 'Checking…' : 'Check the hub'}
        </button>{' '}
        <button
          type="button"
          className="primary"
          disabled={status.running !== null || !pinned}
          onClick={() => void fetch()}
        >
          {status.running === 'fetch' ? 'Fetching…' : 'Fetch and activate'}
        </button>
      </p>
      <p className="muted">
        Each newer statement is checked before it is activated: the pinned publisher&rsquo;s signature, this region, its
        stream, the content&rsquo;s digest, a newer sequence, and content that is the signed version. A statement that
        fails any check is refused and the version in force stays in force.
      </p>
      {may(user, 'user.manage') && may(user, 'policy.publish') && <PinForm pinned={pinned} />}
    </section>
  );
};
