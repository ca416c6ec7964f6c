// One product path as a timeline (issue 14): its stages, every gate with its state (why, and what unblocks it), the live
// cooling-off countdown, disclosures sent, the outreach record, the KYC state and (for those who may see it) the KYC
// outbox. Its commands from the keyboard: o record outreach, a advance, w win, r the client's request, c a checklist
// step, e end the path. A refusal is shown in words: the rule, why, and what would unblock it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse, UserDto } from '../../../../core/api/contract.ts';
import { CHANNELS, CONTACT_BASES } from '../../../../core/policy/conduct.ts';
import { CLOSE_REASONS, LOSS_REASONS } from '../../../../core/conduct/model.ts';
import { call } from '../../api/client.ts';
import { formatTime, humanise, may } from '../../app/labels.ts';
import { useView } from '../../app/view-store.ts';
import {
  FORWARD_STAGES,
  GATE_LABEL,
  HOLD_LABEL,
  STAGE_LABEL,
  STATUS_WORD,
  countdownText,
  formatEnd,
  disclosuresAskedFor,
  isOpen,
  nextAdvance,
  parseDisclosureList,
  useTick,
} from './path-view.ts';
import type { PathDetail, Refusal } from './path-view.ts';

type OutboxEvent = ApiResponse<'kyc.outbox'>['events'][number];
type Form = 'outreach' | 'request' | 'checklist' | 'end' | 'plan' | 'reassign' | null;
type LifecycleReply = ApiResponse<'paths.transition'>;

const isEditable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export const PathTimeline = ({
  user,
  leadId,
  productId,
  onChanged,
  next,
}: {
  user: UserDto;
  leadId: string;
  productId: string;
  onChanged: () => void;
  /** The next step and the gates before it, as "My leads" read them (paths.mine). */
  next?: { step: string; blockedBy: readonly { kind: string }[] } | undefined;
}): ReactElement => {
  const [detail, setDetail] = useState<PathDetail | null>(null);
  const [outbox, setOutbox] = useState<OutboxEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(null);
  const [busy, setBusy] = useState(false);
  const mayOperateKyc = may(user, 'kyc.operate');
  const readAt = useRef(0);

  const load = useCallback(async (): Promise<void> => {
    const reply = await call('paths.get', { leadId, productId });
    if (reply.ok) {
      readAt.current = performance.now();
      setDetail(reply.value);
      setError(null);
    } else setError(reply.error.message);
    if (mayOperateKyc) {
      const events = await call('kyc.outbox', { limit: 1000 });
      setOutbox(events.ok ? events.value.events.filter((event) => event.leadId === leadId) : null);
    }
  }, [leadId, productId, mayOperateKyc]);

  useEffect(() => {
    setDetail(null);
    setRefusal(null);
    setDone(null);
    setForm(null);
    void load();
  }, [load]);

  // The countdown is the services' remainingMs at the read, less the time since; at its end the gates are read again.
  const coolingOff = detail?.coolingOff ?? null;
  const running = coolingOff?.status === 'running' && coolingOff.remainingMs !== null;
  const tick = useTick(running);
  const remaining =
    running && coolingOff.remainingMs !== null ? coolingOff.remainingMs - (tick - readAt.current) : null;
  const reloadedAtEnd = useRef<PathDetail | null>(null);
  useEffect(() => {
    if (detail !== null && remaining !== null && remaining <= 0 && reloadedAtEnd.current !== detail) {
      reloadedAtEnd.current = detail;
      // A moment after the end, so the services' clock has passed it too.
      const timer = setTimeout(() => void load(), 400);
      return () => clearTimeout(timer);
    }
    return undefined;
  }, [detail, remaining, load]);

  const after = async (reply: Awaited<ReturnType<typeof call<'paths.transition'>>>, what: string): Promise<void> => {
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error.message);
      setRefusal(null);
      setDone(null);
      return;
    }
    const result: LifecycleReply = reply.value;
    if (result.ok) {
      setRefusal(null);
      setError(null);
      setForm(null);
      setDone(
        `${what}: the path is now ${STAGE_LABEL[result.stage] ?? result.stage}.${
          result.kycInitiationEnqueued ? ' The KYC hand-off was queued with it.' : ''
        }`,
      );
      onChanged();
    } else {
      setRefusal(result.refusal);
      setError(null);
      setDone(null);
    }
    await load();
  };

  const advance = async (): Promise<void> => {
    if (detail === null) return;
    const to = nextAdvance(detail.stage);
    if (to === null) return;
    setBusy(true);
    await after(
      await call('paths.transition', { leadId, productId, action: 'advance', to }),
      `Advanced to ${STAGE_LABEL[to] ?? to}`,
    );
  };
  const win = async (): Promise<void> => {
    if (detail?.stage !== 'PROPOSAL') return;
    setBusy(true);
    await after(await call('paths.transition', { leadId, productId, action: 'win' }), 'Won');
  };

  // The path's keys, while no text field has focus and the help is closed.
  const maySupervise = may(user, 'path.supervise');
  const keys = useRef({ advance, win, setForm, detail, maySupervise });
  keys.current = { advance, win, setForm, detail, maySupervise };
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || useView.getState().helpOpen) return;
      if (isEditable(event.target)) return;
      const current = keys.current;
      if (current.detail === null || !isOpen(current.detail.stage)) return;
      const forms: Readonly<Record<string, Form>> = {
        o: 'outreach',
        r: 'request',
        c: 'checklist',
        e: 'end',
        p: 'plan',
        ...(keys.current.maySupervise ? { g: 'reassign' as const } : {}),
      };
      if (event.key in forms) {
        event.preventDefault();
        current.setForm(forms[event.key] ?? null);
      } else if (event.key === 'a') {
        event.preventDefault();
        void current.advance();
      } else if (event.key === 'w') {
        event.preventDefault();
        void current.win();
      } else if (event.key === 'Escape') current.setForm(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (detail === null)
    return (
      <section className="path-view" aria-label="Product path">
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : (
          <p className="muted">Loading the path…</p>
        )}
      </section>
    );

  const open = isOpen(detail.stage);
  const to = nextAdvance(detail.stage);
  const stageIndex = FORWARD_STAGES.indexOf(detail.stage as (typeof FORWARD_STAGES)[number]);
  const unmet = detail.gates.filter((gate) => gate.status !== 'met');

  return (
    <section className="path-view" aria-labelledby="path-title">
      <header className="case-header">
        <h2 id="path-title">
          Lead <code>{detail.leadId}</code> · {detail.productId}
        </h2>
        <span className={`status stage-${detail.stage}`}>{STAGE_LABEL[detail.stage] ?? detail.stage}</span>
      </header>
      <p className="muted">
        Owner {detail.owner} · {detail.jurisdiction} · opened {formatTime(detail.openedAt)} · stage since{' '}
        {formatTime(detail.stageChangedAt)}
      </p>

      <ol className="stages" aria-label="Stages">
        {FORWARD_STAGES.map((stage, index) => (
          <li
            key={stage}
            aria-current={stage === detail.stage ? 'step' : undefined}
            className={stageIndex >= 0 && index < stageIndex ? 'passed' : stage === detail.stage ? 'current' : ''}
          >
            {STAGE_LABEL[stage]}
          </li>
        ))}
        {!open && detail.stage !== 'WON' && (
          <li aria-current="step" className="current ended">
            {STAGE_LABEL[detail.stage]}
          </li>
        )}
      </ol>
      {detail.ending && (
        <p>
          Ended {formatTime(detail.ending.at)} by {detail.ending.by}
          {detail.ending.reason ? ` (${humanise(detail.ending.reason)})` : ''}.
        </p>
      )}
      {detail.held.length > 0 && (
        <p className="notice">
          {detail.held.map((reason) => HOLD_LABEL[reason] ?? humanise(reason)).join('; ')}: engagement waits for it.
        </p>
      )}

      {coolingOff && (
        <div className={`countdown countdown-${coolingOff.status}`} role="timer" aria-label="Cooling-off">
          <strong>Cooling-off</strong> ({coolingOff.rule}):{' '}
          {coolingOff.status === 'running' && remaining !== null ? (
            remaining > 0 ? (
              <>
                <span className="countdown-left">{countdownText(remaining)} left</span>, ends{' '}
                {formatEnd(coolingOff.endsAt ?? '')}
              </>
            ) : (
              <span className="countdown-left">over: checking the gates again…</span>
            )
          ) : (
            coolingOff.text
          )}
        </div>
      )}

      {open && (
        <div className="buttons path-actions" role="group" aria-label="Path commands">
          <button type="button" aria-keyshortcuts="o" onClick={() => setForm('outreach')}>
            Record outreach <kbd>o</kbd>
          </button>
          {to !== null && (
            <button
              type="button"
              className="primary"
              aria-keyshortcuts="a"
              disabled={busy}
              onClick={() => void advance()}
            >
              Advance to {STAGE_LABEL[to]} <kbd>a</kbd>
            </button>
          )}
          {detail.stage === 'PROPOSAL' && (
            <button type="button" className="primary" aria-keyshortcuts="w" disabled={busy} onClick={() => void win()}>
              Win <kbd>w</kbd>
            </button>
          )}
          <button type="button" aria-keyshortcuts="r" onClick={() => setForm('request')}>
            Client&apos;s request <kbd>r</kbd>
          </button>
          <button type="button" aria-keyshortcuts="c" onClick={() => setForm('checklist')}>
            Checklist step <kbd>c</kbd>
          </button>
          <button type="button" aria-keyshortcuts="p" onClick={() => setForm('plan')}>
            Plan a contact <kbd>p</kbd>
          </button>
          {maySupervise && (
            <button type="button" aria-keyshortcuts="g" onClick={() => setForm('reassign')}>
              Reassign <kbd>g</kbd>
            </button>
          )}
          <button type="button" aria-keyshortcuts="e" onClick={() => setForm('end')}>
            End the path <kbd>e</kbd>
          </button>
        </div>
      )}

      {detail.planned && (
        <div
          className={`planned ${detail.planned.warnings.length > 0 ? 'planned-warned' : ''}`}
          aria-label="Planned contact"
          role="group"
        >
          <p>
            <strong>Planned contact</strong>: {detail.planned.channel} at {formatEnd(detail.planned.at)} (planned by{' '}
            {detail.planned.plannedBy}){' '}
            {open && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void (async () => {
                    setBusy(true);
                    const reply = await call('paths.planContact', { leadId, productId, plan: null });
                    setBusy(false);
                    if (!reply.ok) setError(reply.error.message);
                    else setDone('The planned contact was withdrawn.');
                    await load();
                  })()
                }
              >
                Withdraw the plan
              </button>
            )}
          </p>
          {detail.planned.warnings.length > 0 ? (
            <ul className="warnings" aria-label="Warnings for the planned contact">
              {detail.planned.warnings.map((warning) => (
                <li key={`${warning.kind}-${warning.rule.id}`} className="warning" data-warning={warning.kind}>
                  <strong>Warning</strong> ({warning.rule.id}): {warning.message}
                  {warning.safeFrom ? ` Safe from ${formatEnd(warning.safeFrom)}.` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No conduct rule stands in its way as things are now.</p>
          )}
        </div>
      )}

      {refusal && (
        <div role="alert" className="error refusal">
          <p>
            <strong>Refused</strong> ({refusal.rule.id}): {refusal.message}
          </p>
          <p>
            What unblocks it: <strong>{refusal.unblock.text}</strong>
          </p>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {done && (
        <p role="status" className="notice done">
          {done}
        </p>
      )}

      {form === 'outreach' && (
        <OutreachForm
          detail={detail}
          busy={busy}
          onCancel={() => setForm(null)}
          onSubmit={async (request) => {
            setBusy(true);
            await after(await call('paths.recordOutreach', { leadId, productId, ...request }), 'Outreach recorded');
          }}
          onInvalid={setError}
        />
      )}
      {form === 'request' && (
        <RequestForm
          onCancel={() => setForm(null)}
          busy={busy}
          onSubmit={async (requestedAt) => {
            setBusy(true);
            const reply = await call('leads.updateFacts', { leadId, productId, facts: { requestedAt } });
            setBusy(false);
            if (!reply.ok) setError(reply.error.message);
            else {
              setError(null);
              setRefusal(null);
              setForm(null);
              setDone(`The client's request is on record (${formatTime(requestedAt)}).`);
              onChanged();
            }
            await load();
          }}
          onInvalid={setError}
        />
      )}
      {form === 'checklist' && (
        <ChecklistForm
          detail={detail}
          busy={busy}
          onCancel={() => setForm(null)}
          onSubmit={async (item) => {
            setBusy(true);
            await after(await call('paths.completeChecklistItem', { leadId, productId, item }), `Step ${item} done`);
          }}
        />
      )}
      {form === 'plan' && (
        <PlanForm
          busy={busy}
          onCancel={() => setForm(null)}
          onInvalid={setError}
          onSubmit={async (plan) => {
            setBusy(true);
            const reply = await call('paths.planContact', { leadId, productId, plan });
            setBusy(false);
            if (!reply.ok) setError(reply.error.message);
            else {
              setError(null);
              setForm(null);
              const count = reply.value.warnings.length;
              setDone(
                `Contact planned for ${formatEnd(plan.at)}${count > 0 ? `, with ${count === 1 ? 'a warning' : `${count} warnings`}: see below` : ''}.`,
              );
              onChanged();
            }
            await load();
          }}
        />
      )}
      {form === 'reassign' && (
        <ReassignForm
          leadId={leadId}
          productId={productId}
          busy={busy}
          onCancel={() => setForm(null)}
          onSubmit={async (to) => {
            setBusy(true);
            const reply = await call('paths.reassign', { leadId, productId, to });
            setBusy(false);
            if (!reply.ok) {
              setError(`Reassignment refused: ${reply.error.message}`);
              setDone(null);
            } else if (reply.value.ok) {
              setError(null);
              setForm(null);
              setDone(`Reassigned to ${reply.value.owner}.`);
              onChanged();
            }
            await load();
          }}
        />
      )}
      {form === 'end' && (
        <EndForm
          busy={busy}
          onCancel={() => setForm(null)}
          onSubmit={async (action, reason) => {
            setBusy(true);
            await after(
              await call(
                'paths.transition',
                action === 'lose'
                  ? { leadId, productId, action, reason: reason as (typeof LOSS_REASONS)[number] }
                  : { leadId, productId, action, reason: reason as (typeof CLOSE_REASONS)[number] },
              ),
              action === 'lose' ? 'Lost' : 'Closed',
            );
          }}
        />
      )}

      <h3>Gates</h3>
      {next && (
        <p data-next-step>
          Next step: <strong>{next.step}</strong> —{' '}
          {next.blockedBy.length === 0
            ? 'nothing blocks it.'
            : `blocked by ${next.blockedBy.map((gate) => GATE_LABEL[gate.kind] ?? gate.kind).join(', ')}.`}
        </p>
      )}
      <p className="muted">
        {open
          ? `Every gate of this path with its state (${unmet.length} not met). A gate guards only its own steps: an outreach gate only contacts on its channels, a stage gate that stage and the later ones.`
          : 'The path has ended.'}
      </p>
      <table className="data gates">
        <caption className="visually-hidden">Gates of this path</caption>
        <thead>
          <tr>
            <th scope="col">Gate</th>
            <th scope="col">State</th>
            <th scope="col">Why</th>
            <th scope="col">What unblocks it</th>
          </tr>
        </thead>
        <tbody>
          {detail.gates.map((gate, index) => (
            <tr key={`${gate.kind}-${gate.rule.id}-${index}`} data-gate={gate.kind} data-status={gate.status}>
              <th scope="row">
                {GATE_LABEL[gate.kind] ?? humanise(gate.kind)}
                <div className="muted rule" title={gate.rule.citation}>
                  {gate.rule.id}
                </div>
              </th>
              <td>
                <span className={`gate-status gate-${gate.status}`}>{STATUS_WORD[gate.status]}</span>
              </td>
              <td>{gate.why}</td>
              <td>{gate.status === 'met' ? '—' : (gate.unblock?.text ?? '—')}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>KYC</h3>
      <dl className="facts">
        <div>
          <dt>KYC status</dt>
          <dd data-fact="kyc">{humanise(detail.kycStatus)}</dd>
        </div>
        <div>
          <dt>AML documentation</dt>
          <dd>{humanise(detail.amlDocumentation)}</dd>
        </div>
      </dl>
      {mayOperateKyc ? (
        outbox !== null && outbox.length > 0 ? (
          <table className="data outbox">
            <caption>KYC outbox for this lead</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Product</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {outbox.map((event) => (
                <tr key={event.eventId}>
                  <td>
                    <code>{event.eventId}</code>
                  </td>
                  <td>{event.productId}</td>
                  <td>{humanise(event.state)}</td>
                  <td>{event.attempts}</td>
                  <td>{event.outcome ? humanise(event.outcome) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No KYC initiation for this lead in the outbox.</p>
        )
      ) : (
        <p className="muted">
          The KYC hand-off is queued when a path reaches Qualified; operations admins see its delivery in the KYC
          outbox.
        </p>
      )}

      <h3>Disclosures sent</h3>
      {detail.disclosures.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="plain">
          {detail.disclosures.map((sent) => (
            <li key={`${sent.template}-${sent.version}-${sent.at}`}>
              <code>
                {sent.template} v{sent.version}
              </code>{' '}
              by {sent.channel}, {formatTime(sent.at)}
            </li>
          ))}
        </ul>
      )}

      <h3>Outreach record</h3>
      {detail.outreach.length === 0 ? (
        <p className="muted">No communication recorded yet.</p>
      ) : (
        <table className="data outreach">
          <caption className="visually-hidden">Communications on this path</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Channel</th>
              <th scope="col">By</th>
              <th scope="col">Content</th>
              <th scope="col">Disclosures</th>
              <th scope="col">Authorised by</th>
            </tr>
          </thead>
          <tbody>
            {detail.outreach.map((record, index) => (
              <tr key={`${record.at}-${index}`}>
                <td>{formatTime(record.at)}</td>
                <td>
                  {humanise(record.channel)} ({record.direction})
                </td>
                <td>{record.by}</td>
                <td>{record.content}</td>
                <td>{record.disclosures.length === 0 ? '—' : record.disclosures.join(', ')}</td>
                <td>{humanise(record.authorisation)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {detail.checklist.length > 0 && (
        <>
          <h3>Checklist steps done</h3>
          <ul className="plain">
            {detail.checklist.map((item) => (
              <li key={item.item}>
                <code>{item.item}</code> by {item.by}, {formatTime(item.at)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
};

type OutreachRequest =
  | {
      direction: 'outbound';
      channel: (typeof CHANNELS)[number];
      content: { kind: 'template'; template: string; version: number } | { kind: 'summary'; text: string };
      disclosures: { template: string; version: number }[];
      basis?: (typeof CONTACT_BASES)[number];
    }
  | {
      direction: 'inbound';
      channel: (typeof CHANNELS)[number];
      content: { kind: 'template'; template: string; version: number } | { kind: 'summary'; text: string };
    };

const OutreachForm = ({
  detail,
  busy,
  onSubmit,
  onCancel,
  onInvalid,
}: {
  detail: PathDetail;
  busy: boolean;
  onSubmit: (request: OutreachRequest) => Promise<void>;
  onCancel: () => void;
  onInvalid: (message: string) => void;
}): ReactElement => {
  const asked = disclosuresAskedFor(detail.gates);
  const [direction, setDirection] = useState<'outbound' | 'inbound'>('outbound');
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('email');
  const [summary, setSummary] = useState('');
  const [ticked, setTicked] = useState<string[]>(asked.map((ref) => `${ref.template} v${ref.version}`));
  const [others, setOthers] = useState('');
  const [basis, setBasis] = useState<'' | (typeof CONTACT_BASES)[number]>('');
  const firstRef = useRef<HTMLSelectElement>(null);
  useEffect(() => firstRef.current?.focus(), []);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = parseDisclosureList(others);
    if (!parsed.ok) {
      onInvalid(`"${parsed.part}" is not a disclosure: write TEMPLATE vN, e.g. RW-CRYPTO v2`);
      return;
    }
    if (summary.trim() === '') {
      onInvalid('say in a few words what was communicated');
      return;
    }
    const content = { kind: 'summary' as const, text: summary.trim() };
    if (direction === 'inbound') {
      void onSubmit({ direction, channel, content });
      return;
    }
    const chosen = asked.filter((ref) => ticked.includes(`${ref.template} v${ref.version}`));
    void onSubmit({
      direction,
      channel,
      content,
      disclosures: [...chosen, ...parsed.refs],
      ...(basis === '' ? {} : { basis }),
    });
  };

  return (
    <form className="decision path-form" aria-label="Record outreach" onSubmit={submit}>
      <h3>Record outreach</h3>
      <div className="filters">
        <label className="field">
          Direction
          <select
            ref={firstRef}
            value={direction}
            onChange={(event) => setDirection(event.target.value as 'outbound' | 'inbound')}
          >
            <option value="outbound">Outbound (we contacted the prospect)</option>
            <option value="inbound">Inbound (the prospect contacted us)</option>
          </select>
        </label>
        <label className="field">
          Channel
          <select value={channel} onChange={(event) => setChannel(event.target.value as (typeof CHANNELS)[number])}>
            {CHANNELS.map((name) => (
              <option key={name} value={name}>
                {humanise(name)}
              </option>
            ))}
          </select>
        </label>
        {direction === 'outbound' && (
          <label className="field">
            Authorised by
            <select value={basis} onChange={(event) => setBasis(event.target.value as typeof basis)}>
              <option value="">(no particular basis)</option>
              {CONTACT_BASES.map((name) => (
                <option key={name} value={name}>
                  {humanise(name)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <label className="field">
        What was communicated (kept beside the log, not in it)
        <textarea rows={2} value={summary} onChange={(event) => setSummary(event.target.value)} />
      </label>
      {direction === 'outbound' && (
        <fieldset>
          <legend>Disclosures sent with it</legend>
          {asked.length === 0 && <p className="muted">No disclosure is due on this path now.</p>}
          {asked.map((ref) => {
            const key = `${ref.template} v${ref.version}`;
            return (
              <label key={key} className="field checkbox">
                <input
                  type="checkbox"
                  checked={ticked.includes(key)}
                  onChange={(event) =>
                    setTicked(event.target.checked ? [...ticked, key] : ticked.filter((one) => one !== key))
                  }
                />
                {key}
              </label>
            );
          })}
          <label className="field">
            Other disclosures (TEMPLATE vN, comma-separated)
            <input value={others} onChange={(event) => setOthers(event.target.value)} />
          </label>
        </fieldset>
      )}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Record
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};

const RequestForm = ({
  busy,
  onSubmit,
  onCancel,
  onInvalid,
}: {
  busy: boolean;
  onSubmit: (requestedAt: string) => Promise<void>;
  onCancel: () => void;
  onInvalid: (message: string) => void;
}): ReactElement => {
  const [at, setAt] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  return (
    <form
      className="decision path-form"
      aria-label="Record the client's request"
      onSubmit={(event) => {
        event.preventDefault();
        const ms = Date.parse(at);
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(at.trim()) || Number.isNaN(ms)) {
          onInvalid('write the time as UTC ISO 8601, e.g. 2026-12-07T14:02:00Z');
          return;
        }
        void onSubmit(new Date(ms).toISOString());
      }}
    >
      <h3>Record the client&apos;s request</h3>
      <p className="muted">
        When the client asked for the product: cooling-off runs from it. Once recorded only compliance can move it.
      </p>
      <label className="field">
        Time of the request (UTC, ISO 8601)
        <input
          ref={inputRef}
          value={at}
          placeholder="2026-12-07T14:02:00Z"
          onChange={(event) => setAt(event.target.value)}
        />
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Record the request
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};

const ChecklistForm = ({
  detail,
  busy,
  onSubmit,
  onCancel,
}: {
  detail: PathDetail;
  busy: boolean;
  onSubmit: (item: string) => Promise<void>;
  onCancel: () => void;
}): ReactElement => {
  const [item, setItem] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const open = detail.gates.filter((gate) => gate.kind === 'checklist' && gate.status !== 'met');
  return (
    <form
      className="decision path-form"
      aria-label="Mark a checklist step done"
      onSubmit={(event) => {
        event.preventDefault();
        if (item.trim() !== '') void onSubmit(item.trim());
      }}
    >
      <h3>Mark a checklist step done</h3>
      {open.length === 0 ? (
        <p className="muted">Every checklist step of this path is done.</p>
      ) : (
        <ul className="plain">
          {open.map((gate) => (
            <li key={gate.rule.id}>
              {gate.rule.id}: {gate.why}
            </li>
          ))}
        </ul>
      )}
      <label className="field">
        Step id (as the policy names it, e.g. travel-rule-data)
        <input ref={inputRef} value={item} onChange={(event) => setItem(event.target.value)} />
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || item.trim() === ''}>
          Mark done
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};

const EndForm = ({
  busy,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  onSubmit: (action: 'lose' | 'close', reason: string) => Promise<void>;
  onCancel: () => void;
}): ReactElement => {
  const [choice, setChoice] = useState(`lose:${LOSS_REASONS[0]}`);
  const selectRef = useRef<HTMLSelectElement>(null);
  useEffect(() => selectRef.current?.focus(), []);
  return (
    <form
      className="decision path-form"
      aria-label="End the path"
      onSubmit={(event) => {
        event.preventDefault();
        const [action, reason] = choice.split(':') as ['lose' | 'close', string];
        void onSubmit(action, reason);
      }}
    >
      <h3>End the path</h3>
      <label className="field">
        Outcome and reason
        <select ref={selectRef} value={choice} onChange={(event) => setChoice(event.target.value)}>
          <optgroup label="Lost">
            {LOSS_REASONS.map((reason) => (
              <option key={reason} value={`lose:${reason}`}>
                Lost: {humanise(reason)}
              </option>
            ))}
          </optgroup>
          <optgroup label="Closed">
            {CLOSE_REASONS.map((reason) => (
              <option key={reason} value={`close:${reason}`}>
                Closed: {humanise(reason)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          End the path
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};

const PlanForm = ({
  busy,
  onSubmit,
  onCancel,
  onInvalid,
}: {
  busy: boolean;
  onSubmit: (plan: { channel: (typeof CHANNELS)[number]; at: string }) => Promise<void>;
  onCancel: () => void;
  onInvalid: (message: string) => void;
}): ReactElement => {
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('phone');
  const [at, setAt] = useState('');
  const selectRef = useRef<HTMLSelectElement>(null);
  useEffect(() => selectRef.current?.focus(), []);
  return (
    <form
      className="decision path-form"
      aria-label="Plan a contact"
      onSubmit={(event) => {
        event.preventDefault();
        const ms = Date.parse(at);
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(at.trim()) || Number.isNaN(ms)) {
          onInvalid('write the planned time as UTC ISO 8601, e.g. 2026-12-08T14:00:00Z');
          return;
        }
        void onSubmit({ channel, at: new Date(ms).toISOString() });
      }}
    >
      <h3>Plan a contact</h3>
      <p className="muted">
        You are warned now, and until the time comes, if the contact would fall outside the prospect&apos;s outreach
        window, before cooling-off ends, or be refused by another rule.
      </p>
      <label className="field">
        Channel
        <select ref={selectRef} value={channel} onChange={(event) => setChannel(event.target.value as never)}>
          {CHANNELS.map((each) => (
            <option key={each} value={each}>
              {each}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Planned time (UTC, ISO 8601)
        <input value={at} placeholder="2026-12-08T14:00:00Z" onChange={(event) => setAt(event.target.value)} />
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Plan the contact
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};

type Candidates = ApiResponse<'paths.reassignCandidates'>['candidates'];

const ReassignForm = ({
  leadId,
  productId,
  busy,
  onSubmit,
  onCancel,
}: {
  leadId: string;
  productId: string;
  busy: boolean;
  onSubmit: (to: string) => Promise<void>;
  onCancel: () => void;
}): ReactElement => {
  const [candidates, setCandidates] = useState<Candidates | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const selectRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    void (async () => {
      const reply = await call('paths.reassignCandidates', { leadId, productId });
      if (!reply.ok) setProblem(reply.error.message);
      else {
        setCandidates(reply.value.candidates);
        setTo(reply.value.candidates.find((candidate) => candidate.eligible)?.repId ?? '');
      }
    })();
  }, [leadId, productId]);
  useEffect(() => selectRef.current?.focus(), [candidates]);
  const ineligible = (candidates ?? []).filter((candidate) => !candidate.eligible);
  return (
    <form
      className="decision path-form"
      aria-label="Reassign the path"
      onSubmit={(event) => {
        event.preventDefault();
        if (to !== '') void onSubmit(to);
      }}
    >
      <h3>Reassign the path</h3>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {candidates === null && problem === null && <p className="muted">Checking the licensing map…</p>}
      {candidates !== null && (
        <>
          {candidates.some((candidate) => candidate.eligible) && (
            <label className="field">
              New owner (licensed for this lead and product, under capacity)
              <select ref={selectRef} value={to} onChange={(event) => setTo(event.target.value)}>
                {candidates
                  .filter((candidate) => candidate.eligible)
                  .map((candidate) => (
                    <option key={candidate.repId} value={candidate.repId}>
                      {candidate.name} ({candidate.repId}, {candidate.teamId})
                    </option>
                  ))}
              </select>
            </label>
          )}
          {candidates.every((candidate) => !candidate.eligible) && (
            <p role="alert" className="error">
              No rep of the policy may take this path: see why below.
            </p>
          )}
          {ineligible.length > 0 && (
            <details>
              <summary>Reps who may not take it, and why ({ineligible.length})</summary>
              <ul className="why-not" aria-label="Reps who may not take it">
                {ineligible.map((candidate) => (
                  <li key={candidate.repId}>
                    {candidate.name} ({candidate.repId}): {candidate.whyNot.join('; ')}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || to === ''}>
          Reassign
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};
