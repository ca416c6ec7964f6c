// The policy's conduct section: the examples carry cited rules, mistakes are reported at their path, old bundles keep their version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { diffPolicies } from '../../../core/policy/diff.ts';
import { policyJsonSchema } from '../../../core/policy/json-schema.ts';
import { parsePolicyText } from '../../../core/policy/parse.ts';
import type { LocatedPolicyIssue } from '../../../core/policy/parse.ts';
import { PolicyBundleSchema } from '../../../core/policy/schema.ts';
import { ruleVersionOf } from '../../../core/policy/version.ts';
import { examplesDir, loadExamplePolicy } from '../../support/examples.ts';
import { basePolicy } from '../../support/policy-builder.ts';
import type { PolicyInput } from '../../support/policy-builder.ts';

const withConduct = (conduct: unknown, extra: Partial<PolicyInput> = {}): string =>
  stringify({ ...basePolicy(extra), conduct });

const issuesOf = (text: string): LocatedPolicyIssue[] => {
  const result = parsePolicyText(text);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.error;
};

const window = (hours: unknown) => ({
  outreachWindows: [{ id: 'W-1', citation: 'FINRA Rule 3230(a)(1)', channels: ['phone'], hours }],
});

describe('the conduct section of a policy', () => {
  it('is optional: a bundle without it keeps the rule version it had before the section existed', () => {
    // Computed with the code of main before this section was added (commit 374cc28), whose default potential-match
    // threshold was 0.82 (decision 0190 moved it to 0.85): the thresholds are given so that only the section counts.
    const thresholds = { potentialMatchThreshold: 0.82, strongMatchThreshold: 0.93 };
    expect(ruleVersionOf(PolicyBundleSchema.parse({ ...basePolicy(), screening: thresholds }))).toBe(
      'sha256:6365007e2297b2c00be6523f6673957f1d1d02c5e7046ce0513f8d687f6ee42b',
    );
    expect('conduct' in PolicyBundleSchema.parse(basePolicy())).toBe(false);
  });

  it('changes the rule version when a conduct rule changes, and the diff names the rule and field', () => {
    const text = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8');
    const before = parsePolicyText(text);
    const after = parsePolicyText(text.replace('      hours: 24\n', '      hours: 48\n'));
    if (!before.ok || !after.ok) throw new Error('the example no longer parses');
    expect(before.value.version).not.toBe(after.value.version);
    expect(diffPolicies(before.value.policy, after.value.policy).settings).toEqual([
      { path: 'conduct.coolingOff[CO-PS22-10-PS23-6].hours', before: '24', after: '48' },
    ]);
  });

  it('gives both example policies realistic, cited rules in every section they use', () => {
    const fintech = loadExamplePolicy('fintech').policy.conduct!;
    const bank = loadExamplePolicy('bank-insurer').policy.conduct!;
    const citations = [fintech, bank]
      .flatMap((section) => Object.values(section).flat())
      .map((rule) => rule.citation)
      .join('\n');
    for (const cited of [
      'COBS 4.8.2R',
      'PS22/10',
      'PS23/6',
      'FINRA Rule 3230',
      'DFSA GEN 3',
      '2023/2225 art. 10 and 26',
    ])
      expect(citations).toContain(cited);
    expect(fintech.coolingOff[0]).toMatchObject({ hours: 24, clientStatus: ['new'], customerTypes: ['retail'] });
    expect(bank.coldContact.find((rule) => rule.id === 'CC-DFSA-GEN-3-RETAIL')?.permittedBy).toEqual([]);
  });

  it('keeps open banking AISP and PISP distinct products with their own rules, and has a stablecoin product', () => {
    const policy = loadExamplePolicy('fintech').policy;
    const product = (id: string) => policy.products.find((candidate) => candidate.id === id);
    expect(product('account-information')).toMatchObject({
      class: 'open_banking',
      name: expect.stringMatching(/AISP/),
    });
    expect(product('payment-initiation')).toMatchObject({ class: 'open_banking', name: expect.stringMatching(/PISP/) });
    expect(product('gbp-stablecoin')?.class).toBe('stablecoin');
    const rulesNaming = (id: string) =>
      Object.values(policy.conduct!)
        .flat()
        .filter((rule) => rule.products?.includes(id))
        .map((rule) => rule.id);
    expect(rulesNaming('account-information')).toEqual(['D-AIS-CONSENT-NOTICE', 'CL-AIS-CONSENT']);
    expect(rulesNaming('payment-initiation')).toEqual([
      'D-PIS-INFORMATION',
      'K-MLR-28-PIS-MERCHANT',
      'CL-PIS-MERCHANT',
    ]);
  });

  it('accepts the stablecoin product class in products and licences', () => {
    const base = basePolicy();
    const parsed = parsePolicyText(
      withConduct(undefined, {
        products: [...(base.products ?? []), { id: 'coin', name: 'Stablecoin', class: 'stablecoin' }],
        entities: base.entities.map((entity) => ({
          ...entity,
          licences: entity.licences.map((licence) => ({ ...licence, productClasses: ['payments', 'stablecoin'] })),
        })),
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(parsed.value.policy.products.map((product) => product.class)).toEqual(['payments', 'stablecoin']);
    expect(parsed.value.policy.entities[0]?.licences[0]?.productClasses).toEqual(['payments', 'stablecoin']);
  });

  it('fills defaults inside the section: first-contact disclosures, new clients, before PROPOSAL', () => {
    const parsed = parsePolicyText(
      withConduct({
        disclosures: [
          { id: 'D-1', citation: 'PS23/6', kind: 'risk_warning', template: 'RW', version: 1, title: 'Risk warning' },
        ],
        coolingOff: [{ id: 'CO-1', citation: 'PS22/10', hours: 24 }],
        kyc: [{ id: 'K-1', citation: 'MLR 2017 reg. 28' }],
        checklists: [{ id: 'CL-1', citation: 'firm', items: [{ id: 'a', label: 'A' }] }],
        outreachWindows: window([{ from: '08:00', to: '21:00' }]).outreachWindows,
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const conduct = parsed.value.policy.conduct!;
    expect(conduct.disclosures[0]?.requiredBefore).toBe('first_contact');
    expect(conduct.coolingOff[0]?.clientStatus).toEqual(['new']);
    expect(conduct.kyc[0]?.verifiedBefore).toBe('proposal');
    expect(conduct.checklists[0]?.completeBefore).toBe('proposal');
    expect(conduct.outreachWindows[0]?.hours[0]?.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(conduct.coldContact).toEqual([]);
  });

  it('reports a bad time of day, an inverted window and an unknown channel at the path of the field', () => {
    const paths = (conduct: unknown) =>
      issuesOf(withConduct(conduct)).map((issue) => `${issue.path}: ${issue.message}`);
    expect(paths(window([{ from: '8:00', to: '21:00' }]))).toEqual([
      'conduct.outreachWindows[0].hours[0].from: a time of day is "HH:MM" (quoted), from 00:00 to 24:00',
    ]);
    expect(paths(window([{ from: '21:00', to: '08:00' }]))).toEqual([
      'conduct.outreachWindows[0].hours[0].to: "from" must be before "to" (a window does not run past midnight: split it in two)',
    ]);
    const channel = paths({
      coldContact: [{ id: 'C-1', citation: 'COBS 4.8.2R', channels: ['pigeon'], permittedBy: [] }],
    });
    expect(channel).toHaveLength(1);
    expect(channel[0]).toMatch(/^conduct\.coldContact\[0\]\.channels\[0\]: /);
  });

  it('reports unknown keys and missing citations: every rule cites what it encodes', () => {
    const issues = issuesOf(
      withConduct({ coolingOff: [{ id: 'CO-1', hours: 24, clientStatus: ['new'], product: 'pay' }] }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['conduct.coolingOff[0].citation', 'conduct.coolingOff[0]']),
    );
  });

  it('reports semantic mistakes with their line: unknown product and jurisdiction, duplicate ids, one template at two versions', () => {
    const text = withConduct({
      coldContact: [
        {
          id: 'R-1',
          citation: 'COBS 4.8.2R',
          products: ['nope'],
          jurisdictions: ['Atlantis'],
          channels: ['phone', 'phone'],
          permittedBy: ['consent'],
        },
      ],
      disclosures: [
        { id: 'R-1', citation: 'a', kind: 'risk_warning', template: 'RW', version: 1, title: 'One' },
        { id: 'D-2', citation: 'b', kind: 'risk_warning', template: 'RW', version: 2, title: 'Two' },
      ],
      checklists: [
        {
          id: 'CL-1',
          citation: 'c',
          items: [
            { id: 'x', label: 'X' },
            { id: 'x', label: 'X again' },
          ],
        },
      ],
    });
    const issues = issuesOf(text);
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'conduct.coldContact[0].products[0]: unknown product "nope"',
      'conduct.coldContact[0].jurisdictions[0]: unknown jurisdiction "Atlantis": not an ISO 3166 code, a declared custom zone, a group or a market',
      'conduct.disclosures[0].id: duplicate conduct rule id "R-1" (also conduct.coldContact[0])',
      'conduct.coldContact[0].channels[1]: channel "phone" is listed twice',
      'conduct.disclosures[1].version: template "RW" is required at version 2 here and 1 in conduct.disclosures[0]',
      'conduct.checklists[0].items[1].id: checklist item "x" is listed twice',
    ]);
    const line = text.split('\n').findIndex((candidate) => candidate.includes('- nope')) + 1;
    expect(issues[0]?.line).toBe(line);
  });

  it('is part of the generated JSON Schema', () => {
    const schema = policyJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(schema.properties.conduct?.properties ?? {})).toEqual([
      'coldContact',
      'outreachWindows',
      'disclosures',
      'coolingOff',
      'kyc',
      'checklists',
    ]);
  });
});
