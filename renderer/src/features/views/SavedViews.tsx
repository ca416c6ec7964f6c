// Saved views in the queue navigation: save the current queue, filters, sort and search under a name; apply, rename
// or delete a view. Kept per user by the services (views.*), never in the browser's storage.
import { useEffect, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import { useQueues } from '../queues/queue-store.ts';
import { caseListRequest } from '../queues/queue-store.ts';
import { isCurrent, useViews } from './views-store.ts';
import type { SavedView } from './views-store.ts';
import { Messages } from '../../app/Messages.tsx';

const NameForm = ({
  id,
  label,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  readonly id: string;
  readonly label: string;
  readonly initial: string;
  readonly submitLabel: string;
  readonly onSubmit: (name: string) => Promise<boolean>;
  readonly onCancel: () => void;
}): ReactElement => {
  const [name, setName] = useState(initial);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (name.trim() === '') return;
    void onSubmit(name.trim()).then((ok) => ok && onCancel());
  };
  return (
    <form className="view-name-form" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={name}
        maxLength={80}
        autoFocus
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel();
        }}
      />
      <div className="view-name-buttons">
        <button type="submit" className="primary" disabled={name.trim() === ''}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};

export const SavedViews = (): ReactElement => {
  const { views, error, notice, load, saveCurrent, rename, remove, apply } = useViews();
  // Re-render when the filters change, so the view matching them is marked as the current one.
  const current = caseListRequest({ ...useQueues(), page: 0 });
  const [saving, setSaving] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="saved-views" aria-labelledby="saved-views-title">
      <h2 className="nav-title" id="saved-views-title">
        Saved views
      </h2>
      {views.length === 0 && <p className="muted">No saved views yet.</p>}
      <ul>
        {views.map((view: SavedView) => (
          <li key={view.id} className="saved-view">
            {renaming === view.id ? (
              <NameForm
                id={`rename-${view.id}`}
                label={`New name for ${view.name}`}
                initial={view.name}
                submitLabel="Rename"
                onSubmit={(name) => rename(view, name)}
                onCancel={() => setRenaming(null)}
              />
            ) : (
              <>
                <button
                  type="button"
                  className="queue-link view-link"
                  aria-current={isCurrent(view, current) ? 'page' : undefined}
                  onClick={() => apply(view)}
                >
                  {view.name}
                </button>
                <span className="view-actions">
                  <button
                    type="button"
                    className="link"
                    aria-label={`Rename view ${view.name}`}
                    onClick={() => setRenaming(view.id)}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Delete view ${view.name}`}
                    onClick={() => void remove(view)}
                  >
                    Delete
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {saving ? (
        <NameForm
          id="save-view-name"
          label="Name of this view"
          initial=""
          submitLabel="Save view"
          onSubmit={(name) => saveCurrent(name)}
          onCancel={() => setSaving(false)}
        />
      ) : (
        <button type="button" className="save-view" onClick={() => setSaving(true)}>
          Save current view…
        </button>
      )}
      <Messages notice={notice} error={error} />
    </section>
  );
};
