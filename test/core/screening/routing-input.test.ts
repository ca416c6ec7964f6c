// Screening results in the shape routing reads (the lead's screening summary), and the review queue per list kind.
import { describe, expect, it } from 'vitest';
import { ScreeningSummarySchema } from '../../../core/routing/lead.ts';
import { buildIndex } from '../../../core/screening/match-index.ts';
import {
  DEFAULT_THRESHOLDS,
  REVIEW_QUEUE_BY_KIND,
  thresholdsFromPolicy,
  toRoutingScreening,
} from '../../../core/screening/routing-input.ts';
import { screenParty } from '../../../core/screening/screen.ts';
import { snapshot } from './fixtures.ts';

const index = buildIndex([
  snapshot('sdn', [{ id: '1', names: ['Ali Wahib AL-ZAIN'] }], 'ofac-sdn-csv'),
  snapshot('pep', [{ id: 'P', names: ['Jennifer McClellan'], kind: 'pep' }], 'senzing-json'),
  snapshot('block', [{ id: 'acme', names: ['Acme Trading LLC'], kind: 'blocklist', type: 'company' }]),
]);

describe('toRoutingScreening', () => {
  const results = [
    screenParty(index, { name: 'Ali Wahib al Zain', type: 'person' }, DEFAULT_THRESHOLDS),
    screenParty(index, { name: 'Acme Trading', type: 'company' }, DEFAULT_THRESHOLDS),
    screenParty(index, { name: 'Nobody Inparticular', type: 'person' }, DEFAULT_THRESHOLDS),
  ];
  const summary = toRoutingScreening(results, '2026-03-01T10:00:00.000Z');

  it('is exactly what the lead schema accepts', () => {
    expect(ScreeningSummarySchema.parse(summary)).toEqual(summary);
  });

  it('carries each potential and strong hit with its party, list version and an uncleared flag', () => {
    expect(summary.hits).toEqual([
      {
        party: 'person',
        listKind: 'sanctions',
        strength: 'strong',
        listId: 'sdn',
        listVersion: index.lists[0]!.version,
        entryId: '1',
        entryName: 'Ali Wahib AL-ZAIN',
        score: 1,
        cleared: false,
      },
      expect.objectContaining({ party: 'company', listKind: 'blocklist', entryId: 'acme', cleared: false }),
    ]);
  });

  it('has no hits for clear parties', () => {
    expect(toRoutingScreening([results[2]!], '2026-03-01T10:00:00.000Z').hits).toEqual([]);
  });
});

describe('review queues and thresholds', () => {
  it('routes sanctions to screening review, PEP and adverse media to EDD, blocklist to compliance', () => {
    expect(REVIEW_QUEUE_BY_KIND).toEqual({
      sanctions: 'screening_review',
      pep: 'enhanced_due_diligence',
      adverse_media: 'enhanced_due_diligence',
      blocklist: 'compliance_review',
    });
  });

  it('reads thresholds from the policy block', () => {
    expect(
      thresholdsFromPolicy({ required: true, potentialMatchThreshold: 0.8, strongMatchThreshold: 0.95 } as never),
    ).toEqual({
      potential: 0.8,
      strong: 0.95,
    });
  });
});
