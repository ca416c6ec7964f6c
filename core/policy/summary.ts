// A short summary of a valid bundle, for `policy check` and the licensing map screen.
import type { PolicyBundle } from './schema.ts';
import type { RuleVersion } from './version.ts';

export type PolicySummary = {
  readonly name: string;
  readonly version: string;
  readonly ruleVersion: RuleVersion;
  readonly counts: Readonly<
    Record<
      'entities' | 'licences' | 'teams' | 'reps' | 'products' | 'rules' | 'markets' | 'groups' | 'customZones',
      number
    >
  >;
  readonly lines: readonly string[];
};

export const summarisePolicy = (policy: PolicyBundle, ruleVersion: RuleVersion): PolicySummary => {
  const counts = {
    entities: policy.entities.length,
    licences: policy.entities.reduce((sum, entity) => sum + entity.licences.length, 0),
    teams: policy.teams.length,
    reps: policy.reps.length,
    products: policy.products.length,
    rules: policy.rules.length,
    markets: Object.keys(policy.jurisdictions.markets).length,
    groups: Object.keys(policy.jurisdictions.groups).length,
    customZones: policy.jurisdictions.customZones.length,
  };
  const lines = [
    `  ${policy.name} (${policy.firm}), label ${policy.version}`,
    `  rule version ${ruleVersion}`,
    `  ${counts.entities} entities, ${counts.licences} licences, ${counts.teams} teams, ${counts.reps} reps, ${counts.products} products, ${counts.rules} rules`,
    `  vocabulary: ${counts.markets} markets, ${counts.groups} groups, ${counts.customZones} custom zones`,
    ...policy.entities.map(
      (entity) =>
        `  ${entity.id} (${entity.legalForm}, ${entity.home}): ${entity.licences.map((licence) => `${licence.id} [${licence.regulator}: ${licence.jurisdictions.join(' ')}${licence.passporting ? ` + passport ${licence.passporting.into.join(' ')}` : ''}]`).join(', ')}`,
    ),
  ];
  return { name: policy.name, version: policy.version, ruleVersion, counts, lines };
};
