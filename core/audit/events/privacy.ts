// Events about personal data: reads, erasure and retention purges.
import * as z from 'zod';
import { PartyIdText, SequenceText, UtcTime } from '../fields.ts';
import { Code, defineEvent, FreeText, PayloadVersion, ReasonData, v1Reader } from './define.ts';

const Sequence = SequenceText;
const Years = z.number().int().min(1).max(100);

export const PRIVACY_EVENTS = {
  'personal_data.read': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, fields: z.array(Code).min(1), sequences: z.array(Sequence) }),
    personal: z.strictObject({ purpose: FreeText.describe('why the data was read, as the reader said') }),
    v1: v1Reader({ fields: z.array(z.string().min(1).max(500)).min(1), purpose: z.string().min(1).max(500) }),
  }),
  'retention.purged': defineEvent({
    payload: z.strictObject({
      rules: z.array(
        z.strictObject({
          regime: Code,
          years: Years,
          cutoff: UtcTime,
          subjects: Sequence.optional().describe('how many data subjects lost data under this rule (from 2026-12)'),
        }),
      ),
      erased: Sequence,
      erasedRanges: z.array(z.tuple([Sequence, Sequence])),
    }),
  }),
  'subject.erased': defineEvent({
    payload: z.strictObject({ subject: PartyIdText, basis: Code, erasedSequences: z.array(Sequence) }),
    // The erasure's requester gave a reason (the erasure service, decision 0150); older entries carry none.
    personal: ReasonData,
    personalRequired: false,
  }),
  // Erasure inside a legal record-keeping period (decision 0150): the requester's reason is beside the log.
  'erasure.refused': defineEvent({
    payload: z.strictObject({ regime: Code, years: Years, erasableFrom: z.iso.date() }),
    personal: ReasonData,
  }),
  'erasure.override_requested': defineEvent({
    payload: z.strictObject({ requestId: Code, regime: Code, years: Years, erasableFrom: z.iso.date() }),
    personal: ReasonData,
  }),
  'erasure.override_approved': defineEvent({
    payload: z.strictObject({ requestId: Code, requestedBy: PartyIdText }),
    personal: ReasonData,
  }),
} as const;
