// The licensing map's cells and the policy diff: what is licensed where, and exactly what a new version changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffCounts, diffPolicies, flatten } from '../../../core/policy/diff.ts';
import { licensingMapOf, marketScope } from '../../../core/policy/licensing-map.ts';
import { parsePolicyText } from '../../../core/policy/parse.ts';
import type { PolicyBundle } from '../../../core/policy/schema.ts';
import { buildVocabulary } from '../../../core/policy/vocabulary.ts';
import { examplesDir } from '../../support/examples.ts';

const fintechText = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8');

const load = (text: string): PolicyBundle => {
  const parsed = parsePolicyText(text);
  if (!parsed.ok) throw new Error(`invalid test policy: ${JSON.stringify(parsed.error)}`);
  return parsed.value.policy;
};
const fintech = load(fintechText);

/** Replaces exactly one occurrence, so a test edit that misses fails loudly. */
const edit = (text: string, from: string, to: string): string => {
  expect(text.split(from).length - 1, `"${from}" occurs once`).toBe(1);
  return text.replace(from, to);
};

const JERSEY_LICENCE = `      - id: jfsc-msb
        regulator: JFSC
        regime: Jersey money service business
        jurisdictions: [JE]
        productClasses: [payments]
        customerTypes: [professional]
        validFrom: 2026-12-01
  - id: northwind-eu-ab`;

describe('the licensing map', () => {
  const map = licensingMapOf(fintech, { asOf: '2026-11-23' });
  const cell = (entityId: string, jurisdiction: string, productId: string) =>
    map.entities
      .find((entity) => entity.id === entityId)
      ?.rows.find((row) => row.jurisdiction === jurisdiction)
      ?.cells.find((candidate) => candidate.productId === productId);

  it('has a row per jurisdiction an entity is licensed or passported in, and a cell per product', () => {
    expect(map.products.map((product) => product.id)).toEqual([
      'business-payments',
      'corporate-cards',
      'crypto-custody',
      'gbp-stablecoin',
      'account-information',
      'payment-initiation',
      'pay-later',
    ]);
    const eu = map.entities.find((entity) => entity.id === 'northwind-eu-ab');
    expect(eu?.rows.map((row) => row.jurisdiction)).toEqual(['SE', 'FR', 'DE', 'NL', 'IE']);
    expect(eu?.rows[0]?.description).toBe('Sweden');
    expect(eu?.rows.every((row) => row.cells.length === 7)).toBe(true);
  });

  it('covers products by id or class, names the basis and conditions, and judges status at the given date', () => {
    expect(cell('northwind-uk-ltd', 'GB', 'corporate-cards')?.covers[0]?.summary).toBe(
      'fca-emi (FCA); held; retail, professional; from 2019-03-01',
    );
    expect(cell('northwind-uk-ltd', 'GB', 'crypto-custody')?.covers).toEqual([]);
    const passported = cell('northwind-eu-ab', 'FR', 'business-payments')?.covers[0];
    expect(passported).toMatchObject({ basis: 'passported', validFrom: '2021-06-01', status: 'in_force' });
    expect(passported?.summary).toBe(
      'fi-psd2-pi (Finansinspektionen); passported within EEA; retail, professional; from 2021-06-01',
    );
    expect(cell('northwind-eu-ab', 'FR', 'corporate-cards')?.covers).toEqual([]);
    expect(cell('northwind-us-llc', 'US-NY', 'business-payments')?.covers[0]).toMatchObject({
      status: 'not_yet_in_force',
      customerTypes: ['professional'],
    });
  });

  it('a country licence covers its subdivision rows (via the country)', () => {
    const policy = load(
      edit(
        fintechText,
        'jurisdictions: [US-CA]\n        productClasses: [payments]',
        'jurisdictions: [US]\n        productClasses: [payments]',
      ),
    );
    const us = licensingMapOf(policy, { asOf: '2026-11-23' }).entities.find(
      (entity) => entity.id === 'northwind-us-llc',
    );
    const ny = us?.rows.find((row) => row.jurisdiction === 'US-NY')?.cells[0];
    expect(ny?.covers.map((cover) => [cover.licenceId, cover.via])).toEqual([
      ['ca-dfpi-mtl', 'US'],
      ['ny-dfs-mtl', 'US-NY'],
    ]);
  });

  it('keeps custom zones apart: an onshore AE licence does not cover a DIFC row, nor the other way round', () => {
    const bankText = readFileSync(join(examplesDir, 'bank-insurer', 'policy.yaml'), 'utf8');
    const policy = load(
      edit(
        bankText,
        '        jurisdictions: [AE]\n        productClasses: [deposits, lending]\n        customerTypes: [retail, professional]\n        validFrom: 2015-09-01\n',
        `        jurisdictions: [AE]
        productClasses: [deposits, lending]
        customerTypes: [retail, professional]
        validFrom: 2015-09-01
      - id: dfsa-deposits
        regulator: DFSA
        regime: Category 1 (deposits)
        jurisdictions: [AE-DIFC]
        productClasses: [deposits]
        customerTypes: [professional]
        validFrom: 2025-01-01
        validTo: 2026-06-30
`,
      ),
    );
    const uae = licensingMapOf(policy, { asOf: '2026-11-23' }).entities.find(
      (entity) => entity.id === 'harbour-bank-uae',
    );
    const covers = (jurisdiction: string) =>
      uae?.rows
        .find((row) => row.jurisdiction === jurisdiction)
        ?.cells.find((cell) => cell.productId === 'savings-account')
        ?.covers.map((cover) => [cover.licenceId, cover.status]);
    expect(uae?.rows.map((row) => [row.jurisdiction, row.description])).toEqual([
      ['AE', 'United Arab Emirates'],
      ['AE-DIFC', 'Dubai International Financial Centre'],
    ]);
    expect(covers('AE')).toEqual([['cbuae-banking', 'in_force']]);
    expect(covers('AE-DIFC')).toEqual([['dfsa-deposits', 'expired']]);
  });

  it('keeps only what lies in a reader’s markets', () => {
    const vocabulary = buildVocabulary(fintech);
    const scoped = licensingMapOf(fintech, { asOf: '2026-11-23', inScope: marketScope(vocabulary, ['UK']) });
    expect(scoped.entities.map((entity) => entity.id)).toEqual(['northwind-uk-ltd']);
    expect(scoped.teams.map((team) => team.id)).toEqual(['uk-sme', 'uk-reseller']);
    expect(scoped.reps.map((rep) => rep.id)).toEqual(['rep-olivia', 'rep-harry', 'rep-priya']);
    const eu = licensingMapOf(fintech, { asOf: '2026-11-23', inScope: marketScope(vocabulary, ['EU-Passported']) });
    expect(eu.entities.map((entity) => entity.id)).toEqual(['northwind-eu-ab']);
    expect(eu.reps.map((rep) => rep.id)).toEqual(['rep-amelie', 'rep-jonas', 'rep-sofia']);
    // A market inside a broader licence reference still sees that row (US-CA inside a licence for US).
    const usWide = load(
      edit(
        fintechText,
        'jurisdictions: [US-CA]\n        productClasses: [payments]',
        'jurisdictions: [US]\n        productClasses: [payments]',
      ),
    );
    const ca = licensingMapOf(usWide, {
      asOf: '2026-11-23',
      inScope: marketScope(buildVocabulary(usWide), ['US-CA']),
    });
    expect(ca.entities.flatMap((entity) => entity.rows.map((row) => row.jurisdiction))).toEqual(['US']);
    expect(licensingMapOf(fintech, { asOf: '2026-11-23', inScope: marketScope(vocabulary, ['*']) })).toEqual(map);
  });
});

describe('the policy diff', () => {
  it('finds nothing between a policy and itself, even reformatted', () => {
    const reformatted = load(JSON.stringify(fintech));
    const diff = diffPolicies(fintech, reformatted);
    expect(diff.identical).toBe(true);
    expect(Object.values(diffCounts(diff)).every((count) => count === 0)).toBe(true);
  });

  it('names an added licence per entity × jurisdiction × product, and the label change', () => {
    const next = load(
      edit(edit(fintechText, '  - id: northwind-eu-ab', JERSEY_LICENCE), 'version: 2026.11-1', 'version: 2026.11-2'),
    );
    const diff = diffPolicies(fintech, next);
    expect(diff.identical).toBe(false);
    expect(diff.label).toEqual({ before: '2026.11-1', after: '2026.11-2' });
    expect(diff.licences).toEqual([
      {
        change: 'added',
        entityId: 'northwind-uk-ltd',
        entityName: 'Northwind Pay UK Limited',
        jurisdiction: 'JE',
        productId: 'business-payments',
        productName: 'Business payment account',
        before: [],
        after: ['jfsc-msb (JFSC); held; professional; from 2026-12-01'],
      },
    ]);
    expect(diff.entities).toEqual([
      {
        change: 'changed',
        id: 'northwind-uk-ltd',
        name: 'Northwind Pay UK Limited',
        fields: expect.arrayContaining([
          { path: 'licences[jfsc-msb].regulator', before: null, after: 'JFSC' },
          { path: 'licences[jfsc-msb].jurisdictions', before: null, after: 'JE' },
        ]),
      },
    ]);
    expect(diff.teams).toEqual([]);
    expect(diff.reps).toEqual([]);
    expect(diff.settings).toEqual([]);
  });

  it('reports removed and changed cells: a passport withdrawn, customer types narrowed', () => {
    const next = load(
      edit(
        edit(fintechText, 'into: [FR, DE, NL, IE]', 'into: [FR, DE, NL]'),
        'jurisdictions: [GB]\n        productClasses: [payments, card_issuing]\n        customerTypes: [retail, professional]',
        'jurisdictions: [GB]\n        productClasses: [payments, card_issuing]\n        customerTypes: [professional]',
      ),
    );
    const diff = diffPolicies(fintech, next);
    expect(
      diff.licences.map((change) => [change.change, change.entityId, change.jurisdiction, change.productId]),
    ).toEqual([
      ['changed', 'northwind-uk-ltd', 'GB', 'business-payments'],
      ['changed', 'northwind-uk-ltd', 'GB', 'corporate-cards'],
      ['removed', 'northwind-eu-ab', 'IE', 'business-payments'],
    ]);
    expect(diff.licences[0]?.before).toEqual(['fca-emi (FCA); held; retail, professional; from 2019-03-01']);
    expect(diff.licences[0]?.after).toEqual(['fca-emi (FCA); held; professional; from 2019-03-01']);
    expect(diff.licences[2]?.after).toEqual([]);
  });

  it('reports teams and reps added, removed and changed field by field', () => {
    const next = load(
      edit(
        edit(
          edit(fintechText, 'capacity: 40', 'capacity: 45'),
          `  - id: rep-dana
    name: Dana Kim
    team: us-smb
    capacity: 25
    available: false
    authorisations:
      - { products: [business-payments], jurisdictions: [US-CA, US-NY], customerTypes: [retail, professional] }
`,
          '',
        ),
        `  - id: us-smb
    name: US SMB desk`,
        `  - id: uk-enterprise
    name: UK enterprise desk
    entity: northwind-uk-ltd
    products: [business-payments]
    customerTypes: [professional]
    jurisdictions: [UK]
  - id: us-smb
    name: US SMB desk`,
      ),
    );
    const diff = diffPolicies(fintech, next);
    expect(diff.teams).toEqual([{ change: 'added', id: 'uk-enterprise', name: 'UK enterprise desk', fields: [] }]);
    expect(diff.reps).toEqual([
      {
        change: 'changed',
        id: 'rep-olivia',
        name: 'Olivia Bennett',
        fields: [{ path: 'capacity', before: '40', after: '45' }],
      },
      { change: 'removed', id: 'rep-dana', name: 'Dana Kim', fields: [] },
    ]);
    expect(diff.licences).toEqual([]);
  });

  it('reports other settings: SLA hours, four-eyes, retention, markets, screening thresholds, rules', () => {
    const next = load(
      `${edit(
        edit(
          edit(
            edit(fintechText, 'strongMatchThreshold: 0.93', 'strongMatchThreshold: 0.95'),
            '  - { regime: California Money Transmission Act, years: 7 }',
            '  - { regime: California Money Transmission Act, years: 10 }',
          ),
          '    GCC: [AE, SA, QA, KW, BH, OM]',
          '    GCC: [AE, SA, QA, KW, BH, OM]\n    Nordics: [SE, NO, DK, FI]',
        ),
        'weight: 10',
        'weight: 20',
      )}
cases:
  slaHours: { screening_review: 12 }
  fourEyes:
    - { caseType: screening_review, minRisk: medium }
`,
    );
    const diff = diffPolicies(fintech, next);
    expect(diff.settings).toEqual(
      expect.arrayContaining([
        { path: 'screening.strongMatchThreshold', before: '0.93', after: '0.95' },
        { path: 'retention[California Money Transmission Act].years', before: '7', after: '10' },
        { path: 'jurisdictions.markets.Nordics', before: null, after: 'SE, NO, DK, FI' },
        { path: 'cases.slaHours.screening_review', before: '24', after: '12' },
        { path: 'cases.fourEyes[screening_review].minRisk', before: 'high', after: 'medium' },
        { path: 'cases.fourEyes[enhanced_due_diligence].minRisk', before: 'low', after: null },
      ]),
    );
    expect(diff.settings).toHaveLength(6);
    expect(diff.rules).toEqual([
      {
        change: 'changed',
        id: 'R-enterprise-desk',
        name: 'Companies of 250 or more employees in the EEA go to the enterprise desk when it can take them.',
        fields: [{ path: 'weight', before: '10', after: '20' }],
      },
    ]);
  });

  it('flattens lists of records by their key and lists of values into one line', () => {
    expect(
      Object.fromEntries(
        flatten({
          retention: [{ regime: 'A', years: 5 }],
          only: [{ id: 'k' }],
          tags: ['x', 'y'],
          empty: [],
          at: [{ n: 1 }],
        }),
      ),
    ).toEqual({ 'retention[A].years': '5', 'only[k]': 'k', tags: 'x, y', empty: '(none)', 'at[0].n': '1' });
  });
});
