// The internal lead id (decision 0178): 80 random bits as `L-` and 16 Crockford base-32 characters.
import { describe, expect, it } from 'vitest';
import { internalLeadId, LEAD_ID_BYTES } from '../../../core/intake/lead-record.ts';

describe('internalLeadId', () => {
  it('spells the bytes in Crockford base 32, most significant bit first', () => {
    expect(internalLeadId(new Uint8Array(LEAD_ID_BYTES))).toBe('L-0000000000000000');
    expect(internalLeadId(new Uint8Array(LEAD_ID_BYTES).fill(0xff))).toBe('L-ZZZZZZZZZZZZZZZZ');
    // 0x08 0x42 ...: 00001 00001 00001 ... (every 5 bits is 1).
    expect(internalLeadId(Uint8Array.from([0x08, 0x42, 0x10, 0x84, 0x21, 0x08, 0x42, 0x10, 0x84, 0x21]))).toBe(
      'L-1111111111111111',
    );
    expect(internalLeadId(Uint8Array.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('L-G000000000000000');
  });

  it('uses no letter a reader could take for a digit, and refuses the wrong number of bytes', () => {
    const seen = new Set<string>();
    for (let byte = 0; byte < 256; byte++)
      for (const char of internalLeadId(new Uint8Array(LEAD_ID_BYTES).fill(byte)).slice(2)) seen.add(char);
    expect([...seen].filter((char) => 'ILOU'.includes(char))).toEqual([]);
    expect(() => internalLeadId(new Uint8Array(8))).toThrow(/10 random bytes/);
  });
});
