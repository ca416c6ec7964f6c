// A list version as a distribution's content (decision 0254): the source file set in one canonical JSON package, read
// by the same importers as `perimeter lists import`, so the publisher and every device compute the same version.
import { ListPackageSchema } from '../../../core/sync/distribution.ts';
import type { ListPackage } from '../../../core/sync/distribution.ts';
import { LIST_KINDS, LIST_SOURCES } from '../../../core/screening/model.ts';
import type { ListKind, ListSource } from '../../../core/screening/model.ts';
import { makeListVersion } from '../../../core/screening/version.ts';
import { canonicalJsonBytes } from '../../../core/shared/canonical-json.ts';
import { base64ToBytes, bytesToBase64 } from '../../../core/audit/bytes.ts';
import { IMPORTERS } from './importers/index.ts';
import { formatRejection, RejectedImport } from './rejection.ts';
import { inputFileFromBytes } from './source-files.ts';
import type { InputFile } from './source-files.ts';
import { nativeSha256 } from './store.ts';

export type ReadListPackage =
  | {
      readonly ok: true;
      readonly source: ListSource;
      readonly listId: string;
      readonly kind: ListKind | undefined;
      readonly files: readonly InputFile[];
      /** The list version's content hash (as list.imported and screenings name it) and its version id. */
      readonly contentSha256: string;
      readonly versionId: string;
    }
  | { readonly ok: false; readonly error: string };

export const listPackageBytes = (input: {
  readonly source: string;
  readonly listId: string;
  readonly kind?: string;
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}): Uint8Array =>
  canonicalJsonBytes({
    format: 'perimeter-list-package/v1',
    source: input.source,
    listId: input.listId,
    ...(input.kind === undefined ? {} : { kind: input.kind }),
    files: input.files.map((f) => ({ name: f.name, base64: bytesToBase64(f.bytes) })),
  } satisfies ListPackage);

/** Reads a package and its list version; every problem is a message naming the field or the file. */
export const readListPackage = (bytes: Uint8Array): ReadListPackage => {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, error: 'the list package is not JSON' };
  }
  const parsed = ListPackageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `list package field ${issue.path.join('.') || '(package)'}: ${issue.message}` };
  }
  const pkg = parsed.data;
  const source = LIST_SOURCES.find((s) => s === pkg.source);
  if (source === undefined) return { ok: false, error: `list package field source: unknown source ${pkg.source}` };
  const kind = pkg.kind === undefined ? undefined : LIST_KINDS.find((k) => k === pkg.kind);
  if (pkg.kind !== undefined && kind === undefined)
    return { ok: false, error: `list package field kind: unknown kind ${pkg.kind}` };
  const files: InputFile[] = [];
  for (const [i, file] of pkg.files.entries()) {
    const raw = base64ToBytes(file.base64);
    if (raw === null) return { ok: false, error: `list package field files.${i}.base64: not canonical base64` };
    files.push(inputFileFromBytes(file.name, raw));
  }
  let imported;
  try {
    imported = IMPORTERS[source].read(files, kind === undefined ? {} : { kind });
  } catch (error) {
    if (error instanceof RejectedImport) return { ok: false, error: formatRejection(error.rejection) };
    throw error;
  }
  if (imported.entries.length === 0) return { ok: false, error: 'the list package has no screenable entries' };
  const snapshot = makeListVersion(
    {
      listId: pkg.listId,
      source,
      publishedAt: imported.publishedAt,
      entries: imported.entries,
      sourceFiles: [],
      counts: imported.counts,
      importedAt: '1970-01-01T00:00:00.000Z',
    },
    nativeSha256,
  );
  return {
    ok: true,
    source,
    listId: pkg.listId,
    kind,
    files,
    contentSha256: snapshot.version.contentSha256,
    versionId: snapshot.version.version,
  };
};
