// The pooled CSPRNG draws behind salts and lead ids: every draw fresh, the sizes asked, nothing handed out twice.
import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from '../../../electron/services/audit/random-pool.ts';

describe('pooledRandomBytes', () => {
  it('hands out fresh bytes of the size asked, across refills of the pool, and never the same bytes twice', () => {
    const seen = new Set<string>();
    let bytes = 0;
    // 32-byte salts and 10-byte ids, interleaved, for several pools' worth (16 KiB each).
    for (let i = 0; i < 6_000; i++) {
      const size = i % 2 === 0 ? 32 : 10;
      const drawn = pooledRandomBytes(size);
      expect(drawn.length).toBe(size);
      const hex = Buffer.from(drawn).toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      bytes += size;
    }
    expect(bytes).toBeGreaterThan(4 * 16 * 1024);
    // Roughly uniform: each byte value about 1/256 of a large sample (a stuck or zeroed pool would fail this).
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2_000; i++) for (const byte of pooledRandomBytes(32)) counts[byte]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(360);
  });

  it('gives the caller its own copy: changing it changes no later draw', () => {
    const first = pooledRandomBytes(32);
    first.fill(0);
    const second = pooledRandomBytes(32);
    expect(second.some((byte) => byte !== 0)).toBe(true);
    expect(pooledRandomBytes(64 * 1024).length).toBe(64 * 1024);
  });
});
