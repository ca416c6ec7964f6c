// Saved views over a real encrypted workstation: a round trip, per-user isolation in the service, and validation.
import { afterEach, describe, expect, it } from 'vitest';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import {
  deleteView,
  listViews,
  MAX_VIEWS_PER_USER,
  saveView,
} from '../../../electron/services/workstation/queries/views.ts';
import { WorkstationError } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';
import { callError } from '../../support/api.ts';

type View = { id: string; name: string; filter: Record<string, unknown>; createdAt: string; updatedAt: string };

const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

const call = <T = View>(session: Session, method: string, request: unknown): T => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
};
const codeOf = (run: () => unknown): string => {
  try {
    run();
    return 'no error';
  } catch (error) {
    return error instanceof WorkstationError ? error.code : String(error);
  }
};

const setup = () => {
  const ws = createTestWorkstation();
  open.push(ws.admin);
  const olga = addUser(ws, 'olga', ['compliance_officer'], ['UK']);
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const rita = addUser(ws, 'rita', ['field_rep'], ['UK']);
  open.push(olga, sam, rita);
  return { ws, olga, sam, rita };
};

const overdueScreening = {
  queue: 'screening_review',
  status: ['open', 'claimed'],
  overdueOnly: true,
  search: '  Ivan  ',
  sort: 'risk',
  direction: 'desc',
  page: 3,
  pageSize: 250,
};

describe('saved views', () => {
  it('saves, lists, renames and deletes a view, keeping the filter as cases.list reads it', () => {
    const { ws, olga } = setup();
    expect(call<View[]>(olga, 'views.list', {})).toEqual([]);
    const saved = call(olga, 'views.save', { name: 'Overdue screening', filter: overdueScreening });
    // From the first page, search trimmed, defaults filled in by the cases.list schema.
    expect(saved).toMatchObject({
      name: 'Overdue screening',
      filter: { ...overdueScreening, search: 'Ivan', page: 0 },
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    expect(saved.id).toMatch(/^V-/);
    // The saved filter is a valid cases.list request as it stands.
    expect(handleApiCall(olga, 'cases.list', saved.filter).ok).toBe(true);

    const second = call(olga, 'views.save', { name: 'all by due', filter: {} });
    expect(second.filter).toEqual({ sort: 'slaDueAt', direction: 'asc', page: 0, pageSize: 50 });
    expect(call<View[]>(olga, 'views.list', {}).map((view) => view.name)).toEqual(['all by due', 'Overdue screening']);

    ws.clock.advance(60_000);
    const renamed = call(olga, 'views.save', { id: saved.id, name: 'My overdue hits', filter: saved.filter });
    expect(renamed).toMatchObject({ id: saved.id, name: 'My overdue hits', createdAt: saved.createdAt });
    expect(renamed.updatedAt).toBe('2026-11-23T10:01:00.000Z');
    expect(call<View[]>(olga, 'views.list', {}).map((view) => view.id)).toEqual([second.id, saved.id]);

    expect(call<{ id: string }>(olga, 'views.delete', { id: saved.id })).toEqual({ id: saved.id });
    expect(call<View[]>(olga, 'views.list', {}).map((view) => view.id)).toEqual([second.id]);
    expect(callError(olga, 'views.delete', { id: saved.id }).code).toBe('not_found');
  });

  it('keeps each user to their own views, in the service itself', () => {
    const { olga, sam } = setup();
    const olgas = saveView(olga, {
      name: 'Mine',
      filter: { sort: 'slaDueAt', direction: 'asc', page: 0, pageSize: 50 },
    });
    expect(listViews(sam)).toEqual([]);
    // Another user's id is as unknown as a made-up one: no listing, renaming or deleting it.
    expect(codeOf(() => deleteView(sam, olgas.id))).toBe('not_found');
    expect(codeOf(() => saveView(sam, { id: olgas.id, name: 'Taken over', filter: olgas.filter }))).toBe('not_found');
    // The same name is free for another user.
    const sams = saveView(sam, { name: 'Mine', filter: olgas.filter });
    expect(listViews(olga)).toEqual([olgas]);
    expect(listViews(sam)).toEqual([sams]);
    deleteView(sam, sams.id);
    expect(listViews(olga)).toEqual([olgas]);
  });

  it('refuses an invalid filter or name, a duplicate name, users without queues, and more than the limit', () => {
    const { olga, rita } = setup();
    for (const bad of [
      { name: 'x', filter: { queue: 'no_such_queue' } },
      { name: 'x', filter: { pageSize: 501 } },
      { name: 'x', filter: { search: 'y'.repeat(101) } },
      { name: 'x', filter: { status: ['gone'] } },
      { name: 'x', filter: { colour: 'red' } },
      { name: '   ', filter: {} },
      { name: 'z'.repeat(81), filter: {} },
    ])
      expect(callError(olga, 'views.save', bad).code).toBe('invalid_request');
    expect(callError(olga, 'views.delete', {}).code).toBe('invalid_request');

    call(olga, 'views.save', { name: 'Duplicate', filter: {} });
    expect(callError(olga, 'views.save', { name: ' duplicate ', filter: {} })).toMatchObject({
      code: 'conflict',
      message: 'you already have a view named duplicate',
    });
    expect(callError(rita, 'views.list', {}).code).toBe('forbidden');
    expect(callError(rita, 'views.save', { name: 'Field', filter: {} }).code).toBe('forbidden');

    for (let i = 1; i < MAX_VIEWS_PER_USER; i += 1) call(olga, 'views.save', { name: `View ${i}`, filter: {} });
    expect(callError(olga, 'views.save', { name: 'One too many', filter: {} }).code).toBe('conflict');
  });

  it('writes nothing to the audit log, and a projection rebuild leaves the views alone', () => {
    const { ws, olga } = setup();
    const count = (): number =>
      (ws.admin.workstation.db.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;
    const before = count();
    const view = call(olga, 'views.save', { name: 'Kept', filter: { queue: 'compliance_review' } });
    expect(count()).toBe(before);
    const projections = projectionSnapshot(ws.admin.workstation.db);
    rebuildProjections(ws.admin.workstation.db);
    expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(projections);
    expect(call<View[]>(olga, 'views.list', {})).toEqual([view]);
  });
});
