// The screening hit side by side: the screened party (an audited personal-data read) beside each listed entry the case's
// hits name, read from the list store at the version screened, with the match explained again by core.
import { hasPermission } from '../../../../core/access/roles.ts';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { hitLabel, isScreeningCase } from '../../../../core/screening/case-hits.ts';
import { explainEntryMatch } from '../../../../core/screening/explain-entry.ts';
import type { ListEntry } from '../../../../core/screening/model.ts';
import type { Party } from '../../../../core/screening/screen.ts';
import type { Lead } from '../../../../core/routing/lead.ts';
import { readPersonalData } from '../../audit/audit-log.ts';
import { caseScreeningHits, loadVisibleCase } from '../commands/cases.ts';
import { partiesOf } from '../commands/screener.ts';
import { actorOf, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

type ScreeningHits = ApiResponse<'cases.screeningHits'>;
type PersonalFields = Pick<Lead, 'person' | 'company' | 'address'>;

const entryView = (entry: ListEntry, scores: Map<number, { score: number | null; matched: boolean }>) => ({
  id: String(entry.id),
  type: entry.type,
  names: entry.names.map((name, position) => ({
    value: name.value,
    role: name.role,
    weak: name.weak,
    score: scores.get(position)?.score ?? null,
    matched: scores.get(position)?.matched ?? false,
  })),
  datesOfBirth: entry.datesOfBirth.map((date) => ({
    from: date.from,
    to: date.to ?? null,
    approximate: date.approximate,
  })),
  nationalities: [...entry.nationalities],
  countries: [...entry.countries],
  programs: [...entry.programs],
  remarks: entry.remarks ?? null,
});

/**
 * The hits of a screening case, side by side with the screened party. Checks as for reading the case (permission and
 * market), plus the personal-data permission; every listed entry must still be stored at the version screened, or
 * the call is refused before anything personal is read. The read itself is a `personal_data.read` entry.
 */
const ingestedSequence = (workstation: Session['workstation'], leadId: string): number => {
  const sequence = workstation.db
    .prepare<[string], number>('SELECT ingested_seq FROM leads WHERE id = ?')
    .pluck()
    .get(leadId);
  if (sequence === undefined) throw new WorkstationError('not_found', `no lead ${leadId}`);
  return sequence;
};

export const screeningHits = (session: Session, caseId: string): ScreeningHits => {
  const { workstation, user } = session;
  const kase = loadVisibleCase(session, caseId, 'case.read');
  if (!hasPermission(user, 'lead.read_personal'))
    throw new WorkstationError('forbidden', `${user.id} may not read personal data, so not the screened party either`);
  if (!isScreeningCase(kase))
    throw new WorkstationError(
      'invalid_input',
      `case ${kase.id} was opened for ${kase.reason}, not for a screening hit: it has no hit to show`,
    );
  const hits = caseScreeningHits(session, kase);
  const store = workstation.deps.listStore;
  if (hits.length > 0 && store === undefined)
    throw new WorkstationError(
      'not_found',
      'this workstation has no list store to read the listed entries from (start it with --lists <dir>)',
    );
  // Every entry first: a refusal reads no personal data.
  const listed = hits.map((hit) => {
    const stored = store!.version(hit.listId, hit.listVersion);
    if (stored === undefined)
      throw new WorkstationError(
        'not_found',
        `list ${hit.listId} version ${hit.listVersion} is no longer stored in ${store!.dir}: the entry ${hit.entryId} it matched cannot be shown (import that version again to review the hit against it)`,
      );
    const entry = stored.entries.get(hit.entryId);
    if (entry === undefined)
      throw new WorkstationError(
        'not_found',
        `list ${hit.listId} version ${hit.listVersion} has no entry ${hit.entryId} (${hitLabel(hit)}): the stored list does not match the hit`,
      );
    return { hit, entry, version: stored.snapshot.version };
  });
  const records = readPersonalData(
    workstation.db,
    {
      subject: `lead:${kase.leadId}`,
      actor: actorOf(user),
      now: workstation.deps.now(),
      purpose: `screening review of case ${kase.id}: the hit side by side`,
      // The lead's own record only: the listed entries' names and reasons held about the lead are not its parties.
      sequences: [ingestedSequence(workstation, kase.leadId)],
    },
    workstation.deps,
  );
  const latest = records.at(-1)?.data as PersonalFields | undefined;
  const parties: Party[] = latest === undefined ? [] : partiesOf({ id: kase.leadId, ...latest });
  const resolutionOf = workstation.db.prepare<
    [string, string, string, string],
    { reason: string; resolved_at: string; run_id: string; version: string | null }
  >(
    `SELECT r.reason, r.resolved_at, r.run_id, m.version FROM screening_resolutions r
       LEFT JOIN monitoring_runs m ON m.id = r.run_id
      WHERE r.lead_id = ? AND r.list_id = ? AND r.entry_id = ? AND r.list_version = ?`,
  );
  const policy = workstation.policy().loaded.policy.screening;
  const thresholds = { potential: policy.potentialMatchThreshold, strong: policy.strongMatchThreshold };
  return {
    caseId: kase.id,
    leadId: kase.leadId,
    queue: kase.type,
    erased: latest === undefined,
    thresholds,
    parties: parties.map((party) => ({
      party: party.type ?? 'person',
      name: party.name,
      dateOfBirth: party.dateOfBirth ?? null,
      nationality: party.nationality ?? null,
      country: party.country ?? null,
    })),
    hits: listed.map(({ hit, entry, version }) => {
      const party = parties.find((candidate) => candidate.type === hit.party);
      const match = party === undefined ? undefined : explainEntryMatch(party, entry, thresholds);
      const scores = new Map(
        (match?.names ?? []).map((name, position) => [
          position,
          { score: name.normalised === null ? null : name.adjustedScore, matched: name.best },
        ]),
      );
      // Only a hit that reads as cleared can be a resolved one: the same hit raised again (its entry relisted) is open.
      const resolved = hit.cleared
        ? resolutionOf.get(kase.leadId, hit.listId, hit.entryId, hit.listVersion)
        : undefined;
      return {
        hit: { listId: hit.listId, entryId: hit.entryId, listVersion: hit.listVersion },
        resolution:
          resolved === undefined
            ? null
            : {
                reason: resolved.reason,
                resolvedAt: resolved.resolved_at,
                run: resolved.run_id,
                version: resolved.version,
              },
        party: hit.party,
        listKind: hit.listKind,
        strength: hit.strength,
        score: hit.score,
        cleared: hit.cleared,
        list: {
          listId: version.listId,
          version: version.version,
          source: version.source,
          publishedAt: version.publishedAt,
          importedAt: version.importedAt,
        },
        entry: entryView(entry, scores),
        match:
          match === undefined
            ? null
            : {
                queryTokens: [...match.queryTokens],
                listedTokens: [...match.listedTokens],
                alignmentScore: match.explanation.alignmentScore,
                nameRules: match.explanation.nameRules.map((rule) => ({ ...rule })),
                nameScore: match.explanation.nameScore,
                weakAliasAdjustment: match.explanation.weakAliasAdjustment,
                evidence: match.explanation.evidence.map((part) => ({ ...part, listed: [...part.listed] })),
                substitutedWeight: match.explanation.substitutedWeight,
                omittedWeight: match.explanation.omittedWeight,
                score: match.score,
                strength: match.strength,
                strengthCapped: match.explanation.strengthCapped,
              },
      };
    }),
  };
};
