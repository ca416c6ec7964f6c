// The lead page: any lead of your markets by its id, with or without a case (an assigned lead has none): its personal
// data on request (an audited read) and "Erase personal data".
import { useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { UserDto } from '../../../../core/api/contract.ts';
import { may } from '../../app/labels.ts';
import { PersonalData } from '../case/PersonalData.tsx';
import { LeadErasure } from './LeadErasure.tsx';

export const LeadScreen = ({ user }: { user: UserDto }): ReactElement => {
  const [typed, setTyped] = useState('');
  const [leadId, setLeadId] = useState<string | null>(null);
  const open = (event: FormEvent): void => {
    event.preventDefault();
    setLeadId(typed.trim() === '' ? null : typed.trim());
  };
  return (
    <main className="page lead-page" aria-labelledby="lead-title">
      <h1 id="lead-title">Lead{leadId ? ` ${leadId}` : ''}</h1>
      <form onSubmit={open} className="purpose" aria-label="Open a lead">
        <div className="field">
          <label htmlFor="lead-id">Lead id</label>
          <input id="lead-id" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="L-1042" />
        </div>
        <button type="submit" disabled={typed.trim() === ''}>
          Open lead
        </button>
      </form>
      {leadId !== null && (
        <>
          {may(user, 'lead.read_personal') && <PersonalData key={`read-${leadId}`} leadId={leadId} />}
          <LeadErasure key={`erase-${leadId}`} leadId={leadId} user={user} onErased={() => undefined} />
        </>
      )}
    </main>
  );
};
