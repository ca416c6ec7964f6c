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
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { activeSnapshotSync, readManifestSync } from '../../lists/staging.ts';
import { MANIFEST_FILE } from '../../lists/store.ts';
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

/** The screener of a list directory with no list yet: every lead is left unscreened. */
const NO_LISTS: LeadScreener = Object.assign((): undefined => undefined, { listVersions: [] });

/** The active version of each list, as one string: what the index must match. */
const activeKey = (dir: string): string => {
  const { lists } = readManifestSync(dir);
  return Object.keys(lists)
    .sort()
    .map((listId) => `${listId}=${lists[listId]!.active}`)
    .join(',');
};

/** The manifest file's identity as the file system sees it: a change of the active pointers rewrites it. */
const manifestStamp = (dir: string): string => {
  const stat = statSync(join(dir, MANIFEST_FILE), { throwIfNoEntry: false });
  return stat === undefined ? 'none' : `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
};

/**
 * Loads the active lists of a list directory; the thresholds come from the active policy at each lead. Before each
 * lead, and when its list versions are read, it checks the directory's active pointers (a stat of the manifest, and a
 * read of it only when the file changed): a version activated by another process (`perimeter lists import` while
 * `serve` runs) is indexed then, with no restart. `reload` indexes the active versions at once (decision 0193). An
 * empty directory is accepted (decision 0199): nothing is screened until its first list is activated.
 */
export const loadLeadScreener = async (dir: string): Promise<LeadScreener> => {
  const stampBefore = manifestStamp(dir);
  const keyBefore = activeKey(dir);
  // An empty list directory (a first list to be imported from the Lists screen) screens nothing yet: a lead is left
  // unscreened, which routing's screening gate refuses, never screened clear against no list.
  let current = keyBefore === '' ? NO_LISTS : leadScreenerFor((await loadScreeningIndex(dir)).index);
  // What the index was built from; a stamp read before loading, so a change during the load is seen next time.
  let loadedStamp = stampBefore;
  let loadedKey = keyBefore;
  const reload = (): void => {
    const stamp = manifestStamp(dir);
    const key = activeKey(dir);
    const snapshots = Object.keys(readManifestSync(dir).lists)
      .sort()
      .flatMap((listId) => activeSnapshotSync(dir, listId) ?? []);
    current = snapshots.length === 0 ? NO_LISTS : leadScreenerFor(buildIndex(snapshots));
    loadedStamp = stamp;
    loadedKey = key;
  };
  const upToDate = (): LeadScreener => {
    const stamp = manifestStamp(dir);
    if (stamp !== loadedStamp) {
      if (activeKey(dir) === loadedKey) loadedStamp = stamp;
      else reload();
    }
    return current;
  };
  const screen = (lead: Lead, at: string, thresholds: ScreeningThresholds): ScreeningSummary | undefined =>
    upToDate()(lead, at, thresholds);
  return Object.defineProperties(screen, {
    listVersions: { get: () => upToDate().listVersions, enumerable: true },
    reload: { value: reload, enumerable: true },
  }) as LeadScreener;
};
