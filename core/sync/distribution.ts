// Signed distribution of policy bundles and list versions through the regional hub (issue 15, decision 0253).
// A distribution statement is a C2SP signed note whose text is a label line and one canonical JSON manifest; it is
// signed by the firm's publisher key (kept off the hub), and devices pin that key at enrolment, so a hub can store and
// serve a statement but never make one. The manifest names the content by its SHA-256 and by the version it must
// turn out to be once parsed (the policy's rule version, the list version's content hash).
import * as z from 'zod';
import { bytesToHex, utf8Bytes } from '../audit/bytes.ts';
import { parseNote, parseVerifierKey, signNote, verifyNoteSignature } from '../audit/note.ts';
import type { NoteSigner, NoteVerifierKey } from '../audit/note.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import type { Sha256 } from '../shared/sha256.ts';
import { REGION_PATTERN } from './request-auth.ts';

export const DISTRIBUTION_LABEL = 'perimeter-distribution/v1';

/** The publisher key's default name: a signed-note key name, one per region. */
export const publisherKeyName = (region: string): string => `perimeter-publisher/${region}`;

/** A stream is what devices keep one active version of: the policy, or one list. */
export const STREAM_PATTERN = /^(policy|list:[a-z0-9][a-z0-9._-]{0,63})$/;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, { message: '64 lower-case hex digits' });

export const DistributionManifestSchema = z.strictObject({
  region: z.string().regex(REGION_PATTERN),
  stream: z.string().regex(STREAM_PATTERN, { message: 'policy, or list:<list id>' }),
  /** Per stream, from 1, one more with each publication: a device never activates a sequence at or below its own. */
  sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  kind: z.enum(['policy', 'list']),
  /** The policy's rule version (its content hash), or the list version's content hash. */
  version: z.string().min(1).max(200),
  /** The publisher's label (the policy's `version`, the list's publication label). */
  label: z.string().min(1).max(200),
  /** SHA-256 of the content bytes, hex. */
  contentSha256: Hex64,
  publishedAt: z.iso.datetime({ offset: true }),
});
export type DistributionManifest = z.infer<typeof DistributionManifestSchema>;

/** The content of a list distribution: the list's source file set, as the importers read it. */
export const ListPackageSchema = z.strictObject({
  format: z.literal('perimeter-list-package/v1'),
  source: z.string().min(1).max(50),
  listId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  kind: z.string().min(1).max(50).optional(),
  files: z
    .array(z.strictObject({ name: z.string().min(1).max(255), base64: z.string() }))
    .min(1)
    .max(20),
});
export type ListPackage = z.infer<typeof ListPackageSchema>;

export const distributionNoteText = (manifest: DistributionManifest): string =>
  `${DISTRIBUTION_LABEL}\n${canonicalJson(manifest)}\n`;

/** Signs a manifest with the publisher key; returns the signed note. */
export const signDistribution = (manifest: DistributionManifest, signer: NoteSigner, sha256: Sha256): string =>
  signNote(distributionNoteText(DistributionManifestSchema.parse(manifest)), [signer], sha256);

export type DistributionProblem =
  'malformed' | 'untrusted_signature' | 'wrong_region' | 'wrong_stream' | 'content_mismatch' | 'not_newer';

export type VerifiedDistribution = {
  readonly manifest: DistributionManifest;
  /** The verifier key (name+id) whose signature verified. */
  readonly signer: string;
  /** The signature line's base64 (key id ‖ signature), as recorded in the activation entry. */
  readonly signature: string;
};

export type DistributionCheck =
  | { readonly ok: true; readonly value: VerifiedDistribution }
  | { readonly ok: false; readonly problem: DistributionProblem; readonly message: string };

const fail = (problem: DistributionProblem, message: string): DistributionCheck => ({ ok: false, problem, message });

/** Reads a signed statement without trusting it: its manifest, for the hub's checks and for messages. */
export const readDistributionNote = (
  note: string,
): { ok: true; manifest: DistributionManifest; text: string } | { ok: false; message: string } => {
  const parsed = parseNote(utf8Bytes(note));
  if (!parsed.ok) return { ok: false, message: `the statement is not a signed note: ${parsed.error}` };
  const lines = parsed.value.text.split('\n');
  if (lines.length !== 3 || lines[0] !== DISTRIBUTION_LABEL || lines[2] !== '')
    return { ok: false, message: `the statement's text is not "${DISTRIBUTION_LABEL}" and one manifest line` };
  let json: unknown;
  try {
    json = JSON.parse(lines[1]!);
  } catch {
    return { ok: false, message: 'the manifest is not JSON' };
  }
  const manifest = DistributionManifestSchema.safeParse(json);
  if (!manifest.success) {
    const issue = manifest.error.issues[0]!;
    return { ok: false, message: `manifest field ${issue.path.join('.') || '(manifest)'}: ${issue.message}` };
  }
  if (canonicalJson(manifest.data) !== lines[1])
    return { ok: false, message: 'the manifest is not in canonical JSON (RFC 8785)' };
  return { ok: true, manifest: manifest.data, text: parsed.value.text };
};

export const parsePublisherKey = (key: string, sha256: Sha256): NoteVerifierKey | null => {
  const parsed = parseVerifierKey(key, sha256);
  return parsed.ok ? parsed.value : null;
};

/**
 * Everything a device checks before it activates a distributed version: a signature by one of the pinned publisher
 * keys, its own region, the stream it asked for, content whose SHA-256 is the manifest's, and a sequence above the
 * last one it activated on that stream (so a hub cannot roll a device back to an older signed version).
 */
export const verifyDistribution = (input: {
  readonly note: string;
  readonly content: Uint8Array;
  readonly trustedKeys: readonly string[];
  readonly region: string;
  readonly stream?: string;
  readonly activeSequence: number;
  readonly sha256: Sha256;
}): DistributionCheck => {
  const read = readDistributionNote(input.note);
  if (!read.ok) return fail('malformed', read.message);
  const parsed = parseNote(utf8Bytes(input.note));
  if (!parsed.ok) return fail('malformed', parsed.error);
  const keys = input.trustedKeys.flatMap((k) => {
    const key = parsePublisherKey(k, input.sha256);
    return key ? [{ text: k, key }] : [];
  });
  let verified: { signer: string; signature: string } | null = null;
  for (const signature of parsed.value.signatures)
    for (const { text, key } of keys)
      if (verified === null && verifyNoteSignature(read.text, signature, key))
        verified = { signer: text.slice(0, text.lastIndexOf('+')), signature: signature.line.split(' ').at(-1)! };
  if (verified === null)
    return fail(
      'untrusted_signature',
      `no signature on the statement verifies against the pinned publisher key${keys.length === 1 ? '' : 's'}`,
    );
  const { manifest } = read;
  if (manifest.region !== input.region)
    return fail('wrong_region', `the statement is for region ${manifest.region}, not ${input.region}`);
  if (input.stream !== undefined && manifest.stream !== input.stream)
    return fail('wrong_stream', `the statement is for ${manifest.stream}, not ${input.stream}`);
  if ((manifest.kind === 'policy') !== (manifest.stream === 'policy'))
    return fail('malformed', `a ${manifest.kind} statement on stream ${manifest.stream}`);
  const digest = bytesToHex(input.sha256(input.content));
  if (digest !== manifest.contentSha256)
    return fail(
      'content_mismatch',
      `the content's SHA-256 is ${digest}, not the ${manifest.contentSha256} the publisher signed`,
    );
  if (manifest.sequence <= input.activeSequence)
    return fail(
      'not_newer',
      `${manifest.stream} sequence ${manifest.sequence} is not newer than the active sequence ${input.activeSequence}`,
    );
  return { ok: true, value: { manifest, ...verified } };
};
