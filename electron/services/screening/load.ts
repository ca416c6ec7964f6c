// Loading the active list versions from a list directory and building the match index over them.
import { buildIndex } from '../../../core/screening/match-index.ts';
import type { ScreeningIndex } from '../../../core/screening/match-index.ts';
import type { ListSnapshot } from '../../../core/screening/model.ts';
import { ListStoreError, loadActiveSnapshots } from '../lists/store.ts';

export type LoadedIndex = {
  readonly index: ScreeningIndex;
  readonly snapshots: readonly ListSnapshot[];
  readonly buildMs: number;
};

/** Loads every active list (or only the named ones) and indexes them. No active list is an error: nothing to screen against. */
export const loadScreeningIndex = async (dir: string, listIds?: readonly string[]): Promise<LoadedIndex> => {
  const active = await loadActiveSnapshots(dir);
  const snapshots =
    listIds === undefined ? active : active.filter((snapshot) => listIds.includes(snapshot.version.listId));
  if (listIds !== undefined) {
    const missing = listIds.filter((id) => !snapshots.some((snapshot) => snapshot.version.listId === id));
    if (missing.length > 0) throw new ListStoreError(`${dir}: no active version of ${missing.join(', ')}`);
  }
  if (snapshots.length === 0) throw new ListStoreError(`${dir}: no lists imported; run perimeter lists import first`);
  const started = performance.now();
  const index = buildIndex(snapshots);
  return { index, snapshots, buildMs: performance.now() - started };
};
