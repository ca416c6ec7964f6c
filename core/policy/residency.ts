// A lead's residency region from the policy: by its booking entity, else by the first market its jurisdiction is in.
import type { PolicyBundle } from './schema.ts';
import type { Vocabulary } from './vocabulary.ts';

export type ResidencyBasis = 'booking_entity' | 'market' | 'unresolved';

/** Where a lead's data must reside, why, and the markets of the firm's vocabulary its jurisdiction is inside. */
export type LeadResidency = {
  readonly region: string | null;
  readonly basis: ResidencyBasis;
  readonly markets: readonly string[];
};

/**
 * The residency of a lead (decision 0248), or null when the policy has no residency section (then nothing is said
 * and the entry's bytes stay as they were). A booking entity the policy maps wins over the jurisdiction: the entity
 * that books the business is the one whose regulator and data-protection duties apply. Otherwise the markets are
 * tried in the order the policy writes them, so a firm puts its narrow markets before the broad ones.
 */
export const leadResidency = (
  policy: Pick<PolicyBundle, 'residency'>,
  vocabulary: Vocabulary,
  lead: { readonly jurisdiction: string | null; readonly bookingEntity?: string | undefined },
): LeadResidency | null => {
  const residency = policy.residency;
  if (!residency) return null;
  const markets = lead.jurisdiction === null ? [] : [...vocabulary.marketsOf(lead.jurisdiction)].sort();
  const byEntity = lead.bookingEntity === undefined ? undefined : residency.entities[lead.bookingEntity];
  if (byEntity !== undefined) return { region: byEntity, basis: 'booking_entity', markets };
  if (lead.jurisdiction !== null)
    for (const [market, region] of Object.entries(residency.markets))
      if (vocabulary.within(lead.jurisdiction, market)) return { region, basis: 'market', markets };
  return { region: null, basis: 'unresolved', markets };
};
