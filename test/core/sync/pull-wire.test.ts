// The pull reply, format 2 (decision 0280): entries as bytes or withheld leaf hashes after a JSON header; anything
// short, long or of another kind is refused by the parser, naming the entry.
import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../../core/audit/bytes.ts';
import { formatPullV2, parsePullV2 } from '../../../core/sync/pull-wire.ts';

const header = { origin: 'o', from: 4, to: 7, size: 9, checkpoint: null, personalData: [] };
const count = (h: unknown): number => (h as typeof header).to - (h as typeof header).from;
const leaf = new Uint8Array(32).fill(7);
const body = formatPullV2(header, [{ bytes: utf8Bytes('{"a":1}') }, { withheld: leaf }, { bytes: new Uint8Array(0) }]);

describe('pull format 2', () => {
  it('round-trips a header, entries and a withheld leaf hash', () => {
    const parsed = parsePullV2(body, count);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.header).toEqual(header);
    expect(parsed.value.entries).toEqual([
      { bytes: utf8Bytes('{"a":1}') },
      { withheld: leaf },
      { bytes: new Uint8Array(0) },
    ]);
  });

  it('refuses a cut body, trailing bytes, another kind, fewer entries than the header says, and another magic', () => {
    for (let cut = 1; cut < body.length; cut++)
      expect(parsePullV2(body.subarray(0, body.length - cut), count).ok, `cut ${cut}`).toBe(false);
    expect(parsePullV2(Uint8Array.from([...body, 0]), count)).toEqual({
      ok: false,
      error: '1 bytes after the last entry',
    });
    const other = body.slice();
    other[body.length - 5] = 2; // the third entry's kind
    expect(parsePullV2(other, count)).toMatchObject({ ok: false, error: expect.stringMatching(/^entry 2: /) });
    expect(parsePullV2(body, () => 4)).toMatchObject({ ok: false, error: expect.stringMatching(/^entry 3: missing/) });
    const json = utf8Bytes(JSON.stringify(header));
    expect(parsePullV2(json, count)).toEqual({ ok: false, error: 'not a format 2 pull reply' });
    expect(() => formatPullV2(header, [{ withheld: new Uint8Array(31) }])).toThrow(/32 bytes/);
  });
});
