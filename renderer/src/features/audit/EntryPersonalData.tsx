// The personal data one audit entry committed to (a reason, a name, a purpose), shown on request with a stated purpose:
// the read is itself recorded in the audit log (audit.personalData, decision 0177).
import { useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { PurposeForm } from '../case/PurposeForm.tsx';
import { PersonalPairs } from '../case/PersonalData.tsx';

type Shown = ApiResponse<'audit.personalData'>;

export const EntryPersonalData = ({ sequence }: { sequence: string }): ReactElement => {
  const [shown, setShown] = useState<Shown | null>(null);
  const read = (purpose: string): Promise<string | null> =>
    call('audit.personalData', { sequence, purpose }).then((reply) => {
      if (!reply.ok) return reply.error.message;
      setShown(reply.value);
      return null;
    });
  return (
    <section aria-labelledby="entry-personal-title" className="personal">
      <h3 id="entry-personal-title">Personal data of this entry</h3>
      {shown === null ? (
        <PurposeForm inputId="entry-personal-purpose" placeholder="e.g. review the reason of a decision" read={read} />
      ) : shown.erased ? (
        <p>Erased: the data and its salt are gone; the commitment stays in the entry.</p>
      ) : (
        <>
          <p className="muted">
            Subject {shown.subject}, kept under {shown.regime}. This read was recorded in the audit log with your
            purpose.
          </p>
          <PersonalPairs data={shown.data} />
        </>
      )}
    </section>
  );
};
