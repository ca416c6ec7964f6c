// Strict UTF-8 decoding of files: text as it is, or the line and byte of the first invalid byte; never U+FFFD.
import { describe, expect, it } from 'vitest';
import { decodeUtf8Text, firstInvalidUtf8Offset } from '../../../core/shared/utf8-text.ts';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('decodeUtf8Text', () => {
  it('decodes UTF-8 and drops one leading byte order mark', () => {
    expect(decodeUtf8Text(new TextEncoder().encode('\ufeffCafé\n€ 𝄞'))).toEqual({ ok: true, value: 'Café\n€ 𝄞' });
  });

  it('names the line and byte of a Latin-1 é', () => {
    const latin1 = new Uint8Array(Buffer.from('id,name\nC-1,Fine\nC-2,Caf\xe9\n', 'latin1'));
    expect(decodeUtf8Text(latin1)).toEqual({
      ok: false,
      error: { line: 3, column: 8, byte: 0xe9, message: expect.stringMatching(/not UTF-8 text: invalid byte 0xE9/) },
    });
  });

  it('finds overlong forms, encoded surrogates, code points above U+10FFFF and cut-off sequences', () => {
    expect(firstInvalidUtf8Offset(bytes(0x41, 0xc0, 0xaf))).toBe(1);
    expect(firstInvalidUtf8Offset(bytes(0xe0, 0x80, 0xaf))).toBe(0);
    expect(firstInvalidUtf8Offset(bytes(0x41, 0x42, 0xed, 0xa0, 0x80))).toBe(2);
    expect(firstInvalidUtf8Offset(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0);
    expect(firstInvalidUtf8Offset(bytes(0x41, 0xe2, 0x82))).toBe(1);
    expect(firstInvalidUtf8Offset(bytes(0xe2, 0x82, 0xac, 0xf0, 0x9d, 0x84, 0x9e))).toBe(-1);
    for (const invalid of [
      bytes(0xc0, 0xaf),
      bytes(0xed, 0xa0, 0x80),
      bytes(0xf4, 0x90, 0x80, 0x80),
      bytes(0xe2, 0x82),
    ])
      expect(decodeUtf8Text(invalid).ok).toBe(false);
  });
});
