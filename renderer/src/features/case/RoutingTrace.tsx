// The routing decision's trace as tables a reviewer can read: gates, entities and licences, rules, teams and what excluded each, reps, and who was chosen and why; names from the cited policy beside the ids.
import type { ReactElement } from 'react';
import type { TraceNames } from '../../../../core/routing/trace-names.ts';
import { humanise } from '../../app/labels.ts';
import {
  TEAM_CHECKS,
  chosenName,
  describeValue,
  factValue,
  hitText,
  licenceName,
  licenceVerdict,
  named,
  parseRoutingTrace,
  teamExclusionText,
} from './routing-trace-text.ts';
import type { Hit, Names, TraceV1, TraceV2 } from './routing-trace-text.ts';

export { describeValue } from './routing-trace-text.ts';

const Chosen = ({
  label,
  value,
  name,
}: {
  label: string;
  value: Record<string, unknown> | null;
  name: string;
}): ReactElement => (
  <div>
    <dt>{label}</dt>
    <dd>
      {value === null ? (
        'none chosen'
      ) : (
        <>
          <strong>{name}</strong>
          {typeof value.why === 'string' ? `: ${value.why}` : ''}
        </>
      )}
    </dd>
  </div>
);

/** A gate's inputs in words; the screening gate lists its open hits and the one that decided the queue. */
const StepInputs = ({ step }: { step: { constraint: string; inputs: Record<string, unknown> } }): ReactElement => {
  if (step.constraint !== 'screening.clear') return <>{describeValue(step.inputs)}</>;
  const { open, decidedBy, ...rest } = step.inputs;
  const hits = Array.isArray(open) ? (open as Hit[]) : [];
  const decided = decidedBy && typeof decidedBy === 'object' ? (decidedBy as Hit) : null;
  return (
    <>
      {describeValue(rest)}
      {hits.length > 0 && (
        <ul className="hits">
          {hits.map((hit, index) => (
            <li key={index}>Open hit: {hitText(hit)}</li>
          ))}
        </ul>
      )}
      {decided && (
        <p>
          <strong>Decided the queue</strong> ({humanise(String(decided.refusal))}): {hitText(decided)}
        </p>
      )}
    </>
  );
};

/** Format 1: every entity with each of its licences and verdicts, every team with its checks passed. */
const ListedCandidates = ({ t, names }: { t: TraceV1; names: Names }): ReactElement => (
  <>
    {t.entities.length > 0 && (
      <table className="data">
        <caption>Legal entities and their licences</caption>
        <thead>
          <tr>
            <th scope="col">Entity</th>
            <th scope="col">Licensed</th>
            <th scope="col">Licences</th>
          </tr>
        </thead>
        <tbody>
          {t.entities.map((entity) => (
            <tr key={entity.entityId}>
              <th scope="row">{named(names?.entities, entity.entityId)}</th>
              <td className={entity.licensed ? 'pass' : 'fail'}>{entity.licensed ? 'yes' : 'no'}</td>
              <td>
                {entity.licences
                  .map(
                    ([id, verdict]) =>
                      `${licenceName(names, id)}: ${licenceVerdict(verdict, t.jurisdiction.jurisdiction)}`,
                  )
                  .join('; ') || 'none'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}

    <table className="data">
      <caption>Teams considered</caption>
      <thead>
        <tr>
          <th scope="col">Team</th>
          <th scope="col">Checks passed</th>
          <th scope="col">Excluded by</th>
          <th scope="col">Preference</th>
        </tr>
      </thead>
      <tbody>
        {t.teams.length === 0 ? (
          <tr>
            <td colSpan={4}>No team was considered: routing stopped before team selection.</td>
          </tr>
        ) : (
          t.teams.map((team) => (
            <tr key={team.teamId}>
              <th scope="row">{named(names?.teams, team.teamId)}</th>
              <td title={`checked in order: ${TEAM_CHECKS.join(', ')}, then rules`}>{team.passed}</td>
              <td className={team.excludedBy ? 'fail' : 'pass'}>{team.excludedBy ?? 'eligible'}</td>
              <td>{team.preference ? `${team.preference} (${(team.preferredBy ?? []).join(', ')})` : '—'}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  </>
);

/** Formats 2 and 3: entities licensed or not, licences grouped by verdict, rules, teams eligible or grouped by what excluded them. */
const GroupedCandidates = ({ t, names }: { t: TraceV2; names: Names }): ReactElement => {
  const licenceGroups = Object.entries(t.licences);
  const excluded = Object.entries(t.teams.excludedBy);
  const entityList = (ids: readonly string[]): string =>
    ids.map((id) => named(names?.entities, id)).join(', ') || 'none';
  // The rules that applied, then the rest of the cited policy's rules (known when its names are here).
  const applied = new Set(t.rules?.applied ?? []);
  const rules = t.rules
    ? [
        ...t.rules.applied.map((id) => [id, true] as const),
        ...Object.keys(names?.rules ?? {})
          .filter((id) => !applied.has(id))
          .map((id) => [id, false] as const),
      ]
    : [];
  const teamExclusion = (check: string, teamId: string): string => teamExclusionText(t, names, check, teamId);
  return (
    <>
      <table className="data">
        <caption>Legal entities and their licences</caption>
        <thead>
          <tr>
            <th scope="col">Verdict</th>
            <th scope="col">Entities or licences</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Entities licensed for this path</th>
            <td className={t.entities.licensed.length > 0 ? 'pass' : 'fail'}>{entityList(t.entities.licensed)}</td>
          </tr>
          <tr>
            <th scope="row">Entities not licensed</th>
            <td>{entityList(t.entities.unlicensed)}</td>
          </tr>
          {licenceGroups.map(([verdict, ids]) => (
            <tr key={verdict}>
              <th scope="row">Licences {licenceVerdict(verdict, t.jurisdiction.jurisdiction)}</th>
              <td className={verdict.startsWith('covers:') ? 'pass' : 'fail'}>
                {ids.map((id) => {
                  const holder = names?.licences[id]?.entityId;
                  return (
                    <div key={id}>
                      {licenceName(names, id)}
                      {holder ? ` of ${names?.entities[holder] ?? holder}` : ''}
                    </div>
                  );
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {t.format === 3 && (
        <p className="muted">Licences are checked jurisdiction first, then product, customer type and dates.</p>
      )}

      {rules.length > 0 && (
        <table className="data">
          <caption>Firm rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Applied</th>
              <th scope="col">Facts read</th>
            </tr>
          </thead>
          <tbody>
            {rules.map(([id, applied]) => {
              const rule = names?.rules[id];
              const reads = rule?.reads ?? [];
              return (
                <tr key={id}>
                  <th scope="row">
                    {id}
                    {rule ? ` (${rule.effect}): ${rule.description}` : ''}
                  </th>
                  <td className={applied ? 'pass' : undefined}>{applied ? 'applied' : 'did not apply'}</td>
                  <td>
                    {reads.length === 0
                      ? rule
                        ? 'no condition: applies always'
                        : '—'
                      : reads.map((fact) => `${fact} = ${factValue(fact, t.rules?.facts ?? {})}`).join('; ')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <table className="data">
        <caption>Teams considered</caption>
        <thead>
          <tr>
            <th scope="col">Verdict</th>
            <th scope="col">Teams</th>
            <th scope="col">Preference</th>
          </tr>
        </thead>
        <tbody>
          {t.teams.eligible.length === 0 && excluded.length === 0 ? (
            <tr>
              <td colSpan={3}>No team was considered: routing stopped before team selection.</td>
            </tr>
          ) : (
            <>
              {t.teams.eligible.map((team) => (
                <tr key={team.teamId}>
                  <th scope="row">Eligible</th>
                  <td className="pass">{named(names?.teams, team.teamId)}</td>
                  <td>{team.preference ? `${team.preference} (${(team.preferredBy ?? []).join(', ')})` : '—'}</td>
                </tr>
              ))}
              {excluded.map(([check, ids]) => (
                <tr key={check}>
                  <th scope="row" title={`checked in order: ${TEAM_CHECKS.join(', ')}, then rules`}>
                    Excluded by{' '}
                    {check.startsWith('rule:')
                      ? `rule ${check.slice('rule:'.length)}`
                      : humanise(check.replace(/^team\./, '')).toLowerCase()}
                  </th>
                  <td className="fail">
                    {ids.map((id) => {
                      const why = teamExclusion(check, id);
                      return (
                        <div key={id}>
                          {named(names?.teams, id)}
                          {why ? `: ${why}` : ''}
                        </div>
                      );
                    })}
                  </td>
                  <td>—</td>
                </tr>
              ))}
            </>
          )}
        </tbody>
      </table>
    </>
  );
};

export const RoutingTrace = ({
  trace,
  names = null,
}: {
  trace: Record<string, unknown>;
  names?: TraceNames | null;
}): ReactElement => {
  const parsed = parseRoutingTrace(trace);
  if (parsed === null)
    return (
      <section aria-labelledby="trace-title">
        <h3 id="trace-title">Routing trace</h3>
        <pre className="raw">{JSON.stringify(trace, null, 2)}</pre>
      </section>
    );
  const { t } = parsed;
  return (
    <section aria-labelledby="trace-title" className="trace">
      <h3 id="trace-title">Routing trace</h3>
      <p className="muted">
        {names ? (
          <>
            Policy <strong>{names.policyName}</strong>, label <strong>{names.policyLabel}</strong> ·{' '}
          </>
        ) : null}
        Rule version <code title={t.ruleVersion}>{t.ruleVersion.slice(0, 19)}…</code> · decided {t.decidedAt} ·
        jurisdiction <strong>{t.jurisdiction.jurisdiction ?? 'untagged'}</strong> ({t.jurisdiction.status}
        {t.jurisdiction.markets.length > 0 ? `; markets ${t.jurisdiction.markets.join(', ')}` : ''})
        {t.jurisdiction.resolution ? ` — ${t.jurisdiction.resolution}` : ''}
      </p>

      <table className="data">
        <caption>Gates, in the order they were evaluated</caption>
        <thead>
          <tr>
            <th scope="col">Constraint</th>
            <th scope="col">Result</th>
            <th scope="col">Inputs</th>
          </tr>
        </thead>
        <tbody>
          {t.steps.map((step, index) => (
            <tr key={`${step.constraint}-${index}`}>
              <th scope="row">{step.constraint}</th>
              <td className={step.passed ? 'pass' : 'fail'}>{step.passed ? 'passed' : 'failed'}</td>
              <td>
                <StepInputs step={step} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {'format' in t ? <GroupedCandidates t={t} names={names} /> : <ListedCandidates t={t} names={names} />}

      {t.reps.length > 0 && (
        <table className="data">
          <caption>Reps</caption>
          <thead>
            <tr>
              <th scope="col">Rep</th>
              <th scope="col">Team</th>
              <th scope="col">Load / capacity</th>
              <th scope="col">Skipped</th>
            </tr>
          </thead>
          <tbody>
            {t.reps.map((rep) => (
              <tr key={`${rep.teamId}-${rep.repId}`}>
                <th scope="row">{named(names?.reps, rep.repId)}</th>
                <td>{named(names?.teams, rep.teamId)}</td>
                <td>
                  {rep.load ?? '—'} / {rep.capacity ?? '—'}
                </td>
                <td>{rep.skipped ? humanise(describeValue(rep.skipped)) : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <dl className="chosen">
        <Chosen label="Entity chosen" value={t.chosen.entity} name={chosenName(names?.entities, t.chosen.entity)} />
        <Chosen label="Team chosen" value={t.chosen.team} name={chosenName(names?.teams, t.chosen.team)} />
        <Chosen label="Rep chosen" value={t.chosen.rep} name={chosenName(names?.reps, t.chosen.rep)} />
      </dl>
    </section>
  );
};
