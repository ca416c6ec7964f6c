// The residency refusal at intake (decision 0270): a workstation pinned to a region at enrolment takes in only leads
// the policy places in that region. A small step before intake proper: the refused records are logged, one
// `lead.residency_refused` entry each, and reported as rejected rows; nothing of them is written as a lead.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { leadResidency } from '../../../../core/policy/residency.ts';
import type { LeadResidency } from '../../../../core/policy/residency.ts';
import type { Lead } from '../../../../core/routing/lead.ts';
import { tagJurisdiction } from '../../../../core/routing/tag-jurisdiction.ts';
import type { LeadRecordProblem, LocatedLead } from '../../leads/read-lead-file.ts';
import { readEnrolment } from '../../sync/device-state.ts';
import { actorOf, commit } from '../session/workstation.ts';
import type { ActivePolicy, Session } from '../session/workstation.ts';

/**
 * A lead's residency as intake derives it (decision 0248): the jurisdiction its cases are scoped to (the tag, else the
 * resolved evidence, else the address country or KYC jurisdiction) and its booking entity. The same derivation as the
 * `lead.intake` entry's, computed before routing so a refused lead is never routed or screened.
 */
export const intakeResidencyOf = (lead: Lead, policy: ActivePolicy): LeadResidency | null => {
  if (!policy.loaded.policy.residency) return null;
  const tagging = lead.productInterests.length > 0 ? tagJurisdiction(lead, policy.compiled) : null;
  const tagged =
    tagging === null
      ? null
      : (tagging.jurisdiction ??
        tagging.evidence.flatMap((evidence) =>
          evidence.source !== 'stated_intent' && typeof evidence.resolvedTo === 'string' ? [evidence.resolvedTo] : [],
        )[0] ??
        null);
  const scope = tagged ?? lead.address?.country ?? lead.kycPrescreenJurisdiction ?? null;
  return leadResidency(policy.loaded.policy, policy.compiled.vocabulary, {
    jurisdiction: scope,
    bookingEntity: lead.bookingEntity,
  });
};

export type ResidencyScreen = {
  /** The records intake goes on with. */
  readonly records: readonly LocatedLead[];
  /** One rejected row per refused record: field `residency`, the message naming both regions. */
  readonly refused: readonly LeadRecordProblem[];
};

/**
 * Refuses the records whose lead the policy places in a region other than the one this workstation is pinned to. An
 * unenrolled workstation, a policy without a residency section and a lead the policy cannot place (region null, kept
 * here as before: decision 0248) pass. The refusals are one transaction, before any lead of the batch is written.
 */
export const refuseOtherRegions = (
  session: Session,
  records: readonly LocatedLead[],
  options: { readonly sourceSystem: string; readonly source: 'file' | 'form' | 'sync' | 'api' },
): ResidencyScreen => {
  const { workstation } = session;
  const pinned = readEnrolment(workstation.db)?.region;
  const policy = workstation.policy();
  if (pinned === undefined || !policy.loaded.policy.residency) return { records, refused: [] };
  const kept: LocatedLead[] = [];
  const foreign: { record: LocatedLead; residency: LeadResidency & { region: string } }[] = [];
  for (const record of records) {
    const residency = intakeResidencyOf(record.lead, policy);
    if (residency !== null && residency.region !== null && residency.region !== pinned)
      foreign.push({ record, residency: { ...residency, region: residency.region } });
    else kept.push(record);
  }
  if (foreign.length === 0) return { records, refused: [] };
  const actor = actorOf(session.user);
  commit(workstation, (append) => {
    for (const { record, residency } of foreign)
      append({
        actor,
        type: 'lead.residency_refused',
        subjects: [`hub:${pinned}`],
        payload: {
          pv: PAYLOAD_VERSION,
          source: options.source,
          sourceSystem: options.sourceSystem,
          line: record.line,
          region: residency.region,
          basis: residency.basis === 'booking_entity' ? 'booking_entity' : 'market',
          markets: [...residency.markets],
          pinnedRegion: pinned,
          ruleVersion: policy.loaded.version,
        },
      });
  });
  return {
    records: kept,
    refused: foreign.map(({ record, residency }) => ({
      file: options.sourceSystem,
      line: record.line,
      field: 'residency',
      message:
        `the lead belongs to region ${residency.region} (by its ` +
        `${residency.basis === 'booking_entity' ? 'booking entity' : 'market'}); this workstation is pinned to ` +
        `region ${pinned} and takes in only its leads: refused, not taken in`,
    })),
  };
};
