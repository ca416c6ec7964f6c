// Entries: what createEntry refuses, the hand-written shape check agreeing with the zod schema, commitments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditEntrySchema, checkEntryShape, commitPersonalData, createEntry } from '../../../core/audit/entry.ts';
import type { NewEntry } from '../../../core/audit/entry.ts';
import { AUDIT_EVENT_TYPES, EVENT_PAYLOAD_SCHEMAS, EVENT_TYPE_DOCS } from '../../../core/audit/event-types.ts';
import type { LogId } from '../../../core/audit/fields.ts';
import { canonicalJson } from '../../../core/shared/canonical-json.ts';
import { seedFrom, sha256, timeAt } from './fixtures.ts';

const logId = 'dev-1' as LogId;
const base: NewEntry = {
  time: timeAt(1),
  actor: 'user:u-1',
  type: 'case.decided',
  subjects: ['case:C-1', 'lead:L-1'],
  payload: { decision: 'approve' },
  commitment: null,
};
const head = { sequence: 4, leafHash: new Uint8Array(32).fill(9), time: timeAt(1) };

describe('createEntry', () => {
  it('builds the next entry with sequence and predecessor as strings, keys in JCS order', () => {
    const created = createEntry(logId, head, base);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.entry.sequence).toBe('5');
    expect(created.value.entry.previous).toBe('09'.repeat(32));
    expect(new TextDecoder().decode(created.value.bytes)).toBe(canonicalJson(created.value.entry));
    expect(Object.keys(created.value.entry)).toEqual(Object.keys(created.value.entry).sort());
  });

  it('refuses what a user can get wrong, naming the field', () => {
    const cases: [Partial<NewEntry>, string][] = [
      [{ time: '2025-01-01T00:00:00Z' }, 'time'],
      [{ time: timeAt(0) }, 'time'],
      [{ actor: 'alice' }, 'actor'],
      [{ subjects: ['lead L-1'] }, 'subjects.0'],
      [{ payload: {} }, 'payload.decision'],
      [{ commitment: 'ABC' }, 'commitment'],
      [{ payload: { decision: 'x', amount: 2 ** 60 } }, 'payload'],
      [{ payload: { decision: '\ud800' } }, 'payload'],
    ];
    for (const [change, field] of cases) {
      const created = createEntry(logId, head, { ...base, ...change });
      expect(created.ok, field).toBe(false);
      if (!created.ok) expect(created.error.field).toBe(field);
    }
  });

  it('names the path of a payload integer beyond 2^53, and accepts the largest safe one', () => {
    const nested = createEntry(logId, head, {
      ...base,
      payload: { decision: 'x', lines: [{ amount: 1 }, { amount: 2 ** 53 }] },
    });
    expect(nested.ok).toBe(false);
    if (!nested.ok)
      expect(nested.error.message).toBe('payload.lines[1].amount is an integer beyond 2^53: write it as a string');
    const safe = createEntry(logId, head, { ...base, payload: { decision: 'x', amount: 2 ** 53 - 1, ratio: 0.5 } });
    expect(safe.ok).toBe(true);
  });

  it('skips the payload schema only for a current payload its caller has checked (the log service checks it first)', () => {
    // A payload in the current shape ("pv") that the current schema refuses: refused, unless the caller vouches.
    const incomplete: NewEntry = { ...base, payload: { pv: 2 } };
    expect(createEntry(logId, head, incomplete).ok).toBe(false);
    expect(createEntry(logId, head, incomplete, { payloadChecked: true }).ok).toBe(true);
    // A version 1 payload is read by the version 1 reader, which the caller's check of the current shape is not.
    const oldShape: NewEntry = { ...base, payload: { decision: 42 } };
    const checked = createEntry(logId, head, oldShape, { payloadChecked: true });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.field).toBe('payload.decision');
    // The bytes are the same either way.
    const current: NewEntry = { ...base, payload: { decision: 'approve' } };
    const [plain, vouched] = [
      createEntry(logId, head, current),
      createEntry(logId, head, current, { payloadChecked: true }),
    ];
    expect(plain.ok && vouched.ok && Buffer.from(vouched.value.bytes).equals(Buffer.from(plain.value.bytes))).toBe(
      true,
    );
  });

  it('starts a log at sequence 0 with no predecessor', () => {
    const created = createEntry(logId, null, base);
    expect(created.ok && created.value.entry.previous).toBe(null);
    expect(created.ok && created.value.entry.sequence).toBe('0');
  });
});

describe('checkEntryShape', () => {
  const valid = (() => {
    const created = createEntry(logId, head, base);
    if (!created.ok) throw new Error('fixture');
    return JSON.parse(canonicalJson(created.value.entry)) as Record<string, unknown>;
  })();
  const zodAccepts = (value: unknown): boolean => {
    const entry = AuditEntrySchema.safeParse(value);
    if (!entry.success) return false;
    return EVENT_PAYLOAD_SCHEMAS[entry.data.type].safeParse(entry.data.payload).success;
  };

  it('agrees with the zod schema on random field changes', () => {
    const field = fc.constantFrom(...Object.keys(valid), 'extra');
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('user:x', 'lead:L-2', 'a'.repeat(64), '2025-01-01T00:00:00.000Z', 'routing.decided', 1, null),
    );
    fc.assert(
      fc.property(field, value, fc.boolean(), (name, replacement, remove) => {
        const changed: Record<string, unknown> = { ...valid };
        if (remove) delete changed[name];
        else changed[name] = replacement;
        const sorted = Object.fromEntries(Object.entries(changed).sort(([a], [b]) => (a < b ? -1 : 1)));
        expect(checkEntryShape(sorted) === null).toBe(zodAccepts(sorted));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('event types', () => {
  it('documents every type and gives each a payload schema', () => {
    expect(Object.keys(EVENT_TYPE_DOCS).sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
    expect(Object.keys(EVENT_PAYLOAD_SCHEMAS).sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
  });
});

describe('commitments', () => {
  it('is sha256(salt ‖ JCS(data)) and needs at least 16 bytes of salt', () => {
    const salt = seedFrom('salt');
    const data = { name: 'Ada', email: 'ada@example.test' };
    const expected = Buffer.from(sha256(Buffer.concat([salt, Buffer.from(canonicalJson(data))]))).toString('hex');
    expect(commitPersonalData(salt, data, sha256)).toBe(expected);
    expect(commitPersonalData(salt, { email: 'ada@example.test', name: 'Ada' }, sha256)).toBe(expected);
    expect(commitPersonalData(seedFrom('other'), data, sha256)).not.toBe(expected);
    expect(() => commitPersonalData(salt.slice(0, 15), data, sha256)).toThrow(RangeError);
  });
});
