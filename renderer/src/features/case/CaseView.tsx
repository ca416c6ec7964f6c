// One case: its facts, four-eyes state, the claim / release buttons and decision form, the routing trace and history.
import { forwardRef, useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import type { UserDto } from '../../../../core/api/contract.ts';
import { QUEUE_LABEL, STATUS_LABEL, formatTime, humanise, may } from '../../app/labels.ts';
import { useCase } from './case-store.ts';
import { DecisionForm } from './DecisionForm.tsx';
import { FourEyes } from './FourEyes.tsx';
import { SyncConflictPanel } from './SyncConflictPanel.tsx';
import { PersonalData } from './PersonalData.tsx';
import { ScreeningHits } from './ScreeningHits.tsx';
import { isScreeningCase } from '../../../../core/screening/case-hits.ts';
import { LeadErasure } from '../lead/LeadErasure.tsx';
import { RoutingTrace, describeValue } from './RoutingTrace.tsx';
import { Messages } from '../../app/Messages.tsx';

type Props = { readonly user: UserDto; readonly onDecided: (caseId: string) => void; readonly onChanged: () => void };

const HISTORY_KEYS = ['action', 'decision', 'hits', 'verdict', 'reason', 'state'];

export const CaseView = forwardRef<HTMLTextAreaElement, Props>(function CaseView(
  { user, onDecided, onChanged },
  reasonRef,
): ReactElement {
  const { detail, loading, busy, error, notice, claim, release, refresh } = useCase();
  // A case opens at its top: the next case after a decision does not inherit the last one's scroll position.
  const panelRef = useRef<HTMLElement>(null);
  const shownId = detail?.case.id;
  useEffect(() => {
    panelRef.current?.scrollTo?.({ top: 0 });
  }, [shownId]);
  if (detail === null)
    return (
      <section className="case-view empty" aria-label="Case" tabIndex={0}>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <p className="muted">{loading ? 'Loading the case…' : 'Select a case (j / k) to review it.'}</p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
      </section>
    );
  const kase = detail.case;
  const claimedByMe = kase.status === 'claimed' && kase.claimedBy === user.id;
  const isConflict = kase.type === 'sync_conflict';
  // A sync conflict is resolved (its own panel), not decided; a case held in one waits for it.
  const mayDecide = !isConflict && may(user, 'case.decide') && (kase.status === 'open' || claimedByMe);
  return (
    // Focusable so the panel can be scrolled from the keyboard (it is its own scroll region).
    <section ref={panelRef} className="case-view" aria-labelledby="case-title" aria-busy={loading} tabIndex={0}>
      <header className="case-header">
        <h2 id="case-title">
          Case {kase.id} <span className="muted">· {QUEUE_LABEL[kase.type]}</span>
        </h2>
        <div className="case-badges">
          <span className={`status status-${kase.status}`}>{STATUS_LABEL[kase.status]}</span>
          <span className={`risk risk-${kase.risk}`}>{humanise(kase.risk)} risk</span>
          {kase.overdue && <span className="badge overdue">overdue</span>}
        </div>
      </header>
      <Messages className="live" notice={notice} error={error} />
      <dl className="facts">
        <div>
          <dt>Subject</dt>
          <dd>{kase.subject}</dd>
        </div>
        <div>
          <dt>Lead</dt>
          <dd>
            {kase.leadId} · {kase.productId}
            {detail.lead.sourceId !== null && (
              <span className="source-id">
                {' '}
                · {detail.lead.sourceSystem} id {detail.lead.sourceId}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Refusal reason</dt>
          <dd>{humanise(kase.reason)}</dd>
        </div>
        <div>
          <dt>Jurisdiction</dt>
          <dd>{kase.jurisdiction ?? 'untagged'}</dd>
        </div>
        <div>
          <dt>Data residency</dt>
          <dd>{detail.lead.residencyRegion ?? 'no region (stays on this workstation)'}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>{formatTime(kase.openedAt)}</dd>
        </div>
        <div>
          <dt>SLA due</dt>
          <dd>{formatTime(kase.slaDueAt)}</dd>
        </div>
        <div>
          <dt>Claimed by</dt>
          <dd>{kase.claimedBy ?? 'nobody'}</dd>
        </div>
        {kase.resolution && (
          <div>
            <dt>Resolution</dt>
            <dd>{humanise(kase.resolution)}</dd>
          </div>
        )}
      </dl>

      {may(user, 'case.claim') && !isConflict && kase.status !== 'closed' && kase.status !== 'awaiting_approval' && (
        <div className="buttons">
          <button
            type="button"
            disabled={busy || kase.status !== 'open'}
            onClick={() => void claim().then((ok) => ok && onChanged())}
          >
            Claim
          </button>
          <button
            type="button"
            disabled={busy || !claimedByMe}
            onClick={() => void release().then((ok) => ok && onChanged())}
          >
            Release
          </button>
          {kase.status === 'claimed' && !claimedByMe && (
            <span className="muted">Claimed by {kase.claimedBy}: only they can decide it until they release it.</span>
          )}
        </div>
      )}

      {isScreeningCase(kase) && may(user, 'lead.read_personal') && (
        <ScreeningHits caseId={kase.id} decidable={mayDecide} />
      )}

      {isConflict && <SyncConflictPanel conflictId={kase.id} user={user} onResolved={() => onDecided(kase.id)} />}
      {mayDecide && <DecisionForm ref={reasonRef} caseType={kase.type} onDecided={() => onDecided(kase.id)} />}

      {!isConflict && <FourEyes detail={detail} user={user} onChecked={() => onDecided(kase.id)} />}

      {may(user, 'lead.read_personal') && <PersonalData key={kase.id} leadId={kase.leadId} />}

      {may(user, 'lead.erase') && (
        <LeadErasure
          key={`erase-${kase.id}`}
          leadId={kase.leadId}
          user={user}
          onErased={() => {
            void refresh();
            onChanged();
          }}
        />
      )}

      <RoutingTrace trace={detail.trace} names={detail.names} />

      <section aria-labelledby="history-title">
        <h3 id="history-title">History</h3>
        <table className="data history">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Event</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {detail.history.map((entry) => (
              <tr key={entry.sequence}>
                <td>{entry.sequence}</td>
                <td>{formatTime(entry.time)}</td>
                <td>{entry.actor.replace(/^user:/, '')}</td>
                <td>{entry.type}</td>
                <td>
                  {describeValue(
                    Object.fromEntries(
                      HISTORY_KEYS.filter((key) => key in entry.payload).map((key) => [key, entry.payload[key]]),
                    ),
                  ) || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
});
