// The list directory: each imported version as a file, plus a manifest naming the active version of each list.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { diffListVersions } from '../../../core/screening/diff.ts';
import type { ListDiff } from '../../../core/screening/diff.ts';
import { LIST_SOURCES } from '../../../core/screening/model.ts';
import type { ListKind, ListSnapshot, ListSource, ListVersion } from '../../../core/screening/model.ts';
import { makeListVersion, verifySnapshot } from '../../../core/screening/version.ts';
import { err, ok } from '../../../core/shared/result.ts';
import type { Result } from '../../../core/shared/result.ts';
import { IMPORTERS } from './importers/index.ts';
import { ListSnapshotSchema, ListVersionSchema, asSnapshot, firstIssue } from './list-schema.ts';
import { RejectedImport } from './rejection.ts';
import type { ImportRejection } from './rejection.ts';
import { describeSourceFile, readInputFile } from './source-files.ts';
import { createHash } from 'node:crypto';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 'perimeter-lists/1';

export const ManifestSchema = z.strictObject({
  format: z.literal(FORMAT),
  lists: z.record(
    z.string(),
    z.strictObject({
      active: z.string(),
      history: z.array(ListVersionSchema.extend({ file: z.string() })),
    }),
  ),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The list directory is damaged or not ours: a problem for the operator, not a rejected import. */
export class ListStoreError extends Error {}

export const nativeSha256 = (bytes: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(bytes).digest());

const exists = async (path: string): Promise<boolean> => {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
};

/**
 * Writes a file atomically: temp file in the same directory, fsync, rename, fsync the directory. Every store write
 * goes through here, and the manifest is written last, so a crash or a rejected import never leaves a half-written
 * version active: until the manifest is renamed into place, the old version rules.
 */
export const writeFileAtomic = async (path: string, data: string): Promise<void> => {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const directory = await open(join(path, '..'), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
};

/** A stored JSON file of the list directory, parsed and validated; damage is a ListStoreError naming the file. */
const parseStored = <T>(path: string, text: string, schema: z.ZodType<T>): T => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ListStoreError(`${path}: not JSON; the list directory is damaged`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    throw new ListStoreError(`${path}: ${issue.field}: ${issue.message}`);
  }
  return parsed.data;
};

/** The manifest's text (null: no manifest yet), read by the async and the sync readers alike. */
export const parseManifest = (path: string, text: string | null): Manifest =>
  text === null ? { format: FORMAT, lists: {} } : parseStored(path, text, ManifestSchema);

/** A stored version's text, validated and checked against its recorded content hash. */
export const parseSnapshot = (path: string, text: string): ListSnapshot => {
  const snapshot = asSnapshot(parseStored(path, text, ListSnapshotSchema));
  if (!verifySnapshot(snapshot, nativeSha256))
    throw new ListStoreError(`${path}: content does not match its hash ${snapshot.version.contentSha256}`);
  return snapshot;
};

export const readManifest = async (dir: string): Promise<Manifest> => {
  const path = join(dir, MANIFEST_FILE);
  try {
    return parseManifest(path, await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseManifest(path, null);
    throw error;
  }
};

export const versionPath = (dir: string, listId: string, version: string): string =>
  join(dir, 'versions', listId, `${version}.json`);

/** Reads one stored version, validates it and checks it still hashes to its recorded content hash. */
export const readSnapshot = async (dir: string, listId: string, version: string): Promise<ListSnapshot> => {
  const path = versionPath(dir, listId, version);
  return parseSnapshot(path, await readFile(path, 'utf8'));
};

export type ActiveList = ListVersion & { readonly file: string };

export const activeVersions = async (dir: string): Promise<ActiveList[]> => {
  const manifest = await readManifest(dir);
  return Object.entries(manifest.lists)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([listId, list]) => {
      const active = list.history.find((version) => version.version === list.active);
      if (active === undefined) throw new ListStoreError(`${dir}: list ${listId} names an active version it lacks`);
      return {
        ...active,
        listId: active.listId as ListVersion['listId'],
        version: active.version as ListVersion['version'],
      } satisfies ActiveList;
    });
};

/** Loads the active version of every list, verified. */
export const loadActiveSnapshots = async (dir: string): Promise<ListSnapshot[]> => {
  const active = await activeVersions(dir);
  return Promise.all(active.map((list) => readSnapshot(dir, list.listId, list.version)));
};

export type ImportRequest = {
  readonly source: ListSource;
  readonly files: readonly string[];
  readonly listId?: string;
  readonly kind?: ListKind;
  /** ISO date-time of the import. */
  readonly importedAt: string;
  /** Called after the version file is written and before the manifest is: lets a test interrupt an import there. */
  readonly beforeActivate?: () => Promise<void> | void;
};

export type ImportOutcome = {
  readonly status: 'activated' | 'unchanged';
  readonly version: ListVersion;
  readonly previous: ListVersion | null;
  readonly diff: ListDiff;
};

export const LIST_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const withLock = async <T>(dir: string, work: () => Promise<T>): Promise<T> => {
  const lock = join(dir, '.lock');
  let handle;
  try {
    handle = await open(lock, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ListStoreError(`${lock} exists: another import is running (remove the file if none is)`);
    }
    throw error;
  }
  try {
    await handle.writeFile(String(process.pid));
    return await work();
  } finally {
    await handle.close();
    await rm(lock, { force: true });
  }
};

/**
 * Imports one file set as a new version of a list. A rejected file set writes nothing. An identical import is
 * recognised (same content hash) and changes nothing. Otherwise the version is written, then activated.
 */
export const importList = async (
  dir: string,
  request: ImportRequest,
): Promise<Result<ImportOutcome, ImportRejection>> => {
  if (!LIST_SOURCES.includes(request.source)) throw new ListStoreError(`unknown source kind ${request.source}`);
  const files = await Promise.all(request.files.map(readInputFile));
  let imported;
  try {
    imported = IMPORTERS[request.source].read(files, request.kind === undefined ? {} : { kind: request.kind });
  } catch (error) {
    if (error instanceof RejectedImport) return err(error.rejection);
    throw error;
  }
  const listId = request.listId ?? imported.listId;
  if (!LIST_ID.test(listId)) {
    return err({
      file: files[0]?.name ?? '',
      reason: `list id ${JSON.stringify(listId)} must be lower-case letters, digits, . _ -`,
    });
  }
  if (imported.entries.length === 0) {
    return err({ file: files[0]?.name ?? '', reason: 'no screenable entries: an empty list never replaces a list' });
  }
  const snapshot = makeListVersion(
    {
      listId,
      source: request.source,
      publishedAt: imported.publishedAt,
      entries: imported.entries,
      sourceFiles: files.map(describeSourceFile),
      counts: imported.counts,
      importedAt: request.importedAt,
    },
    nativeSha256,
  );
  await mkdir(join(dir, 'versions', listId), { recursive: true });
  return withLock(dir, async () => {
    const manifest = await readManifest(dir);
    const current = manifest.lists[listId];
    const previous = current === undefined ? undefined : await readSnapshot(dir, listId, current.active);
    const diff = diffListVersions(previous, snapshot);
    if (previous !== undefined && previous.version.version === snapshot.version.version) {
      return ok({ status: 'unchanged', version: previous.version, previous: previous.version, diff });
    }
    const path = versionPath(dir, listId, snapshot.version.version);
    if (!(await exists(path))) await writeFileAtomic(path, JSON.stringify(snapshot));
    await request.beforeActivate?.();
    const history: Manifest['lists'][string]['history'] = [
      ...(current?.history ?? []),
      {
        ...snapshot.version,
        sourceFiles: [...snapshot.version.sourceFiles],
        counts: { ...snapshot.version.counts },
        file: `versions/${listId}/${snapshot.version.version}.json`,
      },
    ];
    const next: Manifest = {
      format: FORMAT,
      lists: { ...manifest.lists, [listId]: { active: snapshot.version.version, history } },
    };
    await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(next, null, 2)}\n`);
    return ok({ status: 'activated', version: snapshot.version, previous: previous?.version ?? null, diff });
  });
};
