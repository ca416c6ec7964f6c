// Words and small computations the path screens share: stages in order, gate states, the live cooling-off countdown,
// and the disclosures and checklist items a gate asks for (read from the gate's own unblock text).
import { useEffect, useState } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { durationText, utcText } from '../../../../core/conduct/time-text.ts';

export type PathDetail = ApiResponse<'paths.get'>;
export type Gate = PathDetail['gates'][number];
export type Refusal = Extract<ApiResponse<'paths.transition'>, { ok: false }>['refusal'];

/** The stages a path goes through on its way to WON; LOST and CLOSED end it from any open stage. */
export const FORWARD_STAGES = ['NEW', 'CONTACTED', 'QUALIFIED', 'PROPOSAL', 'WON'] as const;

export const STAGE_LABEL: Readonly<Record<string, string>> = {
  NEW: 'New',
  CONTACTED: 'Contacted',
  QUALIFIED: 'Qualified',
  PROPOSAL: 'Proposal',
  WON: 'Won',
  LOST: 'Lost',
  CLOSED: 'Closed',
};

export const GATE_LABEL: Readonly<Record<string, string>> = {
  path_open: 'Path open',
  product_known: 'Product in the policy',
  kyc_failed: 'KYC not failed',
  aml_hold: 'AML documentation',
  kyc_hold: 'KYC before engagement',
  do_not_contact: 'Do not contact',
  outreach_window: 'Outreach hours',
  cold_contact: 'Cold-contact rule',
  disclosure: 'Disclosure',
  cooling_off: 'Cooling-off',
  kyc_verified: 'KYC verified',
  checklist: 'Product checklist',
};

export const STATUS_WORD: Readonly<Record<Gate['status'], string>> = {
  met: 'met',
  pending: 'waiting',
  blocked: 'blocked',
};

export const HOLD_LABEL: Readonly<Record<string, string>> = {
  kyc_not_verified: 'held: KYC not verified',
  aml_documentation_incomplete: 'held: AML documentation incomplete',
};

/** The next forward stage of an open path, or null (PROPOSAL goes on by "win"; ended paths go nowhere). */
export const nextAdvance = (stage: string): 'QUALIFIED' | 'PROPOSAL' | null =>
  stage === 'CONTACTED' ? 'QUALIFIED' : stage === 'QUALIFIED' ? 'PROPOSAL' : null;

export const isOpen = (stage: string): boolean => ['NEW', 'CONTACTED', 'QUALIFIED', 'PROPOSAL'].includes(stage);

/** "2 h 05 min 17 s", "17 s": what is left, to the second; the same text as a refusal's (core/conduct/time-text). */
export const countdownText = (ms: number): string => durationText(ms);

/**
 * A monotonic tick (performance.now(), ms), re-read every second while a screen shows a countdown. Countdowns are the
 * services' `remainingMs` at the read minus the time elapsed since, so they follow the workstation's clock, not the
 * page's wall clock.
 */
export const useTick = (active: boolean): number => {
  const [tick, setTick] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    setTick(performance.now());
    const timer = setInterval(() => setTick(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return tick;
};

/**
 * The disclosures the path's unmet disclosure gates ask for ("send disclosure RW-CRYPTO v2 with the first contact"),
 * so the outreach form can offer them ticked; the same text core/conduct writes for every disclosure gate.
 */
export const disclosuresAskedFor = (gates: readonly Gate[]): { template: string; version: number }[] => {
  const found = new Map<string, { template: string; version: number }>();
  for (const gate of gates) {
    if (gate.kind !== 'disclosure' || gate.status === 'met' || gate.unblock === null) continue;
    const match = /send disclosure (\S+) v(\d+)/.exec(gate.unblock.text);
    if (match?.[1] !== undefined && match[2] !== undefined)
      found.set(`${match[1]} v${match[2]}`, { template: match[1], version: Number(match[2]) });
  }
  return [...found.values()];
};

/** "TEMPLATE v2, OTHER v1" typed by the user, read into references; null names the part that is not one. */
export const parseDisclosureList = (
  text: string,
): { ok: true; refs: { template: string; version: number }[] } | { ok: false; part: string } => {
  const refs: { template: string; version: number }[] = [];
  for (const part of text
    .split(',')
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0)) {
    const match = /^(\S+)\s+v(\d+)$/.exec(part);
    if (match?.[1] === undefined || match[2] === undefined) return { ok: false, part };
    refs.push({ template: match[1], version: Number(match[2]) });
  }
  return { ok: true, refs };
};

/** The input value of a datetime-local field for an instant, in UTC (the workstation shows times in UTC). */
export const utcInputValue = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/** An end time for people: UTC to the second, as core/conduct writes them (a fraction rounded up, so nobody is early). */
export const formatEnd = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : utcText(ms);
};
