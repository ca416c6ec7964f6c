// The rule version: a content hash of the validated bundle, recorded in every decision made under it.
import type { Brand } from '../shared/brand.ts';
import { canonicalJsonBytes } from '../shared/canonical-json.ts';
import { portableSha256, sha256Hex } from '../shared/sha256.ts';
import type { Sha256 } from '../shared/sha256.ts';
import type { PolicyBundle } from './schema.ts';

export type RuleVersion = Brand<string, 'RuleVersion'>;

/** sha256 over the RFC 8785 canonical JSON of the validated bundle: formatting and comments do not change it. */
export const ruleVersionOf = (policy: PolicyBundle, hash: Sha256 = portableSha256): RuleVersion =>
  `sha256:${sha256Hex(canonicalJsonBytes(policy), hash)}` as RuleVersion;
