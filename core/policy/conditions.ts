// Firm-specific rule conditions: a small, composable language (all / any / not / fact comparisons) and its compiler.
import * as z from 'zod';

/** Facts a condition may read. Lead and team attributes are open-ended maps declared by the firm. */
export const FACT_PATTERN =
  /^(lead\.(customerType|jurisdiction|country|markets|netWorthBand|netWorth|kycStatus|amlDocumentation|suitabilityAssessed|industry|attributes\.[A-Za-z0-9_]+)|product\.(id|class|complexity)|team\.(id|entity|attributes\.[A-Za-z0-9_]+)|entity\.(id|home|legalForm))$/;

export const ComparisonOperator = z.enum(['eq', 'neq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'within', 'exists']);
export type ComparisonOperator = z.infer<typeof ComparisonOperator>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

export type Comparison = {
  readonly fact: string;
  readonly op: ComparisonOperator;
  readonly value?: Scalar | readonly Scalar[] | undefined;
};
export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | Comparison;

const ComparisonSchema = z
  .strictObject({
    fact: z.string().regex(FACT_PATTERN, 'unknown fact: use lead.*, product.*, team.* or entity.* as documented'),
    op: ComparisonOperator,
    value: z.union([Scalar, z.array(Scalar)]).optional(),
  })
  .superRefine((comparison, ctx) => {
    const list = comparison.op === 'in' || comparison.op === 'notIn';
    if (comparison.op === 'exists') return;
    if (comparison.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `op ${comparison.op} needs a value` });
    else if (list !== Array.isArray(comparison.value))
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: list ? `op ${comparison.op} needs a list` : `op ${comparison.op} needs a single value`,
      });
  });

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
    ComparisonSchema,
  ]),
);

/** What a compiled condition reads: facts resolve to a scalar, a list of scalars (e.g. markets) or undefined. */
export type FactReader = (fact: string) => Scalar | readonly Scalar[] | undefined;
/** Resolves `within`: is this jurisdiction code inside that jurisdiction, group or market? */
export type WithinTest = (jurisdiction: string, container: string) => boolean;
export type CompiledCondition = (read: FactReader) => boolean;

export const compileCondition = (condition: Condition, within: WithinTest): CompiledCondition => {
  if ('all' in condition) {
    const parts = condition.all.map((part) => compileCondition(part, within));
    return (read) => parts.every((part) => part(read));
  }
  if ('any' in condition) {
    const parts = condition.any.map((part) => compileCondition(part, within));
    return (read) => parts.some((part) => part(read));
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, within);
    return (read) => !inner(read);
  }
  return compileComparison(condition, within);
};

const compileComparison = ({ fact, op, value }: Comparison, within: WithinTest): CompiledCondition => {
  const matchesAny = (actual: Scalar | readonly Scalar[] | undefined, test: (scalar: Scalar) => boolean): boolean =>
    actual === undefined ? false : Array.isArray(actual) ? actual.some(test) : test(actual as Scalar);
  const values = Array.isArray(value) ? new Set<Scalar>(value) : undefined;
  switch (op) {
    case 'exists':
      return (read) => read(fact) !== undefined;
    case 'eq':
      return (read) => matchesAny(read(fact), (actual) => actual === value);
    case 'neq':
      return (read) => !matchesAny(read(fact), (actual) => actual === value);
    case 'in':
      return (read) => matchesAny(read(fact), (actual) => values?.has(actual) === true);
    case 'notIn':
      return (read) => !matchesAny(read(fact), (actual) => values?.has(actual) === true);
    case 'gt':
      return (read) => matchesAny(read(fact), (actual) => typeof actual === 'number' && actual > Number(value));
    case 'gte':
      return (read) => matchesAny(read(fact), (actual) => typeof actual === 'number' && actual >= Number(value));
    case 'lt':
      return (read) => matchesAny(read(fact), (actual) => typeof actual === 'number' && actual < Number(value));
    case 'lte':
      return (read) => matchesAny(read(fact), (actual) => typeof actual === 'number' && actual <= Number(value));
    case 'within':
      return (read) => matchesAny(read(fact), (actual) => typeof actual === 'string' && within(actual, String(value)));
  }
};

/** Every fact a condition reads, so validation can tell lead-only rules from team rules. */
export const factsOf = (condition: Condition): string[] => {
  if ('all' in condition) return condition.all.flatMap(factsOf);
  if ('any' in condition) return condition.any.flatMap(factsOf);
  if ('not' in condition) return factsOf(condition.not);
  return [condition.fact];
};
