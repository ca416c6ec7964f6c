// "My leads" (issue 14): a rep's open product paths with their stage, what is due (the live cooling-off countdown),
// what blocks the next step and why; the selected path's timeline beside the list. j / k move through the list as in
// the queues; the timeline's own keys act on the selected path. A supervisor names the rep whose list to see.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse, UserDto } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime, may } from '../../app/labels.ts';
import { useView } from '../../app/view-store.ts';
import { PathTimeline } from './PathTimeline.tsx';
import { GATE_LABEL, HOLD_LABEL, STAGE_LABEL, countdownText, formatEnd, useTick } from './path-view.ts';

type Row = ApiResponse<'paths.mine'>['rows'][number];
type Due = ApiResponse<'paths.dueSoon'>['items'][number];
const keyOf = (row: { leadId: string; productId: string }): string => `${row.leadId}/${row.productId}`;

const isEditable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export const MyLeadsScreen = ({ user }: { user: UserDto }): ReactElement => {
  const works = may(user, 'path.work');
  const [owner, setOwner] = useState(works ? user.id : '');
  const [ownerInput, setOwnerInput] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState(0);
  const [due, setDue] = useState<Due[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const listRef = useRef<HTMLDivElement>(null);
  const readAt = useRef(0);

  const load = useCallback(async (): Promise<void> => {
    if (owner === '') {
      setLoading(false);
      return;
    }
    setLoading(true);
    const request = owner === user.id ? {} : { owner };
    const [mine, soon] = await Promise.all([call('paths.mine', request), call('paths.dueSoon', request)]);
    setLoading(false);
    if (!mine.ok) {
      setError(mine.error.message);
      return;
    }
    setError(null);
    readAt.current = performance.now();
    setRows(mine.value.rows);
    setTotal(mine.value.total);
    setDue(soon.ok ? soon.value.items : []);
    setSelected((current) =>
      current !== null && mine.value.rows.some((row) => keyOf(row) === current)
        ? current
        : mine.value.rows[0]
          ? keyOf(mine.value.rows[0])
          : null,
    );
  }, [owner, user.id]);

  useEffect(() => {
    void load();
  }, [load]);

  // j / k (and the arrow keys on the list) move through the paths, as in the queues.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || useView.getState().helpOpen) return;
      if (isEditable(event.target)) {
        if (event.key === 'Escape') (event.target as HTMLElement).blur();
        return;
      }
      if (event.key === '?') {
        event.preventDefault();
        useView.getState().setHelpOpen(true);
        return;
      }
      if (event.key !== 'j' && event.key !== 'k') return;
      event.preventDefault();
      const list = rowsRef.current;
      setSelected((current) => {
        const index = list.findIndex((row) => keyOf(row) === current);
        const next = Math.min(list.length - 1, Math.max(0, index + (event.key === 'j' ? 1 : -1)));
        return list[next] ? keyOf(list[next]) : current;
      });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (selected !== null)
      document.querySelector(`tr[data-path="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const counting = due.length > 0 || rows.some((row) => row.coolingOff?.status === 'running');
  const tick = useTick(counting);
  const current = rows.find((row) => keyOf(row) === selected) ?? null;

  return (
    <main className="paths" aria-label="My leads">
      <section className="path-list" aria-labelledby="my-leads-title">
        <h1 id="my-leads-title">
          {owner === user.id ? 'My leads' : owner === '' ? 'Leads of a rep' : `Leads of ${owner}`}
        </h1>
        {!works && (
          <form
            className="filters"
            onSubmit={(event) => {
              event.preventDefault();
              setOwner(ownerInput.trim());
            }}
          >
            <label className="field">
              Rep id
              <input value={ownerInput} onChange={(event) => setOwnerInput(event.target.value)} />
            </label>
            <button type="submit">Show</button>
          </form>
        )}
        <p className="muted">
          Open product paths, most recently moved first. <kbd>j</kbd> / <kbd>k</kbd> move through the list; the path
          beside it takes <kbd>o</kbd> outreach, <kbd>a</kbd> advance, <kbd>w</kbd> win, <kbd>r</kbd> the client&apos;s
          request, <kbd>c</kbd> a checklist step, <kbd>p</kbd> plan a contact, <kbd>e</kbd> end.{' '}
          <button type="button" className="link" onClick={() => void load()}>
            Refresh
          </button>
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {due.length > 0 && (
          <section aria-labelledby="due-title" className="due-soon">
            <h2 id="due-title">Due within 24 hours</h2>
            <ul className="plain">
              {due.map((item) => (
                <li key={`${item.leadId}/${item.productId}/${item.kind}`}>
                  <button type="button" className="link" onClick={() => setSelected(keyOf(item))}>
                    {item.leadId} · {item.productId}
                  </button>
                  {item.kind === 'planned_contact' ? (
                    <>
                      : {item.text.split('; warning: ')[0]}
                      {item.warnings.length > 0 && (
                        <span className="warning" data-warning={item.warnings[0]!.kind}>
                          {' '}
                          — warning: {item.warnings.map((warning) => warning.message).join('; ')}
                        </span>
                      )}
                    </>
                  ) : (
                    <>
                      : cooling-off ends {formatEnd(item.at)} (
                      {item.remainingMs - (tick - readAt.current) > 0
                        ? `${countdownText(item.remainingMs - (tick - readAt.current))} left`
                        : 'over'}
                      )
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="list-focus" ref={listRef} tabIndex={-1}>
          <table className="data my-leads" aria-busy={loading}>
            <caption>{total === 1 ? '1 open path' : `${total} open paths`}</caption>
            <thead>
              <tr>
                <th scope="col">Lead</th>
                <th scope="col">Product</th>
                <th scope="col">Stage</th>
                <th scope="col">Next step</th>
                <th scope="col">Due</th>
                <th scope="col">Blocked by</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const key = keyOf(row);
                const remaining =
                  row.coolingOff?.status === 'running' && row.coolingOff.remainingMs !== null
                    ? row.coolingOff.remainingMs - (tick - readAt.current)
                    : null;
                return (
                  <tr
                    key={key}
                    data-path={key}
                    aria-current={key === selected ? 'true' : undefined}
                    className={key === selected ? 'selected' : undefined}
                    onClick={() => setSelected(key)}
                  >
                    <td>
                      <button type="button" className="link" onClick={() => setSelected(key)}>
                        {row.subject}
                      </button>
                      <div className="muted">
                        <code>{row.leadId}</code> · {row.jurisdiction}
                      </div>
                    </td>
                    <td>{row.productId}</td>
                    <td>
                      {STAGE_LABEL[row.stage] ?? row.stage}
                      <div className="muted">since {formatTime(row.stageChangedAt)}</div>
                    </td>
                    <td>{STAGE_LABEL[row.next] ?? row.next}</td>
                    <td>
                      {row.coolingOff === null
                        ? '—'
                        : remaining !== null
                          ? remaining > 0
                            ? `cooling-off: ${countdownText(remaining)} left`
                            : 'cooling-off over'
                          : row.coolingOff.status === 'not_started'
                            ? 'cooling-off not started'
                            : 'cooling-off over'}
                      {row.planned && (
                        <div
                          className={row.planned.warnings.length > 0 ? 'planned planned-warned' : 'planned'}
                          title={row.planned.warnings.map((warning) => warning.message).join('\n')}
                        >
                          planned: {row.planned.channel} {formatEnd(row.planned.at)}
                          {row.planned.warnings.length > 0 &&
                            ` — warning: ${row.planned.warnings.map((warning) => warning.rule.id).join(', ')}`}
                        </div>
                      )}
                    </td>
                    <td>
                      {row.held.length > 0 && (
                        <div className="gate-status gate-blocked">
                          {row.held.map((reason) => HOLD_LABEL[reason] ?? reason).join('; ')}
                        </div>
                      )}
                      {row.blockedBy.length === 0 ? (
                        row.held.length === 0 ? (
                          <span className="gate-status gate-met">nothing</span>
                        ) : null
                      ) : (
                        <ul className="plain">
                          {row.blockedBy.map((gate, index) => (
                            <li key={`${gate.kind}-${index}`}>
                              <span className={`gate-status gate-${gate.status}`}>
                                {GATE_LABEL[gate.kind] ?? gate.kind}
                              </span>{' '}
                              {gate.unblock?.text ?? gate.why}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {!loading && rows.length === 0 && owner !== '' && <p className="empty">No open product path.</p>}
        </div>
      </section>
      {current ? (
        <PathTimeline
          key={keyOf(current)}
          user={user}
          leadId={current.leadId}
          productId={current.productId}
          onChanged={() => void load()}
          next={{ step: STAGE_LABEL[current.next] ?? current.next, blockedBy: current.blockedBy }}
        />
      ) : (
        <section className="path-view empty" aria-label="Product path">
          <p className="muted">Select a path to see its timeline.</p>
        </section>
      )}
    </main>
  );
};
