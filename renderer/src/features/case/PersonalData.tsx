// The lead's personal data, shown only on request with a stated purpose: every read is audited (leads.get).
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { humanise } from '../../app/labels.ts';
import { describeValue } from './RoutingTrace.tsx';

type Lead = ApiResponse<'leads.get'>;

export const PersonalData = ({ leadId }: { leadId: string }): ReactElement => {
  const [purpose, setPurpose] = useState('');
  const [lead, setLead] = useState<Lead | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    void call('leads.get', { leadId, purpose: purpose.trim() }).then((reply) => {
      setBusy(false);
      if (reply.ok) setLead(reply.value);
      else setError(reply.error.message);
    });
  };
  return (
    <section aria-labelledby="personal-title" className="personal">
      <h3 id="personal-title">Lead and personal data</h3>
      {lead === null ? (
        <form onSubmit={submit} className="purpose">
          <div className="field">
            <label htmlFor="personal-purpose">Purpose of this read (recorded in the audit log)</label>
            <input
              id="personal-purpose"
              value={purpose}
              onChange={(event) => setPurpose(event.target.value)}
              placeholder="e.g. verify the screening hit"
            />
          </div>
          <button type="submit" disabled={busy || purpose.trim().length < 3}>
            Show personal data
          </button>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </form>
      ) : (
        <>
          <p className="muted">This read was recorded in the audit log with your purpose.</p>
          {lead.erased ? (
            <p>The personal data of this lead has been erased.</p>
          ) : (
            <dl className="pairs">
              {Object.entries(lead.personalData ?? {}).map(([key, value]) => (
                <div key={key}>
                  <dt>{humanise(key)}</dt>
                  <dd>{describeValue(value)}</dd>
                </div>
              ))}
            </dl>
          )}
          <table className="data">
            <caption>Product paths of {lead.leadId}</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Outcome</th>
                <th scope="col">Queue or assignment</th>
                <th scope="col">Case</th>
              </tr>
            </thead>
            <tbody>
              {lead.paths.map((path) => (
                <tr key={path.productId}>
                  <td>{path.productId}</td>
                  <td>
                    {humanise(path.outcome)}
                    {path.reason ? ` (${humanise(path.reason)})` : ''}
                  </td>
                  <td>
                    {path.queue
                      ? humanise(path.queue)
                      : [path.entityId, path.teamId, path.repId].filter(Boolean).join(' / ') || '—'}
                  </td>
                  <td>{path.caseId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};
