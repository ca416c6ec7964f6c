// The lead's personal data, shown only on request with a stated purpose: every read is audited (leads.get).
import { useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { humanise } from '../../app/labels.ts';
import { PurposeForm } from './PurposeForm.tsx';
import { describeValue } from './RoutingTrace.tsx';

type Lead = ApiResponse<'leads.get'>;

/** Personal data as shown after an audited read: each field by its name. */
export const PersonalPairs = ({ data }: { data: Record<string, unknown> | null }): ReactElement => (
  <dl className="pairs">
    {Object.entries(data ?? {}).map(([key, value]) => (
      <div key={key}>
        <dt>{humanise(key)}</dt>
        <dd>{describeValue(value)}</dd>
      </div>
    ))}
  </dl>
);

export const PersonalData = ({ leadId }: { leadId: string }): ReactElement => {
  const [lead, setLead] = useState<Lead | null>(null);
  const read = (purpose: string): Promise<string | null> =>
    call('leads.get', { leadId, purpose }).then((reply) => {
      if (!reply.ok) return reply.error.message;
      setLead(reply.value);
      return null;
    });
  return (
    <section aria-labelledby="personal-title" className="personal">
      <h3 id="personal-title">Lead and personal data</h3>
      {lead === null ? (
        <PurposeForm inputId="personal-purpose" placeholder="e.g. verify the screening hit" read={read} />
      ) : (
        <>
          <p className="muted">This read was recorded in the audit log with your purpose.</p>
          <p>
            Data residency: <strong>{lead.residencyRegion ?? 'no region (stays on this workstation)'}</strong>
          </p>
          {lead.erased ? (
            <p>The personal data of this lead has been erased.</p>
          ) : (
            <PersonalPairs data={lead.personalData} />
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
