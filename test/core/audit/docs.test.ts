// docs/audit-export.md stays true: its event type table lists exactly the closed set, with the code's descriptions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, EVENT_DEFINITIONS, EVENT_TYPE_DOCS } from '../../../core/audit/event-types.ts';
import { auditBundleJsonSchemas } from '../../../core/audit/json-schemas.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'audit-export.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Event types'), doc.indexOf('## Keys, rotation'));
const rows = section
  .split('\n')
  .filter((line) => /^\| `[a-z_]+\.[a-z_]+` \|/.test(line))
  .map((line) => line.split('|').map((cell) => cell.trim()));

describe('docs/audit-export.md', () => {
  it('documents every event type, and no other', () => {
    expect(rows.map((row) => row[1]!.replaceAll('`', ''))).toEqual([...AUDIT_EVENT_TYPES]);
  });

  it('matches the code’s category, description, payload fields and personal-data fields', () => {
    const fieldsOf = (schema: unknown): string => {
      const shape = schema === null ? {} : (schema as { shape: Record<string, unknown> }).shape;
      const fields = Object.keys(shape).map((key) => `\`${key}\``);
      return fields.length ? fields.join(', ') : '—';
    };
    for (const row of rows) {
      const type = row[1]!.replaceAll('`', '') as keyof typeof EVENT_TYPE_DOCS;
      expect(row[2]).toBe(EVENT_TYPE_DOCS[type].category);
      expect(row[3]).toBe(EVENT_TYPE_DOCS[type].records);
      expect(row[5]).toBe(fieldsOf(EVENT_DEFINITIONS[type].payload));
      expect(row[6]).toBe(fieldsOf(EVENT_DEFINITIONS[type].personal));
      expect(row[7]).toBe(EVENT_DEFINITIONS[type].v1 === null ? '—' : 'yes');
    }
  });

  it('ships a JSON Schema for each JSON file of the bundle', () => {
    const schemas = auditBundleJsonSchemas();
    expect(Object.keys(schemas).sort()).toEqual([
      'schema/entry.schema.json',
      'schema/keys.schema.json',
      'schema/manifest.schema.json',
      'schema/personal-data.schema.json',
    ]);
    for (const schema of Object.values(schemas))
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('gives each event type its exact payload in the entry schema, with personal fields only in the personal-data schema', () => {
    const schemas = auditBundleJsonSchemas();
    const entry = schemas['schema/entry.schema.json'] as {
      $defs: { payloads: Record<string, { anyOf?: { properties: object; additionalProperties: unknown }[] }> };
      allOf: unknown[];
    };
    expect(Object.keys(entry.$defs.payloads)).toEqual([...AUDIT_EVENT_TYPES]);
    expect(entry.allOf).toHaveLength(AUDIT_EVENT_TYPES.length);
    const decided = entry.$defs.payloads['case.decided']!.anyOf![0]!;
    expect(decided.additionalProperties).toBe(false);
    expect(Object.keys(decided.properties)).not.toContain('reason');
    const personal = schemas['schema/personal-data.schema.json'] as {
      $defs: { dataByEventType: Record<string, { properties: object }> };
    };
    expect(Object.keys(personal.$defs.dataByEventType['case.decided']!.properties)).toEqual(['reason']);
    expect(Object.keys(personal.$defs.dataByEventType['lead.ingested']!.properties)).toContain('sourceId');
  });
});
