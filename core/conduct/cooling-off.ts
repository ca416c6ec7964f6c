// Cooling-off as owners see it: the countdown on one path, and the paths whose cooling-off ends soon, soonest first.
import { gatesOf } from './gates.ts';
import { STAGE_RANK, isOpenStage } from './model.ts';
import type { PathState } from './model.ts';
import { policyRule, rulesFor } from './rules.ts';
import type { ConductPolicy, RuleRef } from './rules.ts';
import { durationText, hoursText, isoOf, msOf, utcText } from './time-text.ts';

export type CoolingOff = {
  /** The binding rule: one not started if any, else the one that ends last. */
  readonly rule: RuleRef;
  readonly hours: number;
  /** not_started: no request on record, so the period has not begun; PROPOSAL waits for it either way. */
  readonly status: 'not_started' | 'running' | 'elapsed';
  readonly startedAt: string | null;
  readonly endsAt: string | null;
  /** Milliseconds left (0 once elapsed); null when not started. */
  readonly remainingMs: number | null;
  /** "cooling-off ends 2026-12-08 14:02 UTC (23 h 59 min left)". */
  readonly text: string;
};

/** The cooling-off that stands before the path's PROPOSAL at `now`; null when no rule applies to the path. */
export const coolingOffOf = (state: PathState, conduct: ConductPolicy, now: string): CoolingOff | null => {
  const rules = rulesFor(state, conduct).coolingOff;
  if (rules.length === 0) return null;
  const longest = rules.reduce((best, rule) => (rule.hours > best.hours ? rule : best));
  const requested = state.facts.requestedAt;
  if (requested === null)
    return {
      rule: policyRule(longest),
      hours: longest.hours,
      status: 'not_started',
      startedAt: null,
      endsAt: null,
      remainingMs: null,
      text: `cooling-off of ${hoursText(longest.hours)} starts when the client's request is recorded`,
    };
  const startMs = msOf(requested);
  const endMs = startMs + longest.hours * 3_600_000;
  const remainingMs = Math.max(0, endMs - msOf(now));
  return {
    rule: policyRule(longest),
    hours: longest.hours,
    status: remainingMs > 0 ? 'running' : 'elapsed',
    startedAt: isoOf(startMs),
    endsAt: isoOf(endMs),
    remainingMs,
    text:
      remainingMs > 0
        ? `cooling-off ends ${utcText(endMs)} (${durationText(remainingMs)} left)`
        : `cooling-off ended ${utcText(endMs)}`,
  };
};

export type DueItem = {
  readonly leadId: string;
  readonly productId: string;
  readonly owner: string;
  readonly kind: 'cooling_off_ends';
  /** When the path may reach PROPOSAL as far as cooling-off goes. */
  readonly at: string;
  readonly remainingMs: number;
  readonly rule: RuleRef;
  readonly text: string;
};

/**
 * Open paths not yet at PROPOSAL whose cooling-off ends within `horizonMs` of `now`, soonest first (then by lead and
 * product, so the order is stable). Paths whose cooling-off has not started or has ended are not due.
 */
export const dueSoon = (
  paths: readonly PathState[],
  conduct: ConductPolicy,
  now: string,
  horizonMs: number,
): DueItem[] => {
  const items: DueItem[] = [];
  for (const state of paths) {
    if (!isOpenStage(state.stage) || STAGE_RANK[state.stage] >= STAGE_RANK.PROPOSAL) continue;
    const coolingOff = coolingOffOf(state, conduct, now);
    if (coolingOff?.status !== 'running' || coolingOff.remainingMs! > horizonMs) continue;
    items.push({
      leadId: state.leadId,
      productId: state.productId,
      owner: state.owner,
      kind: 'cooling_off_ends',
      at: coolingOff.endsAt!,
      remainingMs: coolingOff.remainingMs!,
      rule: coolingOff.rule,
      text: coolingOff.text,
    });
  }
  return items.sort(
    (a, b) => msOf(a.at) - msOf(b.at) || byCodePoint(a.leadId, b.leadId) || byCodePoint(a.productId, b.productId),
  );
};

// Ids are compared as code points, not by a locale's collation, so the order is the same on every runtime.
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether cooling-off alone still stands before PROPOSAL at `now` (every applicable rule, not just the binding one). */
export const coolingOffBlocksProposal = (state: PathState, conduct: ConductPolicy, now: string): boolean =>
  gatesOf(state, conduct, now).some((gate) => gate.kind === 'cooling_off' && gate.status !== 'met');
