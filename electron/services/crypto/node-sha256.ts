// A native (OpenSSL) SHA-256 for the Sha256 port core code accepts: the same bytes out, several times faster.
import { createHash } from 'node:crypto';
import type { Sha256 } from '../../../core/shared/sha256.ts';

export const nodeSha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();
