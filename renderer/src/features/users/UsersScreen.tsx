// The users screen (operations admins: `user.manage`): every user of the workstation with roles and markets, adding a
// user with an initial passphrase, and changing a user's roles or markets with a reason. The services check again.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import { ROLE_LABEL } from '../../app/labels.ts';
import type { Role } from '../../app/labels.ts';
import { MIN_PASSPHRASE, MIN_REASON, newUserProblems, parseMarkets } from './users-form.ts';
import type { NewUserForm } from './users-form.ts';
import { useUsers } from './users-store.ts';
import type { UserView } from './users-store.ts';
import { DatabaseKey, ReEnrolForm } from './KeyRotation.tsx';
import { DeactivateForm, ReactivateForm } from './Deactivation.tsx';
import { useSession } from '../session/session-store.ts';
import { pendingNotice } from '../approvals/approvals-store.ts';
import type { MetaRequestView } from '../approvals/approvals-store.ts';

const ROLES = Object.keys(ROLE_LABEL) as Role[];

const rolesText = (roles: readonly Role[]): string => roles.map((role) => ROLE_LABEL[role]).join(', ');
const marketsText = (markets: readonly string[]): string =>
  markets.map((market) => (market === '*' ? '* (every market)' : market)).join(', ');

/** Role checkboxes in the contract's order; `prefix` keeps the ids of two groups on one page apart. */
const RoleChoices = ({
  prefix,
  legend,
  chosen,
  onChange,
}: {
  prefix: string;
  legend: string;
  chosen: readonly Role[];
  onChange: (roles: Role[]) => void;
}): ReactElement => (
  <fieldset className="user-roles">
    <legend>{legend}</legend>
    {ROLES.map((role) => (
      <label key={role} className="field checkbox" htmlFor={`${prefix}-${role}`}>
        <input
          id={`${prefix}-${role}`}
          type="checkbox"
          checked={chosen.includes(role)}
          onChange={(event) =>
            onChange(
              event.target.checked
                ? ROLES.filter((candidate) => candidate === role || chosen.includes(candidate))
                : chosen.filter((candidate) => candidate !== role),
            )
          }
        />
        {ROLE_LABEL[role]}
      </label>
    ))}
  </fieldset>
);

type Editing = {
  readonly user: UserView;
  readonly kind: 'roles' | 'markets' | 're-enrol' | 'deactivate' | 'reactivate';
};

const ChangeForm = ({
  editing,
  onDone,
  onCancel,
}: {
  editing: Editing & { readonly kind: 'roles' | 'markets' };
  onDone: (message: string) => void;
  onCancel: () => void;
}): ReactElement => {
  const { busy, setRoles, setMarkets } = useUsers();
  const { user, kind } = editing;
  const [roles, setChosenRoles] = useState<Role[]>([...user.roles]);
  const [markets, setMarketsText] = useState(user.markets.join(', '));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);

  const valid =
    reason.trim().length >= MIN_REASON && (kind === 'roles' ? roles.length > 0 : parseMarkets(markets).length > 0);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!valid || busy) return;
    setError(null);
    const outcome =
      kind === 'roles'
        ? await setRoles(user.id, roles, reason)
        : await setMarkets(user.id, parseMarkets(markets), reason);
    const pending = useUsers.getState().lastPending;
    if (outcome !== null) setError(outcome);
    else if (pending !== null) onDone(pendingNotice(pending));
    else
      onDone(
        kind === 'roles'
          ? `Roles of ${user.id} changed to ${rolesText(roles)}.`
          : `Markets of ${user.id} changed to ${marketsText(parseMarkets(markets))}.`,
      );
  };
  const title =
    kind === 'roles' ? `Change roles of ${user.name} (${user.id})` : `Change markets of ${user.name} (${user.id})`;
  return (
    <section className="user-change" aria-labelledby="user-change-title">
      <h2 id="user-change-title" ref={titleRef} tabIndex={-1}>
        {title}
      </h2>
      <form onSubmit={(event) => void submit(event)} className="user-form">
        {kind === 'roles' ? (
          <RoleChoices prefix="change-role" legend="Roles (at least one)" chosen={roles} onChange={setChosenRoles} />
        ) : (
          <div className="field">
            <label htmlFor="change-markets">Markets (comma separated; * for every market)</label>
            <input
              id="change-markets"
              value={markets}
              onChange={(event) => setMarketsText(event.target.value)}
              aria-describedby="change-markets-hint"
            />
            <span id="change-markets-hint" className="muted">
              Now: {marketsText(user.markets)}. Market, group or jurisdiction codes of the active policy.
            </span>
          </div>
        )}
        <div className="field">
          <label htmlFor="change-reason">Reason (required, at least {MIN_REASON} characters)</label>
          <textarea id="change-reason" rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
        </div>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="primary" disabled={!valid || busy}>
            {kind === 'roles' ? 'Save roles' : 'Save markets'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
        <p className="muted">The change and your reason are recorded in the audit log.</p>
      </form>
    </section>
  );
};

const emptyForm: NewUserForm = { id: '', name: '', roles: [], markets: '', passphrase: '', confirmation: '' };

const AddUser = ({ onAdded }: { onAdded: (message: string) => void }): ReactElement => {
  const { busy, createUser } = useUsers();
  const [form, setForm] = useState<NewUserForm>(emptyForm);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const text =
    (field: 'id' | 'name' | 'markets' | 'passphrase' | 'confirmation') => (event: { target: { value: string } }) =>
      setForm({ ...form, [field]: event.target.value });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const found = newUserProblems(form);
    setProblems(found);
    if (found.length > 0) return;
    const outcome = await createUser(form);
    if (outcome !== null) {
      setError(outcome);
      return;
    }
    const pending = useUsers.getState().lastPending;
    if (pending !== null) {
      onAdded(pendingNotice(pending));
      setForm(emptyForm);
      return;
    }
    onAdded(
      `User ${form.id.trim()} (${form.name.trim()}) added: ${rolesText(form.roles)}, markets ${marketsText(parseMarkets(form.markets))}.`,
    );
    setForm(emptyForm);
  };

  return (
    <section className="user-add" aria-labelledby="user-add-title">
      <h2 id="user-add-title">Add a user</h2>
      <form onSubmit={(event) => void submit(event)} className="user-form" noValidate>
        <div className="field">
          <label htmlFor="new-user-id">User id</label>
          <input
            id="new-user-id"
            value={form.id}
            onChange={text('id')}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="new-user-id-hint"
          />
          <span id="new-user-id-hint" className="muted">
            Lower-case letters, digits, ".", "_" or "-", starting with a letter; used to sign in.
          </span>
        </div>
        <div className="field">
          <label htmlFor="new-user-name">Name</label>
          <input id="new-user-name" value={form.name} onChange={text('name')} autoComplete="off" />
        </div>
        <RoleChoices
          prefix="new-role"
          legend="Roles (at least one)"
          chosen={form.roles}
          onChange={(roles) => setForm({ ...form, roles })}
        />
        <div className="field">
          <label htmlFor="new-user-markets">Markets (comma separated; * for every market)</label>
          <input
            id="new-user-markets"
            value={form.markets}
            onChange={text('markets')}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="new-user-markets-hint"
          />
          <span id="new-user-markets-hint" className="muted">
            Market, group or jurisdiction codes of the active policy, e.g. UK, EU-Passported.
          </span>
        </div>
        <div className="field">
          <label htmlFor="new-user-passphrase">Initial passphrase</label>
          <input
            id="new-user-passphrase"
            type="password"
            value={form.passphrase}
            onChange={text('passphrase')}
            autoComplete="new-password"
            aria-describedby="new-user-passphrase-hint"
          />
          <span id="new-user-passphrase-hint" className="muted">
            At least {MIN_PASSPHRASE} characters. Give it to the person privately; it unlocks this workstation as them.
          </span>
        </div>
        <div className="field">
          <label htmlFor="new-user-confirmation">Confirm passphrase</label>
          <input
            id="new-user-confirmation"
            type="password"
            value={form.confirmation}
            onChange={text('confirmation')}
            autoComplete="new-password"
          />
        </div>
        {problems.length > 0 && (
          <div role="alert" className="error user-problems">
            <p>Please correct:</p>
            <ul>
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        )}
        {error !== null && (
          <p role="alert" className="error">
            Not added: {error}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            Add user
          </button>
        </div>
        <p className="muted">Adding a user is recorded in the audit log (never the passphrase).</p>
      </form>
    </section>
  );
};

/** User changes awaiting a second operations admin: requested, not applied (decision 0161). */
const PendingChanges = ({ pending }: { pending: readonly MetaRequestView[] }): ReactElement | null =>
  pending.length === 0 ? null : (
    <section className="user-pending" aria-labelledby="user-pending-title">
      <h2 id="user-pending-title">Pending changes</h2>
      <p className="muted">
        Requested but not applied: each takes effect when a second operations admin approves it (in their “Awaiting my
        approval”).
      </p>
      <ul>
        {pending.map((request) => (
          <li key={request.id} data-request-id={request.id}>
            <strong>{request.summary}</strong> — {request.id}, requested by {request.requestedBy}:{' '}
            {request.needsAnotherAdmin ? (
              <strong className="needs-admin">a second operations admin is needed to approve it</strong>
            ) : request.mayApprove ? (
              'you may approve it'
            ) : (
              'awaiting another operations admin'
            )}
          </li>
        ))}
      </ul>
    </section>
  );

export const UsersScreen = (): ReactElement => {
  const { users, loaded, loading, error, load, keySlots, pending } = useUsers();
  const pendingFor = (userId: string): MetaRequestView[] =>
    pending.filter((request) => request.target === `user:${userId}`);
  const me = useSession((state) => state.user?.id ?? '');
  const withoutSlot = new Set(keySlots?.withoutSlot ?? []);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (message !== null) messageRef.current?.focus();
  }, [message]);

  const open = (user: UserView, kind: Editing['kind']): void => {
    setMessage(null);
    setEditing({ user, kind });
  };
  const close = (): void => {
    const button = editing && document.getElementById(`change-${editing.kind}-${editing.user.id}`);
    setEditing(null);
    button?.focus();
  };

  return (
    <main className="page users" aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <p className="muted">
        Who may sign in to this workstation, with which roles and in which markets. Every change is recorded in the
        audit log.
      </p>
      <p role="status" className="user-message" ref={messageRef} tabIndex={-1}>
        {message}
      </p>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!loaded && loading && <p className="muted">Loading…</p>}
      {loaded && error === null && (
        <table className="data users-table">
          <caption>{users.length} users, by id</caption>
          <thead>
            <tr>
              <th scope="col">User id</th>
              <th scope="col">Name</th>
              <th scope="col">Roles</th>
              <th scope="col">Markets</th>
              <th scope="col">Active</th>
              <th scope="col">Sign-in</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-user-id={user.id}>
                <th scope="row">
                  {user.id}
                  {pendingFor(user.id).map((request) => (
                    <span key={request.id} className="badge pending" title={request.summary}>
                      {' '}
                      change pending ({request.id})
                    </span>
                  ))}
                </th>
                <td>{user.name}</td>
                <td>{rolesText(user.roles)}</td>
                <td>{marketsText(user.markets)}</td>
                <td>{user.active ? 'Yes' : <strong className="deactivated">No (deactivated)</strong>}</td>
                <td>
                  {!user.active ? (
                    'Deactivated'
                  ) : keySlots === null ? (
                    '—'
                  ) : withoutSlot.has(user.id) ? (
                    <strong className="needs-re-enrolment">Needs re-enrolment</strong>
                  ) : (
                    'Can sign in'
                  )}
                </td>
                <td className="user-actions">
                  {/* Nobody grants themselves anything (decision 0161): another admin changes your roles or markets. */}
                  {user.id !== me && (
                    <>
                      <button
                        type="button"
                        id={`change-roles-${user.id}`}
                        aria-label={`Change roles of ${user.id}`}
                        onClick={() => open(user, 'roles')}
                      >
                        Change roles
                      </button>
                      <button
                        type="button"
                        id={`change-markets-${user.id}`}
                        aria-label={`Change markets of ${user.id}`}
                        onClick={() => open(user, 'markets')}
                      >
                        Change markets
                      </button>
                    </>
                  )}
                  {user.active && withoutSlot.has(user.id) && (
                    <button
                      type="button"
                      id={`change-re-enrol-${user.id}`}
                      aria-label={`Re-enrol ${user.id}`}
                      onClick={() => open(user, 're-enrol')}
                    >
                      Re-enrol
                    </button>
                  )}
                  {user.active && user.id !== me && (
                    <button
                      type="button"
                      id={`change-deactivate-${user.id}`}
                      aria-label={`Deactivate ${user.id}`}
                      onClick={() => open(user, 'deactivate')}
                    >
                      Deactivate
                    </button>
                  )}
                  {!user.active && (
                    <button
                      type="button"
                      id={`change-reactivate-${user.id}`}
                      aria-label={`Reactivate ${user.id}`}
                      onClick={() => open(user, 'reactivate')}
                    >
                      Reactivate
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing !== null && editing.kind === 're-enrol' && (
        <ReEnrolForm
          key={`re-enrol-${editing.user.id}`}
          user={editing.user}
          onCancel={close}
          onDone={(done) => {
            setEditing(null);
            setMessage(done);
          }}
        />
      )}
      {editing !== null && editing.kind === 'deactivate' && (
        <DeactivateForm
          key={`deactivate-${editing.user.id}`}
          user={editing.user}
          onCancel={close}
          onDone={(done) => {
            setEditing(null);
            setMessage(done);
          }}
        />
      )}
      {editing !== null && editing.kind === 'reactivate' && (
        <ReactivateForm
          key={`reactivate-${editing.user.id}`}
          user={editing.user}
          onCancel={close}
          onDone={(done) => {
            setEditing(null);
            setMessage(done);
          }}
        />
      )}
      {editing !== null && (editing.kind === 'roles' || editing.kind === 'markets') && (
        <ChangeForm
          key={`${editing.kind}-${editing.user.id}`}
          editing={{ ...editing, kind: editing.kind }}
          onCancel={close}
          onDone={(done) => {
            setEditing(null);
            setMessage(done);
          }}
        />
      )}
      <PendingChanges pending={pending} />
      <AddUser onAdded={setMessage} />
      <DatabaseKey me={me} onRotated={setMessage} />
    </main>
  );
};
