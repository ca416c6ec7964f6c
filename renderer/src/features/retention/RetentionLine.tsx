// The retention report in one line (and its regimes on demand): when personal data was last purged, how much, and
// what each regime of the policy holds today. Shown to users the report is for (lead.erase or audit.read).
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime } from '../../app/labels.ts';

type Report = ApiResponse<'retention.report'>;

const lastRunText = (report: Report): string => {
  const last = report.lastRuns[0];
  if (!last) return 'nothing has expired and been purged yet';
  const regimes = last.rules
    .filter((rule) => rule.subjects !== '0')
    .map(
      (rule) =>
        `${rule.regime}${rule.subjects === null ? '' : `: ${rule.subjects} subject(s)`}, cut-off ${rule.cutoff.slice(0, 10)}`,
    )
    .join('; ');
  return `last purge ${formatTime(last.at)} by ${last.actor}: ${last.records} record(s)${regimes ? ` (${regimes})` : ''}`;
};

export const RetentionLine = (): ReactElement | null => {
  const [report, setReport] = useState<Report | null>(null);
  useEffect(() => {
    void call('retention.report', {}).then((reply) => {
      if (reply.ok) setReport(reply.value);
    });
  }, []);
  if (report === null) return null;
  return (
    <details className="retention-line" aria-label="Retention">
      <summary>Retention per regime runs by itself (at sign-in and daily): {lastRunText(report)}.</summary>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Regime</th>
            <th scope="col">Kept</th>
            <th scope="col">Cut-off today</th>
            <th scope="col">Subjects held</th>
            <th scope="col">Expired, purged at the next run</th>
          </tr>
        </thead>
        <tbody>
          {report.rules.map((rule) => (
            <tr key={rule.regime}>
              <td>{rule.regime}</td>
              <td>
                {rule.years} years{rule.required ? `, required (${rule.basis ?? 'legal minimum'})` : ''}
              </td>
              <td>{rule.cutoff.slice(0, 10)}</td>
              <td>{rule.heldSubjects}</td>
              <td>{rule.expiredSubjects}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
};
