// zod schemas for the list model as stored on disk: every version file is validated when it is read back.
import * as z from 'zod';
import { ENTRY_TYPES, LIST_KINDS, LIST_SOURCES } from '../../../core/screening/model.ts';
import type {
  EntryId,
  ListEntry,
  ListId,
  ListSnapshot,
  ListVersion,
  ListVersionId,
} from '../../../core/screening/model.ts';

const Iso2 = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code');
const PartialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY, YYYY-MM or YYYY-MM-DD');

export const ListNameSchema = z.strictObject({
  value: z.string().min(1),
  role: z.enum(['primary', 'alias', 'former', 'original_script']),
  weak: z.boolean(),
});

export const ListDateSchema = z.strictObject({
  from: PartialDate,
  to: PartialDate.optional(),
  approximate: z.boolean(),
});

export const ListEntrySchema = z.strictObject({
  id: z.string().min(1),
  kind: z.enum(LIST_KINDS),
  type: z.enum(ENTRY_TYPES),
  names: z.array(ListNameSchema).min(1, 'an entry needs at least one name'),
  datesOfBirth: z.array(ListDateSchema),
  nationalities: z.array(Iso2),
  countries: z.array(Iso2),
  programs: z.array(z.string()),
  remarks: z.string().optional(),
});

export const ListVersionSchema = z.strictObject({
  listId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, dot, dash, underscore'),
  version: z.string().regex(/^[0-9a-f]{16}$/),
  source: z.enum(LIST_SOURCES),
  publishedAt: z.string().nullable(),
  contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  sourceFiles: z.array(z.strictObject({ name: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() })),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  importedAt: z.iso.datetime({ offset: true }),
});

export const ListSnapshotSchema = z.strictObject({
  version: ListVersionSchema,
  entries: z.array(ListEntrySchema),
});

/** The schema output with the model's branded ids. */
export const asSnapshot = (parsed: z.infer<typeof ListSnapshotSchema>): ListSnapshot => ({
  version: {
    ...parsed.version,
    listId: parsed.version.listId as ListId,
    version: parsed.version.version as ListVersionId,
  } satisfies ListVersion,
  entries: parsed.entries.map((entry) => ({ ...entry, id: entry.id as EntryId }) satisfies ListEntry),
});

/** Names the first problem of a failed parse: "entries[3].names: an entry needs at least one name". */
export const firstIssue = (error: z.ZodError): { field: string; message: string } => {
  const issue = error.issues[0];
  if (issue === undefined) return { field: '', message: 'invalid' };
  const field = issue.path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
  return { field, message: issue.message };
};
