// The licensing map screen's filter by entity and jurisdiction: a jurisdiction is in a row, team or rep as routing
// says it is (isInside), so filtering on AE-DIFC never shows what only covers onshore AE.
import { isInside } from '../../../../core/policy/vocabulary.ts';
import type { ApiResponse } from '../../../../core/api/contract.ts';

type LicensingMap = ApiResponse<'policy.current'>['map'];

/** Does a row, team or rep with these references and codes lie in the chosen jurisdiction? */
const matches = (chosen: string, refs: readonly string[], codes: readonly string[]): boolean =>
  chosen === '' || refs.includes(chosen) || isInside(chosen, new Set(codes));

export const filterMap = (map: LicensingMap, entity: string, jurisdiction: string): LicensingMap => ({
  products: map.products,
  entities: map.entities
    .filter((candidate) => entity === '' || candidate.id === entity)
    .map((candidate) => ({
      ...candidate,
      rows: candidate.rows.filter((row) => matches(jurisdiction, [row.jurisdiction], row.codes)),
      licences: candidate.licences.filter((licence) =>
        candidate.rows.some(
          (row) =>
            matches(jurisdiction, [row.jurisdiction], row.codes) &&
            ([...licence.jurisdictions, ...(licence.passporting?.into ?? [])].includes(row.jurisdiction) ||
              row.cells.some((cell) => cell.covers.some((cover) => cover.licenceId === licence.id))),
        ),
      ),
    }))
    .filter((candidate) => candidate.rows.length > 0),
  teams: map.teams.filter(
    (team) => (entity === '' || team.entityId === entity) && matches(jurisdiction, team.jurisdictions, team.codes),
  ),
  reps: map.reps.filter(
    (rep) =>
      (entity === '' || rep.entityId === entity) &&
      matches(
        jurisdiction,
        rep.authorisations.flatMap((authorisation) => authorisation.jurisdictions),
        rep.codes,
      ),
  ),
});
