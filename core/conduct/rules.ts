// The conduct policy as the lifecycle reads it, and which of its rules apply to a path (scope by product, place, type).
import { ConductPolicySchema } from '../policy/conduct.ts';
import type {
  ChecklistRule,
  ColdContactRule,
  ConductRuleScope,
  ConductSection,
  CoolingOffRule,
  DisclosureRule,
  KycRule,
  OutreachWindowRule,
} from '../policy/conduct.ts';
import type { PolicyBundle, Product } from '../policy/schema.ts';
import { buildVocabulary } from '../policy/vocabulary.ts';
import { effectiveCustomerType } from './model.ts';
import type { PathState } from './model.ts';

/** Built once per policy version and shared by every decision under it. */
export type ConductPolicy = {
  readonly rules: ConductSection;
  readonly products: ReadonlyMap<string, Product>;
  /** Jurisdiction containment by the policy's vocabulary (decision 0110). */
  readonly within: (code: string, ref: string) => boolean;
};

const EMPTY_SECTION: ConductSection = ConductPolicySchema.parse({});

export const conductPolicyOf = (policy: PolicyBundle): ConductPolicy => {
  const vocabulary = buildVocabulary(policy);
  return {
    rules: policy.conduct ?? EMPTY_SECTION,
    products: new Map(policy.products.map((product) => [product.id, product])),
    within: vocabulary.within,
  };
};

/** How a refusal and a gate name the rule behind them. Lifecycle rules are built in; the others are the policy's. */
export type RuleRef = {
  readonly id: string;
  readonly citation: string;
  readonly source: 'policy' | 'lifecycle';
};

export const policyRule = (rule: { readonly id: string; readonly citation: string }): RuleRef => ({
  id: rule.id,
  citation: rule.citation,
  source: 'policy',
});

export type ApplicableRules = {
  readonly coldContact: readonly ColdContactRule[];
  readonly outreachWindows: readonly OutreachWindowRule[];
  readonly disclosures: readonly DisclosureRule[];
  readonly coolingOff: readonly CoolingOffRule[];
  readonly kyc: readonly KycRule[];
  readonly checklists: readonly ChecklistRule[];
};

const matches = (scope: ConductRuleScope, state: PathState, conduct: ConductPolicy): boolean => {
  const product = conduct.products.get(state.productId);
  const namesProducts = scope.products !== undefined || scope.productClasses !== undefined;
  if (
    namesProducts &&
    !(scope.products?.includes(state.productId) ?? false) &&
    !(product !== undefined && (scope.productClasses?.includes(product.class) ?? false))
  )
    return false;
  if (scope.jurisdictions !== undefined && !scope.jurisdictions.some((ref) => conduct.within(state.jurisdiction, ref)))
    return false;
  return scope.customerTypes === undefined || scope.customerTypes.includes(effectiveCustomerType(state.facts));
};

/** The policy's rules that apply to the path as it stands (its customer type and client status can change). */
export const rulesFor = (state: PathState, conduct: ConductPolicy): ApplicableRules => {
  const applies = <T extends ConductRuleScope>(rules: readonly T[]): T[] =>
    rules.filter((rule) => matches(rule, state, conduct));
  const { rules } = conduct;
  return {
    coldContact: applies(rules.coldContact),
    outreachWindows: applies(rules.outreachWindows),
    disclosures: applies(rules.disclosures),
    coolingOff: applies(rules.coolingOff).filter((rule) => rule.clientStatus.includes(state.facts.clientStatus)),
    kyc: applies(rules.kyc),
    checklists: applies(rules.checklists),
  };
};
