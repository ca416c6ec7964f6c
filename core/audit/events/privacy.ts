// Events about personal data: reads, erasure and retention purges.
import * as z from 'zod';
import { PartyIdText, SequenceText, UtcTime } from '../fields.ts';
import { Code, defineEvent, FreeText, PayloadVersion, v1Reader } from './define.ts';

const Sequence = SequenceText;

export const PRIVACY_EVENTS = {
  'personal_data.read': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, fields: z.array(Code).min(1), sequences: z.array(Sequence) }),
    personal: z.strictObject({ purpose: FreeText.describe('why the data was read, as the reader said') }),
    v1: v1Reader({ fields: z.array(z.string().min(1).max(500)).min(1), purpose: z.string().min(1).max(500) }),
  }),
  'retention.purged': defineEvent({
    payload: z.strictObject({
      rules: z.array(z.strictObject({ regime: Code, years: z.number().int().min(1).max(100), cutoff: UtcTime })),
      erased: Sequence,
      erasedRanges: z.array(z.tuple([Sequence, Sequence])),
    }),
  }),
  'subject.erased': defineEvent({
    payload: z.strictObject({ subject: PartyIdText, basis: Code, erasedSequences: z.array(Sequence) }),
  }),
} as const;
