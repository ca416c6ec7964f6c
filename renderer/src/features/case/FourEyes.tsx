// Four-eyes state: who made the decision, who checked it, and the approve / return form for a second officer.
import { useState } from 'react';
import type { ReactElement } from 'react';
import type { UserDto } from '../../../../core/api/contract.ts';
import { DISPOSITION, formatTime, may } from '../../app/labels.ts';
import type { CaseDetail } from './case-store.ts';
import { useCase } from './case-store.ts';
import { describeValue } from './RoutingTrace.tsx';

const text = (record: Record<string, unknown> | null, key: string): string | null => {
  const value = record?.[key];
  return typeof value === 'string' ? value : null;
};

export const FourEyes = ({
  detail,
  user,
  onChecked,
}: {
  detail: CaseDetail;
  user: UserDto;
  onChecked: () => void;
}): ReactElement => {
  const { busy, approve, returnForRework } = useCase();
  const [reason, setReason] = useState('');
  const { maker, checker } = detail;
  const makerId = text(maker, 'userId');
  const disposition = text(maker, 'disposition');
  const awaiting = detail.case.status === 'awaiting_approval';
  const isMaker = makerId === user.id;
  const mayCheck = may(user, 'case.approve') && !isMaker;
  const run = (action: (reason: string) => Promise<boolean>): void => {
    void action(reason.trim()).then((ok) => {
      if (ok) {
        setReason('');
        onChecked();
      }
    });
  };
  return (
    <section aria-labelledby="four-eyes-title" className="four-eyes">
      <h3 id="four-eyes-title">Four-eyes</h3>
      <dl className="pairs">
        <div>
          <dt>Maker</dt>
          <dd>
            {maker === null
              ? 'no decision yet'
              : `${makerId} — ${disposition && disposition in DISPOSITION ? DISPOSITION[disposition as keyof typeof DISPOSITION].label : disposition} at ${formatTime(text(maker, 'at') ?? '')}: “${text(maker, 'reason') ?? ''}”`}
          </dd>
        </div>
        {maker !== null && maker['override'] !== null && maker['override'] !== undefined && (
          <div>
            <dt>Override</dt>
            <dd className="fail">{describeValue(maker['override'])}</dd>
          </div>
        )}
        <div>
          <dt>Checker</dt>
          <dd>
            {checker === null
              ? awaiting
                ? 'awaiting a second officer'
                : 'not required or not yet asked'
              : `${text(checker, 'userId')} — ${text(checker, 'verdict')} at ${formatTime(text(checker, 'at') ?? '')}: “${text(checker, 'reason') ?? ''}”`}
          </dd>
        </div>
      </dl>
      {awaiting && (
        <form className="check" onSubmit={(event) => event.preventDefault()} aria-label="Check the decision">
          {isMaker && (
            <p className="notice" role="note">
              You made this decision, so you cannot check it: a second senior officer must approve or return it.
            </p>
          )}
          {!isMaker && !may(user, 'case.approve') && (
            <p className="notice" role="note">
              Only a senior officer may approve or return a decision.
            </p>
          )}
          <label htmlFor="check-reason">Checker’s reason (required, at least 5 characters)</label>
          <textarea
            id="check-reason"
            rows={2}
            value={reason}
            disabled={!mayCheck}
            onChange={(event) => setReason(event.target.value)}
          />
          <div className="buttons">
            <button
              type="button"
              className="primary"
              disabled={!mayCheck || busy || reason.trim().length < 5}
              onClick={() => run(approve)}
            >
              Approve decision
            </button>
            <button
              type="button"
              disabled={!mayCheck || busy || reason.trim().length < 5}
              onClick={() => run(returnForRework)}
            >
              Return to maker
            </button>
          </div>
        </form>
      )}
    </section>
  );
};
