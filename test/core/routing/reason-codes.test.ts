// Every code the router can emit is documented in docs/policy.md: refusal and hold reasons, the gates and checks of
// the trace, tagging statuses, rep skips and authorisation gaps. Codes come from the closed unions (whose runtime lists
// the compiler keeps complete), from the router's source (every check it builds) and from routing the examples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOLD_REASONS, QUEUE_FOR_REFUSAL } from '../../../core/routing/outcome.ts';
import { emptyRoutingState, routeBatch } from '../../../core/routing/route.ts';
import { AUTHORISATION_GAPS, REP_SKIPS, TAGGING_STATUSES } from '../../../core/routing/trace.ts';
import { compileExample, loadExampleLeads, repoRoot } from '../../support/examples.ts';

const documentation = readFileSync(join(repoRoot, 'docs', 'policy.md'), 'utf8');
const documented = (code: string): boolean => documentation.includes(`\`${code}\``);
const undocumented = (codes: Iterable<string>): string[] => [...new Set(codes)].filter((code) => !documented(code));

/** The constraint names the router builds: every check('name', …) in its source. */
const constraintsInSource = (): string[] => {
  const source = readFileSync(join(repoRoot, 'core', 'routing', 'route.ts'), 'utf8');
  return [...source.matchAll(/\bcheck\(\s*'([A-Za-z]+\.[A-Za-z]+)'/g)].map((match) => match[1]!);
};

describe('reason codes in docs/policy.md', () => {
  it('documents every refusal reason with its queue, and every hold reason', () => {
    expect(undocumented(Object.keys(QUEUE_FOR_REFUSAL))).toEqual([]);
    expect(undocumented(HOLD_REASONS)).toEqual([]);
    for (const [reason, queue] of Object.entries(QUEUE_FOR_REFUSAL))
      expect(documentation, `${reason} is documented with its queue ${queue}`).toMatch(
        new RegExp(`\\| \`${reason}\` \\| \`${queue}\` \\|`),
      );
  });

  it('documents every check the router builds, and the trace vocabulary', () => {
    const constraints = constraintsInSource();
    expect(constraints.length).toBeGreaterThan(15);
    expect(undocumented(constraints)).toEqual([]);
    expect(undocumented([...TAGGING_STATUSES, ...REP_SKIPS, ...AUTHORISATION_GAPS])).toEqual([]);
  });

  it('documents every code the examples actually produce', () => {
    const emitted = new Set<string>();
    for (const name of ['fintech', 'bank-insurer'] as const) {
      const { decisions } = routeBatch(
        compileExample(name),
        loadExampleLeads(name),
        emptyRoutingState,
        '2026-11-23T10:00:00Z',
      );
      for (const { outcome, trace } of decisions) {
        emitted.add(outcome.kind);
        if (outcome.kind === 'refused') emitted.add(outcome.reason).add(outcome.queue);
        if (outcome.kind === 'held') emitted.add(outcome.reason);
        emitted.add(trace.jurisdiction.status);
        for (const step of trace.steps) emitted.add(step.constraint);
        for (const entity of trace.entities)
          for (const licence of entity.licences) if (licence.failed) emitted.add(licence.failed.constraint);
        for (const team of trace.teams)
          for (const check of team.checks) if (!check.constraint.startsWith('rule:')) emitted.add(check.constraint);
        for (const rep of trace.reps) if (rep.skipped) emitted.add(rep.skipped);
      }
    }
    expect(emitted.size).toBeGreaterThan(20);
    expect(undocumented(emitted)).toEqual([]);
  });
});
