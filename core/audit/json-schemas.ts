// JSON Schemas for every JSON file of the export bundle, generated from the zod schemas that validate them.
import * as z from 'zod';
import { KeysFileSchema, ManifestSchema, PersonalDataLineSchema, SCHEMA_DIR } from './bundle-format.ts';
import { AuditEntrySchema } from './entry.ts';

const SCHEMA_BASE = 'https://perimeter.example/schemas/audit-export/v1/';

const generate = (schema: z.ZodType, name: string, title: string): Record<string, unknown> => ({
  ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  $id: `${SCHEMA_BASE}${name}`,
  title,
});

/** File name inside the bundle → JSON Schema. */
export const auditBundleJsonSchemas = (): Record<string, Record<string, unknown>> => ({
  [`${SCHEMA_DIR}entry.schema.json`]: generate(AuditEntrySchema, 'entry.schema.json', 'One line of entries.jsonl'),
  [`${SCHEMA_DIR}manifest.schema.json`]: generate(ManifestSchema, 'manifest.schema.json', 'manifest.json'),
  [`${SCHEMA_DIR}keys.schema.json`]: generate(KeysFileSchema, 'keys.schema.json', 'keys.json'),
  [`${SCHEMA_DIR}personal-data.schema.json`]: generate(
    PersonalDataLineSchema,
    'personal-data.schema.json',
    'One line of personal-data.jsonl',
  ),
});
