// The verifier's fast reading of entry lines (entry-scan.ts, payload-scan.ts) never changes what it says: for valid
// entries of every event type and for thousands of damaged, non-canonical or invalid ones, examining lines with the
// fast reading gives exactly the facts and failures of the careful reading alone; and a payload's byte reader accepts
// only what its zod schema accepts.
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { lineBounds } from '../../../core/audit/bytes.ts';
import { csvHeader, csvRow } from '../../../core/audit/csv.ts';
import type { AuditEntry } from '../../../core/audit/entry.ts';
import { createScannedFields, scanEntryLine } from '../../../core/audit/entry-scan.ts';
import { AUDIT_EVENT_TYPES, EVENT_DEFINITIONS, payloadReaderFor } from '../../../core/audit/event-types.ts';
import type { AuditEventType } from '../../../core/audit/event-types.ts';
import { compileByteReader } from '../../../core/audit/payload-scan.ts';
import { csvRowStart, examineLines } from '../../../core/audit/verify-lines.ts';
import { canonicalJson } from '../../../core/shared/canonical-json.ts';
import { seededRandom } from '../../../core/shared/seeded-random.ts';

type Random = () => number;
type Definition = { type: string; [key: string]: unknown };
const definitionOf = (schema: unknown): Definition => (schema as { _zod: { def: Definition } })._zod.def;
const utf8 = new TextEncoder();

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number): boolean => random() < p;

// Strings that some format in the schemas accepts (sequence numbers, times, hashes, key ids, kind:id), tried first.
const FORMATTED = [
  '42',
  '0',
  '2025-01-31T09:30:00.000Z',
  '2025-02-01T10:00:00Z',
  'ab'.repeat(32),
  'deadbeef',
  '0123456789abcdef',
  `kyc_${'0123456789abcdef'.repeat(2)}`,
  'user:u-7',
  'lead:L-1042',
  'sha256:9c1f04',
  'perimeter/audit/device-7+0badc0de+AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh',
];
const CHARACTERS = 'abcXYZ019_-.:/ ,=+@'.split('');
const TRICKY = ['"', '\\', '\n', 'é', '😀', '\u0001', '\u007f'];

const randomText = (random: Random, min: number, max: number): string => {
  const length = Math.min(max, min + Math.floor(random() * 12));
  let text = '';
  for (let i = 0; i < length; i++) text += chance(random, 0.03) ? pick(random, TRICKY) : pick(random, CHARACTERS);
  return text;
};

const randomJson = (random: Random, depth: number): unknown => {
  const kind = Math.floor(random() * (depth > 2 ? 4 : 6));
  if (kind === 0) return null;
  if (kind === 1) return chance(random, 0.5);
  if (kind === 2) return pick(random, [0, 1, -3, 42, 0.5, 1e21, 123456789012345, 2 ** 53 + 2]);
  if (kind === 3) return randomText(random, 0, 8);
  if (kind === 4) return Array.from({ length: Math.floor(random() * 3) }, () => randomJson(random, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(random() * 3) }, () => [randomText(random, 1, 5), randomJson(random, depth + 1)]),
  );
};

/** A value the schema probably accepts (a few deliberately outside it), built from its zod definition. */
const valueFor = (schema: unknown, random: Random, depth = 0): unknown => {
  const definition = definitionOf(schema);
  const checks = ((definition.checks ?? []) as { _zod: { def: Record<string, unknown> } }[]).map((c) => c._zod.def);
  const bound = (name: string, fallback: number): number =>
    (checks.find((check) => check.check === name)?.[name === 'min_length' ? 'minimum' : 'maximum'] as number) ??
    fallback;
  switch (definition.type) {
    case 'string': {
      const formatted = FORMATTED.filter((text) => (schema as z.ZodType).safeParse(text).success);
      if (formatted.length > 0 && !chance(random, 0.05)) return pick(random, formatted);
      const min = bound('min_length', 0);
      const max = bound('max_length', 40);
      if (chance(random, 0.05)) return 'x'.repeat(pick(random, [Math.max(0, min - 1), max, max + 1]));
      return randomText(random, min, max);
    }
    case 'number': {
      const candidates = [0, 1, 2, 7, 0.25, 0.5, 0.75, 1.5, 100, -1, 2 ** 53];
      const good = candidates.filter((value) => (schema as z.ZodType).safeParse(value).success);
      return chance(random, 0.9) && good.length > 0 ? pick(random, good) : pick(random, candidates);
    }
    case 'boolean':
      return chance(random, 0.5);
    case 'enum':
      return chance(random, 0.97) ? pick(random, Object.values(definition.entries as object)) : 'not-an-option';
    case 'literal':
      return chance(random, 0.97) ? pick(random, definition.values as unknown[]) : 3;
    case 'nullable':
      return chance(random, 0.3) ? null : valueFor(definition.innerType, random, depth);
    case 'optional':
    case 'default':
      return valueFor(definition.innerType, random, depth);
    case 'array': {
      const min = bound('min_length', 0);
      return Array.from({ length: min + Math.floor(random() * 3) }, () =>
        valueFor(definition.element, random, depth + 1),
      );
    }
    case 'tuple':
      return (definition.items as unknown[]).map((item) => valueFor(item, random, depth + 1));
    case 'union':
      return valueFor(pick(random, definition.options as unknown[]), random, depth);
    case 'record':
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 3) }, () => [
          randomText(random, 1, 6),
          valueFor(definition.valueType, random, depth + 1),
        ]),
      );
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(definition.shape as Record<string, unknown>)) {
        const type = definitionOf(field).type;
        if (type === 'undefined') continue;
        if ((type === 'optional' || type === 'default') && chance(random, 0.3)) continue;
        if (definitionOf(field).type === 'optional' && definitionOf(definitionOf(field).innerType).type === 'undefined')
          continue;
        out[key] = valueFor(field, random, depth + 1);
      }
      if (
        definitionOf(definition.catchall ?? { _zod: { def: { type: 'never' } } }).type !== 'never' &&
        chance(random, 0.3)
      )
        out[randomText(random, 1, 6)] = randomJson(random, depth + 1);
      return out;
    }
    default:
      return randomJson(random, depth);
  }
};

/** Changes one place in a JSON value: drops or adds a key, swaps a value for another kind, empties a string. */
const mutate = (value: unknown, random: Random): unknown => {
  if (Array.isArray(value)) {
    if (value.length === 0 || chance(random, 0.3)) return [...value, randomJson(random, 3)];
    const at = Math.floor(random() * value.length);
    return value.map((item, index) => (index === at ? mutate(item, random) : item));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const copy = { ...(value as Record<string, unknown>) };
    const roll = random();
    if (keys.length === 0 || roll < 0.2)
      copy[pick(random, ['pv', 'extra', 'zz', 'a', 'trace'])] = randomJson(random, 2);
    else if (roll < 0.4) delete copy[pick(random, keys)];
    else {
      const key = pick(random, keys);
      copy[key] = mutate(copy[key], random);
    }
    return copy;
  }
  return chance(random, 0.5) ? randomJson(random, 2) : typeof value === 'string' ? '' : null;
};

const payloadFor = (type: AuditEventType, random: Random): unknown => {
  const definition = EVENT_DEFINITIONS[type] as { payload: unknown; v1: unknown };
  const schema = definition.v1 !== null && chance(random, 0.2) ? definition.v1 : definition.payload;
  const value = valueFor(schema, random);
  return chance(random, 0.25) ? mutate(value, random) : value;
};

const hex = (random: Random): string =>
  Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');

const entryFor = (type: AuditEventType, sequence: number, random: Random): Record<string, unknown> => ({
  actor: chance(random, 0.05) ? pick(random, ['user:a,b', 'User:x', 'user:', 'user:a b', 'user:"q"']) : 'user:u-3',
  commitment: chance(random, 0.3) ? hex(random) : null,
  log: chance(random, 0.02) ? pick(random, ['device 7', '-d', 'dévice']) : pick(random, ['device-7', 'device-8']),
  payload: payloadFor(type, random),
  previous: sequence === 0 ? null : hex(random),
  sequence: chance(random, 0.02) ? pick(random, ['01', '1'.repeat(21), '12345678901234567', 'x']) : String(sequence),
  subjects: Array.from({ length: Math.floor(random() * 3) }, () => pick(random, ['lead:L-1', 'case:C-7', 'lead:a,b'])),
  time: chance(random, 0.02)
    ? pick(random, ['2025-13-01T00:00:00.000Z', '2025-01-31T24:00:00.000Z', '2025-01-31T09:30:00Z'])
    : `2025-01-${String(1 + (sequence % 28)).padStart(2, '0')}T09:30:${String(sequence % 60).padStart(2, '0')}.123Z`,
  type: chance(random, 0.01) ? 'not.a.type' : type,
  v: chance(random, 0.01) ? 2 : 1,
});

// Text-level damage the JSON value cannot express: non-canonical spellings, whitespace, duplicates, bad bytes.
const damageText = (text: string, random: Random): string => {
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 9)) {
    case 0:
      return text.slice(0, at) + ' ' + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.replace('"v":1', '"v":1.0');
    case 3:
      return text.replace('{"actor"', '{"actor":"user:x","actor"');
    case 4:
      return text.replace(/"([a-z])/, '"\\u00$1'.replace('$1', '61'));
    case 5:
      return text.replace(':0', ':-0').replace(':1,', ':1e0,');
    case 6:
      return text.replace(',"commitment"', ',"zzz":1,"commitment"');
    case 7:
      return text.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + text.slice(at + 1);
    default:
      return text.replace('"payload":{', '"payload":{"":0,');
  }
};

// A row changed in one place: a character replaced, dropped or doubled (never a line break, so rows stay aligned).
const damageRow = (row: string, random: Random): string => {
  const at = Math.floor(random() * (row.length - 2));
  const char = pick(random, ['"', ',', "'", ' ', 'x', '""']);
  // Inside the quoted actor and subjects cells too, which hold commas of their own.
  if (row.includes('a,b') && chance(random, 0.5)) return row.replace('a,b', pick(random, ['a;b', 'a,,b', 'ab', 'a b']));
  switch (Math.floor(random() * 3)) {
    case 0:
      return row.slice(0, at) + char + row.slice(at + 1);
    case 1:
      return row.slice(0, at) + row.slice(at + 1);
    default:
      return row.slice(0, at) + row[at] + row.slice(at);
  }
};

const build = (seed: number, lines: number): { entries: Uint8Array; csv: Uint8Array } => {
  const random = seededRandom(seed);
  const texts: string[] = [];
  const rows: string[] = [csvHeader()];
  for (let i = 0; i < lines; i++) {
    const type = i === 0 ? 'log.created' : pick(random, AUDIT_EVENT_TYPES);
    const entry = entryFor(type, i, random);
    let text: string;
    try {
      text = canonicalJson(entry);
    } catch {
      text = JSON.stringify(entry);
    }
    if (chance(random, 0.1)) text = damageText(text, random);
    texts.push(text);
    let row: string;
    try {
      row = csvRow(entry as unknown as AuditEntry);
    } catch {
      row = 'x\r\n';
    }
    if (chance(random, 0.06)) row = damageRow(row, random);
    rows.push(row);
  }
  const entries = utf8.encode(texts.join('\n') + '\n');
  // A few raw bytes that are not UTF-8, and a lone surrogate encoded as UTF-8.
  const damaged = new Uint8Array(entries);
  for (let k = 0; k < 3; k++) {
    const at = Math.floor(random() * damaged.length);
    if (damaged[at] !== 0x0a) damaged[at] = pick(random, [0xff, 0xc3, 0xed, 0x80]);
  }
  return { entries: damaged, csv: utf8.encode(rows.join('')) };
};

describe('the fast reading of entry lines', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`gives the careful reading's facts and failures, line for line (seed ${seed}, 1,500 lines)`, () => {
      const { entries, csv } = build(seed, 1500);
      const { starts, ends } = lineBounds(entries);
      const fast = examineLines(entries, starts, ends, 0, starts.length, { bytes: csv, start: null }, true);
      const careful = examineLines(entries, starts, ends, 0, starts.length, { bytes: csv, start: null }, false);
      expect(fast).toEqual(careful);
      // The generated lines include failures of every kind the careful reader reports, and valid lines.
      const codes = new Set(careful.failures.map((failure) => failure.code));
      expect(codes).toEqual(new Set(['entry-encoding', 'entry-not-canonical', 'entry-schema']));
      // At least two lines in five valid (the richer payloads, lead.intake's paths among them, fail more often).
      expect(careful.failures.length).toBeLessThan(starts.length * 0.6);
    });
  }

  it('agrees on every CSV row, each line examined on its own (a row that differs ends matching for its range)', () => {
    for (const seed of [31, 32, 33]) {
      const { entries, csv } = build(seed, 1500);
      const { starts, ends } = lineBounds(entries);
      let differing = 0;
      for (let i = 0; i < starts.length; i++) {
        const match = { bytes: csv, start: csvRowStart(csv, i + 1) };
        const fast = examineLines(entries, starts, ends, i, i + 1, match, true);
        const careful = examineLines(entries, starts, ends, i, i + 1, match, false);
        expect(fast).toEqual(careful);
        if (careful.csvMismatch >= 0) differing++;
      }
      expect(differing).toBeGreaterThan(40);
    }
  });

  it('agrees on ranges that start mid-file and without a CSV', () => {
    const { entries, csv } = build(11, 600);
    const { starts, ends } = lineBounds(entries);
    for (const [from, to] of [
      [0, 1],
      [17, 301],
      [300, 600],
    ] as const) {
      expect(examineLines(entries, starts, ends, from, to, null, true)).toEqual(
        examineLines(entries, starts, ends, from, to, null, false),
      );
      expect(examineLines(entries, starts, ends, from, to, { bytes: csv, start: null }, true)).toEqual(
        examineLines(entries, starts, ends, from, to, { bytes: csv, start: null }, false),
      );
    }
  });

  it('reads every event type fast when its entry is plain ASCII (so the speed is real, not a fallback)', () => {
    const random = seededRandom(21);
    const fields = createScannedFields();
    const slow: string[] = [];
    for (const type of AUDIT_EVENT_TYPES)
      for (let n = 0; n < 40; n++) {
        const definition = EVENT_DEFINITIONS[type] as { payload: z.ZodType; v1: z.ZodType | null };
        const schema = n % 4 === 3 && definition.v1 ? definition.v1 : definition.payload;
        const payload = valueFor(schema, random);
        if (!payloadReaderFor(type, payload).safeParse(payload).success) continue;
        const text = canonicalJson({
          actor: 'user:u-3',
          commitment: null,
          log: 'device-7',
          payload,
          previous: 'ab'.repeat(32),
          sequence: '5',
          subjects: ['lead:L-1'],
          time: '2025-01-31T09:30:00.000Z',
          type,
          v: 1,
        });
        if (!/^[\x20-\x7e]*$/.test(text) || text.includes('\\')) continue;
        const bytes = utf8.encode(text);
        if (!scanEntryLine(bytes, 0, bytes.length, fields)) slow.push(`${type}: ${text}`);
      }
    expect(slow).toEqual([]);
  });
});

describe('payload byte readers compiled from the zod schemas', () => {
  it('accept only what zod accepts, for every event type (current and version 1 shapes)', () => {
    const random = seededRandom(5);
    let accepted = 0;
    for (const type of AUDIT_EVENT_TYPES) {
      const definition = EVENT_DEFINITIONS[type] as { payload: z.ZodType; v1: z.ZodType | null };
      for (const schema of [definition.payload, definition.v1]) {
        if (!schema) continue;
        const read = compileByteReader(schema);
        for (let n = 0; n < 300; n++) {
          let value = valueFor(schema, random);
          if (chance(random, 0.5)) value = mutate(value, random);
          let text: string;
          try {
            text = canonicalJson(value);
          } catch {
            continue;
          }
          const bytes = utf8.encode(text);
          if (read(bytes, 0, bytes.length, 1) === bytes.length) {
            accepted++;
            expect(schema.safeParse(JSON.parse(text)).success, `${type}: ${text}`).toBe(true);
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(5000);
  });
});
