// RFC 8785: the serialiser matches the reference vectors, and the strict reader accepts only canonical text.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/shared/canonical-json.ts';
import { parseCanonicalJson } from '../../../core/audit/strict-json.ts';

const vectors = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'conformance', 'rfc8785-jcs');
const pairs = readdirSync(vectors)
  .filter((name) => name.startsWith('in-'))
  .map((name) => ({
    name,
    input: readFileSync(join(vectors, name), 'utf8'),
    output: readFileSync(join(vectors, name.replace('in-', 'out-'))),
  }));

// The reference rule: a text is canonical iff it parses and re-serialises to itself.
const referenceIsCanonical = (text: string): boolean => {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
};

describe('RFC 8785 reference vectors', () => {
  it('has the six vector pairs', () => {
    expect(pairs.map((pair) => pair.name).sort()).toEqual([
      'in-arrays.json',
      'in-french.json',
      'in-structures.json',
      'in-unicode.json',
      'in-values.json',
      'in-weird.json',
    ]);
  });
  for (const pair of pairs) {
    it(`${pair.name} canonicalises byte for byte`, () => {
      expect(Buffer.from(canonicalJson(JSON.parse(pair.input)), 'utf8').equals(pair.output)).toBe(true);
    });
    it(`${pair.name}: the strict reader accepts the output and refuses the input`, () => {
      const canonical = pair.output.toString('utf8');
      const parsed = parseCanonicalJson(canonical);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(canonicalJson(parsed.value)).toBe(canonical);
      expect(parseCanonicalJson(pair.input).ok).toBe(false);
    });
  }
});

describe('canonicalJson', () => {
  it('refuses lone surrogates and non-finite numbers', () => {
    expect(() => canonicalJson({ a: '\ud800' })).toThrow(TypeError);
    expect(() => canonicalJson('x\udc00')).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson([Infinity])).toThrow(TypeError);
    expect(canonicalJson({ smile: '\ud83d\ude02', z: -0 })).toBe('{"smile":"😂","z":0}');
  });
});

describe('the strict canonical reader', () => {
  const rejects: [string, string][] = [
    ['{"a":1,"a":2}', 'duplicate-key'],
    ['{"b":1,"a":2}', 'key-order'],
    ['{"a":"\\ud800"}', 'lone-surrogate'],
    ['"\\udc00x"', 'lone-surrogate'],
    ['"\\ud83d\\ude02"', 'lone-surrogate'],
    ['[1.0]', 'non-canonical-number'],
    ['[1e2]', 'non-canonical-number'],
    ['[1E+30]', 'non-canonical-number'],
    ['[-0]', 'non-canonical-number'],
    ['[0.10]', 'non-canonical-number'],
    ['[1e400]', 'non-canonical-number'],
    ['[12345678901234567890]', 'non-canonical-number'],
    ['"\\u0041"', 'non-canonical-escape'],
    ['"\\u001F"', 'non-canonical-escape'],
    ['"\\u000a"', 'non-canonical-escape'],
    ['"a\\/b"', 'non-canonical-escape'],
    ['{ "a":1}', 'whitespace'],
    ['[1, 2]', 'whitespace'],
    ['{"a":1}\n', 'whitespace'],
    ['{"a":1}x', 'trailing-data'],
    ['{"a":1', 'invalid-json'],
    ['"\u0001"', 'invalid-json'],
    ['[01]', 'invalid-json'],
    ['01', 'trailing-data'],
    ['', 'invalid-json'],
  ];
  for (const [input, code] of rejects)
    it(`rejects ${JSON.stringify(input)} as ${code}`, () => {
      const parsed = parseCanonicalJson(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe(code);
    });

  it('accepts the escapes JCS writes and keeps __proto__ as data', () => {
    const text = '{"__proto__":{"x":1},"c":"\\u001f\\n\\"\\\\","n":[0,-1.5,1e+21,5e-7]}';
    const parsed = parseCanonicalJson(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
    expect(Object.keys(parsed.value as object)).toEqual(['__proto__', 'c', 'n']);
    expect(canonicalJson(parsed.value)).toBe(text);
  });

  it('refuses nesting deeper than 64 without overflowing the stack', () => {
    const parsed = parseCanonicalJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe('too-deep');
  });

  it('round-trips any JSON value through canonicalJson', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const parsed = parseCanonicalJson(text);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(canonicalJson(parsed.value)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the reference rule on mutated canonical texts', () => {
    const mutation = fc.record({
      value: fc.jsonValue({ maxDepth: 3 }),
      at: fc.nat(),
      replacement: fc.string({ maxLength: 3, unit: 'binary' }),
      cut: fc.nat(3),
    });
    fc.assert(
      fc.property(mutation, ({ value, at, replacement, cut }) => {
        const canonical = canonicalJson(value);
        const position = canonical.length === 0 ? 0 : at % canonical.length;
        const mutated = canonical.slice(0, position) + replacement + canonical.slice(position + cut);
        expect(parseCanonicalJson(mutated).ok).toBe(referenceIsCanonical(mutated));
      }),
      { numRuns: 3000 },
    );
  });
});
