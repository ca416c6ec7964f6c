// Decodes a file's bytes as UTF-8 text, refusing invalid bytes with their line instead of replacing them with U+FFFD.
import { err, ok } from './result.ts';
import type { Result } from './result.ts';

export type InvalidUtf8 = {
  /** 1-based line of the first invalid byte. */
  readonly line: number;
  /** 1-based byte position of that byte within its line. */
  readonly column: number;
  readonly byte: number;
  readonly message: string;
};

// Strips one leading byte order mark (what spreadsheet programs write at the start of UTF-8 files).
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode's table 3-7: no overlong
 * forms, no encoded surrogates, nothing above U+10FFFF), or -1 when every byte is well formed.
 */
export const firstInvalidUtf8Offset = (bytes: Uint8Array): number => {
  for (let at = 0; at < bytes.length;) {
    const lead = bytes[at]!;
    if (lead < 0x80) {
      at += 1;
      continue;
    }
    let following: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) following = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      following = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      following = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return at;
    for (let k = 1; k <= following; k += 1) {
      const next = bytes[at + k];
      if (next === undefined || next < low || next > high) return at;
      low = 0x80;
      high = 0xbf;
    }
    at += following + 1;
  }
  return -1;
};

/** The text of UTF-8 bytes (one leading byte order mark dropped), or where the first invalid byte is. */
export const decodeUtf8Text = (bytes: Uint8Array): Result<string, InvalidUtf8> => {
  try {
    return ok(strictDecoder.decode(bytes));
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const at = offset < 0 ? bytes.length : offset;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i += 1)
      if (bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
    const byte = bytes[at] ?? 0;
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    return err({
      line,
      column: at - lineStart + 1,
      byte,
      message: `not UTF-8 text: invalid byte ${hex} at byte ${at - lineStart + 1} of the line (save the file as UTF-8)`,
    });
  }
};
