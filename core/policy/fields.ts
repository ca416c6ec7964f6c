// The field types policy sections share (ids, names, jurisdiction references, customer types, product classes).
import * as z from 'zod';

export const Id = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/,
    'an id is 1 to 64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  );
export const Name = z.string().min(1).max(200);
export const IsoDate = z.iso.date();
/** A jurisdiction code (GB, US-CA), a declared custom zone (AE-DIFC), a group (EEA) or a market (UK). */
export const JurisdictionRef = z.string().min(1).max(64);

export const PolicyCustomerType = z.enum(['retail', 'professional', 'eligible_counterparty']);
export type PolicyCustomerType = z.infer<typeof PolicyCustomerType>;

export const ProductClass = z.enum([
  'payments',
  'card_issuing',
  'lending',
  'crypto',
  'stablecoin',
  'open_banking',
  'investments',
  'insurance',
  'deposits',
  'fx',
]);
export type ProductClass = z.infer<typeof ProductClass>;
