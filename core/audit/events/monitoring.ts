// Ongoing monitoring (decisions 0193–0195): a re-screening run after a list update, its bulk read of the leads' parties,
// the allow-list of cleared false positives and what it suppresses, and hits resolved because their entry left the list.
import * as z from 'zod';
import { HashHex, SequenceText } from '../fields.ts';
import { Code, defineEvent, ReasonData } from './define.ts';

const Count = z.number().int().min(0);
const Score = z.number().min(0).max(1);
const RunId = Code.describe('the run, M-<sequence of its monitoring.started entry>');

/** A listed entry a lead's hit names, without its name (names stay beside the log). */
const HitRef = { listId: Code, entryId: Code, listVersion: Code };
/** An allow-list row: the listed entry at the content version that was cleared. */
const AllowRef = { listId: Code, entryId: Code, entryVersion: HashHex };

export const MONITORING_EVENTS = {
  'monitoring.started': defineEvent({
    payload: z.strictObject({
      run: RunId,
      list: Code,
      version: HashHex.describe("the new list version's content hash"),
      label: Code.describe('the new version id'),
      previous: HashHex.nullable().describe('the content hash of the version it replaced; null for a first version'),
      added: Count,
      changed: Count,
      removed: Count,
      leads: Count.describe('the leads to re-screen: those ingested up to ingestedThrough whose parties are held'),
      ingestedThrough: SequenceText.describe('the last lead.ingested entry before the run'),
      thresholds: z.strictObject({ potential: Score, strong: Score }),
      requestedBy: Code.describe('the user whose list import started the run'),
    }),
  }),
  'personal_data.bulk_read': defineEvent({
    payload: z.strictObject({
      run: RunId,
      purpose: z.enum(['monitoring']),
      fields: z.array(Code).min(1),
      leads: Count.describe('how many leads’ records were read'),
      ingestedFrom: SequenceText.describe('the first lead.ingested sequence of the range read'),
      ingestedThrough: SequenceText.describe('the last lead.ingested sequence of the range read'),
      leadsSha256: HashHex.describe('SHA-256 of the JCS array of the lead ids read, sorted'),
    }),
  }),
  'screening.hit_suppressed': defineEvent({
    payload: z.strictObject({
      leadId: Code,
      run: RunId,
      hits: z
        .array(
          z.strictObject({
            party: z.enum(['person', 'company']),
            listKind: Code,
            ...HitRef,
            entryVersion: HashHex,
            score: Score,
            strength: z.enum(['potential', 'strong']),
            allowedBy: Code.describe('the case whose decision cleared this hit'),
          }),
        )
        .min(1),
    }),
  }),
  'screening.hits_resolved': defineEvent({
    payload: z.strictObject({
      leadId: Code,
      run: RunId,
      reason: z.enum(['entry_removed']),
      list: Code,
      version: HashHex.describe('the list version that no longer lists the entries'),
      hits: z.array(z.strictObject(HitRef)).min(1),
    }),
  }),
  'screening.allow_listed': defineEvent({
    payload: z.strictObject({
      leadId: Code,
      caseId: Code,
      hits: z.array(z.strictObject({ ...HitRef, entryVersion: HashHex })).min(1),
    }),
  }),
  'screening.allow_list_removed': defineEvent({
    payload: z.strictObject({
      leadId: Code,
      ...AllowRef,
      caseId: Code.describe('the case whose decision put it on the allow-list'),
    }),
    personal: ReasonData,
  }),
  'screening.allow_list_expired': defineEvent({
    payload: z.strictObject({
      leadId: Code,
      run: RunId,
      reviewDays: z.number().int().positive().describe("the policy's allowListReviewDays the run applied"),
      hits: z
        .array(
          z.strictObject({
            ...AllowRef,
            caseId: Code.describe('the case whose decision put it on the allow-list'),
            clearedAt: Code.describe('when it was put on the allow-list (ISO 8601)'),
          }),
        )
        .min(1),
    }),
  }),
  'monitoring.completed': defineEvent({
    payload: z.strictObject({
      run: RunId,
      state: z.enum(['done', 'stopped']),
      reason: Code.nullable().describe('why a run stopped early: cancelled, locked, failed'),
      leads: Count,
      leadsWithHits: Count,
      hits: Count,
      suppressed: Count,
      resolved: Count,
      casesOpened: Count,
    }),
  }),
} as const;
