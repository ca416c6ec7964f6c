// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a JSON value that we hash and sign.
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

const utf8 = new TextEncoder();

/**
 * Serialises a JSON value the JCS way: keys sorted by UTF-16 code units, ECMAScript number form, minimal escapes.
 * Throws a TypeError for what JCS cannot encode: non-finite numbers, lone surrogates (RFC 8785 requires I-JSON),
 * and values that are not JSON (functions, symbols, bigints, undefined outside an object).
 */
export const canonicalJson = (value: unknown): string => serialise(value, false);

/** Thrown by `canonicalJsonRefusingUnsafeIntegers` for an integer beyond ±(2^53 − 1), which JSON readers may round. */
export class UnsafeIntegerError extends TypeError {}

/**
 * canonicalJson that also refuses an integer beyond ±(2^53 − 1) (an `UnsafeIntegerError`): the audit entry's rule,
 * checked in the same pass that writes the bytes instead of a walk of its own.
 */
export const canonicalJsonRefusingUnsafeIntegers = (value: unknown): string => serialise(value, true);

const serialise = (value: unknown, refuseUnsafe: boolean): string => {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS cannot encode the number ${value}`);
      if (refuseUnsafe && !Number.isSafeInteger(value) && Number.isInteger(value))
        throw new UnsafeIntegerError(`the integer ${value} is beyond 2^53`);
      // ECMAScript Number::toString is the JCS number form (and writes -0 as 0).
      return String(value);
    case 'string':
      return serialiseString(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + serialise(value[i], refuseUnsafe);
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units, which is exactly the JCS key order.
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${first ? '' : ','}${serialiseString(key)}:${serialise(item, refuseUnsafe)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`JCS cannot encode a value of type ${typeof value}`);
  }
};

export const canonicalJsonBytes = (value: unknown): Uint8Array => utf8.encode(canonicalJson(value));

// Quotes, backslashes and control characters need escapes; surrogates need the well-formedness check.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

// JSON.stringify escapes exactly as ECMA-262 and RFC 8785 specify; it would also escape a lone surrogate as \uXXXX,
// but I-JSON (which JCS requires) forbids lone surrogates, so they are refused instead of silently encoded.
const serialiseString = (text: string): string => {
  if (!NEEDS_CARE.test(text)) return `"${text}"`;
  if (!text.isWellFormed()) throw new TypeError('JCS cannot encode a string containing a lone surrogate');
  return JSON.stringify(text);
};
