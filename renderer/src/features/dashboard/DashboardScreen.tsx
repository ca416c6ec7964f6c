// The dashboard: open cases per queue by age (stacked bars, overdue beside each) and refusals by reason, within the
// signed-in user's markets (dashboard.summary).
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { RetentionLine } from '../retention/RetentionLine.tsx';
import { QUEUE_LABEL, formatTime, humanise } from '../../app/labels.ts';
import { BarChart } from './BarChart.tsx';
import type { Series } from './BarChart.tsx';

type Summary = ApiResponse<'dashboard.summary'>;

// Light to dark with age; each differs from its neighbours and from white by at least 3:1 where it matters.
const AGE_SERIES: readonly Series[] = [
  { key: 'under1d', label: 'Under 1 day', color: '#6fa8dc' },
  { key: 'from1dTo3d', label: '1 to 3 days', color: '#2f6fb3' },
  { key: 'from3dTo7d', label: '3 to 7 days', color: '#b45f06' },
  { key: 'over7d', label: 'Over 7 days', color: '#7a1f1f' },
];
const REFUSAL_SERIES: readonly Series[] = [{ key: 'count', label: 'Refused product paths', color: '#0b4f9c' }];

export const DashboardScreen = (): ReactElement => {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (): void => {
    void call('dashboard.summary', {}).then((reply) => {
      if (reply.ok) {
        setSummary(reply.value);
        setError(null);
      } else setError(reply.error.message);
    });
  };
  useEffect(load, []);
  const open = summary?.queues.reduce((sum, queue) => sum + queue.open, 0) ?? 0;
  const overdue = summary?.queues.reduce((sum, queue) => sum + queue.overdue, 0) ?? 0;
  const refused = summary?.refusals.reduce((sum, refusal) => sum + refusal.count, 0) ?? 0;
  return (
    <main className="page dashboard-page" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <RetentionLine />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {summary === null && !error && <p className="muted">Loading…</p>}
      {summary !== null && (
        <>
          <p className="muted dashboard-as-of">
            Within your markets, as of {formatTime(summary.at)}.{' '}
            <button type="button" onClick={load}>
              Refresh
            </button>
          </p>
          <dl className="dashboard-totals">
            <div>
              <dt>Open cases</dt>
              <dd data-total="open">{open}</dd>
            </div>
            <div>
              <dt>Overdue</dt>
              <dd data-total="overdue">{overdue}</dd>
            </div>
            <div>
              <dt>Refused product paths</dt>
              <dd data-total="refused">{refused}</dd>
            </div>
          </dl>
          <BarChart
            id="queue-ageing"
            title="Queue ageing: open cases by time since opening"
            summary={`${open} open cases in ${summary.queues.length} queues, ${overdue} of them overdue.`}
            series={AGE_SERIES}
            rowHeader="Queue"
            noteHeader="Overdue"
            rows={summary.queues.map((queue) => ({
              label: QUEUE_LABEL[queue.queue],
              values: [queue.age.under1d, queue.age.from1dTo3d, queue.age.from3dTo7d, queue.age.over7d],
              note: `${queue.overdue} overdue`,
            }))}
          />
          {summary.refusals.length === 0 ? (
            <p className="muted">No refused product paths in your markets.</p>
          ) : (
            <BarChart
              id="refusals"
              title="Refusals by reason: product paths whose routing decision is a refusal"
              summary={`${refused} refused product paths for ${summary.refusals.length} reasons.`}
              series={REFUSAL_SERIES}
              rowHeader="Reason"
              noteHeader="Queue"
              rows={summary.refusals.map((refusal) => ({
                label: humanise(refusal.reason),
                values: [refusal.count],
                note: QUEUE_LABEL[refusal.queue],
              }))}
            />
          )}
        </>
      )}
    </main>
  );
};
