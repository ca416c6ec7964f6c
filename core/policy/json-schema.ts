// The policy bundle's JSON Schema, generated from the zod schema that validates it (one source of truth).
import * as z from 'zod';
import { PolicyBundleSchema, POLICY_SCHEMA_ID } from './schema.ts';

export const policyJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(PolicyBundleSchema, { io: 'input', unrepresentable: 'any' }),
  $id: `https://perimeter.example/schemas/${POLICY_SCHEMA_ID}.json`,
  title: 'Perimeter policy bundle',
});
