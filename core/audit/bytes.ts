// Byte helpers for the audit log: strict hex and base64 (exactly one spelling per value), equality, concatenation.

const HEX_DIGITS = '0123456789abcdef';
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const hexPairs: string[] = Array.from({ length: 256 }, (_, byte) => HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 15]!);

/** Lower-case hex, the spelling used for hashes inside entries. */
export const bytesToHex = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += hexPairs[bytes[i]!]!;
  return out;
};

const hexValue = (code: number): number => {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
};

/** Parses lower-case hex only (upper case is a second spelling of the same bytes, so it is refused); null if invalid. */
export const hexToBytes = (text: string): Uint8Array | null => {
  if (text.length % 2 !== 0) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const high = hexValue(text.charCodeAt(2 * i));
    const low = hexValue(text.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return null;
    out[i] = (high << 4) | low;
  }
  return out;
};

/** Compares hex text against bytes without allocating: used on the verifier's hot path. */
export const hexEqualsBytes = (text: string, bytes: Uint8Array): boolean => {
  if (text.length !== bytes.length * 2) return false;
  for (let i = 0; i < bytes.length; i++) {
    const high = hexValue(text.charCodeAt(2 * i));
    const low = hexValue(text.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0 || ((high << 4) | low) !== bytes[i]) return false;
  }
  return true;
};

/** Standard base64 with padding (RFC 4648 section 4), as C2SP notes and proofs use it. */
export const bytesToBase64 = (bytes: Uint8Array): string => {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      BASE64_ALPHABET[n >> 18]! +
      BASE64_ALPHABET[(n >> 12) & 63]! +
      BASE64_ALPHABET[(n >> 6) & 63]! +
      BASE64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + BASE64_ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
};

const base64Values: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Parses canonical standard base64 only: padding required, no whitespace, unused bits zero. Null if invalid. */
export const base64ToBytes = (text: string): Uint8Array | null => {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      let value: number;
      if (code === 61 /* = */ && last && j >= 4 - padding) value = 0;
      else {
        value = code < 128 ? base64Values[code]! : -1;
        if (value < 0) return null;
      }
      n = (n << 6) | value;
    }
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  // A second spelling (non-zero bits under the padding) would decode to the same bytes: refuse it.
  return bytesToBase64(out) === text ? out : null;
};

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export const concatBytes = (...parts: readonly Uint8Array[]): Uint8Array => {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8Bytes = (text: string): Uint8Array => encoder.encode(text);

/** Decodes UTF-8, refusing invalid sequences (including encoded surrogates) instead of replacing them; null if invalid. */
export const utf8TextStrict = (bytes: Uint8Array): string | null => {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
};

/**
 * The lines of a JSON Lines file as byte ranges [starts[i], ends[i]): each up to a newline, and a last one without it;
 * a final newline opens no empty line. The verifier and its parallel hashers split the same bytes this one way.
 */
export const lineBounds = (bytes: Uint8Array): { readonly starts: number[]; readonly ends: number[] } => {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at < bytes.length;) {
    const next = bytes.indexOf(0x0a, at);
    const end = next < 0 ? bytes.length : next;
    starts.push(at);
    ends.push(end);
    at = end + 1;
  }
  return { starts, ends };
};

/**
 * lineBounds over bytes that arrive piece by piece (an inflater writing into one buffer): `push(bytes, upTo)` reports,
 * through `line`, each line that ends before `upTo` (bytes[0, upTo) have arrived; `bytes` is the whole buffer), and
 * `finish(bytes, length)` the last line without a newline. Together they report exactly lineBounds' ranges, in order.
 */
export const createLineSplitter = (
  line: (start: number, end: number) => void,
): { readonly push: (bytes: Uint8Array, upTo: number) => void; readonly finish: (length: number) => void } => {
  let lineStart = 0;
  let scanned = 0;
  return {
    push: (bytes, upTo) => {
      if (upTo <= scanned) return;
      const view = bytes.subarray(0, upTo);
      for (let next = view.indexOf(0x0a, scanned); next >= 0; next = view.indexOf(0x0a, next + 1)) {
        line(lineStart, next);
        lineStart = next + 1;
      }
      scanned = upTo;
    },
    finish: (length) => {
      if (length !== scanned) throw new RangeError(`the splitter saw ${scanned} bytes, not ${length}`);
      if (lineStart < length) line(lineStart, length);
      lineStart = length;
    },
  };
};
