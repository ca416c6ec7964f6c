// The line splitter fed piece by piece reports exactly lineBounds' ranges, wherever the pieces end.
import { describe, expect, it } from 'vitest';
import { createLineSplitter, lineBounds } from '../../../core/audit/bytes.ts';

const split = (bytes: Uint8Array, cuts: readonly number[]): { starts: number[]; ends: number[] } => {
  const starts: number[] = [];
  const ends: number[] = [];
  const splitter = createLineSplitter((start, end) => {
    starts.push(start);
    ends.push(end);
  });
  for (const cut of [...cuts, bytes.length]) splitter.push(bytes, cut);
  splitter.finish(bytes.length);
  return { starts, ends };
};

describe('createLineSplitter', () => {
  it('gives lineBounds ranges for any bytes cut anywhere', () => {
    let seed = 17;
    const random = (below: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    const texts = ['', '\n', '\n\n', 'a', 'a\n', 'a\nb', 'a\n\nb\n', '{"x":1}\n{"y":2}\n'];
    for (let k = 0; k < 300; k++)
      texts.push(Array.from({ length: random(60) }, () => (random(4) === 0 ? '\n' : 'x')).join(''));
    for (const text of texts) {
      const bytes = new TextEncoder().encode(text);
      const cuts = Array.from({ length: random(6) }, () => random(bytes.length + 1)).sort((a, b) => a - b);
      expect(split(bytes, cuts), JSON.stringify({ text, cuts })).toEqual(lineBounds(bytes));
      // Every byte its own piece, and the whole at once.
      expect(
        split(
          bytes,
          Array.from({ length: bytes.length }, (_, i) => i),
        ),
      ).toEqual(lineBounds(bytes));
      expect(split(bytes, [])).toEqual(lineBounds(bytes));
    }
  });

  it('refuses to finish before every byte was pushed', () => {
    const splitter = createLineSplitter(() => undefined);
    splitter.push(new TextEncoder().encode('ab\ncd'), 3);
    expect(() => splitter.finish(5)).toThrow(/saw 3 bytes/);
  });
});
