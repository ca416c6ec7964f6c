// How an event type is defined: its current payload (strict, the hashed entry), its personal data (strict, beside the
// log under the salted commitment) and, for types whose entries were written in an older shape, the reader of those.
import * as z from 'zod';

/**
 * The payload version every new payload of a versioned type carries. Version 1 payloads (written before typed events,
 * decision 0140) have no `pv` field; they are read by the type's `v1` schema and never rewritten.
 */
export const PAYLOAD_VERSION = 2 as const;
export const PayloadVersion = z.literal(PAYLOAD_VERSION).describe('payload version (absent in version 1 payloads)');

/** Free text a person wrote or a name: only ever in personal data. */
export const FreeText = z.string().min(1).max(2000);
/** A code, id or label of the system (never free text a person typed). */
export const Code = z.string().min(1).max(500);

export type EventDefinition = {
  /** What a new entry's payload must be, exactly: no field may be added that the schema does not name. */
  readonly payload: z.ZodType;
  /** The personal data a new entry of this type carries beside the log (null: none), exactly. */
  readonly personal: z.ZodType | null;
  /** Whether a new entry must carry personal data (when `personal` is set). */
  readonly personalRequired: boolean;
  /** The reader of version 1 payloads, for types that had them; null when the first shape is the current one. */
  readonly v1: z.ZodType | null;
};

export const defineEvent = <P extends z.ZodType, D extends z.ZodType | null = null>(definition: {
  readonly payload: P;
  readonly personal?: D;
  readonly personalRequired?: boolean;
  readonly v1?: z.ZodType;
}): {
  readonly payload: P;
  readonly personal: D;
  readonly personalRequired: boolean;
  readonly v1: z.ZodType | null;
} => ({
  payload: definition.payload,
  personal: (definition.personal ?? null) as D,
  personalRequired: definition.personalRequired ?? definition.personal !== undefined,
  v1: definition.v1 ?? null,
});

/** A version 1 reader: the loose "must carry these" shape the old code validated, and no `pv` field. */
export const v1Reader = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.looseObject({ ...shape, pv: z.undefined().optional() });

/** The reason a person gave, as the personal data of the entry recording the act. */
export const ReasonData = z.strictObject({ reason: FreeText });
