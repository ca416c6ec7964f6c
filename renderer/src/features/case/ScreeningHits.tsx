// The screening hit side by side: the screened party as given beside each listed entry it hit, the aligned words
// numbered alike on both sides, and the score's parts. Shown on request (h): reading the party is an audited read.
import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { formatTime, humanise } from '../../app/labels.ts';
import { useHits } from './hits-store.ts';
import { NAME_ROLE_LABEL, formatListDate, formatNumber, formatSigned, hitKey, scoreParts } from './hit-view.ts';
import type { HitView, HitsView } from './hit-view.ts';

type Token = NonNullable<HitView['match']>['queryTokens'][number];

/** A name as matching read it, each word marked with the pair it aligns with (the same number on the other side). */
const AlignedName = ({ tokens, label }: { tokens: readonly Token[]; label: string }): ReactElement => (
  <span className="aligned" aria-label={label}>
    {tokens.map((token, position) =>
      token.pair === null ? (
        <span key={position} className="token unmatched" title="no counterpart on the other side">
          {token.text}
          <span className="visually-hidden"> (unmatched)</span>
        </span>
      ) : (
        <mark
          key={position}
          className={`token pair-${((token.pair - 1) % 6) + 1}`}
          title={`pair ${token.pair}: ${token.how}`}
        >
          {token.text}
          <sup aria-hidden="true">{token.pair}</sup>
          <span className="visually-hidden">
            {' '}
            (pair {token.pair}, {token.how})
          </span>
        </mark>
      ),
    )}
  </span>
);

const orDash = (values: readonly string[]): string => (values.length > 0 ? values.join(', ') : '—');

/** The screened party and the listed entry in one table, fact beside fact, so the officer compares like with like. */
const SideBySide = ({ view, hit }: { view: HitsView; hit: HitView }): ReactElement => {
  const party = view.parties.find((candidate) => candidate.party === hit.party);
  const { entry, list, match } = hit;
  const matched = entry.names.find((name) => name.matched);
  const given = (value: string | null | undefined): string => (party === undefined ? 'erased' : (value ?? '—'));
  return (
    <table className="data compare">
      <caption className="visually-hidden">
        The screened {hit.party} beside listed entry {list.listId} {entry.id}
      </caption>
      <thead>
        <tr>
          <td />
          <th scope="col" className="party-side">
            Screened {hit.party} (as given)
          </th>
          <th scope="col" className="entry-side">
            Listed {entry.type} · {list.listId} {entry.id}
          </th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Name</th>
          <td className="name-given">{given(party?.name)}</td>
          <td>{matched?.value ?? entry.names[0]?.value ?? entry.id}</td>
        </tr>
        {party !== undefined && match !== null && matched !== undefined && (
          <tr>
            <th scope="row">As matched</th>
            <td>
              <AlignedName tokens={match.queryTokens} label={`${party.name} as matched`} />
            </td>
            <td>
              <AlignedName tokens={match.listedTokens} label={`${matched.value} as matched`} />
            </td>
          </tr>
        )}
        <tr>
          <th scope="row">Date of birth</th>
          <td>{given(party?.dateOfBirth)}</td>
          <td>{orDash(entry.datesOfBirth.map(formatListDate))}</td>
        </tr>
        <tr>
          <th scope="row">Nationality</th>
          <td>{given(party?.nationality)}</td>
          <td>{orDash(entry.nationalities)}</td>
        </tr>
        <tr>
          <th scope="row">Country</th>
          <td>{given(party?.country)}</td>
          <td>{orDash(entry.countries)}</td>
        </tr>
      </tbody>
    </table>
  );
};

/** The rest of the listed entry: where it comes from, every name with its quality, programmes or topics, remarks. */
const EntryDetails = ({ hit }: { hit: HitView }): ReactElement => {
  const { entry, list } = hit;
  return (
    <>
      <table className="data names">
        <caption>Names of {entry.id}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Quality</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {entry.names.map((name, position) => (
            <tr key={position} className={name.matched ? 'matched-name' : undefined}>
              <td>
                {name.value}
                {name.matched && <span className="badge">matched</span>}
              </td>
              <td>{NAME_ROLE_LABEL[name.role]}</td>
              <td>{name.weak ? <span className="badge weak">weak alias</span> : 'good'}</td>
              <td>{name.score === null ? '—' : formatNumber(name.score)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="pairs">
        <div>
          <dt>List and version</dt>
          <dd>
            {list.listId} · version {list.version} ({list.source}
            {list.publishedAt ? `, published ${list.publishedAt.slice(0, 10)}` : ''}, imported{' '}
            {formatTime(list.importedAt)})
          </dd>
        </div>
        <div>
          <dt>{hit.listKind === 'sanctions' ? 'Programmes' : 'Topics'}</dt>
          <dd>{orDash(entry.programs)}</dd>
        </div>
        <div>
          <dt>Remarks</dt>
          <dd className="remarks">{entry.remarks ?? '—'}</dd>
        </div>
      </dl>
    </>
  );
};

const ScoreTable = ({ hit }: { hit: HitView }): ReactElement | null => {
  const { match } = hit;
  if (match === null) return null;
  return (
    <table className="data score-parts">
      <caption>
        Score {formatNumber(match.score)}
        {match.strength ? ` (${match.strength}` : ' (under the threshold today'}
        {match.strengthCapped ? ', capped: weak alias' : ''}) · recorded at screening {formatNumber(hit.score)} (
        {hit.strength})
      </caption>
      <thead>
        <tr>
          <th scope="col">Part</th>
          <th scope="col">Adds</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {scoreParts(match).map((part) => (
          <tr key={part.label} data-effect={part.effect}>
            <th scope="row">{part.label}</th>
            <td className={`effect-${part.effect}`}>
              {part.effect === 'base' ? formatNumber(part.value) : formatSigned(part.value)}
            </td>
            <td>{part.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const ScreeningHits = ({ caseId, decidable }: { caseId: string; decidable: boolean }): ReactElement => {
  const { view, loading, error, chosen, show, toggle, reset } = useHits();
  useEffect(() => reset(caseId), [caseId, reset]);
  const shown = view !== null && view.caseId === caseId ? view : null;
  const chosenKeys = new Set((chosen ?? []).map(hitKey));
  return (
    <section aria-labelledby="hits-title" className="screening-hits">
      <h3 id="hits-title">Screening hits side by side</h3>
      {shown === null ? (
        <div className="buttons">
          <button type="button" disabled={loading} onClick={() => void show(caseId)}>
            Show the hit side by side <kbd aria-label="key h">h</kbd>
          </button>
          <span className="muted">
            Shows the screened party's personal data: the read is recorded in the audit log.
          </span>
        </div>
      ) : (
        <>
          <p className="muted" role="status">
            This read of {shown.leadId}'s personal data was recorded in the audit log. Thresholds: potential{' '}
            {formatNumber(shown.thresholds.potential)}, strong {formatNumber(shown.thresholds.strong)}.
          </p>
          {shown.hits.length === 0 && <p>The lead has no hit of the kinds this queue reviews.</p>}
          {shown.hits.length > 0 && shown.hits.every((hit) => hit.resolution !== null) && (
            <p role="note" className="notice">
              Every hit of this case was resolved by a list update: its listed entry left the list. Nothing listed holds
              this lead now, but the case stays open until you decide it: a sanctions case is never closed by the
              system.
            </p>
          )}
          {shown.hits.map((hit, position) => (
            <article
              key={hitKey(hit.hit)}
              className="hit"
              aria-labelledby={`hit-title-${position}`}
              data-hit={hitKey(hit.hit)}
            >
              <h4 id={`hit-title-${position}`}>
                Hit {position + 1}: {humanise(hit.listKind)} · {hit.list.listId} {hit.hit.entryId}
                {hit.resolution !== null ? (
                  <span className="badge">resolved: entry removed from the list</span>
                ) : (
                  hit.cleared && <span className="badge">cleared</span>
                )}
              </h4>
              {decidable && !hit.cleared && (
                <label className="choice">
                  <input type="checkbox" checked={chosenKeys.has(hitKey(hit.hit))} onChange={() => toggle(hit.hit)} />
                  This decision covers hit {position + 1}
                </label>
              )}
              {hit.resolution !== null && (
                <p className="muted">
                  Resolved {hit.resolution.resolvedAt} by list update run {hit.resolution.run}
                  {hit.resolution.version !== null ? `, list version ${hit.resolution.version}` : ''}: the entry is no
                  longer listed ({hit.resolution.reason.replaceAll('_', ' ')}).
                </p>
              )}
              <SideBySide view={shown} hit={hit} />
              <ScoreTable hit={hit} />
              <EntryDetails hit={hit} />
            </article>
          ))}
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
};
