// The readable difference between two policy bundles: licence cells (entity × jurisdiction × product) added, removed or
// changed, entities, products, teams, reps and rules added, removed or changed field by field, and other settings.
import { licensingMapOf } from './licensing-map.ts';
import type { LicensingMap } from './licensing-map.ts';
import type { PolicyBundle } from './schema.ts';

export type Change = 'added' | 'removed' | 'changed';

/** One field that differs; null means the field is absent on that side. Values are rendered as short text. */
export type FieldChange = { readonly path: string; readonly before: string | null; readonly after: string | null };

export type ItemChange = {
  readonly change: Change;
  readonly id: string;
  readonly name: string;
  /** For a changed item, the fields that differ (paths relative to the item). Empty for added and removed items. */
  readonly fields: readonly FieldChange[];
};

export type LicenceCellChange = {
  readonly change: Change;
  readonly entityId: string;
  readonly entityName: string;
  readonly jurisdiction: string;
  readonly productId: string;
  readonly productName: string;
  /** The covering licences' conditions before and after (empty when the cell was not licensed). */
  readonly before: readonly string[];
  readonly after: readonly string[];
};

export type PolicyDiff = {
  readonly label: { readonly before: string; readonly after: string } | null;
  readonly licences: readonly LicenceCellChange[];
  readonly entities: readonly ItemChange[];
  readonly products: readonly ItemChange[];
  readonly teams: readonly ItemChange[];
  readonly reps: readonly ItemChange[];
  readonly rules: readonly ItemChange[];
  /** Everything else: names, currency, jurisdiction vocabulary, tagging, screening, bands, retention, cases (SLA, four-eyes). */
  readonly settings: readonly FieldChange[];
  /** No difference in meaning at all (the rule versions are equal). */
  readonly identical: boolean;
};

// Lists of records are keyed by their natural key so a reordering is not a change and a change names its record.
const KEYS = ['id', 'code', 'regime', 'caseType'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const scalarText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Flattens a value into path → text leaves; lists of scalars are one leaf ("a, b"), lists of records are keyed. */
export const flatten = (value: unknown, path = '', out = new Map<string, string>()): Map<string, string> => {
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    if (value.every((element) => !isRecord(element) && !Array.isArray(element))) {
      out.set(path, value.length === 0 ? '(none)' : value.map(scalarText).join(', '));
      return out;
    }
    value.forEach((element, index) => {
      const key = isRecord(element) ? KEYS.find((name) => typeof element[name] === 'string') : undefined;
      if (key === undefined || !isRecord(element)) {
        flatten(element, `${path}[${index}]`, out);
        return;
      }
      // The key is in the path already; a record that is nothing but its key still leaves one leaf.
      const { [key]: keyValue, ...rest } = element;
      if (Object.keys(rest).length === 0) out.set(`${path}[${String(keyValue)}]`, String(keyValue));
      else flatten(rest, `${path}[${String(keyValue)}]`, out);
    });
    return out;
  }
  if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, path === '' ? key : `${path}.${key}`, out);
    return out;
  }
  out.set(path, scalarText(value));
  return out;
};

export const fieldChanges = (before: unknown, after: unknown, prefix = ''): FieldChange[] => {
  const left = flatten(before, prefix);
  const right = flatten(after, prefix);
  const changes: FieldChange[] = [];
  for (const [path, value] of right) {
    const old = left.get(path);
    if (old !== value) changes.push({ path, before: old ?? null, after: value });
  }
  for (const [path, value] of left) if (!right.has(path)) changes.push({ path, before: value, after: null });
  return changes;
};

const itemChanges = <T extends { readonly id: string; readonly name?: string; readonly description?: string }>(
  before: readonly T[],
  after: readonly T[],
): ItemChange[] => {
  const old = new Map(before.map((item) => [item.id, item]));
  const current = new Set(after.map((item) => item.id));
  const nameOf = (item: T): string => item.name ?? item.description ?? item.id;
  const changes: ItemChange[] = [];
  for (const item of after) {
    const previous = old.get(item.id);
    if (previous === undefined) {
      changes.push({ change: 'added', id: item.id, name: nameOf(item), fields: [] });
      continue;
    }
    const fields = fieldChanges(withoutId(previous), withoutId(item));
    if (fields.length > 0) changes.push({ change: 'changed', id: item.id, name: nameOf(item), fields });
  }
  for (const item of before)
    if (!current.has(item.id)) changes.push({ change: 'removed', id: item.id, name: nameOf(item), fields: [] });
  return changes;
};

const withoutId = (item: object): Record<string, unknown> => {
  const { id: _id, ...rest } = item as Record<string, unknown>;
  return rest;
};

type CellKey = string;
type CellFacts = { entityId: string; entityName: string; jurisdiction: string; productId: string; productName: string };

const cellsOf = (map: LicensingMap): Map<CellKey, CellFacts & { covers: string[] }> => {
  const productName = new Map(map.products.map((product) => [product.id, product.name]));
  const cells = new Map<CellKey, CellFacts & { covers: string[] }>();
  for (const entity of map.entities)
    for (const row of entity.rows)
      for (const cell of row.cells) {
        if (cell.covers.length === 0) continue;
        cells.set(JSON.stringify([entity.id, row.jurisdiction, cell.productId]), {
          entityId: entity.id,
          entityName: entity.name,
          jurisdiction: row.jurisdiction,
          productId: cell.productId,
          productName: productName.get(cell.productId) ?? cell.productId,
          covers: cell.covers.map((cover) => cover.summary).sort(),
        });
      }
  return cells;
};

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, index) => value === b[index]);

const licenceCellChanges = (before: PolicyBundle, after: PolicyBundle): LicenceCellChange[] => {
  // Statuses depend on a date; summaries do not, and only summaries are compared.
  const asOf = '0000-01-01';
  const left = cellsOf(licensingMapOf(before, { asOf }));
  const right = cellsOf(licensingMapOf(after, { asOf }));
  const changes: LicenceCellChange[] = [];
  const facts = ({ entityId, entityName, jurisdiction, productId, productName }: CellFacts): CellFacts => ({
    entityId,
    entityName,
    jurisdiction,
    productId,
    productName,
  });
  for (const [key, cell] of right) {
    const old = left.get(key);
    if (old === undefined) changes.push({ change: 'added', ...facts(cell), before: [], after: cell.covers });
    else if (!sameList(old.covers, cell.covers))
      changes.push({ change: 'changed', ...facts(cell), before: old.covers, after: cell.covers });
  }
  for (const [key, cell] of left)
    if (!right.has(key)) changes.push({ change: 'removed', ...facts(cell), before: cell.covers, after: [] });
  return changes;
};

const SECTIONS_WITH_THEIR_OWN_LIST = new Set(['entities', 'products', 'teams', 'reps', 'rules', 'version']);

const settingsOf = (policy: PolicyBundle): Record<string, unknown> =>
  Object.fromEntries(Object.entries(policy).filter(([key]) => !SECTIONS_WITH_THEIR_OWN_LIST.has(key)));

/** The difference from `before` (the active policy) to `after` (the candidate), in the candidate's order. */
export const diffPolicies = (before: PolicyBundle, after: PolicyBundle): PolicyDiff => {
  const diff = {
    label: before.version === after.version ? null : { before: before.version, after: after.version },
    licences: licenceCellChanges(before, after),
    entities: itemChanges(before.entities, after.entities),
    products: itemChanges(before.products, after.products),
    teams: itemChanges(before.teams, after.teams),
    reps: itemChanges(before.reps, after.reps),
    rules: itemChanges(before.rules, after.rules),
    settings: fieldChanges(settingsOf(before), settingsOf(after)),
  };
  const identical =
    diff.label === null &&
    [diff.licences, diff.entities, diff.products, diff.teams, diff.reps, diff.rules, diff.settings].every(
      (list) => list.length === 0,
    );
  return { ...diff, identical };
};

/** Counts per kind of change, for the audit entry and summaries. */
export const diffCounts = (diff: PolicyDiff): Record<string, number> => ({
  licencesAdded: diff.licences.filter((change) => change.change === 'added').length,
  licencesRemoved: diff.licences.filter((change) => change.change === 'removed').length,
  licencesChanged: diff.licences.filter((change) => change.change === 'changed').length,
  entities: diff.entities.length,
  products: diff.products.length,
  teams: diff.teams.length,
  reps: diff.reps.length,
  rules: diff.rules.length,
  settings: diff.settings.length,
});
