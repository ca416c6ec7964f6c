// The verifier's fast reading of an entry's bytes: canonical JSON (RFC 8785) checked in one pass over the bytes, and
// each payload held to its zod schema on the way, without building strings or objects. It only ever says "this is
// certainly canonical and valid" or "not sure": anything it does not recognise (a byte outside printable ASCII, an
// escape, a schema construct it does not know) is left to the careful reader (strict-json.ts, entry.ts), which gives
// the verdict and the precise reason. So it can make the verifier faster, never change what it says.
import type * as z from 'zod';
import { canonicalJson } from '../shared/canonical-json.ts';
import type { JsonValue } from '../shared/canonical-json.ts';

/** Reads one value at bytes[at] (before `end`): the offset after it, or -1 for "not sure". */
export type ByteReader = (bytes: Uint8Array, at: number, end: number, depth: number) => number;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
/** Deeper values are left to the careful reader (which allows 64 levels). */
const MAX_DEPTH = 32;

/**
 * A string at bytes[at] whose content is printable ASCII without a backslash, so its bytes are its characters and
 * its canonical form is itself: the offset after the closing quote, or -1.
 */
export const readPlainString = (bytes: Uint8Array, at: number, end: number): number => {
  if (at < 0 || at >= end || bytes[at] !== QUOTE) return -1;
  for (let k = at + 1; k < end; k++) {
    const kind = PLAIN[bytes[k]!]!;
    if (kind !== 1) return kind === 2 ? k + 1 : -1;
  }
  return -1;
};

/** Per byte inside a plain string: 1 a character of it, 2 the closing quote, 0 anything else (not sure). */
const PLAIN = new Uint8Array(256);
for (let byte = 0x20; byte <= 0x7e; byte++) PLAIN[byte] = 1;
PLAIN[QUOTE] = 2;
PLAIN[BACKSLASH] = 0;

const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;

/** The text of bytes[from, to), which the caller knows to be ASCII. */
export const asciiText = (bytes: Uint8Array, from: number, to: number): string => {
  let text = '';
  for (let k = from; k < to; k++) text += String.fromCharCode(bytes[k]!);
  return text;
};

/** Where a JSON number token starting at bytes[at] ends (its grammar only), or -1. */
const numberTokenEnd = (bytes: Uint8Array, at: number, end: number): number => {
  let k = at;
  if (bytes[k] === MINUS) k++;
  if (k >= end || !isDigit(bytes[k]!)) return -1;
  if (bytes[k] === 0x30) k++;
  else while (k < end && isDigit(bytes[k]!)) k++;
  if (k < end && bytes[k] === 0x2e) {
    k++;
    if (k >= end || !isDigit(bytes[k]!)) return -1;
    while (k < end && isDigit(bytes[k]!)) k++;
  }
  if (k < end && (bytes[k] === 0x65 || bytes[k] === 0x45)) {
    k++;
    if (k < end && (bytes[k] === 0x2b || bytes[k] === MINUS)) k++;
    if (k >= end || !isDigit(bytes[k]!)) return -1;
    while (k < end && isDigit(bytes[k]!)) k++;
  }
  return k;
};

/**
 * A number at bytes[at] written as ECMAScript writes it (the JCS rule the careful reader applies): its value, with
 * the offset after it in `numberEnd`; NaN when it is not (or not surely) canonical.
 */
let numberEnd = -1;
const readCanonicalNumber = (bytes: Uint8Array, at: number, end: number): number => {
  const to = numberTokenEnd(bytes, at, end);
  if (to < 0) return NaN;
  numberEnd = to;
  const negative = bytes[at] === MINUS;
  const digitsFrom = negative ? at + 1 : at;
  // Plain integers of up to 15 digits, no leading zero, and not "-0", are exactly their ECMAScript form.
  let plain = to - digitsFrom <= 15 && !(negative && to - digitsFrom === 1 && bytes[digitsFrom] === 0x30);
  let value = 0;
  for (let k = digitsFrom; plain && k < to; k++) {
    const byte = bytes[k]!;
    if (!isDigit(byte)) plain = false;
    else value = value * 10 + (byte - 0x30);
  }
  if (plain) return negative ? -value : value;
  const text = asciiText(bytes, at, to);
  const parsed = Number(text);
  return Number.isFinite(parsed) && JSON.stringify(parsed) === text ? parsed : NaN;
};

/** Whether bytes[a, a + length) sorts strictly before bytes[b, b + other) (ASCII: byte order is UTF-16 order). */
const keyBefore = (bytes: Uint8Array, a: number, aLength: number, b: number, bLength: number): boolean => {
  const shared = Math.min(aLength, bLength);
  for (let k = 0; k < shared; k++) {
    const x = bytes[a + k]!;
    const y = bytes[b + k]!;
    if (x !== y) return x < y;
  }
  return aLength < bLength;
};

/** Any canonical JSON value (what z.unknown() accepts). */
export const readAnyValue: ByteReader = (bytes, at, end, depth) => {
  if (at >= end) return -1;
  const byte = bytes[at]!;
  if (byte === QUOTE) return readPlainString(bytes, at, end);
  if (byte === OPEN_OBJECT) return readObjectOf(null, bytes, at, end, depth);
  if (byte === OPEN_ARRAY) {
    if (depth >= MAX_DEPTH) return -1;
    let k = at + 1;
    if (bytes[k] === CLOSE_ARRAY) return k + 1;
    for (;;) {
      k = readAnyValue(bytes, k, end, depth + 1);
      if (k < 0 || k >= end) return -1;
      if (bytes[k] === CLOSE_ARRAY) return k + 1;
      if (bytes[k] !== COMMA) return -1;
      k++;
    }
  }
  if (byte === 0x74) return matchesAt(bytes, at, end, TRUE) ? at + 4 : -1;
  if (byte === 0x66) return matchesAt(bytes, at, end, FALSE) ? at + 5 : -1;
  if (byte === 0x6e) return matchesAt(bytes, at, end, NULL) ? at + 4 : -1;
  return Number.isNaN(readCanonicalNumber(bytes, at, end)) ? -1 : numberEnd;
};

const TRUE = Uint8Array.from([0x74, 0x72, 0x75, 0x65]);
const FALSE = Uint8Array.from([0x66, 0x61, 0x6c, 0x73, 0x65]);
const NULL = Uint8Array.from([0x6e, 0x75, 0x6c, 0x6c]);

const matchesAt = (bytes: Uint8Array, at: number, end: number, expected: Uint8Array): boolean => {
  if (at + expected.length > end) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[at + k] !== expected[k]) return false;
  return true;
};

/** How an object's keys are read: the schema's keys in canonical order, and what other keys may hold. */
type ObjectPlan = {
  readonly keys: readonly Uint8Array[];
  /** Each key as it appears, quoted and followed by its colon. */
  readonly keyLiterals: readonly Uint8Array[];
  readonly readers: readonly ByteReader[];
  readonly optional: readonly boolean[];
  /** Keys outside the shape: refused (strict), read as any value (loose), or a record's values. */
  readonly others: ByteReader | null;
  /** A record's key check: any string, or only ones within these lengths. */
  readonly otherKey: ((length: number) => boolean) | null;
};

/**
 * An object whose keys strictly increase (canonical order, no duplicates), each key's value read by its reader; null
 * plan: any keys and values. Keys are plain strings.
 */
const readObjectOf = (plan: ObjectPlan | null, bytes: Uint8Array, at: number, end: number, depth: number): number => {
  if (depth >= MAX_DEPTH || bytes[at] !== OPEN_OBJECT) return -1;
  let k = at + 1;
  let next = 0; // the first shape key not yet passed
  let previousKey = -1;
  let previousLength = 0;
  let previousInShape = false;
  if (bytes[k] !== CLOSE_OBJECT)
    for (;;) {
      // The common case: the shape's next key, exactly.
      if (plan !== null && next < plan.keys.length && matchesAt(bytes, k, end, plan.keyLiterals[next]!)) {
        const keyLength = plan.keys[next]!.length;
        // After another of the shape's keys the order holds by construction (they are sorted); else compare.
        if (!previousInShape && previousKey >= 0 && !keyBefore(bytes, previousKey, previousLength, k + 1, keyLength))
          return -1;
        previousInShape = true;
        previousKey = k + 1;
        previousLength = keyLength;
        k = plan.readers[next]!(bytes, k + keyLength + 3, end, depth + 1);
        next++;
        if (k < 0 || k >= end) return -1;
        if (bytes[k] === CLOSE_OBJECT) break;
        if (bytes[k] !== COMMA) return -1;
        k++;
        continue;
      }
      const keyEnd = readPlainString(bytes, k, end);
      if (keyEnd < 0 || bytes[keyEnd] !== COLON) return -1;
      const keyFrom = k + 1;
      const keyLength = keyEnd - 1 - keyFrom;
      if (previousKey >= 0 && !keyBefore(bytes, previousKey, previousLength, keyFrom, keyLength)) return -1;
      previousKey = keyFrom;
      previousLength = keyLength;
      previousInShape = false;
      let reader: ByteReader;
      if (plan === null) reader = readAnyValue;
      else {
        // Shape keys before this one were absent: they must be optional.
        while (next < plan.keys.length && keyIsBefore(plan.keys[next]!, bytes, keyFrom, keyLength)) {
          if (!plan.optional[next]) return -1;
          next++;
        }
        if (next < plan.keys.length && sameKey(plan.keys[next]!, bytes, keyFrom, keyLength)) {
          reader = plan.readers[next]!;
          next++;
        } else {
          if (plan.others === null) return -1;
          if (plan.otherKey && !plan.otherKey(keyLength)) return -1;
          reader = plan.others;
        }
      }
      k = reader(bytes, keyEnd + 1, end, depth + 1);
      if (k < 0 || k >= end) return -1;
      if (bytes[k] === CLOSE_OBJECT) break;
      if (bytes[k] !== COMMA) return -1;
      k++;
    }
  if (plan !== null) for (; next < plan.keys.length; next++) if (!plan.optional[next]) return -1;
  return k + 1;
};

const keyIsBefore = (key: Uint8Array, bytes: Uint8Array, from: number, length: number): boolean => {
  const shared = Math.min(key.length, length);
  for (let k = 0; k < shared; k++) {
    const x = key[k]!;
    const y = bytes[from + k]!;
    if (x !== y) return x < y;
  }
  return key.length < length;
};

const sameKey = (key: Uint8Array, bytes: Uint8Array, from: number, length: number): boolean => {
  if (key.length !== length) return false;
  for (let k = 0; k < length; k++) if (key[k] !== bytes[from + k]) return false;
  return true;
};

const NOT_SURE: ByteReader = () => -1;

type Definition = {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: Record<string, unknown> } }[];
  readonly [key: string]: unknown;
};

const definitionOf = (schema: z.ZodType): Definition => (schema as unknown as { _zod: { def: Definition } })._zod.def;

const utf8 = new TextEncoder();
/** Whether a key is written as itself between quotes: printable ASCII without a quote or backslash. */
const isPlainKey = (text: string): boolean => {
  for (let k = 0; k < text.length; k++) if (PLAIN[text.charCodeAt(k)] !== 1) return false;
  return true;
};

/** The canonical bytes of each value, or null when one of them has none. */
const canonicalForms = (values: readonly unknown[]): Uint8Array[] | null => {
  const forms: Uint8Array[] = [];
  for (const value of values) {
    if (value === undefined) return null;
    try {
      forms.push(utf8.encode(canonicalJson(value as JsonValue)));
    } catch {
      return null;
    }
  }
  return forms;
};

/** One of these exact canonical values. */
const oneOf =
  (forms: readonly Uint8Array[]): ByteReader =>
  (bytes, at, end) => {
    for (const form of forms) if (matchesAt(bytes, at, end, form)) return at + form.length;
    return -1;
  };

/** Lengths a plain-string schema allows, when its only checks are on length (else null: ask zod). */
const lengthRange = (definition: Definition): { min: number; max: number } | null => {
  if (definition.type !== 'string' || definition.format !== undefined || definition.coerce) return null;
  let min = 0;
  let max = Infinity;
  for (const check of definition.checks ?? []) {
    const def = check._zod.def;
    if (def.check === 'min_length' && typeof def.minimum === 'number') min = Math.max(min, def.minimum);
    else if (def.check === 'max_length' && typeof def.maximum === 'number') max = Math.min(max, def.maximum);
    else return null;
  }
  return { min, max };
};

/**
 * A reader for values of `schema`, built from its zod definition: it accepts only what zod accepts (leaves it cannot
 * judge on the bytes are decoded and handed to zod itself) and says "not sure" for any construct it does not know.
 */
export const compileByteReader = (schema: z.ZodType): ByteReader => {
  const definition = definitionOf(schema);
  const checks = definition.checks ?? [];
  switch (definition.type) {
    case 'string': {
      const range = lengthRange(definition);
      if (range) {
        const { min, max } = range;
        return (bytes, at, end) => {
          const to = readPlainString(bytes, at, end);
          const length = to - at - 2;
          return to >= 0 && length >= min && length <= max ? to : -1;
        };
      }
      return (bytes, at, end) => {
        const to = readPlainString(bytes, at, end);
        return to >= 0 && schema.safeParse(asciiText(bytes, at + 1, to - 1)).success ? to : -1;
      };
    }
    case 'number':
      return (bytes, at, end) => {
        const value = readCanonicalNumber(bytes, at, end);
        const to = numberEnd;
        return !Number.isNaN(value) && schema.safeParse(value).success ? to : -1;
      };
    case 'boolean':
      return checks.length === 0 ? oneOf([TRUE, FALSE]) : NOT_SURE;
    case 'enum': {
      const forms = canonicalForms(Object.values(definition.entries as Record<string, unknown>));
      return forms && checks.length === 0 ? oneOf(forms) : NOT_SURE;
    }
    case 'literal': {
      const forms = canonicalForms(definition.values as unknown[]);
      return forms && checks.length === 0 ? oneOf(forms) : NOT_SURE;
    }
    case 'nullable': {
      const inner = compileByteReader(definition.innerType as z.ZodType);
      return (bytes, at, end, depth) => (matchesAt(bytes, at, end, NULL) ? at + 4 : inner(bytes, at, end, depth));
    }
    // Present values of an optional or defaulted schema are read by the inner one (absence is the object's concern).
    case 'optional':
    case 'default':
      return compileByteReader(definition.innerType as z.ZodType);
    case 'unknown':
    case 'any':
      return readAnyValue;
    case 'array': {
      let min = 0;
      let max = Infinity;
      for (const check of checks) {
        const def = check._zod.def;
        if (def.check === 'min_length' && typeof def.minimum === 'number') min = Math.max(min, def.minimum);
        else if (def.check === 'max_length' && typeof def.maximum === 'number') max = Math.min(max, def.maximum);
        else return NOT_SURE;
      }
      const element = compileByteReader(definition.element as z.ZodType);
      return (bytes, at, end, depth) => {
        if (depth >= MAX_DEPTH || bytes[at] !== OPEN_ARRAY) return -1;
        let k = at + 1;
        let count = 0;
        if (bytes[k] !== CLOSE_ARRAY)
          for (;;) {
            k = element(bytes, k, end, depth + 1);
            count++;
            if (k < 0 || k >= end) return -1;
            if (bytes[k] === CLOSE_ARRAY) break;
            if (bytes[k] !== COMMA) return -1;
            k++;
          }
        return count >= min && count <= max ? k + 1 : -1;
      };
    }
    case 'tuple': {
      if (checks.length > 0 || definition.rest) return NOT_SURE;
      const items = (definition.items as z.ZodType[]).map((item) => compileByteReader(item));
      return (bytes, at, end, depth) => {
        if (depth >= MAX_DEPTH || bytes[at] !== OPEN_ARRAY) return -1;
        let k = at + 1;
        if (items.length === 0) return bytes[k] === CLOSE_ARRAY ? k + 1 : -1;
        for (let item = 0; item < items.length; item++) {
          k = items[item]!(bytes, k, end, depth + 1);
          if (k < 0 || k >= end) return -1;
          if (bytes[k] !== (item === items.length - 1 ? CLOSE_ARRAY : COMMA)) return -1;
          k++;
        }
        return k;
      };
    }
    case 'union': {
      if (checks.length > 0) return NOT_SURE;
      const options = (definition.options as z.ZodType[]).map((option) => compileByteReader(option));
      return (bytes, at, end, depth) => {
        for (const option of options) {
          const to = option(bytes, at, end, depth);
          if (to >= 0) return to;
        }
        return -1;
      };
    }
    case 'record': {
      const keyRange = lengthRange(definitionOf(definition.keyType as z.ZodType));
      if (checks.length > 0 || !keyRange) return NOT_SURE;
      const plan: ObjectPlan = {
        keys: [],
        keyLiterals: [],
        readers: [],
        optional: [],
        others: compileByteReader(definition.valueType as z.ZodType),
        otherKey: (length) => length >= keyRange.min && length <= keyRange.max,
      };
      return (bytes, at, end, depth) => readObjectOf(plan, bytes, at, end, depth);
    }
    case 'object': {
      if (checks.length > 0) return NOT_SURE;
      const catchall = definition.catchall ? definitionOf(definition.catchall as z.ZodType).type : 'strip';
      // A stripping object (plain z.object) accepts unknown keys and drops them: any value passes there.
      const others =
        catchall === 'never' ? null : catchall === 'unknown' || catchall === 'strip' ? readAnyValue : NOT_SURE;
      const shape = definition.shape as Record<string, z.ZodType>;
      const names = Object.keys(shape).sort();
      if (!names.every(isPlainKey)) return NOT_SURE;
      const plan: ObjectPlan = {
        keys: names.map((key) => utf8.encode(key)),
        keyLiterals: names.map((key) => utf8.encode(`"${key}":`)),
        readers: names.map((key) => compileByteReader(shape[key]!)),
        optional: names.map((key) => {
          const type = definitionOf(shape[key]!).type;
          return type === 'optional' || type === 'default';
        }),
        others,
        otherKey: null,
      };
      return (bytes, at, end, depth) => readObjectOf(plan, bytes, at, end, depth);
    }
    default:
      return NOT_SURE;
  }
};
