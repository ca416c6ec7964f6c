// Random bytes for salts and ids, drawn from node:crypto's CSPRNG a pool at a time: a bulk intake asks for two small
// draws per lead (its id, its personal data's salt), and one call into the CSPRNG per draw cost more than the draw.
// Each byte is handed out once, then the pool is refilled; what callers get is a copy they own.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 16 * 1024;
const pool = new Uint8Array(POOL_BYTES);
let next = POOL_BYTES;

/** `size` fresh bytes from the CSPRNG (a copy; no byte is ever handed out twice). */
export const pooledRandomBytes = (size: number): Uint8Array => {
  if (size > POOL_BYTES / 4) return randomFillSync(new Uint8Array(size));
  if (next + size > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const out = pool.slice(next, next + size);
  // Wiped as it is handed out, so the pool never holds a copy of bytes a caller uses as a secret.
  pool.fill(0, next, next + size);
  next += size;
  return out;
};
