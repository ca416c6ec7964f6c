// The verifier holds entries.csv to the rows csvRow makes without building them (matchCsvRow): for any entry, payload
// and bytes that follow, it must accept exactly when csvRow's bytes are there, and say where the row ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRow, matchCsvRow } from '../../../core/audit/csv.ts';
import type { AuditEntry } from '../../../core/audit/entry.ts';

const encoder = new TextEncoder();

// Characters csvCell treats, multi-byte ones and plain ones, so cells need quoting, defusing or neither.
const tricky = fc.constantFrom('"', ',', '\r', '\n', '=', '+', '-', '@', '\t', 'é', '😀', 'a', 'Z', '0', ' ', '{', ':');
const text = fc.array(tricky, { maxLength: 12 }).map((chars) => chars.join(''));
const partyId = fc
  .tuple(
    fc.constantFrom('user', 'lead', 'case'),
    fc.array(fc.constantFrom('"', ',', '=', 'x', '-', '1'), { minLength: 1, maxLength: 6 }),
  )
  .map(([kind, chars]) => `${kind}:${chars.join('')}`);

const entry = fc.record({
  sequence: fc.nat({ max: 10_000_000 }).map(String),
  actor: partyId,
  subjects: fc.array(partyId, { maxLength: 3 }),
  commitment: fc.option(fc.constant('ab'.repeat(32)), { nil: null }),
  previous: fc.option(fc.constant('cd'.repeat(32)), { nil: null }),
});

const toEntry = (fields: {
  sequence: string;
  actor: string;
  subjects: string[];
  commitment: string | null;
  previous: string | null;
}): AuditEntry => ({
  v: 1,
  log: 'device-1',
  time: '2025-01-31T09:30:00.000Z',
  type: 'case.decided',
  payload: {},
  ...fields,
});

const startsWith = (stream: Uint8Array, prefix: Uint8Array): boolean =>
  prefix.length <= stream.length && prefix.every((byte, i) => stream[i] === byte);

describe('matchCsvRow', () => {
  it('accepts csvRow’s bytes wherever they are, whatever follows', () => {
    fc.assert(
      fc.property(entry, text, text, fc.nat({ max: 5 }), (fields, payload, after, offset) => {
        const row = encoder.encode(csvRow(toEntry(fields), payload));
        const stream = new Uint8Array([...new Uint8Array(offset).fill(0x41), ...row, ...encoder.encode(after)]);
        expect(matchCsvRow(toEntry(fields), encoder.encode(payload), stream, offset)).toBe(offset + row.length);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses every changed, inserted or deleted byte unless the row is still there', () => {
    fc.assert(
      fc.property(
        entry,
        text,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('change', 'insert', 'delete'),
        (fields, payload, where, byte, how) => {
          const row = encoder.encode(csvRow(toEntry(fields), payload));
          const at = where % row.length;
          const bytes = [...row, 0x0a];
          if (how === 'change') bytes[at] = byte;
          else if (how === 'insert') bytes.splice(at, 0, byte);
          else bytes.splice(at, 1);
          const stream = new Uint8Array(bytes);
          const expected = startsWith(stream, row) ? row.length : -1;
          expect(matchCsvRow(toEntry(fields), encoder.encode(payload), stream, 0)).toBe(expected);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('refuses a row cut short, at any length', () => {
    const fields = { sequence: '7', actor: 'user:a"b', subjects: ['lead:x,y'], commitment: null, previous: null };
    const payload = '{"a":"=1,\\"2\\"","é":"😀"}';
    const row = encoder.encode(csvRow(toEntry(fields), payload));
    for (let length = 0; length < row.length; length++)
      expect(matchCsvRow(toEntry(fields), encoder.encode(payload), row.subarray(0, length), 0)).toBe(-1);
    expect(matchCsvRow(toEntry(fields), encoder.encode(payload), row, 0)).toBe(row.length);
  });
});
