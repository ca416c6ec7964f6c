// A region export's verdict on the verifier screen: the region's device logs, every failed check, every proven fork.
import type { ReactElement } from 'react';
import type { RegionView } from './region-view.ts';
import { VERDICT_LABEL } from './verifier-view.ts';

export const RegionResult = ({ view }: { view: RegionView }): ReactElement => (
  <section className={`verifier-result verdict-${view.verdict}`} aria-labelledby="region-result-title">
    <h3 id="region-result-title">
      Verdict: <span data-testid="verdict">{VERDICT_LABEL[view.verdict]}</span>
      <span className="muted"> · region export · {view.name}</span>
    </h3>
    <p data-testid="region-headline">{view.headline}</p>
    <p className="muted">
      The hub&rsquo;s keys are read from the export&rsquo;s manifest: compare them with the keys the hub publishes (
      <code>GET /v1/identity</code>) before trusting the result.
    </p>
    {view.problems.length > 0 && (
      <table className="data" data-testid="region-problems">
        <caption>Failed checks ({view.problems.length})</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Origin</th>
            <th scope="col">Entries</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {view.problems.map((problem, index) => (
            <tr key={index}>
              <td>
                <code>{problem.file}</code>
              </td>
              <td>{problem.origin}</td>
              <td>{problem.entries}</td>
              <td>{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {view.forks.length > 0 && (
      <table className="data" data-testid="region-forks">
        <caption>Forks recorded by the witness ({view.forks.length})</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Signed</th>
            <th scope="col">Recorded</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {view.forks.map((fork, index) => (
            <tr key={index}>
              <td>{fork.device}</td>
              <td>{fork.what}</td>
              <td>{fork.recordedAt}</td>
              <td>
                <code>{fork.evidence}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    <table className="data">
      <caption>
        Region {view.region}: device logs ({view.devices.length}), hub log of {view.hubLogSize.toLocaleString('en')}{' '}
        entries
      </caption>
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Origin</th>
          <th scope="col">Entries</th>
        </tr>
      </thead>
      <tbody>
        {view.devices.map((device) => (
          <tr key={device.origin}>
            <td>{device.device}</td>
            <td>
              <code>{device.origin}</code>
            </td>
            <td>{device.entries.toLocaleString('en')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);
