// Paths, commands and conduct policies for the lifecycle tests: the example policies and small policies built in code.
import { conductPolicyOf } from '../../core/conduct/rules.ts';
import type { ConductPolicy } from '../../core/conduct/rules.ts';
import { newPathState } from '../../core/conduct/model.ts';
import type { NewPathInput, PathFacts, PathState } from '../../core/conduct/model.ts';
import type { ConductCommand } from '../../core/conduct/commands.ts';
import type { Decision, Refusal } from '../../core/conduct/decide.ts';
import type { Channel, ContactBasis } from '../../core/policy/conduct.ts';
import { PolicyBundleSchema } from '../../core/policy/schema.ts';
import { validatePolicySemantics } from '../../core/policy/validate.ts';
import { loadExamplePolicy } from './examples.ts';
import { basePolicy } from './policy-builder.ts';
import type { PolicyInput } from './policy-builder.ts';

export const exampleConduct = (name: 'fintech' | 'bank-insurer'): ConductPolicy =>
  conductPolicyOf(loadExamplePolicy(name).policy);

/** A small valid policy with the conduct section given (and the products given, if any). */
export const conductFor = (conduct: PolicyInput['conduct'], products?: PolicyInput['products']): ConductPolicy => {
  const policy = PolicyBundleSchema.parse(basePolicy({ conduct, ...(products ? { products } : {}) }));
  const issues = validatePolicySemantics(policy);
  if (issues.length > 0) throw new Error(`test policy is invalid: ${JSON.stringify(issues)}`);
  return conductPolicyOf(policy);
};

/** Facts that pass every built-in gate: KYC verified, AML complete, a known zone. Tests change what they test. */
export const clearFacts: Partial<PathFacts> = {
  customerType: 'retail',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  timeZone: 'Europe/London',
};

export const pathOf = (
  input: Partial<Omit<NewPathInput, 'facts'>> & { readonly facts?: Partial<PathFacts> },
): PathState =>
  newPathState({
    leadId: 'L-TEST',
    productId: 'pay',
    jurisdiction: 'GB',
    owner: 'rep-a',
    openedAt: '2026-12-01T09:00:00Z',
    ...input,
    facts: { ...clearFacts, ...input.facts },
  });

export const outbound = (
  channel: Channel,
  options: { disclosures?: { template: string; version: number }[]; basis?: ContactBasis; by?: string } = {},
): ConductCommand => ({
  kind: 'record_outreach',
  direction: 'outbound',
  by: options.by ?? 'rep-a',
  channel,
  content: { kind: 'summary', text: 'Introduced the product' },
  disclosures: options.disclosures ?? [],
  ...(options.basis ? { basis: options.basis } : {}),
});

export const inbound = (channel: Channel, by = 'rep-a'): ConductCommand => ({
  kind: 'record_outreach',
  direction: 'inbound',
  by,
  channel,
  content: { kind: 'summary', text: 'Prospect asked to be called back' },
});

export const facts = (changes: Partial<PathFacts>, by = 'rep-a'): ConductCommand => ({
  kind: 'update_facts',
  by,
  changes,
});

export const advance = (to: 'QUALIFIED' | 'PROPOSAL', by = 'rep-a'): ConductCommand => ({ kind: 'advance', by, to });

/** The accepted decision, or a thrown error with the refusal's message. */
export const accepted = (decision: Decision): Extract<Decision, { ok: true }> => {
  if (!decision.ok) throw new Error(`expected acceptance, got: ${decision.refusal.message}`);
  return decision;
};

export const refused = (decision: Decision): Refusal => {
  if (decision.ok) throw new Error(`expected a refusal, got stage ${decision.state.stage}`);
  return decision.refusal;
};
