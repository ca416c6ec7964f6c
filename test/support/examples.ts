// Loads the example policies and leads from resources/examples for tests and benchmarks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyText } from '../../core/policy/parse.ts';
import type { LoadedPolicy } from '../../core/policy/parse.ts';
import { compilePolicy } from '../../core/routing/compile.ts';
import type { CompiledPolicy } from '../../core/routing/compile.ts';
import { LeadSchema } from '../../core/routing/lead.ts';
import type { Lead } from '../../core/routing/lead.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const examplesDir = join(repoRoot, 'resources', 'examples');
export const sharedData = join(repoRoot, '..', 'shared', 'data');

export const loadExamplePolicy = (name: 'fintech' | 'bank-insurer'): LoadedPolicy => {
  const parsed = parsePolicyText(readFileSync(join(examplesDir, name, 'policy.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error(`example ${name} is invalid: ${JSON.stringify(parsed.error)}`);
  return parsed.value;
};

export const compileExample = (name: 'fintech' | 'bank-insurer'): CompiledPolicy => {
  const loaded = loadExamplePolicy(name);
  return compilePolicy(loaded.policy, loaded.version);
};

export const loadExampleLeads = (name: 'fintech' | 'bank-insurer'): Lead[] =>
  readFileSync(join(examplesDir, name, 'leads.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => LeadSchema.parse(JSON.parse(line)));
