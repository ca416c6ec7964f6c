// Semantic checks of the conduct section: rule ids unique, products and jurisdictions known, no contradictory template.
import { CONDUCT_SECTIONS } from './conduct.ts';
import type { ConductRuleScope, ConductSection } from './conduct.ts';
import type { PolicyPath } from './validate.ts';

export type ConductChecks = {
  readonly productIds: ReadonlySet<string>;
  readonly checkRef: (ref: string, path: PolicyPath) => void;
  readonly report: (path: PolicyPath, message: string) => void;
};

const uniqueWithin = (
  values: readonly string[],
  path: (index: number) => PolicyPath,
  what: string,
  report: ConductChecks['report'],
): void => {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) report(path(index), `${what} "${value}" is listed twice`);
    seen.add(value);
  });
};

export const validateConduct = (conduct: ConductSection, { productIds, checkRef, report }: ConductChecks): void => {
  // A refusal names its rule by id, so one id must mean one rule across every section.
  const ruleIds = new Map<string, string>();
  // One template at two versions would leave open which one a path needs.
  const templateVersions = new Map<string, { version: number; at: string }>();

  for (const section of CONDUCT_SECTIONS) {
    const rules: readonly ({ readonly id: string } & ConductRuleScope)[] = conduct[section];
    rules.forEach((rule, index) => {
      const path = ['conduct', section, index];
      const at = `conduct.${section}[${index}]`;
      const earlier = ruleIds.get(rule.id);
      if (earlier !== undefined) report([...path, 'id'], `duplicate conduct rule id "${rule.id}" (also ${earlier})`);
      else ruleIds.set(rule.id, at);
      rule.products?.forEach((id, i) => {
        if (!productIds.has(id)) report([...path, 'products', i], `unknown product "${id}"`);
      });
      rule.jurisdictions?.forEach((ref, i) => checkRef(ref, [...path, 'jurisdictions', i]));
    });
  }

  conduct.coldContact.forEach((rule, index) => {
    uniqueWithin(rule.channels, (i) => ['conduct', 'coldContact', index, 'channels', i], 'channel', report);
    uniqueWithin(rule.permittedBy, (i) => ['conduct', 'coldContact', index, 'permittedBy', i], 'basis', report);
  });
  conduct.outreachWindows.forEach((rule, index) => {
    uniqueWithin(rule.channels, (i) => ['conduct', 'outreachWindows', index, 'channels', i], 'channel', report);
    rule.hours.forEach((hours, h) =>
      uniqueWithin(hours.days, (i) => ['conduct', 'outreachWindows', index, 'hours', h, 'days', i], 'day', report),
    );
  });
  conduct.disclosures.forEach((rule, index) => {
    const known = templateVersions.get(rule.template);
    if (known !== undefined && known.version !== rule.version)
      report(
        ['conduct', 'disclosures', index, 'version'],
        `template "${rule.template}" is required at version ${rule.version} here and ${known.version} in ${known.at}`,
      );
    else if (known === undefined)
      templateVersions.set(rule.template, { version: rule.version, at: `conduct.disclosures[${index}]` });
  });
  conduct.checklists.forEach((rule, index) =>
    uniqueWithin(
      rule.items.map((item) => item.id),
      (i) => ['conduct', 'checklists', index, 'items', i, 'id'],
      'checklist item',
      report,
    ),
  );
};
