// The verifier's JSON reader: accepts a text only if it is already in RFC 8785 canonical form, and says why not.
import type { JsonValue } from '../shared/canonical-json.ts';

export type CanonicalProblemCode =
  | 'invalid-json'
  | 'whitespace'
  | 'duplicate-key'
  | 'key-order'
  | 'lone-surrogate'
  | 'non-canonical-number'
  | 'non-canonical-escape'
  | 'trailing-data'
  | 'too-deep';

export type CanonicalProblem = {
  readonly code: CanonicalProblemCode;
  readonly offset: number;
  readonly message: string;
};

export type StrictParseResult =
  { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly error: CanonicalProblem };

const MAX_DEPTH = 64;

// Parser state lives at module level: parsing is synchronous and this keeps the hot loop free of closures.
let src = '';
let pos = 0;
let failure: CanonicalProblem | null = null;

class Stop extends Error {}
const STOP = new Stop();

const fail = (code: CanonicalProblemCode, message: string, at: number = pos): never => {
  failure = { code, offset: at, message };
  throw STOP;
};

/**
 * Parses `text` and checks, in the same pass, that it is byte for byte its own JCS form: no whitespace, keys in
 * strictly increasing UTF-16 order (so no duplicates), numbers as ECMAScript prints them, strings with only the
 * escapes JCS emits, no lone surrogates. Anything else fails with the offset (in UTF-16 code units) and a reason.
 */
export const parseCanonicalJson = (text: string): StrictParseResult => {
  src = text;
  pos = 0;
  failure = null;
  try {
    const value = parseValue(0);
    if (pos !== src.length) {
      const code = src.charCodeAt(pos);
      if (isWhitespace(code)) fail('whitespace', 'whitespace after the value is not canonical');
      fail('trailing-data', 'unexpected data after the JSON value');
    }
    return { ok: true, value };
  } catch (error) {
    if (error === STOP && failure) return { ok: false, error: failure };
    if (error instanceof RangeError)
      return { ok: false, error: { code: 'too-deep', offset: pos, message: 'nesting too deep' } };
    throw error;
  } finally {
    src = '';
  }
};

const isWhitespace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

const parseValue = (depth: number): JsonValue => {
  if (pos >= src.length) fail('invalid-json', 'unexpected end of input');
  const code = src.charCodeAt(pos);
  switch (code) {
    case 0x7b /* { */:
      return parseObject(depth);
    case 0x5b /* [ */:
      return parseArray(depth);
    case 0x22 /* " */:
      return parseString();
    case 0x74 /* t */:
      return parseLiteral('true', true);
    case 0x66 /* f */:
      return parseLiteral('false', false);
    case 0x6e /* n */:
      return parseLiteral('null', null);
    default:
      if (code === 0x2d || (code >= 0x30 && code <= 0x39)) return parseNumber();
      if (isWhitespace(code)) return fail('whitespace', 'whitespace is not canonical');
      return fail('invalid-json', `unexpected character ${JSON.stringify(src[pos])}`);
  }
};

const parseLiteral = <T extends JsonValue>(word: string, value: T): T => {
  if (!src.startsWith(word, pos)) fail('invalid-json', `invalid literal (expected ${word})`);
  pos += word.length;
  return value;
};

const parseObject = (depth: number): JsonValue => {
  if (depth >= MAX_DEPTH) fail('too-deep', `nesting deeper than ${MAX_DEPTH}`);
  pos++; // {
  const out: Record<string, JsonValue> = {};
  if (src.charCodeAt(pos) === 0x7d /* } */) {
    pos++;
    return out;
  }
  let previousKey: string | null = null;
  for (;;) {
    const keyStart = pos;
    if (src.charCodeAt(pos) !== 0x22) {
      if (isWhitespace(src.charCodeAt(pos))) fail('whitespace', 'whitespace is not canonical');
      fail('invalid-json', 'expected a string key');
    }
    const key = parseString();
    if (previousKey !== null) {
      if (key === previousKey) fail('duplicate-key', `duplicate key ${JSON.stringify(key)}`, keyStart);
      if (key < previousKey)
        fail(
          'key-order',
          `key ${JSON.stringify(key)} is not in canonical (UTF-16) order after ${JSON.stringify(previousKey)}`,
          keyStart,
        );
    }
    previousKey = key;
    if (src.charCodeAt(pos) !== 0x3a /* : */) {
      if (isWhitespace(src.charCodeAt(pos))) fail('whitespace', 'whitespace is not canonical');
      fail('invalid-json', 'expected ":" after a key');
    }
    pos++;
    const value = parseValue(depth + 1);
    // A "__proto__" key must become an own property, not the prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
    const next = src.charCodeAt(pos);
    if (next === 0x2c /* , */) {
      pos++;
      continue;
    }
    if (next === 0x7d /* } */) {
      pos++;
      return out;
    }
    if (isWhitespace(next)) fail('whitespace', 'whitespace is not canonical');
    fail('invalid-json', pos >= src.length ? 'unexpected end of input in an object' : 'expected "," or "}"');
  }
};

const parseArray = (depth: number): JsonValue => {
  if (depth >= MAX_DEPTH) fail('too-deep', `nesting deeper than ${MAX_DEPTH}`);
  pos++; // [
  const out: JsonValue[] = [];
  if (src.charCodeAt(pos) === 0x5d /* ] */) {
    pos++;
    return out;
  }
  for (;;) {
    out.push(parseValue(depth + 1));
    const next = src.charCodeAt(pos);
    if (next === 0x2c) {
      pos++;
      continue;
    }
    if (next === 0x5d) {
      pos++;
      return out;
    }
    if (isWhitespace(next)) fail('whitespace', 'whitespace is not canonical');
    fail('invalid-json', pos >= src.length ? 'unexpected end of input in an array' : 'expected "," or "]"');
  }
};

// The escapes JCS emits for control characters: the short forms, else \u00xx in lower case.
const SHORT_ESCAPES: Record<number, number> = {
  0x62: 8,
  0x74: 9,
  0x6e: 10,
  0x66: 12,
  0x72: 13,
  0x22: 0x22,
  0x5c: 0x5c,
};

// Characters that need the careful path inside a string: escapes, control characters, surrogates.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_CARE = /[\\\u0000-\u001f\ud800-\udfff]/;

const parseString = (): string => {
  const start = ++pos; // after the opening quote
  // Fast path: find the closing quote natively and check the span has nothing that needs care.
  const close = src.indexOf('"', start);
  if (close < 0) fail('invalid-json', 'unterminated string', start - 1);
  const span = src.slice(start, close);
  if (!NEEDS_CARE.test(span)) {
    pos = close + 1;
    return span;
  }
  pos = start;
  let out = src.slice(start, pos);
  for (;;) {
    if (pos >= src.length) fail('invalid-json', 'unterminated string', start - 1);
    const code = src.charCodeAt(pos);
    if (code === 0x22) {
      pos++;
      return out;
    }
    if (code < 0x20) fail('invalid-json', 'unescaped control character in a string');
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = src.charCodeAt(pos + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) fail('lone-surrogate', 'lone high surrogate in a string');
      out += src.slice(pos, pos + 2);
      pos += 2;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) fail('lone-surrogate', 'lone low surrogate in a string');
    if (code !== 0x5c) {
      out += src[pos];
      pos++;
      continue;
    }
    const escapeAt = pos;
    const kind = src.charCodeAt(pos + 1);
    const short = SHORT_ESCAPES[kind];
    if (short !== undefined) {
      out += String.fromCharCode(short);
      pos += 2;
      continue;
    }
    if (kind !== 0x75 /* u */) {
      if (kind === 0x2f /* / */) fail('non-canonical-escape', 'escaped "/" is not canonical', escapeAt);
      fail('invalid-json', 'invalid escape', escapeAt);
    }
    const hex = src.slice(pos + 2, pos + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid-json', 'invalid \\u escape', escapeAt);
    const unit = parseInt(hex, 16);
    if (unit >= 0xd800 && unit <= 0xdfff)
      fail('lone-surrogate', 'escaped surrogate (lone or not) is not canonical I-JSON', escapeAt);
    const hasShortForm = unit === 8 || unit === 9 || unit === 10 || unit === 12 || unit === 13;
    if (unit >= 0x20 || hasShortForm || hex !== hex.toLowerCase())
      fail('non-canonical-escape', `\\u${hex} is not how JCS writes this character`, escapeAt);
    out += String.fromCharCode(unit);
    pos += 6;
  }
};

const NUMBER_PATTERN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

const parseNumber = (): number => {
  NUMBER_PATTERN.lastIndex = pos;
  const match = NUMBER_PATTERN.exec(src);
  if (!match) return fail('invalid-json', 'invalid number');
  const text = match[0];
  const value = Number(text);
  // JCS numbers are what ECMAScript prints: "1.0", "1e2", "-0", "1E+30" and out-of-range values all differ from it.
  if (!Number.isFinite(value) || JSON.stringify(value) !== text)
    fail(
      'non-canonical-number',
      `number ${text} is not canonical (JCS writes ${Number.isFinite(value) ? JSON.stringify(value) : 'no such number'})`,
    );
  pos += text.length;
  return value;
};
