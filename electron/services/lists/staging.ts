// A list version uploaded in the workstation (decision 0193): read and validated, written to the list directory as a
// version that is not yet active, diffed against the active version for the operations admin to look at, and
// activated only when they say so, if the active version is still the one they compared with. Synchronous, because the
// workstation's api answers in one go; the same directory layout and checks as `perimeter lists import` (store.ts).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diffListVersions } from '../../../core/screening/diff.ts';
import type { ListDiff } from '../../../core/screening/diff.ts';
import type { ListKind, ListSnapshot, ListSource, ListVersion } from '../../../core/screening/model.ts';
import { makeListVersion } from '../../../core/screening/version.ts';
import { err, ok } from '../../../core/shared/result.ts';
import type { Result } from '../../../core/shared/result.ts';
import { IMPORTERS } from './importers/index.ts';
import { RejectedImport } from './rejection.ts';
import type { ImportRejection } from './rejection.ts';
import { describeSourceFile } from './source-files.ts';
import type { InputFile } from './source-files.ts';
import {
  FORMAT,
  LIST_ID,
  MANIFEST_FILE,
  ListStoreError,
  nativeSha256,
  parseManifest,
  parseSnapshot,
  versionPath,
} from './store.ts';
import type { ImportOutcome, Manifest } from './store.ts';

const writeFileAtomicSync = (path: string, data: string): void => {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const handle = openSync(temporary, 'wx', 0o644);
  try {
    writeSync(handle, data);
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const directory = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
};

const withLockSync = <T>(dir: string, work: () => T): T => {
  const lock = join(dir, '.lock');
  let handle: number;
  try {
    handle = openSync(lock, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new ListStoreError(`${lock} exists: another import is running (remove the file if none is)`);
    throw error;
  }
  try {
    writeSync(handle, String(process.pid));
    return work();
  } finally {
    closeSync(handle);
    rmSync(lock, { force: true });
  }
};

export const readManifestSync = (dir: string): Manifest => {
  const path = join(dir, MANIFEST_FILE);
  return parseManifest(path, existsSync(path) ? readFileSync(path, 'utf8') : null);
};

/** Reads one stored version, validated and checked against its content hash; undefined when it is not stored. */
export const readSnapshotSync = (dir: string, listId: string, version: string): ListSnapshot | undefined => {
  const path = versionPath(dir, listId, version);
  return existsSync(path) ? parseSnapshot(path, readFileSync(path, 'utf8')) : undefined;
};

/** The active version of a list (with the one it replaced, when the history has one), or undefined. */
export const activeSnapshotSync = (dir: string, listId: string): ListSnapshot | undefined => {
  const list = readManifestSync(dir).lists[listId];
  return list === undefined ? undefined : readSnapshotSync(dir, listId, list.active);
};

export type StageRequest = {
  readonly source: ListSource;
  readonly files: readonly InputFile[];
  readonly listId?: string;
  readonly kind?: ListKind;
  readonly importedAt: string;
};

export type StagedVersion = {
  /** new: not the active version (activation would change it); unchanged: the active version already has this content. */
  readonly status: 'new' | 'unchanged';
  readonly version: ListVersion;
  readonly previous: ListVersion | null;
  readonly diff: ListDiff;
};

/**
 * Reads and validates a file set and writes it as a stored version of its list, without activating it; answers the
 * diff against the active version. A rejected file set writes nothing.
 */
export const stageListVersion = (dir: string, request: StageRequest): Result<StagedVersion, ImportRejection> => {
  let imported;
  try {
    imported = IMPORTERS[request.source].read(request.files, request.kind === undefined ? {} : { kind: request.kind });
  } catch (error) {
    if (error instanceof RejectedImport) return err(error.rejection);
    throw error;
  }
  const listId = request.listId ?? imported.listId;
  const file = request.files[0]?.name ?? '';
  if (!LIST_ID.test(listId))
    return err({ file, reason: `list id ${JSON.stringify(listId)} must be lower-case letters, digits, . _ -` });
  if (imported.entries.length === 0)
    return err({ file, reason: 'no screenable entries: an empty list never replaces a list' });
  const snapshot = makeListVersion(
    {
      listId,
      source: request.source,
      publishedAt: imported.publishedAt,
      entries: imported.entries,
      sourceFiles: request.files.map(describeSourceFile),
      counts: imported.counts,
      importedAt: request.importedAt,
    },
    nativeSha256,
  );
  mkdirSync(join(dir, 'versions', listId), { recursive: true });
  return withLockSync(dir, () => {
    const previous = activeSnapshotSync(dir, listId);
    const diff = diffListVersions(previous, snapshot);
    if (previous !== undefined && previous.version.version === snapshot.version.version)
      return ok({ status: 'unchanged', version: previous.version, previous: previous.version, diff });
    const path = versionPath(dir, listId, snapshot.version.version);
    if (readSnapshotSync(dir, listId, snapshot.version.version) === undefined)
      writeFileAtomicSync(path, JSON.stringify(snapshot));
    return ok({ status: 'new', version: snapshot.version, previous: previous?.version ?? null, diff });
  });
};

/**
 * Makes a stored version the active version of its list, if the active version is still `expectedActive` (null: the
 * list has none yet); another import meanwhile is a conflict the caller reports. Answers as `importList` does.
 */
export const activateListVersion = (
  dir: string,
  listId: string,
  version: string,
  expectedActive: string | null,
): Result<ImportOutcome, string> =>
  withLockSync(dir, () => {
    const manifest = readManifestSync(dir);
    const current = manifest.lists[listId];
    const active = current?.active ?? null;
    if (active !== expectedActive)
      return err(
        `the active version of ${listId} is ${active ?? 'none'} now, not ${expectedActive ?? 'none'} as compared: look at the new diff first`,
      );
    const snapshot = readSnapshotSync(dir, listId, version);
    if (snapshot === undefined) return err(`version ${version} of ${listId} is not stored: upload the file again`);
    const previous = active === null ? undefined : readSnapshotSync(dir, listId, active);
    const diff = diffListVersions(previous, snapshot);
    if (active === version)
      return ok({ status: 'unchanged', version: snapshot.version, previous: snapshot.version, diff });
    const history: Manifest['lists'][string]['history'] = [
      ...(current?.history ?? []),
      {
        ...snapshot.version,
        sourceFiles: [...snapshot.version.sourceFiles],
        counts: { ...snapshot.version.counts },
        file: `versions/${listId}/${snapshot.version.version}.json`,
      },
    ];
    writeFileAtomicSync(
      join(dir, MANIFEST_FILE),
      `${JSON.stringify({ format: FORMAT, lists: { ...manifest.lists, [listId]: { active: version, history } } } satisfies Manifest, null, 2)}\n`,
    );
    return ok({ status: 'activated', version: snapshot.version, previous: previous?.version ?? null, diff });
  });
