// The audit log's native SHA-256 port: node:crypto's one-shot hash, the cheapest call per small input.
import { hash } from 'node:crypto';
import type { Sha256 } from '../../../core/shared/sha256.ts';

export const nodeSha256: Sha256 = (bytes) => hash('sha256', bytes, 'buffer');
