// Screening at intake: the lead's person and company are screened against the active list versions, with the
// thresholds of the policy active when the lead is screened (never a copy taken at start-up: a newly published policy
// applies to the next lead), and the result becomes the lead's screening summary that routing's gate reads.
import type { ScreeningIndex } from '../../../../core/screening/match-index.ts';
import { toRoutingScreening } from '../../../../core/screening/routing-input.ts';
import { screenParty } from '../../../../core/screening/screen.ts';
import type { Party } from '../../../../core/screening/screen.ts';
import type { Lead, ScreeningSummary } from '../../../../core/routing/lead.ts';
import { buildIndex } from '../../../../core/screening/match-index.ts';
import { loadScreeningIndex } from '../../screening/load.ts';
import { activeSnapshotSync, readManifestSync } from '../../lists/staging.ts';
import type { LeadScreener } from '../session/workstation.ts';

export type ScreeningThresholds = { readonly potentialMatchThreshold: number; readonly strongMatchThreshold: number };

/** The parties of a lead as screening sees them, with the secondary evidence the lead carries. */
export const partiesOf = (lead: Pick<Lead, 'id' | 'person' | 'company' | 'address'>): Party[] => {
  const parties: Party[] = [];
  if (lead.person)
    parties.push({
      ref: `${lead.id}:person`,
      name: lead.person.fullName,
      type: 'person',
      ...(lead.person.dateOfBirth ? { dateOfBirth: lead.person.dateOfBirth } : {}),
      ...(lead.person.nationality ? { nationality: lead.person.nationality } : {}),
      ...(lead.address?.country ? { country: lead.address.country } : {}),
    });
  if (lead.company)
    parties.push({
      ref: `${lead.id}:company`,
      name: lead.company.name,
      type: 'company',
      ...((lead.company.registrationCountry ?? lead.address?.country)
        ? { country: lead.company.registrationCountry ?? lead.address?.country }
        : {}),
    });
  return parties;
};

/** What a lead was screened with, recorded in its lead.screened entry. */
export type ScreenedWith = {
  readonly thresholds: { readonly potential: number; readonly strong: number };
  readonly listVersions: readonly { readonly listId: string; readonly version: string }[];
};

export const screenedWithOf = (
  thresholds: ScreeningThresholds,
  listVersions: readonly { readonly listId: string; readonly version: string }[],
): ScreenedWith => ({
  thresholds: { potential: thresholds.potentialMatchThreshold, strong: thresholds.strongMatchThreshold },
  listVersions: listVersions.map(({ listId, version }) => ({ listId, version })),
});

export const leadScreenerFor = (index: ScreeningIndex): LeadScreener => {
  const screen = (lead: Lead, at: string, thresholds: ScreeningThresholds): ScreeningSummary => {
    const limits = { potential: thresholds.potentialMatchThreshold, strong: thresholds.strongMatchThreshold };
    const results = partiesOf(lead).map((party) => screenParty(index, party, limits, { maxHits: 5 }));
    const summary = toRoutingScreening(results, at);
    return { screenedAt: summary.screenedAt, hits: summary.hits.map((hit) => ({ ...hit })) };
  };
  return Object.assign(screen, {
    listVersions: index.lists.map((list) => ({ listId: list.listId, version: list.version })),
  });
};

/**
 * Loads the active lists of a list directory; the thresholds come from the active policy at each lead. `reload`
 * indexes the directory's active versions again (a list update made in this workstation, decision 0193), so the
 * leads that come in after it are screened against the new version.
 */
export const loadLeadScreener = async (dir: string): Promise<LeadScreener> => {
  const { index } = await loadScreeningIndex(dir);
  let current = leadScreenerFor(index);
  const screen = (lead: Lead, at: string, thresholds: ScreeningThresholds): ScreeningSummary | undefined =>
    current(lead, at, thresholds);
  const reload = (): void => {
    const snapshots = Object.keys(readManifestSync(dir).lists)
      .sort()
      .flatMap((listId) => activeSnapshotSync(dir, listId) ?? []);
    current = leadScreenerFor(buildIndex(snapshots));
  };
  return Object.defineProperties(screen, {
    listVersions: { get: () => current.listVersions, enumerable: true },
    reload: { value: reload, enumerable: true },
  }) as LeadScreener;
};
