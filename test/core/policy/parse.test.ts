// Policy bundles: valid examples load, every kind of mistake is reported with its path and line, the version is a content hash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePolicyText } from '../../../core/policy/parse.ts';
import { policyJsonSchema } from '../../../core/policy/json-schema.ts';
import { examplesDir, loadExamplePolicy } from '../../support/examples.ts';

const fintechText = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8');

const issuesOf = (text: string) => {
  const result = parsePolicyText(text);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.error;
};

describe('policy bundles', () => {
  it('loads both example policies', () => {
    expect(loadExamplePolicy('fintech').policy.entities.map((e) => e.legalForm)).toEqual(['Limited', 'AB', 'LLC']);
    expect(loadExamplePolicy('bank-insurer').policy.jurisdictions.customZones[0]?.code).toBe('AE-DIFC');
  });

  it('gives the same rule version to the same content in YAML and JSON, and a new one when a rule changes', () => {
    const yaml = loadExamplePolicy('fintech');
    const asJson = parsePolicyText(JSON.stringify(yaml.policy, null, 2));
    expect(asJson.ok && asJson.value.version).toBe(yaml.version);
    expect(yaml.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    const changed = parsePolicyText(fintechText.replace('capacity: 40', 'capacity: 41'));
    expect(changed.ok && changed.value.version).not.toBe(yaml.version);
    const commented = parsePolicyText(`# a comment changes nothing\n${fintechText}`);
    expect(commented.ok && commented.value.version).toBe(yaml.version);
  });

  it('reports a YAML syntax error with its line', () => {
    const [issue] = issuesOf('schema: perimeter.policy/v1\nname: [unclosed\n');
    expect(issue?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses a YAML alias bomb as an issue at the first alias, instead of throwing', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [previous, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ])
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    const issues = issuesOf(levels.join('\n'));
    expect(issues).toEqual([
      { path: '', line: 2, column: 8, message: expect.stringMatching(/aliases expand too far/) },
    ]);
  });

  it('reports duplicate keys', () => {
    expect(issuesOf('schema: perimeter.policy/v1\nschema: perimeter.policy/v1\n')[0]?.message).toMatch(
      /unique|duplicate/i,
    );
  });

  it('reports a schema error with its path and the line of the offending value', () => {
    const text = fintechText.replace('    capacity: 40\n', '    capacity: lots\n');
    const issue = issuesOf(text).find((candidate) => candidate.path === 'reps[0].capacity');
    expect(issue).toBeDefined();
    const expectedLine = text.split('\n').findIndex((line) => line.includes('capacity: lots')) + 1;
    expect(issue?.line).toBe(expectedLine);
  });

  it('reports every unknown reference, not only the first', () => {
    const text = fintechText
      .replace('entity: northwind-us-llc', 'entity: northwind-mars-llc')
      .replace('team: uk-reseller', 'team: uk-nowhere');
    const paths = issuesOf(text).map((issue) => `${issue.path}: ${issue.message}`);
    expect(paths).toContain('teams[4].entity: unknown entity "northwind-mars-llc"');
    expect(paths).toContain('reps[2].team: unknown team "uk-nowhere"');
  });

  it('rejects a jurisdiction that is not ISO 3166, a zone, a group or a market', () => {
    const issues = issuesOf(fintechText.replace('jurisdictions: [SE]', 'jurisdictions: [XX]'));
    expect(issues[0]?.message).toMatch(/unknown jurisdiction "XX"/);
    expect(issues[0]?.path).toBe('entities[1].licences[0].jurisdictions[0]');
  });

  it('rejects a passport into a state outside its area', () => {
    const issues = issuesOf(fintechText.replace('into: [FR, DE, NL, IE]', 'into: [FR, CH]'));
    expect(issues.map((issue) => issue.message)).toContain('"CH" is outside the passport area EEA');
  });

  it('rejects groups that refer to themselves', () => {
    const issues = issuesOf(fintechText.replace('EEA: [AT,', 'EEA: [EEA, AT,'));
    expect(issues.some((issue) => /cannot be expanded/.test(issue.message))).toBe(true);
  });

  it('rejects a "when" that reads team facts', () => {
    const issues = issuesOf(
      fintechText.replace(
        'when: { fact: lead.industry, op: eq, value: online-gambling }',
        'when: { fact: team.id, op: eq, value: us-smb }',
      ),
    );
    expect(issues[0]?.path).toBe('rules[2].when');
  });

  it('rejects an inverted validity window and inverted thresholds', () => {
    const issues = issuesOf(
      fintechText
        .replace('validFrom: 2019-03-01', 'validFrom: 2019-03-01\n        validTo: 2018-01-01')
        .replace('potentialMatchThreshold: 0.85', 'potentialMatchThreshold: 0.99'),
    );
    expect(issues.map((issue) => issue.path)).toContain('screening.potentialMatchThreshold');
  });

  it('publishes a JSON Schema generated from the same zod schema', () => {
    const schema = policyJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['entities', 'teams', 'reps', 'products', 'rules', 'jurisdictions']),
    );
    expect(schema.required).toContain('entities');
  });

  it('reads a bundle written as JSON with line numbers too', () => {
    const json = JSON.stringify({ ...loadExamplePolicy('fintech').policy, currency: 'euro' }, null, 2);
    const issue = issuesOf(json).find((candidate) => candidate.path === 'currency');
    expect(issue?.line).toBe(json.split('\n').findIndex((line) => line.includes('"euro"')) + 1);
  });

  it('round-trips through YAML serialisation to the same version', () => {
    const loaded = loadExamplePolicy('bank-insurer');
    const again = parsePolicyText(stringify(loaded.policy));
    expect(again.ok && again.value.version).toBe(loaded.version);
  });
});
