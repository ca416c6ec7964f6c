// What routing reads from screening: the lead's screening summary, and which review queue each list kind feeds.
import type { ListKind } from './model.ts';
import type { PartyResult, PartyType, Strength, Thresholds } from './screen.ts';

/** One hit as routing sees it (core/routing/lead.ts ScreeningHitSchema). */
export type RoutingScreeningHit = {
  readonly party: PartyType;
  readonly listKind: ListKind;
  readonly strength: Strength;
  readonly listId: string;
  readonly listVersion: string;
  readonly entryId: string;
  readonly entryName: string;
  /** 0..1 */
  readonly score: number;
  /** Always false from screening: a person clears a hit later, in review. */
  readonly cleared: boolean;
};

/** The lead's `screening` field (core/routing/lead.ts ScreeningSummarySchema). */
export type RoutingScreening = { readonly screenedAt: string; readonly hits: readonly RoutingScreeningHit[] };

/** Potential and strong hits of every screened party of a lead, for routing. Clear parties add nothing. */
export const toRoutingScreening = (results: readonly PartyResult[], screenedAt: string): RoutingScreening => ({
  screenedAt,
  hits: results.flatMap((result) =>
    result.hits.map((hit) => ({
      party: result.party,
      listKind: hit.listKind,
      strength: hit.strength,
      listId: hit.listId,
      listVersion: hit.listVersion,
      entryId: hit.entryId,
      entryName: hit.entryName,
      score: hit.score,
      cleared: false,
    })),
  ),
});

export type ReviewQueue = 'screening_review' | 'enhanced_due_diligence' | 'compliance_review';

/** Sanctions hits go to screening review, PEP and adverse media to enhanced due diligence, blocklist hits to compliance. */
export const REVIEW_QUEUE_BY_KIND: Readonly<Record<ListKind, ReviewQueue>> = {
  sanctions: 'screening_review',
  pep: 'enhanced_due_diligence',
  adverse_media: 'enhanced_due_diligence',
  blocklist: 'compliance_review',
};

/**
 * The thresholds this matcher was evaluated at (docs/screening.md, decision 0190): 0.85 flags a name that agrees with
 * a listed name in every part allowing for spelling, or that only adds or drops middle names, once the precision
 * rules have had their say; 0.93 is an exact or one-typo match. The policy bundle's `screening` thresholds override
 * these.
 */
export const DEFAULT_THRESHOLDS: Thresholds = { potential: 0.85, strong: 0.93 };

/** The policy's screening block (core/policy) → thresholds. */
export const thresholdsFromPolicy = (screening: {
  readonly potentialMatchThreshold: number;
  readonly strongMatchThreshold: number;
}): Thresholds => ({ potential: screening.potentialMatchThreshold, strong: screening.strongMatchThreshold });
