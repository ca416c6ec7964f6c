// The routing decision's trace as tables a reviewer can read: gates, entities and licences, teams and what excluded each, reps, and who was chosen and why.
import type { ReactElement } from 'react';
import * as z from 'zod';
import { humanise } from '../../app/labels.ts';

// The audit trace formats of core/routing/audit-trace.ts, read leniently: an unknown shape falls back to raw JSON.
// Format 2 (`format: 2`) groups licences and teams by verdict; format 1 (older entries) lists each with its verdict.
const CommonTrace = z.object({
  ruleVersion: z.string(),
  decidedAt: z.string(),
  steps: z.array(z.object({ constraint: z.string(), passed: z.boolean(), inputs: z.record(z.string(), z.unknown()) })),
  jurisdiction: z.object({
    status: z.string(),
    jurisdiction: z.string().nullable(),
    markets: z.array(z.string()),
    resolution: z.string().nullable().optional(),
    evidence: z.array(
      z.object({
        source: z.string(),
        value: z.unknown(),
        resolvedTo: z.unknown(),
        note: z.string().nullable().optional(),
      }),
    ),
  }),
  reps: z.array(
    z.object({
      repId: z.string(),
      teamId: z.string(),
      load: z.number().nullable().optional(),
      capacity: z.number().nullable().optional(),
      skipped: z.unknown(),
    }),
  ),
  chosen: z.object({
    entity: z.record(z.string(), z.unknown()).nullable(),
    team: z.record(z.string(), z.unknown()).nullable(),
    rep: z.record(z.string(), z.unknown()).nullable(),
  }),
});

const TraceV1Schema = CommonTrace.extend({
  entities: z.array(
    z.object({ entityId: z.string(), licensed: z.boolean(), licences: z.array(z.tuple([z.string(), z.string()])) }),
  ),
  teams: z.array(
    z.object({
      teamId: z.string(),
      passed: z.number(),
      excludedBy: z.string().nullable(),
      preference: z.number().optional(),
      preferredBy: z.array(z.string()).optional(),
    }),
  ),
});

const Ids = z.array(z.string());
const TraceV2Schema = CommonTrace.extend({
  format: z.literal(2),
  entities: z.object({ licensed: Ids, unlicensed: Ids }),
  licences: z.record(z.string(), Ids),
  teams: z.object({
    eligible: z.array(z.object({ teamId: z.string(), preference: z.number().optional(), preferredBy: Ids.optional() })),
    excludedBy: z.record(z.string(), Ids),
  }),
});
type TraceV1 = z.infer<typeof TraceV1Schema>;
type TraceV2 = z.infer<typeof TraceV2Schema>;

const TEAM_CHECKS = ['product authority', 'customer type', 'jurisdiction', 'authorised rep'];

/** A value as short readable text: arrays joined, objects as "key: value" pairs. */
export const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value))
    return value.length === 0
      ? 'none'
      : value
          .map((item) => (typeof item === 'object' && item !== null ? `[${describeValue(item)}]` : describeValue(item)))
          .join(', ');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}: ${describeValue(inner)}`)
      .join('; ');
  return String(value);
};

const licenceVerdict = (verdict: string): string =>
  verdict.startsWith('covers:') ? `covers (${verdict.slice('covers:'.length)})` : `excluded by ${verdict}`;

const Chosen = ({ label, value }: { label: string; value: Record<string, unknown> | null }): ReactElement => (
  <div>
    <dt>{label}</dt>
    <dd>{value === null ? 'none chosen' : describeValue(value)}</dd>
  </div>
);

/** Format 1: every entity with each of its licences and verdicts, every team with its checks passed. */
const ListedCandidates = ({ t }: { t: TraceV1 }): ReactElement => (
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
              <th scope="row">{entity.entityId}</th>
              <td className={entity.licensed ? 'pass' : 'fail'}>{entity.licensed ? 'yes' : 'no'}</td>
              <td>
                {entity.licences.map(([id, verdict]) => `${id}: ${licenceVerdict(verdict)}`).join('; ') || 'none'}
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
              <th scope="row">{team.teamId}</th>
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

/** Format 2: entities licensed or not, licences grouped by verdict, teams eligible or grouped by what excluded them. */
const GroupedCandidates = ({ t }: { t: TraceV2 }): ReactElement => {
  const licenceGroups = Object.entries(t.licences);
  const excluded = Object.entries(t.teams.excludedBy);
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
            <td className={t.entities.licensed.length > 0 ? 'pass' : 'fail'}>
              {t.entities.licensed.join(', ') || 'none'}
            </td>
          </tr>
          <tr>
            <th scope="row">Entities not licensed</th>
            <td>{t.entities.unlicensed.join(', ') || 'none'}</td>
          </tr>
          {licenceGroups.map(([verdict, ids]) => (
            <tr key={verdict}>
              <th scope="row">Licences: {licenceVerdict(verdict)}</th>
              <td className={verdict.startsWith('covers:') ? 'pass' : 'fail'}>{ids.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>

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
                  <td className="pass">{team.teamId}</td>
                  <td>{team.preference ? `${team.preference} (${(team.preferredBy ?? []).join(', ')})` : '—'}</td>
                </tr>
              ))}
              {excluded.map(([check, ids]) => (
                <tr key={check}>
                  <th scope="row" title={`checked in order: ${TEAM_CHECKS.join(', ')}, then rules`}>
                    Excluded by {check}
                  </th>
                  <td className="fail">{ids.join(', ')}</td>
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

export const RoutingTrace = ({ trace }: { trace: Record<string, unknown> }): ReactElement => {
  const parsed = 'format' in trace ? TraceV2Schema.safeParse(trace) : TraceV1Schema.safeParse(trace);
  if (!parsed.success)
    return (
      <section aria-labelledby="trace-title">
        <h3 id="trace-title">Routing trace</h3>
        <pre className="raw">{JSON.stringify(trace, null, 2)}</pre>
      </section>
    );
  const t = parsed.data;
  return (
    <section aria-labelledby="trace-title" className="trace">
      <h3 id="trace-title">Routing trace</h3>
      <p className="muted">
        Rule version <code>{t.ruleVersion.slice(0, 19)}…</code> · decided {t.decidedAt} · jurisdiction{' '}
        <strong>{t.jurisdiction.jurisdiction ?? 'untagged'}</strong> ({t.jurisdiction.status}
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
              <td>{describeValue(step.inputs)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {'format' in t ? <GroupedCandidates t={t} /> : <ListedCandidates t={t} />}

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
                <th scope="row">{rep.repId}</th>
                <td>{rep.teamId}</td>
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
        <Chosen label="Entity chosen" value={t.chosen.entity} />
        <Chosen label="Team chosen" value={t.chosen.team} />
        <Chosen label="Rep chosen" value={t.chosen.rep} />
      </dl>
    </section>
  );
};
