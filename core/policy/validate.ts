// Semantic checks zod cannot express: every reference resolves, ids are unique, passports stay in their area.
import { factsOf } from './conditions.ts';
import type { Condition } from './conditions.ts';
import type { PolicyBundle } from './schema.ts';
import { validateConduct } from './validate-conduct.ts';
import { buildVocabulary, isCountryCode, isInside, isSubdivisionCode } from './vocabulary.ts';

export type PolicyPath = readonly (string | number)[];
export type PolicyIssue = { readonly path: PolicyPath; readonly message: string };

export const validatePolicySemantics = (policy: PolicyBundle): PolicyIssue[] => {
  const issues: PolicyIssue[] = [];
  const report = (path: PolicyPath, message: string): void => {
    issues.push({ path, message });
  };
  const vocabulary = buildVocabulary(policy);
  const { customZones, groups, markets } = policy.jurisdictions;

  const checkUnique = <T extends { id: string }>(items: readonly T[], section: string): Set<string> => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.id)) report([section, index, 'id'], `duplicate ${section} id "${item.id}"`);
      seen.add(item.id);
    });
    return seen;
  };
  const checkRef = (ref: string, path: PolicyPath): void => {
    if (vocabulary.kindOf(ref) === undefined)
      report(path, `unknown jurisdiction "${ref}": not an ISO 3166 code, a declared custom zone, a group or a market`);
    else if (vocabulary.expand(ref) === undefined)
      report(path, `"${ref}" cannot be expanded: a group or market refers to itself or to something unknown`);
  };
  const checkRefs = (refs: readonly string[], path: PolicyPath): void =>
    refs.forEach((ref, i) => checkRef(ref, [...path, i]));

  customZones.forEach((zone, index) => {
    if (!isCountryCode(zone.within))
      report(['jurisdictions', 'customZones', index, 'within'], `"${zone.within}" is not an ISO 3166-1 country`);
    if (!zone.code.startsWith(`${zone.within}-`))
      report(
        ['jurisdictions', 'customZones', index, 'code'],
        `zone code "${zone.code}" must start with its country "${zone.within}-"`,
      );
    // A zone is covered only where it is named; an ISO subdivision is covered by its country. One code cannot be both.
    if (isSubdivisionCode(zone.code))
      report(
        ['jurisdictions', 'customZones', index, 'code'],
        `zone code "${zone.code}" is an ISO 3166-2 subdivision, which its country covers: choose a code that is not`,
      );
  });
  for (const [name, members] of Object.entries(groups)) {
    if (isCountryCode(name) || Object.hasOwn(markets, name))
      report(['jurisdictions', 'groups', name], `group name "${name}" collides with a country or market`);
    checkRefs(members, ['jurisdictions', 'groups', name]);
  }
  for (const [name, members] of Object.entries(markets)) {
    if (isCountryCode(name) && !(members.length === 1 && members[0] === name))
      report(
        ['jurisdictions', 'markets', name],
        `market "${name}" shadows the country code ${name} with a different meaning`,
      );
    checkRefs(members, ['jurisdictions', 'markets', name]);
  }
  policy.tagging.requireSubdivision.forEach((code, i) => {
    if (!isCountryCode(code)) report(['tagging', 'requireSubdivision', i], `"${code}" is not an ISO 3166-1 country`);
  });

  const productIds = checkUnique(policy.products, 'products');
  const entityIds = checkUnique(policy.entities, 'entities');
  const teamIds = checkUnique(policy.teams, 'teams');
  checkUnique(policy.reps, 'reps');
  checkUnique(policy.rules, 'rules');
  checkUnique(policy.netWorthBands, 'netWorthBands');
  const licenceIds = new Set<string>();
  // One period per regime: two would leave open which one an erasure request or a purge obeys.
  const regimes = new Set<string>();
  policy.retention.forEach((rule, index) => {
    if (regimes.has(rule.regime)) report(['retention', index, 'regime'], `duplicate retention regime "${rule.regime}"`);
    regimes.add(rule.regime);
  });

  // Residency names only entities and markets the bundle declares: a typo would leave leads unresolved, silently.
  for (const id of Object.keys(policy.residency?.entities ?? {}))
    if (!entityIds.has(id)) report(['residency', 'entities', id], `unknown entity "${id}"`);
  for (const name of Object.keys(policy.residency?.markets ?? {}))
    if (!Object.hasOwn(policy.jurisdictions.markets, name))
      report(['residency', 'markets', name], `"${name}" is not a declared market`);

  policy.entities.forEach((entity, e) => {
    if (!isCountryCode(entity.home)) report(['entities', e, 'home'], `"${entity.home}" is not an ISO 3166-1 country`);
    entity.licences.forEach((licence, l) => {
      const path = ['entities', e, 'licences', l];
      if (licenceIds.has(licence.id)) report([...path, 'id'], `duplicate licence id "${licence.id}"`);
      licenceIds.add(licence.id);
      checkRefs(licence.jurisdictions, [...path, 'jurisdictions']);
      licence.products.forEach((id, i) => {
        if (!productIds.has(id)) report([...path, 'products', i], `unknown product "${id}"`);
      });
      if (licence.validTo !== undefined && licence.validTo < licence.validFrom)
        report([...path, 'validTo'], `validTo ${licence.validTo} is before validFrom ${licence.validFrom}`);
      const passport = licence.passporting;
      if (passport) {
        if (vocabulary.kindOf(passport.area) !== 'group')
          report([...path, 'passporting', 'area'], `passport area "${passport.area}" is not a declared group`);
        const area = vocabulary.expand(passport.area);
        passport.into.forEach((ref, i) => {
          checkRef(ref, [...path, 'passporting', 'into', i]);
          const codes = vocabulary.expand(ref);
          if (area && codes && [...codes].some((code) => !isInside(code, area)))
            report([...path, 'passporting', 'into', i], `"${ref}" is outside the passport area ${passport.area}`);
        });
      }
    });
  });

  policy.teams.forEach((team, t) => {
    if (!entityIds.has(team.entity)) report(['teams', t, 'entity'], `unknown entity "${team.entity}"`);
    team.products.forEach((id, i) => {
      if (!productIds.has(id)) report(['teams', t, 'products', i], `unknown product "${id}"`);
    });
    checkRefs(team.jurisdictions, ['teams', t, 'jurisdictions']);
  });

  policy.reps.forEach((rep, r) => {
    if (!teamIds.has(rep.team)) report(['reps', r, 'team'], `unknown team "${rep.team}"`);
    rep.authorisations.forEach((authorisation, a) => {
      authorisation.products.forEach((id, i) => {
        if (!productIds.has(id)) report(['reps', r, 'authorisations', a, 'products', i], `unknown product "${id}"`);
      });
      checkRefs(authorisation.jurisdictions, ['reps', r, 'authorisations', a, 'jurisdictions']);
    });
    rep.absences.forEach((absence, a) => {
      if (absence.to < absence.from)
        report(['reps', r, 'absences', a, 'to'], `absence ends (${absence.to}) before it starts (${absence.from})`);
    });
  });

  policy.netWorthBands.forEach((band, b) => {
    if (band.max !== undefined && band.max <= band.min)
      report(['netWorthBands', b, 'max'], `max ${band.max} must be above min ${band.min}`);
  });

  policy.rules.forEach((rule, r) => {
    if (rule.when && factsOf(rule.when).some((fact) => fact.startsWith('team.') || fact.startsWith('entity.')))
      report(
        ['rules', r, 'when'],
        '"when" reads only lead and product facts: put team and entity facts in "condition"',
      );
    checkWithinRefs(rule.condition, ['rules', r, 'condition'], checkRef);
    if (rule.when) checkWithinRefs(rule.when, ['rules', r, 'when'], checkRef);
  });

  if (policy.conduct) validateConduct(policy.conduct, { productIds, checkRef, report });

  return issues;
};

const checkWithinRefs = (
  condition: Condition,
  path: PolicyPath,
  checkRef: (ref: string, path: PolicyPath) => void,
): void => {
  if ('all' in condition) condition.all.forEach((part, i) => checkWithinRefs(part, [...path, 'all', i], checkRef));
  else if ('any' in condition) condition.any.forEach((part, i) => checkWithinRefs(part, [...path, 'any', i], checkRef));
  else if ('not' in condition) checkWithinRefs(condition.not, [...path, 'not'], checkRef);
  else if (condition.op === 'within') checkRef(String(condition.value), [...path, 'value']);
};
