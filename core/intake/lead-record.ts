// How a lead is recorded: which of its fields are hashed routing facts and which are personal data beside the log,
// the retention regime of that data, and the lead rebuilt from both. Pure domain rules (decision 0142).
import type { z } from 'zod';
import type { LeadFactsSchema, LeadPersonalDataSchema } from '../audit/events/lead.ts';
import type { PolicyBundle } from '../policy/schema.ts';
import type { Lead, ScreeningSummary } from '../routing/lead.ts';
import type { RoutingDecision } from '../routing/route.ts';

export type LeadFacts = z.infer<typeof LeadFactsSchema>;
export type LeadPersonalData = z.infer<typeof LeadPersonalDataSchema>;

/** The regime of a lead's personal data when no licence of an assigned path names one. */
export const PROSPECT_REGIME = 'prospects';
/** The regime of what the log holds about the workstation's own users (names, reasons they gave). */
export const WORKFORCE_REGIME = 'workforce';

/**
 * What of a lead is personal data: kept beside the log, bound by a salted commitment, erasable. The source system's id
 * is here too: the log names the lead by its internal id only.
 */
export const personalDataOf = (lead: Lead, sourceId: string): LeadPersonalData => ({
  sourceId,
  ...(lead.person ? { person: lead.person } : {}),
  ...(lead.company ? { company: lead.company } : {}),
  ...(lead.address ? { address: lead.address } : {}),
  ...(Object.keys(lead.attributes).length > 0 ? { attributes: lead.attributes } : {}),
});

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Random bytes an internal lead id is made of: 80 bits, unique across every device that syncs with a hub. */
export const LEAD_ID_BYTES = 10;

/**
 * The internal, pseudonymous id of a lead, made of random bytes the caller passes in (decision 0178): `L-` and 16
 * Crockford base-32 characters. It says nothing about the lead or its source system, so it may sit in the hashed log
 * and outlive an erasure; the source system's id is personal data beside the log.
 */
export const internalLeadId = (random: Uint8Array): string => {
  if (random.length !== LEAD_ID_BYTES) throw new Error(`an internal lead id needs ${LEAD_ID_BYTES} random bytes`);
  let bits = 0;
  let value = 0;
  let out = 'L-';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
};

/** The lead's routing facts that are not personal data: these go into the hashed log. */
export const factsOf = (lead: Lead): LeadFacts => ({
  customerType: lead.customerType,
  kycStatus: lead.kycStatus,
  amlDocumentation: lead.amlDocumentation,
  suitabilityAssessed: lead.suitabilityAssessed,
  netWorthBand: lead.netWorthBand ?? null,
  targetMarket: lead.targetMarket ?? null,
  kycPrescreenJurisdiction: lead.kycPrescreenJurisdiction ?? null,
  ...(lead.bookingEntity === undefined ? {} : { bookingEntity: lead.bookingEntity }),
  productInterests: [...lead.productInterests],
  parties: [...(lead.person ? ['person' as const] : []), ...(lead.company ? ['company' as const] : [])],
});

/** The retention regime of a lead's personal data: the regime of the licence of its first assigned path. */
export const regimeFor = (policy: PolicyBundle, decisions: readonly RoutingDecision[]): string => {
  for (const decision of decisions) {
    if (decision.outcome.kind !== 'assigned') continue;
    const { licenceId } = decision.outcome;
    for (const entity of policy.entities) {
      const licence = entity.licences.find((candidate) => candidate.id === licenceId);
      if (licence) return licence.regime;
    }
  }
  return PROSPECT_REGIME;
};

/**
 * The lead again, for re-routing: its hashed facts (a version 1 entry's facts also held its attributes), and its
 * personal data when still held; an erased lead keeps a placeholder party so it can still be routed.
 */
export const leadFromRecord = (
  leadId: string,
  facts: Readonly<Record<string, unknown>>,
  personal: Readonly<Record<string, unknown>> | null,
  screening: ScreeningSummary | undefined,
): Lead => {
  const lead: Record<string, unknown> = { id: leadId, attributes: {} };
  for (const [key, value] of Object.entries(facts)) if (key !== 'parties' && value !== null) lead[key] = value;
  if (personal)
    for (const key of ['person', 'company', 'address', 'attributes'] as const)
      if (personal[key] !== undefined) lead[key] = personal[key];
  if (screening) lead.screening = screening;
  if (lead.person === undefined && lead.company === undefined) lead.company = { name: `[erased] ${leadId}` };
  return lead as Lead;
};
