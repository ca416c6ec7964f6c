// The record checks every lead passes: text flaws (lone surrogates, control characters, __proto__) and duplicate keys.
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey, hasDuplicateKey } from '../../../core/shared/json-duplicate-keys.ts';
import { firstTextFlaw } from '../../../core/shared/text-flaws.ts';

const duplicateOf = (text: string): ReturnType<typeof firstDuplicateKey> =>
  hasDuplicateKey(text, JSON.parse(text)) ? firstDuplicateKey(text) : null;

describe('firstTextFlaw', () => {
  it('passes ordinary text, surrogate pairs, tabs and line breaks', () => {
    expect(firstTextFlaw({ a: ['Café 😀', 'two\nlines\tand\r\n'], b: 1 }, { controls: true })).toBeNull();
  });

  it('names the path of a lone surrogate, a control character or a __proto__ key', () => {
    expect(firstTextFlaw({ a: [{ b: 'x\udc00' }] }, { controls: false })).toEqual({
      path: ['a', 0, 'b'],
      message: expect.stringMatching(/lone surrogate/),
    });
    expect(firstTextFlaw({ a: 'nul\u0000' }, { controls: true })?.message).toMatch(/U\+0000/);
    expect(firstTextFlaw({ a: 'nul\u0000' }, { controls: false })).toBeNull();
    expect(firstTextFlaw(JSON.parse('{"a":{"__proto__":1}}'), { controls: false })?.path).toEqual(['a', '__proto__']);
  });
});

describe('duplicate keys', () => {
  it('finds a key given twice, with the path of its object', () => {
    expect(duplicateOf('{"a":1,"a":2}')).toEqual({ path: [], key: 'a' });
    expect(duplicateOf('{"x":[{"k":1},{"k":1,"k":2}]}')).toEqual({ path: ['x', 1], key: 'k' });
    expect(duplicateOf('{"a\\u0062":1,"ab":2}')).toEqual({ path: [], key: 'ab' });
  });

  it('is not fooled by quotes and colons inside strings', () => {
    expect(duplicateOf('{"a":"\\":x","b":"\\\\","c" : "a\\":"}')).toBeNull();
    expect(duplicateOf('{"a":{"a":{"a":1}},"b":["a","a"]}')).toBeNull();
  });
});
