// A rep's open paths as the lifecycle's effects move them: the count routing's capacity check reads.
import type { ConductEffect } from './decide.ts';

/**
 * Applies `workload_freed` and `workload_taken` effects to open-path counts per rep (routing's `openAssignments`).
 * A count never goes below zero, and a rep whose count reaches zero is dropped, so equal workloads compare equal.
 */
export const applyWorkload = (
  openAssignments: Readonly<Record<string, number>>,
  effects: readonly ConductEffect[],
): Readonly<Record<string, number>> => {
  const counts: Record<string, number> = { ...openAssignments };
  for (const effect of effects) {
    if (effect.kind === 'workload_taken') counts[effect.repId] = (counts[effect.repId] ?? 0) + 1;
    if (effect.kind === 'workload_freed') {
      const left = Math.max(0, (counts[effect.repId] ?? 0) - 1);
      if (left === 0) delete counts[effect.repId];
      else counts[effect.repId] = left;
    }
  }
  return counts;
};
