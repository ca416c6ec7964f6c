// The lead page: any lead of your markets, found by its internal id or by the id its source system (a CRM) gave it,
// with or without a case (an assigned lead has none): its personal data on request (an audited read) and "Erase
// personal data". A source id two systems both used finds both leads, to choose from.
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse, UserDto } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime, may } from '../../app/labels.ts';
import { PersonalData } from '../case/PersonalData.tsx';
import { LeadErasure } from './LeadErasure.tsx';

type Found = ApiResponse<'leads.find'>['leads'];

export const LeadScreen = ({ user }: { user: UserDto }): ReactElement => {
  const [typed, setTyped] = useState('');
  const [leadId, setLeadId] = useState<string | null>(null);
  const [choices, setChoices] = useState<Found>([]);
  const [message, setMessage] = useState<string | null>(null);
  const open = (event: FormEvent): void => {
    event.preventDefault();
    const id = typed.trim();
    setLeadId(null);
    setChoices([]);
    setMessage(null);
    if (id === '') return;
    void call('leads.find', { id }).then((reply) => {
      if (!reply.ok) return setMessage(reply.error.message);
      const { leads } = reply.value;
      if (leads.length === 0) return setMessage(`No lead ${id} in your markets.`);
      if (leads.length === 1) return setLeadId(leads[0]!.leadId);
      setChoices(leads);
    });
  };
  return (
    <main className="page lead-page" aria-labelledby="lead-title">
      <h1 id="lead-title">Lead{leadId ? ` ${leadId}` : ''}</h1>
      <form onSubmit={open} className="purpose" aria-label="Open a lead">
        <div className="field">
          <label htmlFor="lead-id">Lead id, or the source system’s id for it</label>
          <input
            id="lead-id"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            placeholder="L-7K3M9Q2X4PZR8ABC or CRM-1042"
          />
        </div>
        <button type="submit" disabled={typed.trim() === ''}>
          Open lead
        </button>
      </form>
      {message !== null && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {choices.length > 0 && (
        <table className="data" aria-label="Leads with this id">
          <caption>{choices.length} leads carry this id: one for each source system that sent it</caption>
          <thead>
            <tr>
              <th scope="col">Lead</th>
              <th scope="col">Source system</th>
              <th scope="col">Market</th>
              <th scope="col">Received</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {choices.map((choice) => (
              <tr key={choice.leadId}>
                <td>{choice.leadId}</td>
                <td>{choice.sourceSystem}</td>
                <td>{choice.jurisdiction ?? '—'}</td>
                <td>{formatTime(choice.ingestedAt)}</td>
                <td>
                  <button type="button" onClick={() => (setLeadId(choice.leadId), setChoices([]))}>
                    Open {choice.leadId}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {leadId !== null && (
        <>
          {may(user, 'lead.read_personal') && <PersonalData key={`read-${leadId}`} leadId={leadId} />}
          <LeadErasure key={`erase-${leadId}`} leadId={leadId} user={user} onErased={() => undefined} />
        </>
      )}
    </main>
  );
};
