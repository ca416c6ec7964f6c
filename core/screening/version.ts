// List versions: the content hash that identifies what screening used, and the version record of an import.
import { canonicalJson, canonicalJsonBytes } from '../shared/canonical-json.ts';
import { portableSha256, sha256Hex } from '../shared/sha256.ts';
import type { Sha256 } from '../shared/sha256.ts';
import type { ListEntry, ListId, ListSnapshot, ListSource, ListVersionId, SourceFile } from './model.ts';

export type NewListVersion = {
  readonly listId: string;
  readonly source: ListSource;
  readonly publishedAt: string | null;
  readonly entries: readonly ListEntry[];
  readonly sourceFiles: readonly SourceFile[];
  readonly counts: Readonly<Record<string, number>>;
  /** ISO date-time, passed in: core has no clock. */
  readonly importedAt: string;
};

/** SHA-256 over the canonical (RFC 8785) JSON of the entries, in the order the list gives them. */
export const entriesSha256 = (entries: readonly ListEntry[], hash: Sha256 = portableSha256): string =>
  sha256Hex(canonicalJsonBytes(entries), hash);

export const versionIdOf = (contentSha256: string): ListVersionId => contentSha256.slice(0, 16) as ListVersionId;

/** Wraps imported entries into a version: same entries, same hash, same version id, whatever the file looked like. */
export const makeListVersion = (input: NewListVersion, hash: Sha256 = portableSha256): ListSnapshot => {
  const contentSha256 = entriesSha256(input.entries, hash);
  return {
    version: {
      listId: input.listId as ListId,
      version: versionIdOf(contentSha256),
      source: input.source,
      publishedAt: input.publishedAt,
      contentSha256,
      sourceFiles: input.sourceFiles,
      counts: input.counts,
      importedAt: input.importedAt,
    },
    entries: input.entries,
  };
};

/** Checks that a stored snapshot still hashes to its recorded content hash. */
export const verifySnapshot = (snapshot: ListSnapshot, hash: Sha256 = portableSha256): boolean =>
  entriesSha256(snapshot.entries, hash) === snapshot.version.contentSha256 &&
  versionIdOf(snapshot.version.contentSha256) === snapshot.version.version;

/** The canonical form of one entry, for comparing versions. */
export const entryFingerprint = (entry: ListEntry): string => canonicalJson(entry);
