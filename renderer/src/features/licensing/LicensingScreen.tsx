// The licensing map screen: the active policy's version and publication, the entity × jurisdiction × product matrix,
// the licences, teams and reps, filtered by entity and jurisdiction; and, for publishers, importing a new version.
import { useEffect, useMemo } from 'react';
import type { ReactElement } from 'react';
import { formatTime, humanise } from '../../app/labels.ts';
import { filterMap } from './licensing-filter.ts';
import { LicenceMatrix, STATUS_LABEL } from './LicenceMatrix.tsx';
import { useLicensing } from './licensing-store.ts';
import type { CurrentPolicy } from './licensing-store.ts';
import { PolicyImport } from './PolicyImport.tsx';

type LicensingMap = CurrentPolicy['map'];

const list = (values: readonly string[]): string => (values.length === 0 ? '—' : values.join(', '));
const actor = (value: string): string => value.replace(/^user:/, '');
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const jurisdictionOptions = (map: LicensingMap): string[] => {
  const options = new Set<string>();
  for (const entity of map.entities)
    for (const row of entity.rows) {
      options.add(row.jurisdiction);
      for (const code of row.codes) options.add(code);
    }
  for (const team of map.teams) for (const ref of team.jurisdictions) options.add(ref);
  return [...options].sort();
};

export const LicensingScreen = (): ReactElement => {
  const { current, error, entity, jurisdiction, load, setEntity, setJurisdiction } = useLicensing();
  useEffect(() => {
    void load();
  }, [load]);
  const shown = useMemo(
    () => (current === null ? null : filterMap(current.map, entity, jurisdiction)),
    [current, entity, jurisdiction],
  );

  return (
    <main className="page licensing" aria-labelledby="licensing-title">
      <h1 id="licensing-title">Licensing map</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {current === null && !error && <p className="muted">Loading…</p>}
      {current !== null && shown !== null && (
        <>
          <section aria-labelledby="lic-version-title" className="lic-version">
            <h2 id="lic-version-title">
              {current.name} <span className="lic-sub-inline">({current.firm})</span>
            </h2>
            <dl className="pairs">
              <div>
                <dt>Label</dt>
                <dd data-testid="policy-label">{current.label}</dd>
              </div>
              <div>
                <dt>Rule version</dt>
                <dd>
                  <code data-testid="rule-version">{current.ruleVersion}</code>
                </dd>
              </div>
              <div>
                <dt>Published</dt>
                <dd>
                  {formatTime(current.published.publishedAt)} by {actor(current.published.publishedBy)}
                </dd>
              </div>
              {current.published.reason !== null && (
                <div>
                  <dt>Reason</dt>
                  <dd>{current.published.reason}</dd>
                </div>
              )}
              <div>
                <dt>Status as of</dt>
                <dd>{current.asOf}</dd>
              </div>
            </dl>
            {current.scoped && <p className="notice">Only the part of the map inside your markets is shown.</p>}
          </section>

          <div className="filters lic-filters" role="group" aria-label="Filter the licensing map">
            <div className="field">
              <label htmlFor="lic-entity">Entity</label>
              <select id="lic-entity" value={entity} onChange={(event) => setEntity(event.target.value)}>
                <option value="">All entities</option>
                {current.map.entities.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="lic-jurisdiction">Jurisdiction</label>
              <select
                id="lic-jurisdiction"
                value={jurisdiction}
                onChange={(event) => setJurisdiction(event.target.value)}
              >
                <option value="">All jurisdictions</option>
                {jurisdictionOptions(current.map).map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </select>
            </div>
            <p className="muted lic-count" aria-live="polite">
              {[
                count(
                  shown.entities.reduce((sum, candidate) => sum + candidate.rows.length, 0),
                  'jurisdiction row',
                ),
                count(shown.teams.length, 'team'),
                count(shown.reps.length, 'rep'),
              ].join(', ')}
            </p>
          </div>

          {shown.entities.length === 0 ? (
            <p className="muted">No licence matches these filters.</p>
          ) : (
            <LicenceMatrix products={shown.products} entities={shown.entities} />
          )}

          <table className="data lic-licences">
            <caption>
              Licences ({shown.entities.reduce((sum, candidate) => sum + candidate.licences.length, 0)})
            </caption>
            <thead>
              <tr>
                <th scope="col">Licence</th>
                <th scope="col">Entity</th>
                <th scope="col">Regulator and regime</th>
                <th scope="col">Held in</th>
                <th scope="col">Passported into</th>
                <th scope="col">Products</th>
                <th scope="col">Customer types</th>
                <th scope="col">Valid</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {shown.entities.flatMap((candidate) =>
                candidate.licences.map((licence) => (
                  <tr key={licence.id}>
                    <th scope="row">
                      {licence.id}
                      {licence.reference !== null && <span className="lic-sub">ref. {licence.reference}</span>}
                    </th>
                    <td>{candidate.name}</td>
                    <td>
                      {licence.regulator}
                      <span className="lic-sub">{licence.regime}</span>
                    </td>
                    <td>{list(licence.jurisdictions)}</td>
                    <td>
                      {licence.passporting === null
                        ? '—'
                        : `${list(licence.passporting.into)} (within ${licence.passporting.area}${licence.passporting.validFrom ? `, from ${licence.passporting.validFrom}` : ''})`}
                    </td>
                    <td>
                      {list([...licence.products, ...licence.productClasses.map((name) => `class ${humanise(name)}`)])}
                    </td>
                    <td>{list(licence.customerTypes.map(humanise))}</td>
                    <td>
                      from {licence.validFrom}
                      {licence.validTo !== null && ` to ${licence.validTo}`}
                    </td>
                    <td>{STATUS_LABEL[licence.status]}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>

          <table className="data lic-teams">
            <caption>Teams ({shown.teams.length})</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Entity</th>
                <th scope="col">Markets and jurisdictions</th>
                <th scope="col">Products</th>
                <th scope="col">Customer types</th>
                <th scope="col">Attributes</th>
              </tr>
            </thead>
            <tbody>
              {shown.teams.map((team) => (
                <tr key={team.id}>
                  <th scope="row">
                    {team.name}
                    <span className="lic-sub">{team.id}</span>
                  </th>
                  <td>{team.entityName}</td>
                  <td>{list(team.jurisdictions)}</td>
                  <td>{list(team.products)}</td>
                  <td>{list(team.customerTypes.map(humanise))}</td>
                  <td>{list(Object.entries(team.attributes).map(([key, value]) => `${key}: ${String(value)}`))}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <table className="data lic-reps">
            <caption>Reps ({shown.reps.length})</caption>
            <thead>
              <tr>
                <th scope="col">Rep</th>
                <th scope="col">Team</th>
                <th scope="col">Authorised for</th>
                <th scope="col">Capacity (open assignments)</th>
                <th scope="col">Available</th>
                <th scope="col">Absences</th>
              </tr>
            </thead>
            <tbody>
              {shown.reps.map((rep) => (
                <tr key={rep.id}>
                  <th scope="row">
                    {rep.name}
                    <span className="lic-sub">{rep.id}</span>
                  </th>
                  <td>{rep.teamName}</td>
                  <td>
                    <ul className="diff-lines">
                      {rep.authorisations.map((authorisation, index) => (
                        <li key={index}>
                          {list(authorisation.products)} in {list(authorisation.jurisdictions)} for{' '}
                          {list(authorisation.customerTypes.map(humanise))}
                          {authorisation.validTo !== null && ` until ${authorisation.validTo}`}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{rep.capacity}</td>
                  <td>{rep.available ? 'Yes' : 'No'}</td>
                  <td>{list(rep.absences.map((absence) => `${absence.from} to ${absence.to}`))}</td>
                </tr>
              ))}
            </tbody>
          </table>

          {current.history.length > 0 && (
            <table className="data lic-history">
              <caption>Earlier publications ({current.history.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Published</th>
                  <th scope="col">By</th>
                  <th scope="col">Label</th>
                  <th scope="col">Rule version</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {current.history.map((publication) => (
                  <tr key={publication.sequence}>
                    <td>{formatTime(publication.publishedAt)}</td>
                    <td>{actor(publication.publishedBy)}</td>
                    <td>{publication.label}</td>
                    <td>
                      <code>{publication.ruleVersion}</code>
                    </td>
                    <td>{publication.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          {current.mayPublish && <PolicyImport />}
        </>
      )}
    </main>
  );
};
