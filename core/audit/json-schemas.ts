// JSON Schemas for every JSON file of the export bundle, generated from the zod schemas that validate them.
import * as z from 'zod';
import { KeysFileSchema, ManifestSchema, PersonalDataLineSchema, SCHEMA_DIR } from './bundle-format.ts';
import { AuditEntrySchema } from './entry.ts';
import { AUDIT_EVENT_TYPES, EVENT_DEFINITIONS } from './event-types.ts';
import type { EventDefinition } from './events/define.ts';

const SCHEMA_BASE = 'https://perimeter.example/schemas/audit-export/v1/';

const generate = (schema: z.ZodType, name: string, title: string): Record<string, unknown> => ({
  ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  $id: `${SCHEMA_BASE}${name}`,
  title,
});

const plain = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
};

/**
 * The entry schema with each event type's payload (decision 0140): the current (version 2) payload, or the version 1
 * shape of entries written before typed events, chosen by the entry's `type`.
 */
const entrySchemaWithPayloads = (): Record<string, unknown> => {
  const base = generate(AuditEntrySchema, 'entry.schema.json', 'One line of entries.jsonl');
  const payloads: Record<string, unknown> = {};
  for (const type of AUDIT_EVENT_TYPES) {
    const definition: EventDefinition = EVENT_DEFINITIONS[type];
    payloads[type] =
      definition.v1 === null
        ? plain(definition.payload)
        : { anyOf: [plain(definition.payload), { ...plain(definition.v1), description: 'payload version 1' }] };
  }
  return {
    ...base,
    $defs: { ...(base.$defs as Record<string, unknown> | undefined), payloads },
    allOf: AUDIT_EVENT_TYPES.map((type) => ({
      if: { properties: { type: { const: type } } },
      then: { properties: { payload: { $ref: `#/$defs/payloads/${type}` } } },
    })),
  };
};

/** The personal data each event type carries beside the log (the line's `data`), for reference by type. */
const personalDataSchema = (): Record<string, unknown> => {
  const base = generate(PersonalDataLineSchema, 'personal-data.schema.json', 'One line of personal-data.jsonl');
  const byType: Record<string, unknown> = {};
  for (const type of AUDIT_EVENT_TYPES) {
    const definition: EventDefinition = EVENT_DEFINITIONS[type];
    if (definition.personal !== null) byType[type] = plain(definition.personal);
  }
  return { ...base, $defs: { ...(base.$defs as Record<string, unknown> | undefined), dataByEventType: byType } };
};

/** File name inside the bundle → JSON Schema. */
export const auditBundleJsonSchemas = (): Record<string, Record<string, unknown>> => ({
  [`${SCHEMA_DIR}entry.schema.json`]: entrySchemaWithPayloads(),
  [`${SCHEMA_DIR}manifest.schema.json`]: generate(ManifestSchema, 'manifest.schema.json', 'manifest.json'),
  [`${SCHEMA_DIR}keys.schema.json`]: generate(KeysFileSchema, 'keys.schema.json', 'keys.json'),
  [`${SCHEMA_DIR}personal-data.schema.json`]: personalDataSchema(),
});
