// SHA-256 for core code that runs anywhere (Node, renderer, workers); services may pass a native hash instead.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export type Sha256 = (bytes: Uint8Array) => Uint8Array;

export const portableSha256: Sha256 = (bytes) => sha256(bytes);

export const sha256Hex = (bytes: Uint8Array, hash: Sha256 = portableSha256): string => bytesToHex(hash(bytes));
