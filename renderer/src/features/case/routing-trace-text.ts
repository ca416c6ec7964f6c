// The routing trace's stored formats (1, 2 and 3 of core/routing/audit-trace.ts) as the case view reads them, and the
// words it uses for them: names beside ids from the cited policy, licence verdicts, authorisation gaps, screening hits.
import * as z from 'zod';
import { PERSONAL_FACT } from '../../../../core/routing/audit-trace.ts';
import { named } from '../../../../core/routing/trace-names.ts';
import type { TraceNames } from '../../../../core/routing/trace-names.ts';

import { AUTHORISATION_GAP_TEXT } from '../../../../core/routing/explain.ts';

export { hitText } from '../../../../core/routing/explain.ts';
export type { ListedHit as Hit } from '../../../../core/routing/explain.ts';
export { named } from '../../../../core/routing/trace-names.ts';

// The audit trace formats of core/routing/audit-trace.ts, read leniently: an unknown shape falls back to raw JSON.
// Format 3 adds rules and unauthorised reps (licences checked jurisdiction first); format 2 groups licences and teams
// by verdict; format 1 (older entries) lists each with its verdict. Names come beside, from the cited policy.
const CommonTrace = z.object({
  ruleVersion: z.string(),
  decidedAt: z.string(),
  steps: z.array(z.object({ constraint: z.string(), passed: z.boolean(), inputs: z.record(z.string(), z.unknown()) })),
  jurisdiction: z.object({
    status: z.string(),
    jurisdiction: z.string().nullable(),
    markets: z.array(z.string()),
    resolution: z.string().nullable().optional(),
    evidence: z.array(
      z.object({
        source: z.string(),
        value: z.unknown(),
        resolvedTo: z.unknown(),
        note: z.string().nullable().optional(),
      }),
    ),
  }),
  reps: z.array(
    z.object({
      repId: z.string(),
      teamId: z.string(),
      load: z.number().nullable().optional(),
      capacity: z.number().nullable().optional(),
      skipped: z.unknown(),
    }),
  ),
  chosen: z.object({
    entity: z.record(z.string(), z.unknown()).nullable(),
    team: z.record(z.string(), z.unknown()).nullable(),
    rep: z.record(z.string(), z.unknown()).nullable(),
  }),
});

export const TraceV1Schema = CommonTrace.extend({
  entities: z.array(
    z.object({ entityId: z.string(), licensed: z.boolean(), licences: z.array(z.tuple([z.string(), z.string()])) }),
  ),
  teams: z.array(
    z.object({
      teamId: z.string(),
      passed: z.number(),
      excludedBy: z.string().nullable(),
      preference: z.number().optional(),
      preferredBy: z.array(z.string()).optional(),
    }),
  ),
});

const Ids = z.array(z.string());
const UnauthorisedRep = z.object({ rep: z.string(), authorisations: z.array(z.string()) });
export const TraceV2Schema = CommonTrace.extend({
  format: z.union([z.literal(2), z.literal(3)]),
  entities: z.object({ licensed: Ids, unlicensed: Ids }),
  licences: z.record(z.string(), Ids),
  teams: z.object({
    eligible: z.array(z.object({ teamId: z.string(), preference: z.number().optional(), preferredBy: Ids.optional() })),
    excludedBy: z.record(z.string(), Ids),
    unauthorisedReps: z.record(z.string(), z.array(UnauthorisedRep)).optional(),
  }),
  rules: z.object({ applied: Ids, facts: z.record(z.string(), z.unknown()) }).optional(),
});
export type TraceV1 = z.infer<typeof TraceV1Schema>;
export type TraceV2 = z.infer<typeof TraceV2Schema>;

export const TEAM_CHECKS = ['product authority', 'customer type', 'jurisdiction', 'authorised rep'];

/** A value as short readable text: arrays joined, objects as "key: value" pairs. */
export const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value))
    return value.length === 0
      ? 'none'
      : value
          .map((item) => (typeof item === 'object' && item !== null ? `[${describeValue(item)}]` : describeValue(item)))
          .join(', ');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}: ${describeValue(inner)}`)
      .join('; ');
  return String(value);
};

export type Names = TraceNames | null;

/** A licence with its regulator and the regulator's reference, where the policy has one. */
export const licenceName = (names: Names, id: string): string => {
  const licence = names?.licences[id];
  if (!licence) return id;
  return `${id} (${licence.regulator}${licence.reference ? `, ref. ${licence.reference}` : ''})`;
};

const LICENCE_CHECK: Readonly<Record<string, string>> = {
  'licence.jurisdiction': 'jurisdiction (neither held nor passported there)',
  'licence.product': 'product',
  'licence.customerType': 'customer type',
  'licence.validity': 'validity dates',
  'licence.passportValidity': 'passport not yet valid',
};

export const licenceVerdict = (verdict: string, jurisdiction: string | null): string => {
  const where = jurisdiction ?? 'the jurisdiction';
  if (verdict === 'covers:home') return `held in its own right in ${where}`;
  if (verdict === 'covers:passport') return `passported into ${where}`;
  return `excluded by ${LICENCE_CHECK[verdict] ?? verdict}`;
};

/** A fact's value as the trace records it: a personal fact is named only; a fact the lead did not give says so. */
export const factValue = (fact: string, facts: Readonly<Record<string, unknown>>): string =>
  PERSONAL_FACT.test(fact)
    ? 'personal data (see Personal data)'
    : facts[fact] === undefined || facts[fact] === null
      ? '(not given)'
      : describeValue(facts[fact]);

export const chosenName = (
  map: Readonly<Record<string, string>> | undefined,
  value: Record<string, unknown> | null,
): string => (value !== null && typeof value.id === 'string' ? named(map, value.id) : '');

export type ParsedTrace = { readonly format: 1; readonly t: TraceV1 } | { readonly format: 2 | 3; readonly t: TraceV2 };

/** Reads a stored trace of any format; null when its shape is unknown (the view then shows the raw JSON). */
export const parseRoutingTrace = (trace: Record<string, unknown>): ParsedTrace | null => {
  if ('format' in trace) {
    const parsed = TraceV2Schema.safeParse(trace);
    return parsed.success ? { format: parsed.data.format, t: parsed.data } : null;
  }
  const parsed = TraceV1Schema.safeParse(trace);
  return parsed.success ? { format: 1, t: parsed.data } : null;
};

/**
 * Why a team was excluded, beyond the check's name: for want of an authorised rep, each rep checked and how each of
 * its authorisations falls short; for a rule, the team facts its condition tested with the team's values.
 */
export const teamExclusionText = (t: TraceV2, names: Names, check: string, teamId: string): string => {
  if (check === 'team.authorisedRep') {
    const reps = t.teams.unauthorisedReps?.[teamId];
    if (reps === undefined) return '';
    if (reps.length === 0) return 'the team has no reps';
    const gapText = (gap: string, index: number): string =>
      `authorisation ${index + 1} ${AUTHORISATION_GAP_TEXT[gap as keyof typeof AUTHORISATION_GAP_TEXT] ?? gap}`;
    return `no rep is authorised: ${reps
      .map((rep) => `${named(names?.reps, rep.rep)}: ${rep.authorisations.map(gapText).join(', ')}`)
      .join('; ')}`;
  }
  if (check.startsWith('rule:')) {
    const tests = names?.rules[check.slice('rule:'.length)]?.tests ?? [];
    const values = names?.teamFacts[teamId] ?? {};
    return tests
      .filter((fact) => fact in values)
      .map((fact) => `${fact} = ${describeValue(values[fact])}`)
      .join('; ');
  }
  return '';
};
